"""The dashboard: findings by clause and month, backlog by age, false-positive rate by rule."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from commsguard.web.charts import bar_chart, stacked_columns
from commsguard.web.deps import OVERSIGHT, Oversight, SessionDep
from commsguard.web.nav import NavItem, register
from commsguard.web.templating import render
from commsguard.workflows import review

router = APIRouter()
register(NavItem("Dashboard", "/dashboard", roles=OVERSIGHT, order=40))


@router.get("/dashboard")
def dashboard(request: Request, principal: Oversight, session: SessionDep) -> Response:
    d = review.dashboard(session)
    by_month = stacked_columns(d.months, d.by_clause_month, title="Findings by clause and month")
    backlog = bar_chart(d.backlog_by_age, title="Open findings by age", colour="#d68910")
    fp = bar_chart(
        [(rule, rate * 100) for rule, _, _, rate in d.false_positive_rate[:15]],
        title="False-positive rate by rule (dismissed ÷ decided)", value_format="{:.0f}%",
        max_value=100, colour="#c0392b",
    )
    return render(request, "dashboard.html", {
        "d": d, "by_month": Markup(by_month), "backlog": Markup(backlog), "fp": Markup(fp),
        "open": d.totals.get("open", 0), "total": sum(d.totals.values()),
    })
