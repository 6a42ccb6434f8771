"""Governance pages: report content, follow a report by key, cases, complaints, attestation,
office post approvals. Every route takes a role dependency; views and decisions are audited."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from commsguard.store.tables import Case, CaseFile
from commsguard.web.api.routes._gov import GOV_ERRORS, TEAM_VIEWERS, http_error
from commsguard.web.deps import Everyone, Principal, ServiceDep, SessionDep, require_roles
from commsguard.web.nav import NavItem, register
from commsguard.web.security import PRESESSION_COOKIE
from commsguard.web.templating import render
from commsguard.web.throttle import client_address
from commsguard.workflows import attestation as att
from commsguard.workflows import audit
from commsguard.workflows import authorisations as posts
from commsguard.workflows import cases as wf
from commsguard.workflows import complaints as cw
from commsguard.workflows.notify import GovernanceSettings
from commsguard.workflows.people import by_username

router = APIRouter()
register(NavItem("Report", "/report", order=60))
register(NavItem("Cases", "/cases", roles=("reviewer", "admin"), order=35))
register(NavItem("Policy", "/attest", order=70))
register(NavItem("Team", "/attest/team", roles=TEAM_VIEWERS, order=75))
register(NavItem("Office posts", "/approvals", order=80))

Long = Annotated[str, Form(max_length=10000)]
Short = Annotated[str, Form(max_length=300)]
TeamViewer = Annotated[Principal, Depends(require_roles(*TEAM_VIEWERS))]


def _err(exc: Exception) -> HTTPException:
    return http_error(exc)


async def _uploads(files: list[UploadFile]) -> list[wf.Upload]:
    out = []
    for f in files[:10]:
        data = await f.read(wf.MAX_FILE_BYTES + 1)
        if data:
            out.append(wf.Upload(f.filename or "file", f.content_type or "", data))
    return out


# --- reporting ------------------------------------------------------------------------------


@router.get("/report")
def report_form(request: Request, principal: Everyone, service: ServiceDep) -> Response:
    return render(request, "gov_report.html", {
        "conduct": cw.CONDUCT, "related": cw.related_policy(service.pack),
        "clause": service.pack.clauses.get("identifying-inappropriate-use"),
    })


@router.post("/report")
async def report_submit(
    request: Request, principal: Everyone, session: SessionDep, description: Long,
    urls: Long = "", platform: Short = "", named: Short = "",
    anonymous: Annotated[bool, Form()] = False,
    screenshots: Annotated[list[UploadFile], File()] = [],  # noqa: B006 - FastAPI default
) -> Response:
    try:
        opened = wf.report_content(
            session, reporter=principal.username, urls=urls, platform=platform,
            description=description, anonymous=anonymous, named=named,
            files=await _uploads(screenshots), settings=GovernanceSettings())
    except GOV_ERRORS as exc:
        raise _err(exc) from None
    return render(request, "gov_reported.html", {"case": opened.case, "key": opened.key},
                  status=201)


# --- reporting anonymously: no sign-in, nothing read from or kept about the session --------


def _anonymous_page(request: Request, service: ServiceDep, ctx: dict[str, Any],
                    status: int = 200) -> Response:
    nonce, token = _pre_csrf(request, service)
    response = render(request, "gov_report_anonymous.html",
                      {"error": "", **ctx, "csrf_token": token}, status=status)
    response.set_cookie(PRESESSION_COOKIE, nonce, httponly=True, samesite="strict",
                        secure=service.options.cookie_secure, max_age=3600)
    return response


@router.get("/report/anonymous")
def anonymous_report_form(request: Request, service: ServiceDep) -> Response:
    return _anonymous_page(request, service, {})


@router.post("/report/anonymous")
async def anonymous_report_submit(
    request: Request, service: ServiceDep, session: SessionDep, description: Long,
    urls: Long = "", platform: Short = "", named: Short = "", csrf_token: Short = "",
    screenshots: Annotated[list[UploadFile], File()] = [],  # noqa: B006 - FastAPI default
) -> Response:
    """The form's CSRF token is tied to a pre-session nonce, not to any signed-in session."""
    if not _follow_ok(request, service, csrf_token):
        return _anonymous_page(request, service,
                               {"error": "The form expired; try again."}, 403)
    if wait := service.report_throttle.wait(client_address(request)):
        return _anonymous_page(request, service, {
            "error": f"Too many reports from here; try again in {wait} seconds."}, 429)
    try:
        opened = wf.report_anonymously(
            session, urls=urls, platform=platform, description=description, named=named,
            files=await _uploads(screenshots), settings=GovernanceSettings())
    except GOV_ERRORS as exc:
        raise _err(exc) from None
    return render(request, "gov_reported.html", {"case": opened.case, "key": opened.key},
                  status=201)


@router.post("/complaints")
async def complaint_submit(
    request: Request, principal: Everyone, session: SessionDep, service: ServiceDep,
    conduct: Short, description: Long, respondents: Short = "", platform: Short = "",
    urls: Long = "", anonymous: Annotated[bool, Form()] = False,
) -> Response:
    try:
        opened = cw.lodge_complaint(
            session, pack=service.pack, complainant=principal.username, conduct=conduct,
            description=description, respondents=respondents, platform=platform, urls=urls,
            anonymous=anonymous, settings=GovernanceSettings())
    except GOV_ERRORS as exc:
        raise _err(exc) from None
    return render(request, "gov_reported.html", {"case": opened.case, "key": opened.key},
                  status=201)


# --- following a report by key (no sign-in: the key is the credential) ----------------------


def _pre_csrf(request: Request, service: ServiceDep) -> tuple[str, str]:
    nonce = request.cookies.get(PRESESSION_COOKIE) or secrets.token_urlsafe(16)
    return nonce, service.signer.csrf_for("pre:" + nonce)


def _follow_page(request: Request, service: ServiceDep, ctx: dict[str, Any],
                 status: int = 200) -> Response:
    nonce, token = _pre_csrf(request, service)
    response = render(request, "gov_follow.html", {**ctx, "csrf_token": token}, status=status)
    response.set_cookie(PRESESSION_COOKIE, nonce, httponly=True, samesite="strict",
                        secure=service.options.cookie_secure, max_age=3600)
    return response


def _follow_ok(request: Request, service: ServiceDep, csrf_token: str) -> bool:
    nonce = request.cookies.get(PRESESSION_COOKIE)
    return service.signer.csrf_ok("pre:" + nonce if nonce else None, csrf_token)


@router.get("/report/follow")
def follow_form(request: Request, service: ServiceDep) -> Response:
    return _follow_page(request, service, {"case": None})


@router.post("/report/follow")
def follow(
    request: Request, service: ServiceDep, session: SessionDep,
    key: Annotated[str, Form(max_length=100)], csrf_token: Short = "",
    answer: Long = "",
) -> Response:
    if not _follow_ok(request, service, csrf_token):
        return _follow_page(request, service, {"case": None,
                                               "error": "The form expired; try again."}, 403)
    if wait := service.follow_throttle.wait(client_address(request)):
        return _follow_page(request, service, {
            "case": None, "error": f"Too many look-ups from here; try again in {wait} seconds."},
            429)
    try:
        case = wf.case_by_key(session, key)
    except wf.CaseDenied:
        return _follow_page(request, service, {"case": None, "error": "No report has that key."},
                            404)
    done = ""
    if answer.strip():
        try:
            wf.answer_as_reporter(session, case=case, body=answer, settings=GovernanceSettings())
            done = "Your answer was sent to the reviewer."
        except GOV_ERRORS as exc:
            raise _err(exc) from None
    return _follow_page(request, service, {
        "case": case, "key": key, "done": done,
        "messages": wf.messages(session, case, internal=False)})


# --- cases ----------------------------------------------------------------------------------


@router.get("/cases")
def cases_list(request: Request, principal: Everyone, session: SessionDep,
               status: str = "", kind: str = "") -> Response:
    try:
        rows = wf.visible_cases(session, username=principal.username, role=principal.role,
                                status=status or None, kind=kind or None)
    except GOV_ERRORS as exc:
        raise _err(exc) from None
    audit.append(session, actor=principal.username, action="cases.view",
                 detail={"status": status, "shown": len(rows)})
    return render(request, "gov_cases.html", {"cases": rows, "status": status, "kind": kind,
                                              "statuses": wf.STATUSES, "overdue": wf.overdue})


def _case(session: SessionDep, principal: Principal, case_id: int) -> Case:
    try:
        return wf.get_case(session, case_id, username=principal.username, role=principal.role)
    except GOV_ERRORS as exc:
        raise _err(exc) from None


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: int, principal: Everyone, session: SessionDep,
              service: ServiceDep, done: str = "") -> Response:
    case = _case(session, principal, case_id)
    wf.view(session, case=case, actor=principal.username)
    handler = wf.can_handle(case, username=principal.username, role=principal.role)
    return render(request, "gov_case.html", {
        "case": case, "handler": handler, "report": wf.report_of(session, case),
        "complaint": cw.complaint_of(session, case), "files": wf.files_of(session, case),
        "messages": wf.messages(session, case, internal=handler), "done": done,
        "findings": cw.FINDINGS, "related": cw.related_policy(service.pack),
        "overdue": wf.overdue(case),
    })


@router.get("/cases/{case_id}/files/{file_id}")
def case_file(case_id: int, file_id: int, principal: Everyone, session: SessionDep) -> Response:
    case = _case(session, principal, case_id)
    f = session.get(CaseFile, file_id)
    if f is None or f.case_id != case.id:
        raise HTTPException(404, "no such file")
    audit.append(session, actor=principal.username, action="case.file",
                 target=f"case:{case.id}", detail={"file": f.id})
    return Response(f.data, media_type=f.content_type, headers={
        "Content-Disposition": f'inline; filename="{f.filename}"'})


@router.post("/cases/{case_id}/act")
def case_act(
    case_id: int, principal: Everyone, session: SessionDep,
    action: Annotated[str, Form(max_length=20)], body: Long = "", owner: Short = "",
    status: Short = "", due_date: Short = "", finding: Short = "", outcome: Long = "",
    exclude: Short = "",
) -> Response:
    from datetime import date

    case = _case(session, principal, case_id)
    if not wf.can_handle(case, username=principal.username, role=principal.role):
        raise HTTPException(403, "only the case's handlers may do this")
    kw = {"case": case, "actor": principal.username, "role": principal.role}
    try:
        if action == "note":
            wf.add_note(session, body=body, **kw)  # type: ignore[arg-type]
        elif action == "question":
            wf.ask_reporter(session, body=body, settings=GovernanceSettings(),
                            **kw)  # type: ignore[arg-type]
        elif action == "update":
            wf.update_case(session, owner=owner, status=status or None, exclude=exclude,
                           due_date=date.fromisoformat(due_date) if due_date else None,
                           **kw)  # type: ignore[arg-type]
        elif action == "investigation":
            cw.record_investigation(session, finding=finding, summary=body,
                                    **kw)  # type: ignore[arg-type]
        elif action == "close":
            wf.close_case(session, outcome=outcome, **kw)  # type: ignore[arg-type]
        else:
            raise HTTPException(400, f"unknown action {action!r}")
    except ValueError as exc:
        if isinstance(exc, GOV_ERRORS):
            raise _err(exc) from None
        raise HTTPException(400, "due date must be YYYY-MM-DD") from None
    return RedirectResponse(f"/cases/{case.id}?done={action}", status_code=303)


# --- attestation ----------------------------------------------------------------------------


@router.get("/attest")
def attest_page(request: Request, principal: Everyone, session: SessionDep,
                done: str = "") -> Response:
    person = by_username(session, principal.username)
    ctx: dict[str, Any] = {"person": person, "done": done}
    if person is not None:
        try:
            book = att.StatusBook.open(session)
        except GOV_ERRORS as exc:
            raise _err(exc) from None
        st = book.status(person)
        ctx.update(status=st, current=book.current, quiz=att.quiz_for(
            book.current.content, username=person.username, version=book.current.version,
            count=GovernanceSettings().quiz_questions) if st.state in ("due", "never") else [])
    return render(request, "gov_attest.html", ctx)


@router.post("/attest")
async def attest_submit(request: Request, principal: Everyone, session: SessionDep) -> Response:
    person = by_username(session, principal.username)
    if person is None:
        raise HTTPException(404, "you are not in the people register")
    form = await request.form()
    answers = {k[2:]: str(v) for k, v in form.items() if k.startswith("q:")}
    try:
        att.attest(session, person=person, answers=answers, settings=GovernanceSettings())
    except GOV_ERRORS as exc:
        raise _err(exc) from None
    return RedirectResponse("/attest?done=1", status_code=303)


@router.get("/attest/team")
def team_page(request: Request, principal: TeamViewer, session: SessionDep,
              manager: str = "", done: str = "") -> Response:
    who = principal.username if principal.role == "manager" else (manager or None)
    try:
        rows = att.team_status(session, manager=who)
        current = att.current_version(session)
    except GOV_ERRORS as exc:
        raise _err(exc) from None
    audit.append(session, actor=principal.username, action="attestation.view",
                 target=f"team:{who or '*'}")
    return render(request, "gov_team.html", {"rows": rows, "current": current, "manager": who,
                                             "done": done})


@router.post("/attest/team/remind")
def team_remind(principal: TeamViewer, session: SessionDep, manager: Short = "") -> Response:
    who = principal.username if principal.role == "manager" else (manager or None)
    sent = att.remind(session, actor=principal.username, manager=who,
                      settings=GovernanceSettings())
    return RedirectResponse(f"/attest/team?done={len(sent)}", status_code=303)


# --- office post approvals ------------------------------------------------------------------


@router.get("/approvals")
def approvals_page(request: Request, principal: Everyone, session: SessionDep,
                   done: str = "") -> Response:
    from commsguard.store import crud

    register_ = crud.load_authorisations(session)
    rows = posts.visible_posts(session, username=principal.username, role=principal.role)
    return render(request, "gov_approvals.html", {
        "posts": rows, "can_submit": posts.needs_approval(register_, principal.username),
        "approver": principal.role in posts.APPROVER_ROLES, "done": done,
        "expiring": posts.expiring_soon(session) if principal.role != "staff" else [],
    })


@router.post("/approvals")
def approvals_submit(principal: Everyone, session: SessionDep, account: Short, text: Long,
                     channel: Short = "") -> Response:
    try:
        post = posts.submit_post(session, author=principal.username, account=account,
                                 text=text, channel=channel, settings=GovernanceSettings())
    except GOV_ERRORS as exc:
        raise _err(exc) from None
    return RedirectResponse(f"/approvals/{post.id}?done=submitted", status_code=303)


@router.get("/approvals/{post_id}")
def approval_page(request: Request, post_id: int, principal: Everyone, session: SessionDep,
                  service: ServiceDep, done: str = "") -> Response:
    try:
        post = posts.get_post(session, post_id, username=principal.username, role=principal.role)
    except posts.ApprovalDenied:
        raise HTTPException(404, "no such post") from None
    audit.append(session, actor=principal.username, action="post.view", target=f"post:{post.id}")
    from commsguard.models import Message

    result = service.engine.check(Message(id=f"post-{post.id}", text=post.text,
                                           author=post.author, capacity="official",
                                           channel=post.channel))
    return render(request, "gov_approval.html", {
        "post": post, "findings": result.findings, "decision": result.decision, "done": done,
        "can_decide": principal.role in posts.APPROVER_ROLES and principal.username != post.author
        and post.status == "pending",
        "can_revise": principal.username == post.author and post.status == "changes-requested",
    })


@router.post("/approvals/{post_id}/decide")
def approval_decide(post_id: int, principal: Everyone, session: SessionDep,
                    decision: Short, comment: Long = "", text: Long = "") -> Response:
    try:
        post = posts.get_post(session, post_id, username=principal.username, role=principal.role)
        if decision == "revise":
            posts.revise(session, post=post, actor=principal.username, text=text)
        else:
            posts.decide(session, post=post, actor=principal.username, role=principal.role,
                         decision=decision, comment=comment, settings=GovernanceSettings())
    except GOV_ERRORS as exc:
        raise _err(exc) from None
    return RedirectResponse(f"/approvals/{post.id}?done={decision}", status_code=303)
