"""Web use: minutes of social media per person and per team, and the sessions behind each
finding. Reviewers see everyone's; a manager only their reports'; every view is audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup

from commsguard.web.api.routes.webuse import VIEWERS, Viewer
from commsguard.web.charts import bar_chart
from commsguard.web.deps import SessionDep
from commsguard.web.nav import NavItem, register
from commsguard.web.templating import render
from commsguard.webuse import oversight
from commsguard.webuse.config import load_config
from commsguard.webuse.sessions import daily_rows, report_records
from commsguard.workflows import audit
from commsguard.workflows import social_media_lookup as lookup

router = APIRouter()
register(NavItem("Web use", "/webuse", roles=VIEWERS, order=45))


@router.get("/webuse")
def webuse(
    request: Request,
    principal: Viewer,
    session: SessionDep,
    week: Annotated[str | None, Query(max_length=10, pattern=r"^\d{4}-W\d{2}$")] = None,
) -> Response:
    config = load_config()
    taxonomy = lookup.taxonomy(session)
    people = oversight.visible_people(session, username=principal.username, role=principal.role)
    annotated = oversight.annotated_for(session, people=people, config=config, taxonomy=taxonomy)
    weeks = oversight.weeks(annotated)
    week = week or (weeks[0] if weeks else None)
    seen = set(annotated["person"].to_list()) if not annotated.is_empty() else set()
    team_of = oversight.teams(session, seen)
    totals = oversight.totals(annotated, team_of, week)
    rows = [] if annotated.is_empty() else report_records(daily_rows(annotated, week=week))
    found = oversight.stored_findings(session, people=people)
    evidence = {
        f.row.id: oversight.sessions_behind(session, f, config=config, taxonomy=taxonomy)
        for f in found
    }
    per_person = bar_chart(totals.by_person, title=f"Social media minutes per person, {week}",
                           value_format="{:g} min")
    per_team = bar_chart([(f"team of {t}" if t != oversight.NO_TEAM else t, m)
                          for t, m in totals.by_team],
                         title=f"Social media minutes per team, {week}",
                         value_format="{:g} min", colour="#117a65")
    audit.append(session, actor=principal.username, action="webuse.view",
                 target=f"webuse:{week or 'none'}",
                 detail={"people": len(seen), "findings": [f.row.id for f in found]})
    return render(request, "webuse.html", {
        "week": week, "weeks": weeks, "rows": rows, "findings": found, "evidence": evidence,
        "per_person": Markup(per_person), "per_team": Markup(per_team),
        "everyone": people is None, "config": config,
    })
