"""Ingested logs, sessions and over-threshold findings in the database (migration 0004).

- ``webuse_ingests``: one row per log file, keyed by the SHA-256 of its content, so a file is
  read once (``known_digests``) and its malformed lines can be reported later.
- ``webuse_sessions``: one row per (person, site, start). New sessions are merged with the
  stored ones of the same people exactly as if all logs had been read together; only rows that
  change are deleted or inserted, so storing the same sessions twice changes nothing.
- Findings go to the review queue as a message-like row (origin ``webuse``, author the person,
  channel ``web-proxy``, the text a readable list of the sessions) with its ``FindingRow``,
  keyed by person, period and date: a rerun adds nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from commsguard.store.crud import finding_row
from commsguard.store.tables import FindingRow, MessageRow, WebUseIngest, WebUseSession
from commsguard.webuse.findings import WebUseFinding
from commsguard.webuse.pipeline import IngestResult
from commsguard.webuse.sessions import SESSION_SCHEMA, concat_sessions, empty_sessions

#: ``MessageRow`` values that mark a web use finding's evidence.
ORIGIN = "webuse"
CHANNEL = "web-proxy"
_CHUNK = 500


def file_digest(path: Path) -> str:
    """SHA-256 of the whole file: the key that makes a re-ingest add nothing."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def known_digests(session: Session) -> set[str]:
    return set(session.scalars(select(WebUseIngest.digest)))


def load_ingests(session: Session) -> list[WebUseIngest]:
    return list(session.scalars(select(WebUseIngest).order_by(WebUseIngest.id)))


def load_sessions(session: Session, *, people: Collection[str] | None = None) -> pl.DataFrame:
    """Stored sessions (all, or only ``people``'s) in the :data:`SESSION_SCHEMA` shape."""
    cols = [getattr(WebUseSession, c) for c in SESSION_SCHEMA]
    if people is None:
        rows = list(session.execute(select(*cols)).tuples())
    else:
        names = sorted(people)
        rows = []
        for i in range(0, len(names), _CHUNK):
            query = select(*cols).where(WebUseSession.person.in_(names[i : i + _CHUNK]))
            rows.extend(session.execute(query).tuples())
    if not rows:
        return empty_sessions()
    return pl.DataFrame(rows, schema=SESSION_SCHEMA, orient="row").sort("person", "site", "start")


def _with_ids(session: Session, people: Collection[str]) -> pl.DataFrame:
    cols = [WebUseSession.id, *(getattr(WebUseSession, c) for c in SESSION_SCHEMA)]
    names = sorted(people)
    rows: list[tuple[object, ...]] = []
    for i in range(0, len(names), _CHUNK):
        query = select(*cols).where(WebUseSession.person.in_(names[i : i + _CHUNK]))
        rows.extend(session.execute(query).tuples())
    return pl.DataFrame(rows, schema={"id": pl.Int64(), **SESSION_SCHEMA}, orient="row")


@dataclass(frozen=True, slots=True)
class SaveReport:
    """What storing an ingest changed."""

    files: int
    inserted: int
    deleted: int
    people: tuple[str, ...]


def save_sessions(session: Session, sessions: pl.DataFrame, idle_gap_seconds: float) -> SaveReport:
    """Merge ``sessions`` into the stored ones of the same people; write only what changed."""
    sessions = sessions.select(list(SESSION_SCHEMA)).cast(SESSION_SCHEMA)  # type: ignore[arg-type]
    people = sorted(set(sessions["person"].to_list())) if not sessions.is_empty() else []
    if not people:
        return SaveReport(0, 0, 0, ())
    old = _with_ids(session, people)
    merged = concat_sessions([old.drop("id"), sessions], idle_gap_seconds)
    key = list(SESSION_SCHEMA)
    gone = old.join(merged, on=key, how="anti")["id"].to_list()
    new = merged.join(old.drop("id"), on=key, how="anti")
    for i in range(0, len(gone), _CHUNK):
        session.execute(delete(WebUseSession).where(WebUseSession.id.in_(gone[i : i + _CHUNK])))
    if not new.is_empty():
        session.execute(insert(WebUseSession), new.to_dicts())
    session.flush()
    return SaveReport(0, new.height, len(gone), tuple(people))


def save_ingest(
    session: Session,
    *,
    result: IngestResult,
    digests: Mapping[str, str],
    idle_gap_seconds: float,
    actor: str = "",
) -> SaveReport:
    """Record each file of ``result`` (by digest) and merge its sessions into the store."""
    files = 0
    for stats in result.files:
        digest = digests.get(stats.path, "")
        row = session.scalars(select(WebUseIngest).where(WebUseIngest.digest == digest)).first()
        if row is None:
            row = WebUseIngest(digest=digest, path=stats.path, format=stats.format)
            session.add(row)
            files += 1
        path = Path(stats.path)
        row.path, row.format = stats.path, stats.format
        row.size = path.stat().st_size if path.exists() else 0
        row.lines, row.parsed, row.malformed = stats.lines, stats.parsed, stats.malformed
        row.samples = [s.to_dict() for s in stats.samples]
        row.ingested_by = actor
    report = save_sessions(session, result.sessions, idle_gap_seconds)
    return SaveReport(files, report.inserted, report.deleted, report.people)


# --- findings in the review queue ----------------------------------------------------------


def evidence_text(f: WebUseFinding) -> str:
    """The readable summary a reviewer sees: the finding's line, then one line per session."""
    lines = [f.finding.evidence, "", "Over: " + "; ".join(f.exceeded), "", "Sessions:"]
    for s in f.sessions:
        hours = "in working hours" if s.in_hours else "outside working hours"
        lines.append(
            f"- {s.start:%a %Y-%m-%d %H:%M}-{s.end:%H:%M} {s.site} ({s.category or 'unknown'}): "
            f"{s.minutes:.1f} min, {s.hits} requests, {hours}"
        )
    return "\n".join(lines)


def finding_key(person: str, period: str, day: date) -> tuple[str, str, str]:
    """(content_hash, source_path, source_position) of a finding's message row."""
    path, position = f"webuse:{person}", f"{period}:{day.isoformat()}"
    digest = hashlib.sha256(f"{ORIGIN}\x1f{path}\x1f{position}".encode()).hexdigest()
    return digest, path, position


def parse_position(position: str) -> tuple[str, date]:
    """``day:2024-03-05`` -> ("day", date(2024, 3, 5))."""
    period, _, day = position.partition(":")
    return period, date.fromisoformat(day)


def save_findings(
    session: Session, *, findings: Sequence[WebUseFinding], pack_version: str = ""
) -> list[FindingRow]:
    """Store each finding in the review queue exactly once; return the rows added now.

    A finding already stored keeps its row; while it is still open, its evidence is brought up
    to date when later logs add sessions to the same day or week.
    """
    added: list[FindingRow] = []
    for f in findings:
        digest, path, position = finding_key(f.person, f.period, f.date)
        text = evidence_text(f)
        row = session.scalars(
            select(MessageRow).where(
                MessageRow.content_hash == digest,
                MessageRow.source_path == path,
                MessageRow.source_position == position,
            )
        ).first()
        if row is not None:
            if row.text != text:
                stored = session.scalars(
                    select(FindingRow).where(FindingRow.message_id == row.id)
                ).all()
                if all(s.status == "open" for s in stored):
                    row.text = text
                    for s in stored:
                        s.evidence, s.message = f.finding.evidence, f.finding.message
            continue
        first = f.sessions[0].start if f.sessions else None
        row = MessageRow(
            content_hash=digest,
            source_path=path,
            source_position=position,
            origin=ORIGIN,
            external_id=f"{f.person}/{f.period}/{f.date.isoformat()}",
            reader=ORIGIN,
            author=f.person,
            channel=CHANNEL,
            capacity="private",
            time=first.astimezone(UTC) if first is not None else None,
            text=text,
            decision="review",
            pack_version=pack_version,
            submitted_by=ORIGIN,
            checked_at=datetime.now(UTC),
        )
        session.add(row)
        session.flush()
        fr = finding_row(message_id=row.id, finding=f.finding, pack_version=pack_version)
        session.add(fr)
        added.append(fr)
    session.flush()
    return added
