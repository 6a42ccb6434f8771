"""Stored messages over time: re-checked when the pack changes, their bodies purged when old.

Rescan re-checks stored messages with the current pack: new findings are added, findings no
longer raised are retired (never deleted), and reviewer decisions and notes are left alone.

Retention purges stored message bodies after a number of days; findings and evidence stay.
A message's age is taken from its own time (when it was sent), or from when it was stored if
it has none. Quarantined items keep only a sample of raw bytes; those are purged on the same
clock, by when they were recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine as DbEngine
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from commsguard.engine import Engine
from commsguard.models import Capacity, Message, Result, Source
from commsguard.store.crud import finding_row
from commsguard.store.db import session_scope
from commsguard.store.tables import FindingRow, MessageRow, QuarantineRow, ReviewAction
from commsguard.workflows.scan import BATCH


@dataclass(frozen=True, slots=True)
class RetentionReport:
    cutoff: datetime
    messages_purged: int
    quarantine_purged: int


def apply_retention(*, db: DbEngine, days: int, now: datetime | None = None) -> RetentionReport:
    """Purge message bodies (and quarantined raw samples) older than ``days``. Idempotent."""
    if days < 1:
        raise ValueError(f"retention days must be at least 1, not {days}")
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=days)
    with session_scope(db) as session:
        messages = session.execute(
            update(MessageRow)
            .where(
                MessageRow.text.is_not(None),
                func.coalesce(MessageRow.time, MessageRow.checked_at) < cutoff,
            )
            .values(text=None, purged_at=now)
        )
        quarantine = session.execute(
            update(QuarantineRow)
            .where(QuarantineRow.raw.is_not(None), QuarantineRow.created_at < cutoff)
            .values(raw=None)
        )
    return RetentionReport(cutoff, _rowcount(messages), _rowcount(quarantine))


def _rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


# --- rescan: the same messages, a new pack -------------------------------------------------

#: A reviewer action that sets a finding's status, to restore it if a retired finding returns.
_ACTION_STATUS = {"dismiss": "dismissed", "escalate": "escalated", "breach": "breach",
                  "reopen": "open"}


@dataclass
class RescanSummary:
    messages: int = 0
    added: int = 0
    retired: int = 0
    restored: int = 0
    unchanged: int = 0

    def to_dict(self) -> dict[str, int]:
        return {
            "messages": self.messages,
            "added": self.added,
            "retired": self.retired,
            "restored": self.restored,
            "unchanged": self.unchanged,
        }


def stored_message(row: MessageRow) -> Message:
    """A stored message as the engine's model again (attachments are not stored)."""
    capacity: Capacity = "official" if row.capacity == "official" else "private"
    return Message(
        id=row.external_id or str(row.id),
        text=row.text or "",
        author=row.author,
        capacity=capacity,
        channel=row.channel,
        profile=row.profile,
        time=row.time,
        thread=row.thread,
        source=Source(row.source_path, row.source_position),
    )


def rescan(
    *,
    since: datetime | None = None,
    engine: Engine,
    db: DbEngine,
    batch_size: int = BATCH,
    progress: Callable[[int], object] | None = None,
) -> RescanSummary:
    """Re-check stored messages (bodies not purged) with ``engine``'s pack.

    New findings are added; findings no longer raised are marked ``retired`` (never deleted, so
    every reviewer decision and note stays); a retired finding raised again gets back the status
    its last reviewer decision gave it. One transaction per batch.
    """
    pack_version = engine.pack.version
    summary = RescanSummary()
    last_id = 0
    while True:
        with session_scope(db) as session:
            query = select(MessageRow).where(MessageRow.id > last_id,
                                             MessageRow.text.is_not(None))
            if since is not None:
                query = query.where(MessageRow.time >= since)
            rows = list(session.scalars(query.order_by(MessageRow.id).limit(batch_size)))
            if not rows:
                break
            last_id = rows[-1].id
            results = engine.check_many([stored_message(r) for r in rows])
            _reconcile(session, rows, results, pack_version, summary)
        if progress is not None:
            progress(summary.messages)
    return summary


def _reconcile(
    session: Session,
    rows: list[MessageRow],
    results: list[Result],
    pack_version: str,
    summary: RescanSummary,
) -> None:
    now = datetime.now(UTC)
    ids = [r.id for r in rows]
    existing: dict[int, dict[tuple[str, int, int], FindingRow]] = {i: {} for i in ids}
    for f in session.scalars(select(FindingRow).where(FindingRow.message_id.in_(ids))):
        existing[f.message_id][(f.rule, f.start, f.end)] = f
    for row, result in zip(rows, results, strict=True):
        summary.messages += 1
        row.decision, row.pack_version = result.decision, pack_version
        have = existing[row.id]
        raised: set[tuple[str, int, int]] = set()
        for finding in result.findings:
            key = (finding.rule, finding.start, finding.end)
            raised.add(key)
            old = have.get(key)
            if old is None:
                session.add(
                    finding_row(message_id=row.id, finding=finding, pack_version=pack_version)
                )
                summary.added += 1
            elif old.status == "retired":
                old.status = _status_from_actions(session, old.id)
                old.retired_at = None
                old.pack_version = pack_version
                summary.restored += 1
            else:
                old.pack_version = pack_version
                summary.unchanged += 1
        for key, old in have.items():
            if key not in raised and old.status != "retired":
                old.status = "retired"
                old.retired_at = now
                summary.retired += 1
    session.flush()


def _status_from_actions(session: Session, finding_id: int) -> str:
    actions = session.scalars(
        select(ReviewAction.action)
        .where(ReviewAction.finding_id == finding_id)
        .order_by(ReviewAction.id.desc())
    )
    for action in actions:
        if action in _ACTION_STATUS:
            return _ACTION_STATUS[action]
    return "open"
