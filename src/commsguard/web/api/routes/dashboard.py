"""Figures for the dashboard: findings by clause and month, backlog by age, FP rate by rule."""

from __future__ import annotations

from fastapi import APIRouter

from commsguard.web.api.models import (
    AgeBucket,
    ClauseSeries,
    DashboardPublic,
    MonthCount,
    RuleRate,
)
from commsguard.web.deps import Oversight, SessionDep
from commsguard.workflows import review

router = APIRouter(tags=["dashboard"])


@router.get("/dashboard", response_model=DashboardPublic, summary="Dashboard figures")
def dashboard(principal: Oversight, session: SessionDep) -> DashboardPublic:
    d = review.dashboard(session)
    return DashboardPublic(
        findings_by_clause_month=[
            ClauseSeries(clause=c, months=[MonthCount(month=k, count=n) for k, n in months.items()])
            for c, months in d.by_clause_month.items()
        ],
        backlog_by_age=[AgeBucket(age=a, count=n) for a, n in d.backlog_by_age],
        false_positive_rate=[
            RuleRate(rule=r, dismissed=x, decided=n, false_positive_rate=round(rate, 4))
            for r, x, n, rate in d.false_positive_rate
        ],
        totals=d.totals,
    )
