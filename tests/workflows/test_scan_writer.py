"""The batch writer on SQLite and PostgreSQL: findings reach their own message, exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine as DbEngine
from sqlalchemy import select

from commsguard import Engine, load_pack
from commsguard.models import Message, Source
from commsguard.store.db import session_scope
from commsguard.store.tables import FindingRow, MessageRow
from commsguard.workflows.scan_writer import BatchWriter, message_key, to_row

FLAGGED = "Had a complainant who cried for an hour on the phone today. Mail jo.citizen@example.com"


@pytest.fixture
def db(empty_db: DbEngine) -> DbEngine:
    return empty_db


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_pack(), only_rules=[
        "privacy-confidentiality.discussing-matters", "public-trust.email-address"])


def messages(first: int, n: int) -> list[Message]:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    # Flagged and plain messages interleaved irregularly, with different findings per message.
    return [Message(id=f"m{i}", text=(f"{FLAGGED} {i}" if i % 3 == 0 else
                                      f"mail me at p{i}@example.org" if i % 7 == 0 else f"ok {i}"),
                    author=f"a{i}", time=start + timedelta(minutes=i),
                    source=Source("/archive.mbox", f"line {i}")) for i in range(first, first + n)]


def stored(db: DbEngine) -> list[tuple[str, str, int, int, str]]:
    with session_scope(db) as s:
        return sorted((r[0], r[1], r[2], r[3], r[4]) for r in s.execute(
            select(MessageRow.external_id, FindingRow.rule, FindingRow.start, FindingRow.end,
                   FindingRow.evidence).join(MessageRow, MessageRow.id == FindingRow.message_id)))


def test_when_batches_overlap_then_each_finding_is_stored_once_against_its_own_message(
    db: DbEngine, engine: Engine
) -> None:
    writer = BatchWriter(db, scan_id=None, pack_version="test")
    first, second = messages(0, 40), messages(25, 40)  # 15 messages in both
    results = {m.id: r for batch in (first, second)
               for m, r in zip(batch, engine.check_many(batch), strict=True)}
    expected = sorted((mid, f.rule, f.start, f.end, f.evidence)
                      for mid, r in results.items() for f in r.findings)
    assert len({e[0] for e in expected}) > 10 and len({e[1] for e in expected}) == 2

    new, found = writer.write_rows([to_row("mbox", m, results[m.id]) for m in first])
    assert new == 40
    new, more = writer.write_rows([to_row("mbox", m, results[m.id]) for m in second])
    assert new == 25
    assert stored(db) == expected and found + more == len(expected)
    # The evidence is in the text of the message the finding points at.
    with session_scope(db) as s:
        for text, evidence in s.execute(select(MessageRow.text, FindingRow.evidence).join(
                MessageRow, MessageRow.id == FindingRow.message_id)):
            assert evidence in text


def test_when_a_key_is_twice_in_one_batch_then_it_is_stored_once(
    db: DbEngine, engine: Engine
) -> None:
    writer = BatchWriter(db, scan_id=None, pack_version="test")
    batch = messages(0, 4)
    rows = [to_row("mbox", m, r) for m, r in zip(batch, engine.check_many(batch), strict=True)]
    assert writer.write_rows([*rows, rows[0]]) == (4, sum(len(r[2]) for r in rows))
    assert writer.stored(message_key(m) for m in batch) == {message_key(m) for m in batch}
