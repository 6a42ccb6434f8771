"""The audit log: read it and verify its hash chain (reviewer, admin)."""

from __future__ import annotations

from fastapi import APIRouter, Query

from commsguard.web.api.models import (
    AuditEntryPublic,
    AuditProblem,
    AuditPublic,
    AuditVerification,
)
from commsguard.web.deps import Auditor, SessionDep
from commsguard.workflows import audit

router = APIRouter(tags=["audit"])


@router.get("/audit", response_model=AuditPublic, summary="Audit entries, newest first")
def entries(
    principal: Auditor,
    session: SessionDep,
    action: str | None = Query(None, description="Only actions starting with this."),
    actor: str | None = None,
    before: int | None = Query(None, ge=1, le=2**31 - 1,
                               description="Only entries before this sequence."),
    limit: int = Query(100, ge=1, le=1000),
) -> AuditPublic:
    rows = audit.recent(session, limit=limit, before=before, action=action, actor=actor)
    data = [
        AuditEntryPublic(seq=r.seq, at=r.at, actor=r.actor, action=r.action, target=r.target,
                         detail=r.detail, hash=r.hash)
        for r in rows
    ]
    return AuditPublic(data=data, count=len(data))


@router.get("/audit/verify", response_model=AuditVerification, summary="Verify the hash chain")
def verify(principal: Auditor, session: SessionDep) -> AuditVerification:
    v = audit.verify(session)
    return AuditVerification(
        ok=v.ok, entries=v.entries, head=v.head, head_line=v.head_line,
        problems=[AuditProblem(seq=p.seq, reason=p.reason) for p in v.problems],
    )
