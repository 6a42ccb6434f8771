"""A person's own checks: history and one check with its findings (no one else's)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query
from sqlalchemy import func, select

from commsguard.store.tables import FindingRow, MessageRow
from commsguard.web.api.models import CheckPublic, ChecksPublic
from commsguard.web.deps import Everyone, RowId, ServiceDep, SessionDep
from commsguard.web.views import PeopleView, TextView, can_see_message, finding_public
from commsguard.workflows import audit, review

router = APIRouter(tags=["checks"])


def check_public(
    session: SessionDep, m: MessageRow, texts: TextView, people: PeopleView | None = None
) -> CheckPublic:
    """A check as its submitter sees it; with ``people``, as a reviewer sees someone else's
    (pseudonymised until a finding on it is revealed). Register values are masked for both."""
    findings = list(session.scalars(
        select(FindingRow).where(FindingRow.message_id == m.id).order_by(FindingRow.start)
    ))
    author, submitted_by = m.author, m.submitted_by
    if people is not None and people.message_hidden(m, [f.id for f in findings]):
        author = review.pseudonym(m.author, key=people.key)
        submitted_by = review.pseudonym(m.submitted_by, key=people.key)
    return CheckPublic(
        id=m.id, checked_at=m.checked_at, author=author, submitted_by=submitted_by,
        channel=m.channel,
        capacity=m.capacity, decision=m.decision, origin=m.origin, text=texts.text(m),
        text_masked=texts.hidden(m),
        findings=[finding_public(f, m, people, texts) for f in findings],
    )


@router.get("/checks", response_model=ChecksPublic, summary="My checks, newest first")
def my_checks(
    principal: Everyone,
    service: ServiceDep,
    session: SessionDep,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=10**6),
) -> ChecksPublic:
    where = MessageRow.submitted_by == principal.username
    count = session.scalar(select(func.count()).select_from(MessageRow).where(where)) or 0
    rows = list(session.scalars(
        select(MessageRow).where(where).order_by(MessageRow.id.desc()).limit(limit).offset(offset)
    ))
    texts = TextView(service, session, principal, rows)
    return ChecksPublic(data=[check_public(session, m, texts) for m in rows], count=count)


@router.get("/checks/{check_id}", response_model=CheckPublic, summary="One of my checks")
def my_check(
    check_id: RowId, principal: Everyone, service: ServiceDep, session: SessionDep
) -> CheckPublic:
    m = session.get(MessageRow, check_id)
    if m is None or not can_see_message(principal, m):
        raise HTTPException(404, "no such check")
    texts = TextView(service, session, principal, [m])
    if m.submitted_by == principal.username:
        return check_public(session, m, texts)
    ids = list(session.scalars(select(FindingRow.id).where(FindingRow.message_id == m.id)))
    audit.append(session, actor=principal.username, action="finding.view",
                 target=f"message:{m.id}")
    return check_public(session, m, texts, PeopleView(service, session, principal, ids))
