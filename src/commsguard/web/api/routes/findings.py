"""The review queue and its decisions (reviewer), and feedback on one's own findings."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, HTTPException, Query
from sqlalchemy import select

from commsguard.store.tables import FindingRow, MessageRow
from commsguard.web.api.models import (
    ActionIn,
    BulkActionIn,
    BulkResult,
    FeedbackIn,
    FindingDetail,
    FindingPublic,
    GroupPublic,
    QueuePublic,
    RevealIn,
    ReviewActionPublic,
)
from commsguard.web.deps import (
    Everyone,
    EveryoneCheck,
    Reviewer,
    ReviewerWrite,
    RowId,
    ServiceDep,
    SessionDep,
)
from commsguard.web.views import NO_ONE, PeopleView, TextView, finding_public, load_finding
from commsguard.workflows import audit, review

router = APIRouter(tags=["review queue"])


def _error(exc: review.ReviewError) -> HTTPException:
    return HTTPException(422, str(exc))


@router.get("/findings", response_model=QueuePublic, summary="The review queue")
def queue(
    principal: Reviewer,
    service: ServiceDep,
    session: SessionDep,
    clause: str | None = None,
    severity: str | None = None,
    channel: str | None = None,
    person: str | None = None,
    status: str | None = Query("open", description="open, dismissed, escalated, breach; "
                                                    "empty for all"),
    assignee: str | None = None,
    tag: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10**6),
) -> QueuePublic:
    people = PeopleView(service, session, principal, ())
    if person and people.on:
        # While pseudonymised only a pseudonym filters; a real name matches no one.
        person = people.real_name(person, review.facets(session)["person"]) or NO_ONE
    filters = review.QueueFilter(
        clause=clause, severity=severity, channel=channel, person=person, status=status or None,
        assignee=assignee, tag=tag, date_from=date_from, date_to=date_to,
    )
    items, count = review.list_queue(session, filters=filters, limit=limit, offset=offset)
    people = PeopleView(service, session, principal, [f.id for f, _ in items])
    texts = TextView(service, session, principal, [m for _, m in items])
    audit.append(session, actor=principal.username, action="queue.view",
                 detail={"filters": {k: v for k, v in vars(filters).items() if v},
                         "shown": len(items)})
    return QueuePublic(
        data=[finding_public(f, m, people, texts) for f, m in items],
        count=count,
        groups=[
            GroupPublic(key=g.key, rule=g.rule, evidence=texts.evidence(*g.items[0]), ids=g.ids)
            for g in review.group_near_duplicates(items)
        ],
    )


@router.get("/findings/{finding_id}", response_model=FindingDetail, summary="One finding")
def finding(
    finding_id: RowId, principal: Everyone, service: ServiceDep, session: SessionDep
) -> FindingDetail:
    """Reviewers see any finding; others only findings on their own checks. Audited."""
    f, m = load_finding(session, principal, finding_id)
    people = PeopleView(service, session, principal, [f.id])
    texts = TextView(service, session, principal, [m])
    audit.append(session, actor=principal.username, action="finding.view",
                 target=f"finding:{f.id}")
    history = [
        ReviewActionPublic(id=a.id, actor=people.actor(f.id, a.actor, m), action=a.action,
                           reason=a.reason,
                           outcome=a.outcome, created_at=a.created_at)
        for a in review.history(session, finding_id=f.id)
    ]
    return FindingDetail(
        **finding_public(f, m, people, texts).model_dump(), text=texts.text(m),
        text_masked=texts.hidden(m), history=history,
    )


def _apply(session: SessionDep, principal: ReviewerWrite, f: FindingRow, m: MessageRow,
           body: ActionIn) -> None:
    try:
        review.apply(session, finding=f, actor=principal.username, action=body.action,
                     reason=body.reason, outcome=body.outcome, assignee=body.assignee,
                     tags=body.tags, suppress=body.suppress, person=m.author)
    except review.ReviewError as exc:
        raise _error(exc) from None


@router.post("/findings/{finding_id}/actions", response_model=FindingPublic,
             summary="Assign, tag, note, dismiss, escalate, record a breach, or reopen")
def act(
    finding_id: RowId, body: ActionIn, principal: ReviewerWrite, service: ServiceDep,
    session: SessionDep,
) -> FindingPublic:
    f, m = load_finding(session, principal, finding_id)
    _apply(session, principal, f, m, body)
    return finding_public(f, m, PeopleView(service, session, principal, [f.id]),
                          TextView(service, session, principal, [m]))


@router.post("/findings/bulk", response_model=BulkResult, summary="One action on many findings")
def bulk(body: BulkActionIn, principal: ReviewerWrite, session: SessionDep) -> BulkResult:
    done: list[int] = []
    missing: list[int] = []
    for fid in dict.fromkeys(body.ids):
        row = session.execute(
            select(FindingRow, MessageRow).join(MessageRow, FindingRow.message_id == MessageRow.id)
            .where(FindingRow.id == fid)
        ).first()
        if row is None:
            missing.append(fid)
            continue
        _apply(session, principal, row[0], row[1], body)
        done.append(fid)
    return BulkResult(done=done, missing=missing)


@router.post("/findings/{finding_id}/feedback", response_model=FindingPublic,
             summary='Say "this is wrong" about a finding on your own check')
def give_feedback(
    finding_id: RowId, body: FeedbackIn, principal: EveryoneCheck, service: ServiceDep,
    session: SessionDep,
) -> FindingPublic:
    f, m = load_finding(session, principal, finding_id)
    if m.submitted_by != principal.username:
        raise HTTPException(404, "no such finding")
    try:
        review.feedback(session, finding=f, actor=principal.username,
                        justification=body.justification)
    except review.ReviewError as exc:
        raise _error(exc) from None
    return finding_public(f, m, None, TextView(service, session, principal, [m]))


@router.post("/findings/{finding_id}/reveal", response_model=FindingPublic,
             summary="Record a reason to see the person behind a pseudonym and the register values "
                     "in the message's text (audited)")
def reveal(
    finding_id: RowId, body: RevealIn, principal: ReviewerWrite, service: ServiceDep,
    session: SessionDep,
) -> FindingPublic:
    f, m = load_finding(session, principal, finding_id)
    try:
        review.reveal(session, finding=f, actor=principal.username, reason=body.reason)
    except review.ReviewError as exc:
        raise _error(exc) from None
    session.flush()
    return finding_public(f, m, PeopleView(service, session, principal, [f.id]),
                          TextView(service, session, principal, [m]))
