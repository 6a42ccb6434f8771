"""The registers through the service (admin): each change audited, the engine rebuilt.

Confidential values are hashed on arrival and never stored or logged in plain text; the audit
entry records only counts.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from commsguard.registers import Authorisation
from commsguard.secret import load_secret
from commsguard.store import crud
from commsguard.web.deps import Admin, ServiceDep, SessionDep
from commsguard.workflows import audit

router = APIRouter(tags=["registers"])


class RegisterValue(BaseModel):
    kind: Literal["complainant", "case_ref", "investigation", "staff", "other"]
    value: str = Field(min_length=1, max_length=500)


class RegisterImport(BaseModel):
    rows: list[RegisterValue] = Field(min_length=1, max_length=10_000)


class AuthorisationIn(BaseModel):
    person: str = Field(min_length=1, max_length=200)
    authority: Literal["spokesperson", "business-use"]
    expires: date | None = None
    accounts: str = Field(default="", max_length=2000)
    scope: str = Field(default="", max_length=2000)


class AuthorisationsImport(BaseModel):
    rows: list[AuthorisationIn] = Field(min_length=1, max_length=10_000)


class ImportResult(BaseModel):
    added: int
    unchanged: int


@router.post("/registers/confidential", response_model=ImportResult,
             summary="Add values to the confidential register (stored as keyed hashes only)")
def import_confidential(
    body: RegisterImport, principal: Admin, service: ServiceDep, session: SessionDep
) -> ImportResult:
    secret = load_secret(service.settings.secret_file, create=False)
    try:
        count = crud.import_register(session, secret=secret,
                                     rows=[(r.kind, r.value) for r in body.rows],
                                     actor=principal.username)
    except ValueError as exc:  # e.g. a value with no letters or digits
        raise HTTPException(422, str(exc)) from None
    audit.append(session, actor=principal.username, action="register.import",
                 target="register:confidential",
                 detail={"added": count.added, "unchanged": count.unchanged})
    session.commit()
    service.reload()
    return ImportResult(added=count.added, unchanged=count.unchanged)


@router.post("/registers/authorisations", response_model=ImportResult,
             summary="Add or update who may speak for the office or use social media for work")
def import_authorisations(
    body: AuthorisationsImport, principal: Admin, service: ServiceDep, session: SessionDep
) -> ImportResult:
    count = crud.import_authorisations(session, rows=[
        Authorisation(r.person, r.authority, r.expires, r.accounts, r.scope) for r in body.rows
    ])
    audit.append(session, actor=principal.username, action="register.authorisations",
                 target="register:authorisations",
                 detail={"added": count.added, "updated": count.unchanged,
                         "people": sorted({r.person for r in body.rows})[:50]})
    session.commit()
    service.reload()
    return ImportResult(added=count.added, unchanged=count.unchanged)
