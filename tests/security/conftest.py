"""Fixtures for the attack reproductions: the service fixtures of ``tests/web`` (one
installation per session, users in every role, API tokens and signed-in clients)."""

from __future__ import annotations

from web.conftest import api, app, browser_as, inst, tokens

__all__ = ["api", "app", "browser_as", "inst", "tokens"]
