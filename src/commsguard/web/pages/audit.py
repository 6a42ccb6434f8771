"""The audit log page, with its chain verified on every view (reviewer, admin)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from commsguard.web.deps import AUDITORS, Auditor, SessionDep
from commsguard.web.nav import NavItem, register
from commsguard.web.templating import render
from commsguard.workflows import audit

router = APIRouter()
register(NavItem("Audit log", "/audit", roles=AUDITORS, order=80))


@router.get("/audit")
def audit_page(
    request: Request, principal: Auditor, session: SessionDep, action: str = "",
    actor: str = "", before: int | None = None,
) -> Response:
    rows = audit.recent(session, limit=100, before=before, action=action or None,
                        actor=actor or None)
    verification = audit.verify(session)
    return render(request, "audit.html", {
        "rows": rows, "verification": verification, "action": action, "actor": actor,
        "next_before": rows[-1].seq if len(rows) == 100 else None,
    })
