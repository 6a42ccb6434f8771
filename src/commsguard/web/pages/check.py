"""Check a post: live findings as you pause typing, the clause's own words, and feedback."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from commsguard.message_input import MessageIn
from commsguard.store.tables import FindingRow, MessageRow
from commsguard.web.deps import Everyone, RowId, ServiceDep, SessionDep
from commsguard.web.highlight import pieces
from commsguard.web.nav import NavItem, register
from commsguard.web.templating import render
from commsguard.web.views import TextView, can_see_message, load_finding
from commsguard.workflows import audit, review

router = APIRouter()
register(NavItem("Check a post", "/check", order=10))
register(NavItem("My checks", "/checks", order=20))

CHANNELS = ("", "facebook", "x", "linkedin", "instagram", "mastodon", "bluesky", "tiktok",
            "youtube", "blog", "forum", "email", "sms", "teams", "other")
MAX_TEXT = 20_000

Text = Annotated[str, Form(max_length=MAX_TEXT)]
Channel = Annotated[str, Form(max_length=50)]
CapacityField = Annotated[Literal["private", "official"], Form()]


def _message(principal: Everyone, text: str, channel: str, capacity: str) -> MessageIn:
    return MessageIn.model_validate(
        {"text": text, "channel": channel, "capacity": capacity, "author": principal.username}
    )


@router.get("/check")
def check_page(request: Request, principal: Everyone, service: ServiceDep) -> Response:
    return render(request, "check.html", {"channels": CHANNELS, "pack": service.pack})


@router.post("/check/preview")
def preview(
    request: Request, principal: Everyone, service: ServiceDep, session: SessionDep,
    text: Text = "", channel: Channel = "", capacity: CapacityField = "private",
) -> Response:
    """The htmx partial: the text with findings highlighted, not stored."""
    if not text.strip():
        return render(request, "_check_result.html", {"result": None})
    checked = service.check(session, user=principal.user,
                            messages=[_message(principal, text, channel, capacity)], record=False)
    result = checked[0].result
    return render(request, "_check_result.html", {
        "result": result, "pieces": pieces(text, result.findings), "pack": service.pack,
        "stored": None, "preview": True,
    })


@router.post("/check")
def record(
    principal: Everyone, service: ServiceDep, session: SessionDep,
    text: Text, channel: Channel = "", capacity: CapacityField = "private",
) -> Response:
    """Check and keep a record (the findings go to the review queue)."""
    if not text.strip():
        raise HTTPException(422, "type the post to check")
    checked = service.check(session, user=principal.user,
                            messages=[_message(principal, text, channel, capacity)],
                            record=True, origin="check")
    row = checked[0].row
    assert row is not None
    return RedirectResponse(f"/checks/{row.id}", status_code=303)


@router.post("/check/feedback")
def preview_feedback(
    request: Request, principal: Everyone, service: ServiceDep, session: SessionDep,
    text: Text, rule: Annotated[str, Form(max_length=120)], start: Annotated[int, Form()],
    end: Annotated[int, Form()], justification: Annotated[str, Form(max_length=4000)],
    channel: Channel = "", capacity: CapacityField = "private",
) -> Response:
    """"This is wrong" from the live preview: the check is recorded and the finding flagged."""
    checked = service.check(session, user=principal.user,
                            messages=[_message(principal, text, channel, capacity)],
                            record=True, origin="check")
    row = checked[0].row
    assert row is not None
    finding = session.scalars(select(FindingRow).where(
        FindingRow.message_id == row.id, FindingRow.rule == rule, FindingRow.start == start,
        FindingRow.end == end,
    )).first()
    if finding is None:
        raise HTTPException(404, "that finding is no longer raised for this text")
    try:
        review.feedback(session, finding=finding, actor=principal.username,
                        justification=justification)
    except review.ReviewError as exc:
        raise HTTPException(422, str(exc)) from None
    return render(request, "_feedback_done.html", {"finding": finding})


@router.post("/findings/{finding_id}/feedback")
def feedback(
    request: Request, finding_id: RowId, principal: Everyone, session: SessionDep,
    justification: Annotated[str, Form(max_length=4000)],
) -> Response:
    f, m = load_finding(session, principal, finding_id)
    if m.submitted_by != principal.username:
        raise HTTPException(404, "no such finding")
    try:
        review.feedback(session, finding=f, actor=principal.username, justification=justification)
    except review.ReviewError as exc:
        raise HTTPException(422, str(exc)) from None
    if request.headers.get("HX-Request"):
        return render(request, "_feedback_done.html", {"finding": f})
    return RedirectResponse(f"/checks/{m.id}", status_code=303)


@router.get("/checks")
def my_checks(request: Request, principal: Everyone, service: ServiceDep, session: SessionDep,
              page: int = 1) -> Response:
    page = min(max(1, page), 10**5)
    where = MessageRow.submitted_by == principal.username
    count = session.scalar(select(func.count()).select_from(MessageRow).where(where)) or 0
    rows = list(session.scalars(
        select(MessageRow).where(where).order_by(MessageRow.id.desc()).limit(25)
        .offset((page - 1) * 25)
    ))
    counts = dict(session.execute(
        select(FindingRow.message_id, func.count()).where(
            FindingRow.message_id.in_([m.id for m in rows])
        ).group_by(FindingRow.message_id)
    ).tuples().all())
    return render(request, "checks.html", {"rows": rows, "counts": counts, "count": count,
                                           "page": page,
                                           "texts": TextView(service, session, principal, rows)})


@router.get("/checks/{check_id}")
def check_detail(
    request: Request, check_id: RowId, principal: Everyone, service: ServiceDep,
    session: SessionDep,
) -> Response:
    m = session.get(MessageRow, check_id)
    if m is None or not can_see_message(principal, m):
        raise HTTPException(404, "no such check")
    findings = list(session.scalars(
        select(FindingRow).where(FindingRow.message_id == m.id).order_by(FindingRow.start)
    ))
    if m.submitted_by != principal.username:
        audit.append(session, actor=principal.username, action="finding.view",
                     target=f"message:{m.id}")
    feedback_given = {
        f.id for f in findings
        if any(a.action == "feedback" for a in review.history(session, finding_id=f.id))
    }
    return render(request, "check_detail.html", {
        "m": m, "findings": findings,
        "pieces": pieces(TextView(service, session, principal, [m]).text(m) or "", findings),
        "pack": service.pack, "feedback_given": feedback_given,
    })


@router.get("/clauses/{clause_id}")
def clause(request: Request, clause_id: str, principal: Everyone, service: ServiceDep) -> Response:
    c = service.pack.clauses.get(clause_id)
    if c is None:
        raise HTTPException(404, f"no clause {clause_id!r} in the pack")
    name = "_clause.html" if request.headers.get("HX-Request") else "clause.html"
    return render(request, name, {"clause": c, "pack": service.pack})
