"""Jinja2 templates and the one ``render`` every page uses (it adds the nav and CSRF token)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from commsguard.web import nav

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"

templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.globals["nav_for"] = nav.for_role
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True


def _fmt_time(value: Any) -> str:
    return value.strftime("%d %b %Y %H:%M") if value is not None else ""


templates.env.filters["when"] = _fmt_time


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    ctx: dict[str, Any] = {"principal": getattr(request.state, "principal", None)}
    ctx.update(context or {})
    principal = ctx["principal"]
    ctx.setdefault("csrf_token", principal.csrf_token if principal is not None else "")
    return templates.TemplateResponse(request, name, ctx, status_code=status, headers=headers)
