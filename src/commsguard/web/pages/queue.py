"""The review queue (reviewer): filter, group near-duplicates, act on one or many."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from commsguard.store.tables import FindingRow, MessageRow
from commsguard.web.deps import Reviewer, RowId, ServiceDep, SessionDep
from commsguard.web.highlight import pieces
from commsguard.web.nav import NavItem, register
from commsguard.web.templating import render
from commsguard.web.views import NO_ONE, PeopleView, TextView, load_finding
from commsguard.workflows import audit, review

router = APIRouter()
register(NavItem("Review queue", "/queue", roles=("reviewer",), order=30))

ActionName = Literal["assign", "tag", "note", "dismiss", "escalate", "breach", "reopen"]
Suppress = Literal["none", "person", "everyone"]
Long = Annotated[str, Form(max_length=4000)]


def _blank(value: str | None) -> str | None:
    return value or None


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise HTTPException(400, f"{value!r} is not a date (use YYYY-MM-DD)") from None


@router.get("/queue")
def queue(
    request: Request, principal: Reviewer, service: ServiceDep, session: SessionDep,
    clause: str = "", severity: str = "", channel: str = "", person: str = "",
    status: str = "open", date_from: str = "", date_to: str = "",
    group: bool = False, page: int = 1, done: str = "",
) -> Response:
    page = min(max(1, page), 10**5)
    start, end = _date(date_from), _date(date_to)
    facets = review.facets(session)
    people = PeopleView(service, session, principal, ())
    # While pseudonymised only a pseudonym filters; a real name matches no one.
    real_person = (people.real_name(person, facets["person"]) or NO_ONE) if person else None
    filters = review.QueueFilter(
        clause=_blank(clause), severity=_blank(severity), channel=_blank(channel),
        person=real_person, status=_blank(status), date_from=start, date_to=end,
    )
    items, count = review.list_queue(session, filters=filters, limit=50, offset=(page - 1) * 50)
    people = PeopleView(service, session, principal, [f.id for f, _ in items])
    audit.append(session, actor=principal.username, action="queue.view",
                 detail={"filters": {k: str(v) for k, v in vars(filters).items() if v},
                         "shown": len(items)})
    if people.on:
        facets["person"] = sorted({people.name(-1, p) for p in facets["person"]})
    ctx: dict[str, Any] = {
        "items": items, "count": count, "people": people, "facets": facets, "page": page,
        "texts": TextView(service, session, principal, [m for _, m in items]),
        "filters": {"clause": clause, "severity": severity, "channel": channel,
                    "person": person, "status": status, "date_from": date_from,
                    "date_to": date_to},
        "group": group, "groups": review.group_near_duplicates(items) if group else [],
        "statuses": review.STATUSES, "done": done, "pack": service.pack,
    }
    return render(request, "queue.html", ctx)


def _act(session: SessionDep, principal: Reviewer, f: FindingRow, m: MessageRow, action: str,
         reason: str, outcome: str, assignee: str, tags: str, suppress: Suppress) -> None:
    try:
        review.apply(session, finding=f, actor=principal.username, action=action, reason=reason,
                     outcome=outcome, assignee=assignee, tags=tags.replace(",", " ").split(),
                     suppress=suppress, person=m.author)
    except review.ReviewError as exc:
        raise HTTPException(422, str(exc)) from None


@router.post("/queue/bulk")
def bulk(
    principal: Reviewer, session: SessionDep,
    ids: Annotated[list[int], Form()], action: Annotated[ActionName, Form()],
    reason: Long = "", outcome: Long = "", assignee: Annotated[str, Form(max_length=200)] = "",
    tags: Annotated[str, Form(max_length=400)] = "", suppress: Annotated[Suppress, Form()] = "none",
    back: Annotated[str, Form(max_length=2000)] = "/queue",
) -> Response:
    rows = session.execute(
        select(FindingRow, MessageRow).join(MessageRow, FindingRow.message_id == MessageRow.id)
        .where(FindingRow.id.in_(ids[:500]))
    ).tuples().all()
    for f, m in rows:
        _act(session, principal, f, m, action, reason, outcome, assignee, tags, suppress)
    back = back if back.startswith("/queue") else "/queue"
    sep = "&" if "?" in back else "?"
    return RedirectResponse(f"{back}{sep}done={action}:{len(rows)}", status_code=303)


@router.get("/queue/{finding_id}")
def finding(
    request: Request, finding_id: RowId, principal: Reviewer, service: ServiceDep,
    session: SessionDep,
) -> Response:
    f, m = load_finding(session, principal, finding_id)
    people = PeopleView(service, session, principal, [f.id])
    audit.append(session, actor=principal.username, action="finding.view",
                 target=f"finding:{f.id}")
    others = list(session.scalars(
        select(FindingRow).where(FindingRow.message_id == m.id).order_by(FindingRow.start)
    ))
    texts = TextView(service, session, principal, [m])
    return render(request, "finding.html", {
        "f": f, "m": m, "people": people, "history": review.history(session, finding_id=f.id),
        "pieces": pieces(texts.text(m) or "", others), "others": others, "texts": texts,
        "clause": service.pack.clauses.get(f.clause), "pack": service.pack,
    })


@router.post("/queue/{finding_id}/action")
def act(
    request: Request, finding_id: RowId, principal: Reviewer, service: ServiceDep,
    session: SessionDep, action: Annotated[ActionName, Form()], reason: Long = "",
    outcome: Long = "",
    assignee: Annotated[str, Form(max_length=200)] = "",
    tags: Annotated[str, Form(max_length=400)] = "", suppress: Annotated[Suppress, Form()] = "none",
) -> Response:
    f, m = load_finding(session, principal, finding_id)
    _act(session, principal, f, m, action, reason, outcome, assignee, tags, suppress)
    if request.headers.get("HX-Request"):
        session.flush()
        return render(request, "_finding_row.html", {
            "f": f, "m": m, "people": PeopleView(service, session, principal, [f.id]),
            "texts": TextView(service, session, principal, [m]), "done": action,
        })
    return RedirectResponse(f"/queue/{f.id}?done={action}", status_code=303)


@router.post("/queue/{finding_id}/reveal")
def reveal(
    finding_id: RowId, principal: Reviewer, session: SessionDep, reason: Long,
) -> Response:
    f, _ = load_finding(session, principal, finding_id)
    try:
        review.reveal(session, finding=f, actor=principal.username, reason=reason)
    except review.ReviewError as exc:
        raise HTTPException(422, str(exc)) from None
    return RedirectResponse(f"/queue/{f.id}", status_code=303)
