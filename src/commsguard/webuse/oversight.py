"""Who may see whose web use, and what the web app shows them.

Web use is personal data: reviewers see everyone's; a manager sees only the people who report
to them (``people.manager`` in the governance tables); nobody else sees any. The web layer
audits every view; these functions only read.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from commsguard.store.tables import FindingRow, MessageRow, Person
from commsguard.webuse.config import WebUseConfig
from commsguard.webuse.findings import DETECTOR, SessionEvidence
from commsguard.webuse.sessions import annotate, daily_rows
from commsguard.webuse.store import ORIGIN, load_sessions, parse_position
from commsguard.webuse.taxonomy import Taxonomy

#: Roles that see every person's web use.
ALL_PEOPLE_ROLES: tuple[str, ...] = ("reviewer",)
#: Roles that see their own reports' web use.
TEAM_ROLES: tuple[str, ...] = ("manager",)
NO_TEAM = "(no manager)"
_SECOND = timedelta(seconds=1)


def visible_people(session: Session, *, username: str, role: str) -> set[str] | None:
    """The people whose web use ``username`` may see: None for everyone, else a set."""
    if role in ALL_PEOPLE_ROLES:
        return None
    if role in TEAM_ROLES:
        rows = session.scalars(select(Person.username).where(Person.manager == username.lower()))
        return set(rows)
    return set()


def teams(session: Session, people: Collection[str]) -> dict[str, str]:
    """person -> their manager's username (:data:`NO_TEAM` when unknown)."""
    names = sorted(people)
    found = dict(
        session.execute(select(Person.username, Person.manager).where(Person.username.in_(names)))
        .tuples()
        .all()
    )
    return {p: found.get(p) or NO_TEAM for p in names}


def annotated_for(
    session: Session,
    *,
    people: set[str] | None,
    config: WebUseConfig,
    taxonomy: Taxonomy,
) -> pl.DataFrame:
    """Annotated sessions of ``people`` (everyone's when None)."""
    if people is not None and not people:
        return pl.DataFrame()
    sessions = load_sessions(session, people=people)
    if sessions.is_empty():
        return pl.DataFrame()
    return annotate(sessions, config=config, taxonomy=taxonomy)


def weeks(annotated: pl.DataFrame) -> list[str]:
    """ISO weeks with social media use, newest first."""
    if annotated.is_empty():
        return []
    social = annotated.filter(pl.col("kind") == "social-media")
    return sorted(set(social["week"].to_list()), reverse=True)


@dataclass(frozen=True, slots=True)
class Totals:
    """Minutes of social media per person and per team, in one week (or all weeks)."""

    by_person: list[tuple[str, float]]
    by_team: list[tuple[str, float]]


def totals(annotated: pl.DataFrame, team_of: dict[str, str], week: str | None) -> Totals:
    if annotated.is_empty():
        return Totals([], [])
    rows = daily_rows(annotated, week=week)
    per = rows.group_by("person").agg(pl.col("minutes").sum()).sort("minutes", descending=True)
    by_person = [(str(p), round(float(m), 1)) for p, m in per.iter_rows()]
    team_minutes: dict[str, float] = {}
    for person, minutes in by_person:
        team = team_of.get(person, NO_TEAM)
        team_minutes[team] = team_minutes.get(team, 0.0) + minutes
    by_team = sorted(((t, round(m, 1)) for t, m in team_minutes.items()), key=lambda x: -x[1])
    return Totals(by_person, by_team)


@dataclass(frozen=True, slots=True)
class StoredFinding:
    """A web use finding in the review queue, with the day or week it covers."""

    row: FindingRow
    message: MessageRow
    person: str
    period: str
    date: date


def stored_findings(session: Session, *, people: set[str] | None) -> list[StoredFinding]:
    """Web use findings of ``people`` (everyone's when None), newest first."""
    if people is not None and not people:
        return []
    query = (
        select(FindingRow, MessageRow)
        .join(MessageRow, FindingRow.message_id == MessageRow.id)
        .where(MessageRow.origin == ORIGIN, FindingRow.detector == DETECTOR)
        .order_by(MessageRow.time.desc(), FindingRow.id.desc())
    )
    if people is not None:
        query = query.where(MessageRow.author.in_(sorted(people)))
    out = []
    for row, message in session.execute(query).tuples():
        period, day = parse_position(message.source_position)
        out.append(StoredFinding(row, message, message.author, period, day))
    return out


def stored_finding(
    session: Session, *, finding_id: int, people: set[str] | None
) -> StoredFinding | None:
    """One web use finding, or None when it is not one or not visible."""
    row = session.get(FindingRow, finding_id)
    if row is None or row.detector != DETECTOR:
        return None
    message = session.get(MessageRow, row.message_id)
    if message is None or message.origin != ORIGIN:
        return None
    if people is not None and message.author not in people:
        return None
    period, day = parse_position(message.source_position)
    return StoredFinding(row, message, message.author, period, day)


def sessions_behind(
    session: Session, found: StoredFinding, *, config: WebUseConfig, taxonomy: Taxonomy
) -> list[SessionEvidence]:
    """The counted sessions of the finding's person in its day or week, as stored now."""
    annotated = annotated_for(session, people={found.person}, config=config, taxonomy=taxonomy)
    if annotated.is_empty():
        return []
    frame = annotated.filter(pl.col("counts"))
    if found.period == "week":
        iso = found.date.isocalendar()
        frame = frame.filter(pl.col("week") == f"{iso.year}-W{iso.week:02d}")
    else:
        frame = frame.filter(pl.col("date") == found.date)
    return [
        SessionEvidence(
            site=r["site"],
            category=r["category"],
            start=r["local"],
            end=r["local"] + (r["end"] - r["start"]) * _SECOND,
            minutes=r["minutes"],
            hits=r["hits"],
            in_hours=r["in_hours"],
        )
        for r in frame.sort("start").iter_rows(named=True)
    ]
