"""Policy versions, their clause-by-clause diff, and attestation (own, team, reminders)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from commsguard.store.tables import Person
from commsguard.web.api.models import Timestamp
from commsguard.web.api.routes._gov import GOV_ERRORS, TEAM_VIEWERS, http_error
from commsguard.web.deps import Everyone, SessionDep, require_roles
from commsguard.workflows import attestation as att
from commsguard.workflows import audit
from commsguard.workflows.notify import GovernanceSettings
from commsguard.workflows.people import by_username

router = APIRouter(tags=["attestation"])
TeamViewer = require_roles(*TEAM_VIEWERS)


class VersionPublic(BaseModel):
    name: str
    version: str
    effective: date
    active: bool


class QuestionPublic(BaseModel):
    id: str
    text: str
    capacity: str
    clause: str


class StatusPublic(BaseModel):
    username: str
    name: str
    state: str
    attested_version: str = ""
    attested_at: Timestamp | None = None
    quiz_score: int | None = None
    quiz_total: int | None = None
    since: str = ""
    changed_clauses: list[str] = []


class MyStatus(StatusPublic):
    current_version: str
    diff: dict[str, Any] | None = None
    quiz: list[QuestionPublic] = []


class AttestIn(BaseModel):
    #: Question id -> "breach" or "ok".
    answers: dict[str, str] = Field(default_factory=dict, max_length=50)


class TeamPublic(BaseModel):
    data: list[StatusPublic]
    count: int


def status_public(s: att.Status) -> StatusPublic:
    return StatusPublic(username=s.person.username, name=s.person.name, state=s.state,
                        attested_version=s.version, attested_at=s.attested_at,
                        quiz_score=s.quiz_score, quiz_total=s.quiz_total, since=s.since,
                        changed_clauses=[c.id for c in s.changes])


def _me(session: SessionDep, principal: Everyone) -> Person:
    person = by_username(session, principal.username)
    if person is None:
        raise HTTPException(404, "you are not in the people register; ask an administrator")
    return person


@router.get("/policy/versions", response_model=list[VersionPublic], summary="Policy versions")
def versions(principal: Everyone, session: SessionDep) -> list[VersionPublic]:
    return [VersionPublic(name=v.name, version=v.version, effective=v.effective, active=v.active)
            for v in att.versions(session)]


@router.get("/policy/diff", summary="Clause-by-clause diff between two stored versions")
def diff(principal: Everyone, session: SessionDep, old: str, new: str | None = None
         ) -> dict[str, Any]:
    try:
        current = att.current_version(session)
        a = att.find_version(session, current.name, old)
        b = current if new is None else att.find_version(session, current.name, new)
    except GOV_ERRORS as exc:
        raise http_error(exc) from None
    if a is None or b is None:
        raise HTTPException(404, "no such policy version")
    return att.diff_versions(a, b).to_dict()


@router.get("/attestation/me", response_model=MyStatus, summary="Your attestation status")
def me(principal: Everyone, session: SessionDep) -> MyStatus:
    person = _me(session, principal)
    try:
        book = att.StatusBook.open(session)
    except GOV_ERRORS as exc:
        raise http_error(exc) from None
    s = book.status(person)
    out = MyStatus(**status_public(s).model_dump(), current_version=book.current.version)
    if s.state == "due" and s.since:
        d = book.diff_from(s.since)
        if d is not None:
            out.diff = att.PackDiff(d.old_version, d.new_version, s.changes).to_dict()
    if s.state in ("due", "never"):
        out.quiz = [QuestionPublic(id=q.id, text=q.text, capacity=q.capacity, clause=q.clause)
                    for q in att.quiz_for(book.current.content, username=person.username,
                                          version=book.current.version,
                                          count=GovernanceSettings().quiz_questions)]
    return out


@router.post("/attestation", response_model=StatusPublic, status_code=201,
             summary="Attest to the current version (answering the quiz)")
def attest(body: AttestIn, principal: Everyone, session: SessionDep) -> StatusPublic:
    person = _me(session, principal)
    try:
        att.attest(session, person=person, answers=body.answers, settings=GovernanceSettings())
        return status_public(att.StatusBook.open(session).status(person))
    except GOV_ERRORS as exc:
        raise http_error(exc) from None


def _team_of(principal: Everyone, manager: str | None) -> str | None:
    if principal.role == "manager":
        if manager and manager != principal.username:
            raise HTTPException(403, "a manager sees their own team only")
        return principal.username
    return manager or None


@router.get("/attestation/team", response_model=TeamPublic,
            summary="Attestation of a manager's team (managers: their own)")
def team(principal: Everyone, session: SessionDep, manager: str | None = None) -> TeamPublic:
    TeamViewer(principal)
    who = _team_of(principal, manager)
    try:
        rows = [status_public(s) for s in att.team_status(session, manager=who)]
    except GOV_ERRORS as exc:
        raise http_error(exc) from None
    audit.append(session, actor=principal.username, action="attestation.view",
                 target=f"team:{who or '*'}")
    return TeamPublic(data=rows, count=len(rows))


class Reminded(BaseModel):
    reminded: list[str]


@router.post("/attestation/remind", response_model=Reminded,
             summary="E-mail a reminder to the team members who must attest")
def remind(principal: Everyone, session: SessionDep, manager: str | None = None) -> Reminded:
    TeamViewer(principal)
    who = _team_of(principal, manager)
    try:
        return Reminded(reminded=att.remind(session, actor=principal.username, manager=who,
                                            settings=GovernanceSettings()))
    except GOV_ERRORS as exc:
        raise http_error(exc) from None
