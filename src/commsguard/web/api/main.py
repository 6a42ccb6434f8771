"""The API router: one module per resource under ``routes/``, all under ``/api/v1``.

To add a resource, write ``routes/<resource>.py`` with a ``router`` and list it here.
"""

from __future__ import annotations

from fastapi import APIRouter

from commsguard.web.api.routes import (
    audit,
    check,
    checks,
    clauses,
    dashboard,
    findings,
    tokens,
    users,
)

api_router = APIRouter(prefix="/api/v1")
for module in (check, checks, clauses, findings, dashboard, users, tokens, audit):
    api_router.include_router(module.router)
