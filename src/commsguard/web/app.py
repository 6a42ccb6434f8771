"""The application: ``create_app(settings)`` wires the API, the pages, static files and errors.

Run it with ``commsguard serve``; tests build it with a temporary database and secret.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from commsguard.config import Settings, get_settings
from commsguard.web import errors
from commsguard.web.api.main import api_router
from commsguard.web.config import ServiceSettings
from commsguard.web.limits import BodyLimit
from commsguard.web.pages import pages_router
from commsguard.web.service import Service
from commsguard.web.templating import STATIC, templates
from commsguard.web.throttle import keep_anonymous_paths_out_of_the_access_log

#: Sent with every response. The pages use no inline script and no third-party origin.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


class SecurityHeaders:
    """Adds the security headers (a plain ASGI middleware: no per-request task overhead)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if not static:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(
    settings: Settings | None = None, *, service_settings: ServiceSettings | None = None
) -> FastAPI:
    """The app over an initialised installation (``commsguard init`` has run)."""
    settings = settings or get_settings()
    service = Service(settings, service_settings or ServiceSettings())
    keep_anonymous_paths_out_of_the_access_log()
    app = FastAPI(
        title="commsguard",
        version="1",
        summary="Check posts against the Social Media and Electronic Communications Policy; "
        "review what is found.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.service = service
    app.add_middleware(
        BodyLimit,
        limit=service.options.max_body_bytes,
        upload_limit=service.options.max_upload_bytes,
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.include_router(api_router)
    app.include_router(pages_router)
    errors.install(app, templates)
    return app
