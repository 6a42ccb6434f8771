"""The audit log's hash chain: appends link up; an edited or deleted row is detected.

Run on SQLite and on PostgreSQL (a schema of its own, dropped afterwards).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, delete, text, update

from commsguard.store.db import make_engine, migrate, session_scope
from commsguard.store.tables import AuditEntry
from commsguard.workflows import audit


def postgres_url() -> str:
    """As ``tests/conftest.py`` has it (that module is not importable by name from here)."""
    return os.environ.get(
        "COMMSGUARD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def audit_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'audit.db'}")
        migrate(engine)
        yield engine
        engine.dispose()
        return
    schema = "t_audit_" + uuid.uuid4().hex[:10]
    admin = create_engine(postgres_url())
    try:
        with admin.begin() as c:
            c.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"PostgreSQL unavailable at {postgres_url()}: {exc}")
    engine = make_engine(f"{postgres_url()}?options=-csearch_path%3D{schema}")
    try:
        migrate(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _fill(engine: Engine, n: int = 5) -> None:
    with session_scope(engine) as s:
        for i in range(n):
            audit.append(s, actor="rita", action="finding.view", target=f"finding:{i}",
                         detail={"i": i, "note": "ünïcode ✓"})


def test_when_entries_are_appended_then_the_chain_verifies(audit_db: Engine) -> None:
    _fill(audit_db)
    with session_scope(audit_db) as s:
        v = audit.verify(s)
        rows = audit.recent(s)
    assert v.ok and v.entries == 5
    assert [r.seq for r in rows] == [5, 4, 3, 2, 1]
    assert rows[0].prev_hash == rows[1].hash and rows[-1].prev_hash == audit.GENESIS
    assert v.head == rows[0].hash


def test_when_a_row_is_edited_then_verify_names_it(audit_db: Engine) -> None:
    _fill(audit_db)
    with audit_db.begin() as c:
        c.execute(update(AuditEntry).where(AuditEntry.seq == 3).values(actor="mallory"))
    with session_scope(audit_db) as s:
        v = audit.verify(s)
    assert not v.ok
    assert [(p.seq, "edited" in p.reason) for p in v.problems] == [(3, True)]


def test_when_detail_is_edited_then_detected(audit_db: Engine) -> None:
    _fill(audit_db)
    with audit_db.begin() as c:
        c.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(detail={"i": 99}))
    with session_scope(audit_db) as s:
        assert [p.seq for p in audit.verify(s).problems] == [2]


def test_when_a_row_is_deleted_then_the_gap_is_reported(audit_db: Engine) -> None:
    _fill(audit_db)
    with audit_db.begin() as c:
        c.execute(delete(AuditEntry).where(AuditEntry.seq == 2))
    with session_scope(audit_db) as s:
        v = audit.verify(s)
    assert not v.ok
    assert v.problems[0].seq == 3 and "missing" in v.problems[0].reason
    assert any("does not link" in p.reason for p in v.problems)


def test_when_a_row_is_edited_and_rehashed_then_the_next_link_breaks(audit_db: Engine) -> None:
    _fill(audit_db)
    with session_scope(audit_db) as s:
        row = next(r for r in audit.recent(s) if r.seq == 2)
        row.actor = "mallory"
        row.hash = audit.entry_hash(prev_hash=row.prev_hash, seq=row.seq, at=row.at,
                                    actor=row.actor, action=row.action, target=row.target,
                                    detail=row.detail)
    with session_scope(audit_db) as s:
        v = audit.verify(s)
    assert [p.seq for p in v.problems] == [3]


def test_when_the_tail_is_truncated_then_the_recorded_head_catches_it(audit_db: Engine) -> None:
    _fill(audit_db)
    with session_scope(audit_db) as s:
        head = audit.verify(s).head
    with audit_db.begin() as c:
        c.execute(delete(AuditEntry).where(AuditEntry.seq == 5))
    with session_scope(audit_db) as s:
        assert audit.verify(s).ok  # the chain alone cannot see a cut tail
        assert not audit.verify(s, expected_head=head).ok


def test_when_appends_race_then_the_chain_stays_linear(audit_db: Engine) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def one(i: int) -> None:
        with session_scope(audit_db) as s:
            audit.append(s, actor=f"u{i}", action="auth.sign_in")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, range(40)))
    with session_scope(audit_db) as s:
        v = audit.verify(s)
    assert v.ok and v.entries == 40
