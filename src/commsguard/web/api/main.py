"""The API router: one module per resource under ``routes/``, all under ``/api/v1``.

To add a resource, write ``routes/<resource>.py`` with a ``router`` and list it here.
"""

from __future__ import annotations

from fastapi import APIRouter

from commsguard.web.api.routes import (
    approvals,
    attestation,
    audit,
    cases,
    check,
    checks,
    clauses,
    dashboard,
    findings,
    people,
    policy_admin,
    quarantine,
    registers,
    sites,
    tokens,
    users,
    webuse,
)

PREFIX = "/api/v1"
ROUTE_MODULES = (check, checks, clauses, findings, dashboard, users, tokens, audit, registers)
#: The governance workflows' resources (their role table: tests/web/test_governance_roles.py).
GOVERNANCE_MODULES = (cases, attestation, people, approvals, sites)
#: Web use from proxy logs (their role table: tests/web/test_webuse_roles.py).
WEBUSE_MODULES = (webuse,)
#: Quarantine and policy versions (their role table: tests/web/test_gaps_roles.py).
GAPS_MODULES = (quarantine, policy_admin)

api_router = APIRouter(prefix=PREFIX)
for module in (*ROUTE_MODULES, *GOVERNANCE_MODULES, *WEBUSE_MODULES, *GAPS_MODULES):
    api_router.include_router(module.router)
