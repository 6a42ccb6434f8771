"""The "Policy versions" page: stored versions for managers and administrators, the
clause-by-clause diff between consecutive versions, and (administrators) loading the
installation's current pack as a new version, which asks those affected to re-attest."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from commsguard.store.tables import PackVersion
from commsguard.web.api.routes import policy_admin as api
from commsguard.web.deps import Admin, RowId, ServiceDep, SessionDep
from commsguard.web.nav import NavItem, register
from commsguard.web.templating import render
from commsguard.workflows import attestation as att
from commsguard.workflows import audit

router = APIRouter()
register(NavItem("Policy versions", "/policy/versions", roles=api.VERSION_MANAGERS, order=72))


@router.get("/policy/versions")
def versions_page(
    request: Request, principal: api.VersionManager, session: SessionDep, service: ServiceDep,
    loaded: Annotated[str, Query(max_length=50)] = "",
    due: Annotated[int, Query(ge=0, le=10**7)] = 0,
) -> Response:
    rows = api.with_previous(att.versions(session))
    audit.append(session, actor=principal.username, action="policy.versions.view",
                 detail={"shown": len(rows)})
    return render(request, "policy_versions.html", {
        "rows": rows, "loaded": loaded, "due": due, "can_load": principal.role == "admin",
        "pack": service.pack,
    })


@router.get("/policy/versions/{version_id}/diff")
def diff_page(request: Request, version_id: RowId, principal: api.VersionManager,
              session: SessionDep) -> Response:
    new = session.get(PackVersion, version_id)
    if new is None:
        raise HTTPException(404, "no such policy version")
    prev = dict((r.id, p) for r, p in api.with_previous(att.versions(session))).get(new.id)
    if prev is None:
        raise HTTPException(404, "this is the first stored version: nothing to compare")
    diff = att.diff_versions(prev, new)
    audit.append(session, actor=principal.username, action="policy.diff.view",
                 target=f"pack:{new.name}@{new.version}", detail={"old": prev.version})
    return render(request, "policy_diff.html", {"old": prev, "new": new, "diff": diff})


@router.post("/policy/versions/load")
def load(principal: Admin, session: SessionDep, service: ServiceDep) -> Response:
    done = api.load_installation_pack(session, service, actor=principal.username)
    return RedirectResponse(
        f"/policy/versions?loaded={done.version.version}&due={len(done.must_attest)}",
        status_code=303)
