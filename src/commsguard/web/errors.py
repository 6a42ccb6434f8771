"""One error handler for the whole app: JSON under ``/api``, an error page everywhere else.

Routes raise ``HTTPException`` (or :class:`NotAuthenticated`); the handler decides the form of
the answer from the path, as datasette's ``handle_exception`` does. A page that needs a signed-in
user redirects to the sign-in page instead of showing 401.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import TemplateNotFound
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("commsguard.web")

TITLES = {
    400: "Bad request",
    401: "Sign in needed",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    422: "Cannot process that",
    429: "Too many attempts",
    500: "Something went wrong",
}


class NotAuthenticated(StarletteHTTPException):
    def __init__(self, detail: str = "sign in, or send Authorization: Bearer TOKEN") -> None:
        super().__init__(401, detail, headers={"WWW-Authenticate": "Bearer"})


class PasswordChangeRequired(StarletteHTTPException):
    def __init__(self) -> None:
        super().__init__(403, "change your one-time password first")


def _jsonable(errors: Any) -> Any:
    out = []
    for e in errors:
        item = {k: v for k, v in e.items() if k in ("loc", "msg", "type")}
        out.append(item)
    return out


def install(app: FastAPI, templates: Jinja2Templates) -> None:
    async def handle(request: Request, exc: Exception) -> Response:
        api = request.url.path.startswith("/api")
        headers: Mapping[str, str] | None = None
        if isinstance(exc, StarletteHTTPException):
            status, detail, headers = exc.status_code, exc.detail, exc.headers
        elif isinstance(exc, RequestValidationError):
            status, detail = 422, _jsonable(exc.errors())
        elif isinstance(exc, UnicodeEncodeError) and "surrogate" in str(exc):
            # A lone surrogate in a JSON string that no model refused: bad input, not a fault.
            status, detail = 422, "not valid Unicode text (it contains a lone surrogate)"
        else:
            log.exception("unhandled error on %s %s", request.method, request.url.path)
            status, detail = 500, "internal error; it has been logged"
        if api:
            return JSONResponse(
                {"detail": detail}, status_code=status, headers=dict(headers or {})
            )
        if isinstance(exc, PasswordChangeRequired):
            return RedirectResponse("/account/password", status_code=303)
        if status == 401:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        if isinstance(detail, list):
            detail = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in detail
            )
        context = {
            "request": request,
            "status": status,
            "title": TITLES.get(status, "Error"),
            "detail": detail,
            "principal": getattr(request.state, "principal", None),
        }
        try:
            return templates.TemplateResponse(
                request, f"{status}.html", context, status_code=status
            )
        except TemplateNotFound:
            return templates.TemplateResponse(request, "error.html", context, status_code=status)

    for exc_class in (StarletteHTTPException, RequestValidationError, Exception):
        app.add_exception_handler(exc_class, handle)
