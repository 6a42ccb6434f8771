"""Office posts awaiting a communications approver, and authorisations expiring soon."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from commsguard.store.tables import PostApproval
from commsguard.web.api.models import Timestamp
from commsguard.web.api.routes._gov import GOV_ERRORS, http_error
from commsguard.web.deps import Everyone, EveryoneCheck, Principal, RowId, SessionDep, require_roles
from commsguard.workflows import authorisations as wf
from commsguard.workflows.notify import GovernanceSettings

router = APIRouter(tags=["approvals"])
Approver = Annotated[Principal, Depends(require_roles("communications", scope="review"))]
Oversight = Annotated[Principal, Depends(
    require_roles("manager", "reviewer", "communications", "it", "admin"))]


class PostCreate(BaseModel):
    account: str = Field(min_length=1, max_length=200)
    channel: str = Field(default="", max_length=50)
    text: str = Field(min_length=1, max_length=10000)


class PostRevise(BaseModel):
    text: str = Field(min_length=1, max_length=10000)


class DecisionIn(BaseModel):
    decision: Literal["approve", "request-changes", "reject"]
    comment: str = Field(default="", max_length=4000)


class PostPublic(BaseModel):
    id: int
    author: str
    account: str
    channel: str
    text: str
    status: str
    revision: int
    approver: str | None
    comment: str
    created_at: Timestamp
    decided_at: Timestamp | None


class PostsPublic(BaseModel):
    data: list[PostPublic]
    count: int


class AuthorisationPublic(BaseModel):
    person: str
    authority: str
    expires: date | None
    accounts: str
    scope: str
    days_left: int | None
    state: str


def public(p: PostApproval) -> PostPublic:
    return PostPublic(id=p.id, author=p.author, account=p.account, channel=p.channel,
                      text=p.text, status=p.status, revision=p.revision, approver=p.approver,
                      comment=p.comment, created_at=p.created_at, decided_at=p.decided_at)


@router.get("/approvals", response_model=PostsPublic,
            summary="Office posts (approvers: all; others: their own)")
def list_posts(principal: Everyone, session: SessionDep, status: str | None = None
               ) -> PostsPublic:
    rows = wf.visible_posts(session, username=principal.username, role=principal.role,
                            status=status or None)
    return PostsPublic(data=[public(p) for p in rows], count=len(rows))


@router.post("/approvals", response_model=PostPublic, status_code=201,
             summary="Submit a draft for an office account for approval")
def submit(body: PostCreate, principal: EveryoneCheck, session: SessionDep) -> PostPublic:
    try:
        return public(wf.submit_post(session, author=principal.username, account=body.account,
                                     text=body.text, channel=body.channel,
                                     settings=GovernanceSettings()))
    except GOV_ERRORS as exc:
        raise http_error(exc) from None


@router.get("/approvals/{post_id}", response_model=PostPublic)
def get_post(post_id: RowId, principal: Everyone, session: SessionDep) -> PostPublic:
    try:
        return public(wf.get_post(session, post_id, username=principal.username,
                                  role=principal.role))
    except wf.ApprovalDenied:
        from fastapi import HTTPException

        raise HTTPException(404, "no such post") from None


@router.post("/approvals/{post_id}/decision", response_model=PostPublic,
             summary="Approve, request changes or reject (communications; not your own)")
def decide(post_id: RowId, body: DecisionIn, principal: Approver, session: SessionDep
           ) -> PostPublic:
    try:
        post = wf.get_post(session, post_id, username=principal.username, role=principal.role)
        return public(wf.decide(session, post=post, actor=principal.username,
                                role=principal.role, decision=body.decision,
                                comment=body.comment, settings=GovernanceSettings()))
    except GOV_ERRORS as exc:
        raise http_error(exc) from None


@router.post("/approvals/{post_id}/revision", response_model=PostPublic,
             summary="Revise your post after changes were requested")
def revise(post_id: RowId, body: PostRevise, principal: EveryoneCheck, session: SessionDep
           ) -> PostPublic:
    try:
        post = wf.get_post(session, post_id, username=principal.username, role=principal.role)
        return public(wf.revise(session, post=post, actor=principal.username, text=body.text))
    except GOV_ERRORS as exc:
        raise http_error(exc) from None


@router.get("/authorisations", response_model=list[AuthorisationPublic],
            summary="Who may speak for the office or use social media for business")
def authorisations(principal: Oversight, session: SessionDep, expiring_only: bool = False
                   ) -> list[AuthorisationPublic]:
    rows = wf.standings(session, soon_days=GovernanceSettings().expiring_days)
    if expiring_only:
        rows = [r for r in rows if r.state == "expiring soon"]
    return [AuthorisationPublic(person=s.row.person, authority=s.row.authority,
                                expires=s.row.expires, accounts=s.row.accounts,
                                scope=s.row.scope, days_left=s.days_left, state=s.state)
            for s in rows]
