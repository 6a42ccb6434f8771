"""Reports of inappropriate content, harassment complaints and the cases tracking them.

Everyone may report or complain (optionally anonymously); the reviewers handle cases; people
named in a case never see it; an anonymous reporter follows their case with the report key.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from commsguard.store.tables import Case
from commsguard.web.api.models import Timestamp
from commsguard.web.api.routes._gov import GOV_ERRORS, HANDLERS, http_error
from commsguard.web.deps import Everyone, EveryoneCheck, RowId, ServiceDep, SessionDep
from commsguard.web.deps import require_roles as _roles
from commsguard.web.throttle import enforce
from commsguard.workflows import cases as wf
from commsguard.workflows import complaints as cw
from commsguard.workflows.notify import GovernanceSettings

router = APIRouter(tags=["cases"])
Handler = _roles(*HANDLERS, scope="review")


class ReportCreate(BaseModel):
    urls: list[str] = Field(default_factory=list, max_length=50)
    platform: str = Field(default="", max_length=100)
    description: str = Field(min_length=1, max_length=10000)
    anonymous: bool = False
    #: Usernames of people named in the content: they will never see the case.
    named: list[str] = Field(default_factory=list, max_length=50)


class ComplaintCreate(BaseModel):
    conduct: Literal[cw.CONDUCT]  # type: ignore[valid-type]
    description: str = Field(min_length=1, max_length=10000)
    respondents: list[str] = Field(default_factory=list, max_length=50)
    platform: str = Field(default="", max_length=100)
    urls: list[str] = Field(default_factory=list, max_length=50)
    anonymous: bool = False


class CaseOpened(BaseModel):
    id: int
    status: str
    due_date: date | None
    #: Shown once, for an anonymous reporter to follow the case; keep it.
    report_key: str | None = None


class MessagePublic(BaseModel):
    kind: str
    author: str
    body: str
    created_at: Timestamp


class CasePublic(BaseModel):
    id: int
    kind: str
    title: str
    status: str
    owner: str | None
    due_date: date | None
    outcome: str
    anonymous: bool
    reporter: str | None
    created_at: Timestamp
    overdue: bool


class CasesPublic(BaseModel):
    data: list[CasePublic]
    count: int


class CaseDetail(CasePublic):
    urls: list[str] = []
    platform: str = ""
    description: str = ""
    conduct: str | None = None
    related_policy: str | None = None
    finding: str | None = None
    investigation: str | None = None
    files: list[str] = []
    messages: list[MessagePublic] = []


class CaseUpdate(BaseModel):
    owner: str | None = Field(default=None, max_length=200)
    status: Literal["open", "investigating", "awaiting-reporter"] | None = None
    due_date: date | None = None
    #: More people named in the case, to exclude from it.
    exclude: list[str] = Field(default_factory=list, max_length=50)


class MessageCreate(BaseModel):
    kind: Literal["note", "question"]
    body: str = Field(min_length=1, max_length=10000)


class InvestigationIn(BaseModel):
    finding: Literal[cw.FINDINGS]  # type: ignore[valid-type]
    summary: str = Field(min_length=1, max_length=20000)
    investigator: str | None = Field(default=None, max_length=200)


class CloseIn(BaseModel):
    outcome: str = Field(min_length=1, max_length=10000)


class KeyIn(BaseModel):
    key: str = Field(min_length=8, max_length=100)


class AnswerIn(KeyIn):
    body: str = Field(min_length=1, max_length=10000)


class FollowPublic(BaseModel):
    id: int
    title: str
    status: str
    messages: list[MessagePublic]


def public(c: Case) -> CasePublic:
    return CasePublic(id=c.id, kind=c.kind, title=c.title, status=c.status, owner=c.owner,
                      due_date=c.due_date, outcome=c.outcome, anonymous=c.anonymous,
                      reporter=c.reporter, created_at=c.created_at, overdue=wf.overdue(c))


def detail(session: SessionDep, c: Case, *, internal: bool) -> CaseDetail:
    out = CaseDetail(**public(c).model_dump())
    if (r := wf.report_of(session, c)) is not None:
        out.urls, out.platform, out.description = r.urls.split(), r.platform, r.description
    if (k := cw.complaint_of(session, c)) is not None:
        out.urls, out.platform, out.description = k.urls.split(), k.platform, k.description
        out.conduct, out.related_policy = k.conduct, k.related_policy
        out.finding, out.investigation = k.finding or None, k.investigation or None
    out.files = [f"/cases/{c.id}/files/{f.id}" for f in wf.files_of(session, c)]
    out.messages = [MessagePublic(kind=m.kind, author=m.author, body=m.body,
                                  created_at=m.created_at)
                    for m in wf.messages(session, c, internal=internal)]
    return out


def _opened(opened: wf.Opened) -> CaseOpened:
    c = opened.case
    return CaseOpened(id=c.id, status=c.status, due_date=c.due_date, report_key=opened.key)


@router.post("/reports", response_model=CaseOpened, status_code=201,
             summary="Report inappropriate content (to the Deputy Ombudsman and COO)")
def create_report(body: ReportCreate, principal: EveryoneCheck, session: SessionDep) -> CaseOpened:
    try:
        opened = wf.report_content(
            session, reporter=principal.username, urls="\n".join(body.urls),
            platform=body.platform, description=body.description, anonymous=body.anonymous,
            named=body.named, settings=GovernanceSettings())
    except GOV_ERRORS as exc:
        raise http_error(exc) from None
    return _opened(opened)


class AnonymousReportCreate(BaseModel):
    urls: list[str] = Field(default_factory=list, max_length=50)
    platform: str = Field(default="", max_length=100)
    description: str = Field(min_length=1, max_length=10000)
    named: list[str] = Field(default_factory=list, max_length=50)


@router.post("/reports/anonymous", response_model=CaseOpened, status_code=201,
             summary="Report inappropriate content anonymously (no sign-in)")
def create_anonymous_report(
    body: AnonymousReportCreate, request: Request, service: ServiceDep, session: SessionDep
) -> CaseOpened:
    """Takes no credentials and reads none: the case and its audit entry (actor
    ``anonymous``) hold no user, session or address. Limited per address (429), in memory."""
    enforce(service.report_throttle, request, "anonymous reports")
    try:
        opened = wf.report_anonymously(
            session, urls="\n".join(body.urls), platform=body.platform,
            description=body.description, named=body.named, settings=GovernanceSettings())
    except GOV_ERRORS as exc:
        raise http_error(exc) from None
    return _opened(opened)


@router.post("/complaints", response_model=CaseOpened, status_code=201,
             summary="Lodge a discrimination or harassment complaint")
def create_complaint(
    body: ComplaintCreate, principal: EveryoneCheck, session: SessionDep, service: ServiceDep
) -> CaseOpened:
    try:
        opened = cw.lodge_complaint(
            session, pack=service.pack, complainant=principal.username, conduct=body.conduct,
            description=body.description, respondents=body.respondents, platform=body.platform,
            urls="\n".join(body.urls), anonymous=body.anonymous, settings=GovernanceSettings())
    except GOV_ERRORS as exc:
        raise http_error(exc) from None
    return _opened(opened)


@router.get("/cases", response_model=CasesPublic, summary="Cases you may see")
def list_cases(
    principal: Everyone, session: SessionDep, status: str | None = None,
    kind: Literal["report", "complaint"] | None = None,
) -> CasesPublic:
    try:
        rows = wf.visible_cases(session, username=principal.username, role=principal.role,
                                status=status or None, kind=kind)
    except GOV_ERRORS as exc:
        raise http_error(exc) from None
    return CasesPublic(data=[public(c) for c in rows], count=len(rows))


def _load(session: SessionDep, principal: Everyone, case_id: int) -> Case:
    try:
        return wf.get_case(session, case_id, username=principal.username, role=principal.role)
    except GOV_ERRORS as exc:
        raise http_error(exc) from None


@router.get("/cases/{case_id}", response_model=CaseDetail, summary="One case (audited)")
def get_case(case_id: RowId, principal: Everyone, session: SessionDep) -> CaseDetail:
    c = _load(session, principal, case_id)
    wf.view(session, case=c, actor=principal.username)
    internal = wf.can_handle(c, username=principal.username, role=principal.role)
    return detail(session, c, internal=internal)


def _handled(session: SessionDep, principal: Everyone, case_id: int) -> Case:
    c = _load(session, principal, case_id)
    if principal.scopes is not None and not principal.scopes & {"review", "admin"}:
        raise HTTPException(403, "this token lacks the scope 'review'")
    if not wf.can_handle(c, username=principal.username, role=principal.role):
        raise HTTPException(403, "only the case's handlers may do this")
    return c


@router.patch("/cases/{case_id}", response_model=CasePublic, summary="Assign, status, due date")
def update_case(
    case_id: RowId, body: CaseUpdate, principal: Everyone, session: SessionDep
) -> CasePublic:
    c = _handled(session, principal, case_id)
    try:
        wf.update_case(session, case=c, actor=principal.username, role=principal.role,
                       owner=body.owner, status=body.status, due_date=body.due_date,
                       exclude=" ".join(body.exclude))
    except GOV_ERRORS as exc:
        raise http_error(exc) from None
    return public(c)


@router.post("/cases/{case_id}/messages", response_model=MessagePublic, status_code=201,
             summary="An internal note, or a question to the reporter")
def add_message(
    case_id: RowId, body: MessageCreate, principal: Everyone, session: SessionDep
) -> MessagePublic:
    c = _handled(session, principal, case_id)
    try:
        if body.kind == "note":
            m = wf.add_note(session, case=c, actor=principal.username, role=principal.role,
                            body=body.body)
        else:
            m = wf.ask_reporter(session, case=c, actor=principal.username, role=principal.role,
                                body=body.body, settings=GovernanceSettings())
    except GOV_ERRORS as exc:
        raise http_error(exc) from None
    return MessagePublic(kind=m.kind, author=m.author, body=m.body, created_at=m.created_at)


@router.post("/cases/{case_id}/investigation", response_model=CaseDetail,
             summary="Record a complaint's investigation finding")
def investigation(
    case_id: RowId, body: InvestigationIn, principal: Everyone, session: SessionDep
) -> CaseDetail:
    c = _handled(session, principal, case_id)
    try:
        cw.record_investigation(session, case=c, actor=principal.username, role=principal.role,
                                finding=body.finding, summary=body.summary,
                                investigator=body.investigator)
    except GOV_ERRORS as exc:
        raise http_error(exc) from None
    return detail(session, c, internal=True)


@router.post("/cases/{case_id}/close", response_model=CasePublic,
             summary="Close with an outcome (a complaint needs its investigation first)")
def close(case_id: RowId, body: CloseIn, principal: Everyone, session: SessionDep) -> CasePublic:
    c = _handled(session, principal, case_id)
    try:
        wf.close_case(session, case=c, actor=principal.username, role=principal.role,
                      outcome=body.outcome)
    except GOV_ERRORS as exc:
        raise http_error(exc) from None
    return public(c)


@router.post("/reports/follow", response_model=FollowPublic,
             summary="Follow a report with its key (no sign-in)")
def follow(
    body: KeyIn, request: Request, service: ServiceDep, session: SessionDep
) -> FollowPublic:
    """The key is the credential: calls are limited per address (429 past the limit)."""
    enforce(service.follow_throttle, request, "report look-ups")
    return _followed(body.key, session)


def _followed(key: str, session: SessionDep) -> FollowPublic:
    try:
        c = wf.case_by_key(session, key)
    except GOV_ERRORS as exc:
        raise http_error(exc) from None
    return FollowPublic(id=c.id, title=c.title, status=c.status, messages=[
        MessagePublic(kind=m.kind, author=m.author, body=m.body, created_at=m.created_at)
        for m in wf.messages(session, c, internal=False)])


@router.post("/reports/answer", response_model=FollowPublic,
             summary="Answer the reviewer's question with the report key (no sign-in)")
def answer(
    body: AnswerIn, request: Request, service: ServiceDep, session: SessionDep
) -> FollowPublic:
    enforce(service.follow_throttle, request, "report look-ups")
    try:
        c = wf.case_by_key(session, body.key)
        wf.answer_as_reporter(session, case=c, body=body.body, settings=GovernanceSettings())
    except GOV_ERRORS as exc:
        raise http_error(exc) from None
    return _followed(body.key, session)
