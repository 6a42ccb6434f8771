"""The tamper-evident audit log: append-only, each entry's hash covering the one before.

``append`` adds an entry inside the caller's transaction, so an action and its audit entry are
committed together or not at all. Each entry's hash is
``sha256(prev_hash + canonical JSON of (seq, at, actor, action, target, detail))``; ``verify``
recomputes the chain and reports the first entry that was edited, and any gap or broken link
left by a deleted one.

Appends are serialised: PostgreSQL takes a transaction-scoped advisory lock; SQLite takes its
write lock before the chain's tail is read. ``seq`` is unique as a last line of defence.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from commsguard.store.tables import AuditEntry

GENESIS = "0" * 64
#: An arbitrary key for PostgreSQL's advisory lock that serialises appends.
_PG_LOCK_KEY = 0x636F6D6D73  # "comms"


def _canonical_time(at: datetime) -> str:
    if at.tzinfo is None:  # SQLite returns naive datetimes for timezone-aware columns
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(
    *,
    prev_hash: str,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    target: str,
    detail: dict[str, Any],
) -> str:
    payload = json.dumps(
        [seq, _canonical_time(at), actor, action, target, detail],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def _lock_tail(session: Session) -> None:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    elif dialect == "sqlite":
        # A write that changes nothing takes SQLite's write lock before the tail is read.
        session.execute(update(AuditEntry).where(AuditEntry.id < 0).values(seq=AuditEntry.seq))


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry (flushed, not committed: it commits with the caller's transaction).

    ``action`` is a dotted verb such as ``auth.sign_in``, ``finding.view``, ``finding.dismiss``
    or ``register.import``; ``target`` names what it concerns (``finding:12``, ``user:alice``).
    ``detail`` must be JSON-serialisable; keep personal data out of it where a reference will do.
    """
    _lock_tail(session)
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).first()
    seq = last.seq + 1 if last else 1
    prev = last.hash if last else GENESIS
    at = datetime.now(UTC)
    clean = json.loads(json.dumps(detail or {}, default=str))
    row = AuditEntry(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        target=target,
        detail=clean,
        prev_hash=prev,
        hash=entry_hash(
            prev_hash=prev, seq=seq, at=at, actor=actor, action=action, target=target,
            detail=clean,
        ),
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True, slots=True)
class Problem:
    seq: int
    reason: str


@dataclass(frozen=True)
class Verification:
    entries: int
    problems: list[Problem] = field(default_factory=list)
    head: str = GENESIS

    @property
    def ok(self) -> bool:
        return not self.problems


def _rows(session: Session, batch: int = 1000) -> Iterator[AuditEntry]:
    after = 0
    while True:
        rows = list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq)
                .limit(batch)
            )
        )
        if not rows:
            return
        yield from rows
        after = rows[-1].seq


def verify(session: Session, *, expected_head: str | None = None) -> Verification:
    """Recompute the chain. Reports edited entries, deleted ones (gaps, broken links) and,
    given the head hash recorded elsewhere, a truncated tail."""
    problems: list[Problem] = []
    prev = GENESIS
    expected_seq = 1
    count = 0
    for row in _rows(session):
        count += 1
        if row.seq != expected_seq:
            problems.append(
                Problem(row.seq, f"entries {expected_seq}–{row.seq - 1} are missing (deleted)")
            )
        if row.prev_hash != prev:
            problems.append(Problem(row.seq, "does not link to the entry before it"))
        recomputed = entry_hash(
            prev_hash=row.prev_hash, seq=row.seq, at=row.at, actor=row.actor, action=row.action,
            target=row.target, detail=row.detail,
        )
        if recomputed != row.hash:
            problems.append(Problem(row.seq, "was edited: its content does not match its hash"))
        prev = row.hash
        expected_seq = row.seq + 1
    if expected_head is not None and expected_head != prev:
        problems.append(Problem(expected_seq, "the chain's head is not the one recorded"))
    return Verification(entries=count, problems=problems, head=prev)


def recent(
    session: Session,
    *,
    limit: int = 100,
    before: int | None = None,
    action: str | None = None,
    actor: str | None = None,
) -> list[AuditEntry]:
    """The newest entries first, optionally filtered by action prefix and actor."""
    query = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
    if before is not None:
        query = query.where(AuditEntry.seq < before)
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    if actor:
        query = query.where(AuditEntry.actor == actor)
    return list(session.scalars(query))
