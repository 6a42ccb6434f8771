"""Storing what a scan checked, exactly once: compact rows and the writer that stores them.

A checked message travels as a :data:`Row` — its key, its column values and its findings'
column values, as plain tuples — rather than as ``Message`` and ``Result`` objects. The plain
scan builds rows in the scanning process; on Dask, workers build them, so the client receives
(and unpickles) only what the store needs, and spends its time on inserts alone.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Engine as DbEngine
from sqlalchemy import Table, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from commsguard.ingest import Quarantined
from commsguard.models import Message, Result, Source
from commsguard.store.crud import finding_values
from commsguard.store.db import session_scope
from commsguard.store.tables import FindingRow, MessageRow, QuarantineRow

Key = tuple[str, str, str]  # content hash, source path, source position

#: A message's own columns, in the order of a row's values (the key's columns come apart).
MESSAGE_COLUMNS = (
    "external_id", "reader", "author", "channel", "capacity", "profile", "thread", "time",
    "text", "decision",
)  # fmt: skip
#: A finding's columns, in the order of a row's finding values (``message_id`` and the pack's
#: version are the writer's to add).
FINDING_COLUMNS = (
    "clause", "rule", "detector", "severity", "confidence", "start", "end", "evidence",
    "message", "suggestion", "entity", "explanation",
)  # fmt: skip

#: ``(key, message values, findings' values)``: one checked message, ready to store.
Row = tuple[Key, tuple[Any, ...], tuple[tuple[Any, ...], ...]]


def message_key(message: Message) -> Key:
    """The store's key for a message (the position cut to the column's width, as stored)."""
    src = message.source or Source("")
    return (message.content_hash, src.path, src.position[:200])


def to_row(reader: str, message: Message, result: Result) -> Row:
    """A checked message as the store will hold it."""
    m = message
    values = (m.id, reader, m.author[:300], m.channel[:50], m.capacity, m.profile, m.thread,
              m.time, m.text, result.decision)
    findings = []
    for f in result.findings:
        columns = finding_values(message_id=0, finding=f, pack_version="")
        findings.append(tuple(columns[c] for c in FINDING_COLUMNS))
    return message_key(m), values, tuple(findings)


_MESSAGES = cast(Table, MessageRow.__table__)
_FINDINGS = cast(Table, FindingRow.__table__)


def _ids(session: Session, keys: Iterable[Key]) -> dict[Key, int]:
    """The ids of stored messages, by key."""
    wanted = set(keys)
    hashes = sorted({k[0] for k in wanted})
    c = _MESSAGES.c
    out: dict[Key, int] = {}
    for i in range(0, len(hashes), 500):
        rows = session.execute(
            select(c.id, c.content_hash, c.source_path, c.source_position)
            .where(c.content_hash.in_(hashes[i : i + 500]))
        )
        for mid, *key in rows:
            if (k := (key[0], key[1], key[2])) in wanted:
                out[k] = mid
    return out


def _insert_ignore(session: Session, rows: list[dict[str, object]]) -> None:
    """Insert quarantine rows, skipping those already recorded (same file, position, reason)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(pg_insert(QuarantineRow).on_conflict_do_nothing(), rows)
    elif dialect == "sqlite":
        session.execute(sqlite_insert(QuarantineRow).on_conflict_do_nothing(), rows)
    else:  # pragma: no cover - other databases: one at a time
        for row in rows:
            with session.begin_nested():
                try:
                    session.add(QuarantineRow(**row))
                    session.flush()
                except IntegrityError:
                    pass


class BatchWriter:
    """Writes checked messages, their findings and quarantined items exactly once.

    Each :meth:`write` is one transaction. A message already stored (same key) is skipped with
    its findings, so writing the same batch twice, or after a crash, stores nothing twice.
    """

    def __init__(self, db: DbEngine, *, scan_id: int | None, pack_version: str) -> None:
        self.db = db
        self.scan_id = scan_id
        self.pack_version = pack_version

    def stored(self, keys: Iterable[Key]) -> set[Key]:
        """Which of ``keys`` are already in the store."""
        wanted = set(keys)
        if not wanted:
            return set()
        hashes = sorted({k[0] for k in wanted})
        found: set[Key] = set()
        with session_scope(self.db) as session:
            for i in range(0, len(hashes), 500):
                rows = session.execute(
                    select(
                        MessageRow.content_hash, MessageRow.source_path, MessageRow.source_position
                    ).where(MessageRow.content_hash.in_(hashes[i : i + 500]))
                )
                found.update(k for k in ((r[0], r[1], r[2]) for r in rows) if k in wanted)
        return found

    def write(
        self,
        checked: Sequence[tuple[str, Message, Result]],
        quarantined: Sequence[tuple[str, Quarantined]] = (),
    ) -> tuple[int, int]:
        """Store ``(reader, message, result)`` triples not stored yet; (new messages, findings)."""
        return self.write_rows([to_row(r, m, res) for r, m, res in checked], quarantined)

    def write_rows(
        self, rows: Sequence[Row], quarantined: Sequence[tuple[str, Quarantined]] = ()
    ) -> tuple[int, int]:
        """Store the rows not stored yet, in one transaction; (new messages, findings)."""
        for attempt in range(5):
            try:
                return self._write_once(rows, quarantined)
            except IntegrityError:
                # Another scan stored some of these keys between our look-up and our insert.
                if attempt == 4:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _write_once(
        self, rows: Sequence[Row], quarantined: Sequence[tuple[str, Quarantined]]
    ) -> tuple[int, int]:
        have = self.stored(key for key, _, _ in rows)
        now = datetime.now(UTC)
        common = dict(origin="scan", pack_version=self.pack_version, scan_id=self.scan_id,
                      submitted_by="", checked_at=now, purged_at=None)
        pending: list[Row] = []
        for row in rows:
            if row[0] in have:
                continue
            have.add(row[0])  # a key twice in one batch is stored once
            pending.append(row)
        findings: list[dict[str, Any]] = []
        with session_scope(self.db) as session:
            if pending:
                # Core executemany, in reading order, without RETURNING: asking each new id
                # back makes SQLite insert row by row. Only messages with findings need their
                # id, and one look-up by key (the unique index) finds those.
                session.execute(insert(_MESSAGES), [
                    dict(zip(MESSAGE_COLUMNS, values, strict=True), content_hash=key[0],
                         source_path=key[1], source_position=key[2], **common)
                    for key, values, _ in pending
                ])
                flagged = {key: found for key, _, found in pending if found}
                ids = _ids(session, flagged)
                findings = [
                    dict(zip(FINDING_COLUMNS, f, strict=True), message_id=ids[key],
                         pack_version=self.pack_version)
                    for key, found in flagged.items()
                    for f in found
                ]
            if findings:
                session.execute(insert(_FINDINGS), findings)
            _insert_ignore(
                session,
                [
                    {
                        "scan_id": self.scan_id,
                        "reader": reader,
                        "source_path": q.source.path,
                        "position": q.source.position[:200],
                        "reason": q.reason,
                        "raw": q.raw or None,
                        "created_at": now,
                    }
                    for reader, q in quarantined
                ],
            )
        return len(pending), len(findings)
