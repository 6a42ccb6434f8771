"""Web use from proxy logs: report rows and the sessions behind each finding.

Reviewers see everyone's; a manager sees only their reports'; every view is audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel

from commsguard.web.deps import Principal, RowId, SessionDep, require_roles
from commsguard.webuse import oversight
from commsguard.webuse.config import load_config
from commsguard.webuse.sessions import daily_rows, report_records
from commsguard.workflows import audit
from commsguard.workflows import social_media_lookup as lookup

router = APIRouter(tags=["web use"])
#: Who sees web use: reviewers (everyone's) and managers (their reports').
VIEWERS: tuple[str, ...] = ("manager", "reviewer")
Viewer = Annotated[Principal, Depends(require_roles(*VIEWERS))]


class WebUseRow(BaseModel):
    """The ``webuse report --format json`` row."""

    person: str
    date: str
    site: str
    category: str | None
    sessions: int
    minutes: float


class WebUseRowsPublic(BaseModel):
    data: list[WebUseRow]
    count: int


class SessionPublic(BaseModel):
    site: str
    category: str | None
    start: datetime
    end: datetime
    minutes: float
    hits: int
    in_hours: bool


class WebUseFindingPublic(BaseModel):
    id: int
    person: str
    period: str
    date: str
    status: str
    message: str
    evidence: str


class WebUseFindingsPublic(BaseModel):
    data: list[WebUseFindingPublic]
    count: int


class FindingSessionsPublic(BaseModel):
    finding: WebUseFindingPublic
    sessions: list[SessionPublic]


def finding_public(f: oversight.StoredFinding) -> WebUseFindingPublic:
    return WebUseFindingPublic(
        id=f.row.id, person=f.person, period=f.period, date=f.date.isoformat(),
        status=f.row.status, message=f.row.message, evidence=f.row.evidence,
    )


@router.get("/webuse/report", response_model=WebUseRowsPublic,
            summary="Minutes and sessions per person, day and site (reviewers; managers: "
            "their reports)")
def report(
    principal: Viewer,
    session: SessionDep,
    person: Annotated[str | None, Query(max_length=300)] = None,
    week: Annotated[str | None, Query(max_length=10, pattern=r"^\d{4}-W\d{2}$")] = None,
    all_sites: Annotated[bool, Query(alias="all")] = False,
) -> WebUseRowsPublic:
    people = oversight.visible_people(session, username=principal.username, role=principal.role)
    if person is not None:
        people = {person} if people is None or person in people else set()
    annotated = oversight.annotated_for(
        session, people=people, config=load_config(), taxonomy=lookup.taxonomy(session)
    )
    rows = [] if annotated.is_empty() else report_records(
        daily_rows(annotated, week=week, all_sites=all_sites))
    audit.append(session, actor=principal.username, action="webuse.report.view",
                 target=f"webuse:{person or 'visible'}",
                 detail={"week": week, "all": all_sites, "rows": len(rows)})
    return WebUseRowsPublic(data=[WebUseRow.model_validate(r) for r in rows], count=len(rows))


@router.get("/webuse/findings", response_model=WebUseFindingsPublic,
            summary="Web use findings in the review queue (reviewers; managers: their reports)")
def findings(principal: Viewer, session: SessionDep) -> WebUseFindingsPublic:
    people = oversight.visible_people(session, username=principal.username, role=principal.role)
    found = oversight.stored_findings(session, people=people)
    audit.append(session, actor=principal.username, action="webuse.findings.view",
                 target="webuse:findings", detail={"findings": [f.row.id for f in found]})
    return WebUseFindingsPublic(data=[finding_public(f) for f in found], count=len(found))


@router.get("/webuse/findings/{finding_id}/sessions", response_model=FindingSessionsPublic,
            summary="The sessions behind a web use finding")
def finding_sessions(
    finding_id: RowId, principal: Viewer, session: SessionDep
) -> FindingSessionsPublic:
    people = oversight.visible_people(session, username=principal.username, role=principal.role)
    found = oversight.stored_finding(session, finding_id=finding_id, people=people)
    if found is None:
        raise HTTPException(404, "no such web use finding")
    sessions = oversight.sessions_behind(
        session, found, config=load_config(), taxonomy=lookup.taxonomy(session))
    audit.append(session, actor=principal.username, action="webuse.finding.view",
                 target=f"finding:{finding_id}", detail={"person": found.person})
    return FindingSessionsPublic(
        finding=finding_public(found),
        sessions=[SessionPublic(site=s.site, category=s.category, start=s.start, end=s.end,
                                minutes=round(s.minutes, 1), hits=s.hits, in_hours=s.in_hours)
                  for s in sessions],
    )
