"""A person's own checks: history and one check with its findings (no one else's)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query
from sqlalchemy import func, select

from commsguard.store.tables import FindingRow, MessageRow
from commsguard.web.api.models import CheckPublic, ChecksPublic
from commsguard.web.deps import Everyone, RowId, SessionDep
from commsguard.web.views import can_see_message, finding_public

router = APIRouter(tags=["checks"])


def check_public(session: SessionDep, m: MessageRow) -> CheckPublic:
    findings = session.scalars(
        select(FindingRow).where(FindingRow.message_id == m.id).order_by(FindingRow.start)
    )
    return CheckPublic(
        id=m.id, checked_at=m.checked_at, author=m.author, submitted_by=m.submitted_by,
        channel=m.channel,
        capacity=m.capacity, decision=m.decision, origin=m.origin, text=m.text,
        findings=[finding_public(f, m, None) for f in findings],
    )


@router.get("/checks", response_model=ChecksPublic, summary="My checks, newest first")
def my_checks(
    principal: Everyone,
    session: SessionDep,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=10**6),
) -> ChecksPublic:
    where = MessageRow.submitted_by == principal.username
    count = session.scalar(select(func.count()).select_from(MessageRow).where(where)) or 0
    rows = session.scalars(
        select(MessageRow).where(where).order_by(MessageRow.id.desc()).limit(limit).offset(offset)
    )
    return ChecksPublic(data=[check_public(session, m) for m in rows], count=count)


@router.get("/checks/{check_id}", response_model=CheckPublic, summary="One of my checks")
def my_check(check_id: RowId, principal: Everyone, session: SessionDep) -> CheckPublic:
    m = session.get(MessageRow, check_id)
    if m is None or not can_see_message(principal, m):
        raise HTTPException(404, "no such check")
    return check_public(session, m)
