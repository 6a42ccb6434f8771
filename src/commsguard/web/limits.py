"""A ceiling on request bodies, enforced before the app reads them.

A body over the limit is answered ``413`` with a JSON error naming the limit (and the setting
that raises it), whether the client declared its length or streamed it. Form uploads
(``multipart/form-data``: report screenshots, the people CSV) have their own, larger ceiling.
"""

from __future__ import annotations

import json

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def too_large(limit: int, setting: str) -> str:
    return f"request body is over the limit of {limit} bytes (set by {setting})"


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes (``upload_limit`` for multipart forms)."""

    def __init__(self, app: ASGIApp, *, limit: int, upload_limit: int) -> None:
        self.app = app
        self.limit = limit
        self.upload_limit = upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        multipart = headers.get(b"content-type", b"").startswith(b"multipart/form-data")
        limit, setting = (
            (self.upload_limit, "COMMSGUARD_MAX_UPLOAD_BYTES")
            if multipart
            else (self.limit, "COMMSGUARD_MAX_BODY_BYTES")
        )
        declared = headers.get(b"content-length", b"")
        if declared.strip().isdigit() and int(declared) > limit:
            await _refuse(scope, receive, send, too_large(limit, setting))
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    # Raised where the app reads the body: the one error handler answers it.
                    raise HTTPException(413, too_large(limit, setting))
            return message

        await self.app(scope, counted, send)


async def _refuse(scope: Scope, receive: Receive, send: Send, detail: str) -> None:
    """Answer 413 without reading the body (JSON under /api, plain text elsewhere)."""
    if scope["path"].startswith("/api"):
        body, ctype = json.dumps({"detail": detail}).encode(), b"application/json"
    else:
        body, ctype = detail.encode(), b"text/plain; charset=utf-8"
    await send({
        "type": "http.response.start",
        "status": 413,
        "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close")],
    })
    await send({"type": "http.response.body", "body": body})
