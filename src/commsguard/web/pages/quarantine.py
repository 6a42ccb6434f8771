"""The "Quarantine" page: items scans could not read, for reviewers and administrators.

Raw bytes are never rendered: each item offers its raw excerpt as a download, audited.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from commsguard.web.api.routes import quarantine as q
from commsguard.web.deps import AUDITORS, Auditor, RowId, SessionDep
from commsguard.web.nav import NavItem, register
from commsguard.web.templating import render
from commsguard.workflows import audit

router = APIRouter()
register(NavItem("Quarantine", "/quarantine", roles=AUDITORS, order=45))


@router.get("/quarantine")
def quarantine_page(
    request: Request, principal: Auditor, session: SessionDep,
    scan: Annotated[str, Query(max_length=12)] = "",
    reader: Annotated[str, Query(max_length=50)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    scan_id = int(scan) if scan.strip().isdigit() and 0 < int(scan) < 2**31 else None
    found = q.query(session, scan=scan_id, reader=reader, offset=(page - 1) * q.PAGE_SIZE)
    audit.append(session, actor=principal.username, action="quarantine.view",
                 detail={"scan": scan_id, "reader": reader, "page": page,
                         "shown": len(found.rows)})
    pages = max(1, -(-found.count // q.PAGE_SIZE))
    return render(request, "quarantine.html", {
        "rows": found.rows, "count": found.count, "page": page, "pages": pages,
        "scan": scan_id or "", "reader": reader, "readers": q.readers(session),
    })


@router.get("/quarantine/{item_id}/raw")
def quarantine_raw(item_id: RowId, principal: Auditor, session: SessionDep) -> Response:
    return q.raw_download(session, item_id=item_id, actor=principal.username)
