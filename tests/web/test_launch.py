"""``served``: a real ``commsguard serve`` in a child process, and a clear error when it dies."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from commsguard.errors import CommsguardError
from commsguard.web.launch import served


def _env(root: Path, database_url: str) -> dict[str, str]:
    return {**os.environ, "COMMSGUARD_DATABASE_URL": database_url,
            "COMMSGUARD_SECRET_FILE": str(root / "commsguard.secret")}


def test_when_served_then_the_login_page_answers_until_the_block_ends(tmp_path: Path) -> None:
    with served(tmp_path, _env(tmp_path, f"sqlite:///{tmp_path / 'cg.db'}")) as url:
        assert httpx.get(url + "/login").status_code == 200
    with pytest.raises(httpx.TransportError):
        httpx.get(url + "/login", timeout=2)


def test_when_the_server_cannot_start_then_the_error_quotes_its_log(tmp_path: Path) -> None:
    env = _env(tmp_path, "nosuchdb://nowhere")
    with (pytest.raises(CommsguardError, match=r"did not start(.|\n)*nosuchdb"),
          served(tmp_path, env)):
        pass
