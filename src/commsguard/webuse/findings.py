"""Over "occasional and brief": ``work-resources`` findings for the review queue.

A person's counted social media time (personal use, in working hours unless the pack says
otherwise, business-use authorisations set apart) is measured per day against minutes, number
of sessions and the longest session, and per ISO week against minutes. Each day or week over a
threshold is one :class:`WebUseFinding` carrying the sessions as evidence and a
:class:`~commsguard.models.Finding` of severity ``review``: a reviewer decides, nothing is
sanctioned automatically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

import polars as pl

from commsguard.models import Explanation, Finding
from commsguard.webuse.config import WebUseConfig, load_config
from commsguard.webuse.sessions import annotate
from commsguard.webuse.taxonomy import BusinessUse, Taxonomy, default_taxonomy

DETECTOR = "webuse"
Period = Literal["day", "week"]


@dataclass(frozen=True, slots=True)
class SessionEvidence:
    """One session behind a finding."""

    site: str
    category: str | None
    start: datetime
    end: datetime
    minutes: float
    hits: int
    in_hours: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "site": self.site,
            "category": self.category,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "minutes": round(self.minutes, 1),
            "hits": self.hits,
            "in_hours": self.in_hours,
        }


@dataclass(frozen=True, slots=True)
class WebUseFinding:
    """A day (or ISO week, dated its Monday) over the thresholds, with its evidence."""

    person: str
    date: date
    period: Period
    site: str
    sites: tuple[str, ...]
    minutes: float
    session_count: int
    longest_minutes: float
    exceeded: tuple[str, ...]
    sessions: tuple[SessionEvidence, ...]
    finding: Finding

    def to_dict(self) -> dict[str, object]:
        return {
            "person": self.person,
            "date": self.date.isoformat(),
            "period": self.period,
            "site": self.site,
            "sites": list(self.sites),
            "minutes": round(self.minutes, 1),
            "sessions": self.session_count,
            "longest_minutes": round(self.longest_minutes, 1),
            "exceeded": list(self.exceeded),
            "evidence": [s.to_dict() for s in self.sessions],
            "finding": self.finding.to_dict(explain=True),
        }


def webuse_findings(
    sessions: pl.DataFrame,
    *,
    config: WebUseConfig | None = None,
    taxonomy: Taxonomy | None = None,
    business_use: Sequence[BusinessUse] = (),
) -> list[WebUseFinding]:
    """Findings for every person-day and person-week over the pack's thresholds.

    ``sessions`` is what :class:`~commsguard.webuse.sessions.Sessioniser` (or
    :func:`~commsguard.webuse.store.load_sessions`) gives; ``business_use`` adds authorisations
    from the register to the pack's own.
    """
    config = config or load_config()
    taxonomy = taxonomy or default_taxonomy()
    if sessions.is_empty():
        return []
    counted = annotate(
        sessions, config=config, taxonomy=taxonomy, business_use=business_use
    ).filter(pl.col("counts"))
    out: list[WebUseFinding] = []
    th = config.thresholds
    for (person, day), group in sorted(counted.group_by("person", "date"), key=_key):
        minutes = float(group["minutes"].sum())
        longest = float(group["minutes"].max())  # type: ignore[arg-type]
        exceeded = []
        if minutes > th.minutes_per_day:
            exceeded.append(f"{minutes:.0f} minutes in the day (limit {th.minutes_per_day:g})")
        if group.height > th.sessions_per_day:
            exceeded.append(f"{group.height} sessions in the day (limit {th.sessions_per_day})")
        if longest > th.longest_session_minutes:
            exceeded.append(
                f"a {longest:.0f}-minute session (limit {th.longest_session_minutes:g})"
            )
        if exceeded:
            out.append(_finding(str(person), day, "day", group, exceeded, config))
    if th.minutes_per_week is not None:
        for (person, _week), group in sorted(counted.group_by("person", "week"), key=_key):
            minutes = float(group["minutes"].sum())
            if minutes > th.minutes_per_week:
                monday = min(group["date"].to_list())
                monday = date.fromordinal(monday.toordinal() - monday.weekday())
                text = f"{minutes:.0f} minutes in the week (limit {th.minutes_per_week:g})"
                out.append(_finding(str(person), monday, "week", group, [text], config))
    return out


def _key(item: tuple[tuple[object, ...], pl.DataFrame]) -> tuple[str, ...]:
    return tuple(str(k) for k in item[0])


def _finding(
    person: str,
    day: date,
    period: Period,
    group: pl.DataFrame,
    exceeded: list[str],
    config: WebUseConfig,
) -> WebUseFinding:
    group = group.sort("start")
    per_site = (
        group.group_by("site")
        .agg(pl.col("minutes").sum(), pl.len().alias("n"))
        .sort(["minutes", "site"], descending=[True, False])
    )
    sites = tuple(per_site["site"].to_list())
    minutes = float(group["minutes"].sum())
    longest = float(group["minutes"].max())  # type: ignore[arg-type]
    breakdown = ", ".join(
        f"{s} {m:.0f} min ({n})" for s, m, n in per_site.select("site", "minutes", "n").iter_rows()
    )
    when = f"in the week of {day.isoformat()}" if period == "week" else f"on {day.isoformat()}"
    evidence = (
        f"{person} {when}: {minutes:.0f} min of personal social media over {group.height} "
        f"sessions (longest {longest:.0f} min): {breakdown}"
    )
    sessions = tuple(
        SessionEvidence(
            site=r["site"],
            category=r["category"],
            start=r["local"],
            end=r["local"] + timedelta(seconds=r["end"] - r["start"]),
            minutes=r["minutes"],
            hits=r["hits"],
            in_hours=r["in_hours"],
        )
        for r in group.iter_rows(named=True)
    )
    th, rules = config.thresholds, config.sessions
    finding = Finding(
        clause=config.clause,
        rule=config.rule,
        detector=DETECTOR,
        severity="review",
        confidence=1.0,
        start=0,
        end=0,
        evidence=evidence,
        message="Personal social media use over 'occasional and brief': " + "; ".join(exceeded),
        suggestion=(
            "A reviewer should look at the sessions with the person's manager: time may be "
            "authorised business use or a proxy artefact. This is not a sanction."
        ),
        explanation=Explanation(
            detector=DETECTOR,
            pattern=(
                f"minutes_per_day > {th.minutes_per_day:g}; sessions_per_day > "
                f"{th.sessions_per_day}; longest_session_minutes > "
                f"{th.longest_session_minutes:g}; minutes_per_week > {th.minutes_per_week}"
            ),
            validation=f"{len(sessions)} sessions",
            notes=(
                *exceeded,
                f"idle gap {rules.idle_gap_minutes:g} min; last page {rules.page_view_seconds:g} s",
                "working hours only"
                if not config.working_hours.count_outside_hours
                else "all hours",
            ),
        ),
    )
    return WebUseFinding(
        person=person,
        date=day,
        period=period,
        site=sites[0],
        sites=sites,
        minutes=minutes,
        session_count=group.height,
        longest_minutes=longest,
        exceeded=tuple(exceeded),
        sessions=sessions,
        finding=finding,
    )
