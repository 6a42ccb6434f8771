"""Stored policy versions for those who manage them, and loading the installation's pack.

Managers and administrators see every stored version (with when it was loaded); an
administrator loads the installation's current pack as a new version, which asks the people
whose obligations changed to re-attest (:mod:`commsguard.workflows.pack_load`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel
from sqlalchemy.orm import Session

from commsguard.errors import CommsguardError
from commsguard.store.tables import PackVersion
from commsguard.web.api.models import Timestamp
from commsguard.web.api.routes._gov import GOV_ERRORS, http_error
from commsguard.web.deps import Admin, Principal, ServiceDep, SessionDep, require_roles
from commsguard.web.service import Service
from commsguard.workflows import attestation as att
from commsguard.workflows import audit
from commsguard.workflows.installation import current_pack
from commsguard.workflows.notify import GovernanceSettings
from commsguard.workflows.pack_load import Loaded, load_pack_version

router = APIRouter(tags=["attestation"])
#: Who sees the stored versions and their diffs as a list to manage.
VERSION_MANAGERS: tuple[str, ...] = ("manager", "admin")
VersionManager = Annotated[Principal, Depends(require_roles(*VERSION_MANAGERS))]


class PackVersionPublic(BaseModel):
    id: int
    name: str
    version: str
    effective: date
    loaded_at: Timestamp
    active: bool
    digest: str
    #: The version before this one (by effective date), to diff against.
    previous: str | None = None


class PackVersionsPublic(BaseModel):
    data: list[PackVersionPublic]
    count: int


class PackLoaded(BaseModel):
    version: PackVersionPublic
    previous: str | None
    new: bool
    must_attest: list[str]
    reminded: list[str]


def with_previous(rows: list[PackVersion]) -> list[tuple[PackVersion, PackVersion | None]]:
    """Each version with the one before it of the same pack (``rows`` newest first)."""
    out: list[tuple[PackVersion, PackVersion | None]] = []
    for i, row in enumerate(rows):
        prev = next((r for r in rows[i + 1:] if r.name == row.name), None)
        out.append((row, prev))
    return out


def public(row: PackVersion, prev: PackVersion | None = None) -> PackVersionPublic:
    return PackVersionPublic(id=row.id, name=row.name, version=row.version,
                             effective=row.effective, loaded_at=row.loaded_at,
                             active=row.active, digest=row.digest,
                             previous=prev.version if prev is not None else None)


@router.get("/policy/packs", response_model=PackVersionsPublic,
            summary="Stored policy versions with when they were loaded (managers, admins)")
def stored_versions(principal: VersionManager, session: SessionDep) -> PackVersionsPublic:
    rows = with_previous(att.versions(session))
    audit.append(session, actor=principal.username, action="policy.versions.view",
                 detail={"shown": len(rows)})
    return PackVersionsPublic(data=[public(r, p) for r, p in rows], count=len(rows))


def load_installation_pack(session: Session, service: Service, *, actor: str) -> Loaded:
    """Store the installation's pack (as on disk now) and serve it from now on."""
    try:
        pack = current_pack(service.settings)
        loaded = load_pack_version(session, pack=pack, actor=actor,
                                   settings=GovernanceSettings())
    except CommsguardError as exc:
        raise HTTPException(422, str(exc)) from None
    except GOV_ERRORS as exc:
        raise http_error(exc) from None
    if pack.digest != service.pack.digest:
        session.commit()  # the engine rebuilt below reads the stored registers afresh
        service.pack = pack
        service.reload()
    return loaded


@router.post("/policy/packs/load", response_model=PackLoaded, status_code=201,
             summary="Load the installation's current pack as a new version (admins); "
                     "those whose obligations changed are asked to re-attest")
def load_current(principal: Admin, session: SessionDep, service: ServiceDep) -> PackLoaded:
    loaded = load_installation_pack(session, service, actor=principal.username)
    return PackLoaded(version=public(loaded.version), previous=loaded.previous, new=loaded.new,
                      must_attest=list(loaded.must_attest), reminded=list(loaded.reminded))
