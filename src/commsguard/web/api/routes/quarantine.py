"""Items scans could not read, kept with file, position and reason (reviewers, admins).

The raw bytes are never put in a page or a JSON answer: they are offered as a download
(``application/octet-stream``), and every download is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commsguard.store.tables import QuarantineRow
from commsguard.web.api.models import Timestamp
from commsguard.web.deps import Auditor, RowId, SessionDep
from commsguard.workflows import audit

router = APIRouter(tags=["quarantine"])
PAGE_SIZE = 50


class QuarantinedPublic(BaseModel):
    id: int
    scan_id: int | None
    reader: str
    file: str
    position: str
    reason: str
    raw_bytes: int
    created_at: Timestamp


class QuarantinePublic(BaseModel):
    data: list[QuarantinedPublic]
    count: int


@dataclass(frozen=True)
class Page:
    rows: list[QuarantineRow]
    count: int


def query(session: Session, *, scan: int | None = None, reader: str = "", offset: int = 0,
          limit: int = PAGE_SIZE) -> Page:
    """One page of quarantined items, newest first, with the total that match."""
    where = []
    if scan is not None:
        where.append(QuarantineRow.scan_id == scan)
    if reader:
        where.append(QuarantineRow.reader == reader)
    count = session.scalar(select(func.count()).select_from(QuarantineRow).where(*where)) or 0
    rows = session.scalars(select(QuarantineRow).where(*where).order_by(QuarantineRow.id.desc())
                           .offset(offset).limit(limit))
    return Page(list(rows), count)


def readers(session: Session) -> list[str]:
    return [r for (r,) in session.execute(
        select(QuarantineRow.reader).distinct().order_by(QuarantineRow.reader)) if r]


def public(r: QuarantineRow) -> QuarantinedPublic:
    return QuarantinedPublic(id=r.id, scan_id=r.scan_id, reader=r.reader, file=r.source_path,
                             position=r.position, reason=r.reason,
                             raw_bytes=len(r.raw or b""), created_at=r.created_at)


def raw_download(session: Session, *, item_id: int, actor: str) -> Response:
    """The raw excerpt as a download (never rendered), audited."""
    row = session.get(QuarantineRow, item_id)
    if row is None:
        raise HTTPException(404, "no such quarantined item")
    audit.append(session, actor=actor, action="quarantine.raw", target=f"quarantine:{row.id}",
                 detail={"file": row.source_path, "bytes": len(row.raw or b"")})
    return Response(row.raw or b"", media_type="application/octet-stream", headers={
        "Content-Disposition": f'attachment; filename="quarantine-{row.id}.bin"'})


@router.get("/quarantine", response_model=QuarantinePublic,
            summary="Items scans could not read (file, position, reason), newest first")
def list_quarantine(
    principal: Auditor, session: SessionDep,
    scan: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    reader: Annotated[str, Query(max_length=50)] = "",
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = PAGE_SIZE,
) -> QuarantinePublic:
    page = query(session, scan=scan, reader=reader, offset=offset, limit=limit)
    audit.append(session, actor=principal.username, action="quarantine.view",
                 detail={"scan": scan, "reader": reader, "offset": offset,
                         "shown": len(page.rows)})
    return QuarantinePublic(data=[public(r) for r in page.rows], count=page.count)


@router.get("/quarantine/{item_id}/raw", response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}}},
            summary="Download the raw excerpt of a quarantined item (audited)")
def quarantine_raw(item_id: RowId, principal: Auditor, session: SessionDep) -> Response:
    return raw_download(session, item_id=item_id, actor=principal.username)
