"""People the policy binds (employees, students, contractors, consultants), CSV import, oaths."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, HTTPException
from pydantic import BaseModel, Field

from commsguard.store.tables import Person
from commsguard.web.api.routes._gov import GOV_ERRORS, http_error
from commsguard.web.deps import Admin, Principal, SessionDep, require_roles
from commsguard.workflows import audit
from commsguard.workflows import people as wf

router = APIRouter(tags=["people"])
Viewer = Annotated[Principal, Depends(require_roles("manager", "reviewer", "admin"))]


class OathPublic(BaseModel):
    kind: str
    taken_on: date
    witness: str


class PersonPublic(BaseModel):
    username: str
    name: str
    email: str
    kind: str
    role: str
    manager: str | None
    start_date: date
    end_date: date | None
    current: bool


class PeoplePublic(BaseModel):
    data: list[PersonPublic]
    count: int


class ImportResult(BaseModel):
    added: int
    updated: int
    errors: list[str]


class OathIn(BaseModel):
    kind: Literal["oath", "affirmation"]
    taken_on: date
    witness: str = Field(default="", max_length=200)


def public(p: Person) -> PersonPublic:
    return PersonPublic(username=p.username, name=p.name, email=p.email, kind=p.kind,
                        role=p.role, manager=p.manager, start_date=p.start_date,
                        end_date=p.end_date, current=wf.is_current(p))


@router.get("/people", response_model=PeoplePublic,
            summary="People (managers: their team; former staff included on request)")
def list_people(principal: Viewer, session: SessionDep, manager: str | None = None,
                former: bool = False) -> PeoplePublic:
    if principal.role == "manager":
        manager = principal.username
    rows = wf.list_people(session, manager=manager, include_former=former)
    audit.append(session, actor=principal.username, action="people.view",
                 target=f"team:{manager or '*'}")
    return PeoplePublic(data=[public(p) for p in rows], count=len(rows))


@router.post("/people/import", response_model=ImportResult,
             summary="Import people from CSV text (rows with problems are named by line)")
def import_people(
    principal: Admin, session: SessionDep,
    csv: Annotated[str, Body(media_type="text/csv", max_length=5_000_000)],
) -> ImportResult:
    try:
        report = wf.import_people(session, text=csv, actor=principal.username, source="upload")
    except GOV_ERRORS as exc:
        raise http_error(exc) from None
    return ImportResult(added=report.added, updated=report.updated,
                        errors=[f"line {e.line}: {e.reason}" for e in report.errors])


@router.post("/people/{username}/oath", response_model=OathPublic, status_code=201,
             summary="Record the oath or affirmation sworn on commencement")
def record_oath(username: str, body: OathIn, principal: Admin, session: SessionDep
                ) -> OathPublic:
    person = wf.by_username(session, username)
    if person is None:
        raise HTTPException(404, "no such person")
    try:
        row = wf.record_oath(session, person=person, kind=body.kind, taken_on=body.taken_on,
                             actor=principal.username, witness=body.witness)
    except GOV_ERRORS as exc:
        raise http_error(exc) from None
    return OathPublic(kind=row.kind, taken_on=row.taken_on, witness=row.witness)


@router.get("/people/{username}/oaths", response_model=list[OathPublic])
def oaths(username: str, principal: Viewer, session: SessionDep) -> list[OathPublic]:
    person = wf.by_username(session, username)
    if person is None or (principal.role == "manager" and person.manager != principal.username):
        raise HTTPException(404, "no such person")
    return [OathPublic(kind=o.kind, taken_on=o.taken_on, witness=o.witness)
            for o in wf.oaths_of(session, person)]
