"""The store, on SQLite and on the real PostgreSQL: migrations, registers, results."""

from __future__ import annotations

import secrets
from datetime import date

import pytest
from sqlalchemy import inspect, select

from commsguard import Engine, Message, load_pack
from commsguard.registers import Authorisation
from commsguard.store import crud
from commsguard.store.db import make_engine, migrate, session_scope
from commsguard.store.tables import FindingRow, MessageRow, PackVersion, RegisterEntry


@pytest.fixture
def db(db_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()


def test_when_migrated_twice_then_idempotent(db) -> None:  # type: ignore[no-untyped-def]
    migrate(db)
    tables = set(inspect(db).get_table_names())
    assert {"messages", "findings", "register_entries", "authorisations", "pack_versions"} <= tables


def test_when_register_imported_then_only_hashes_are_stored(db) -> None:  # type: ignore[no-untyped-def]
    secret = secrets.token_bytes(32)
    rows = [("complainant", "Marjorie Pettigrew"), ("case_ref", "C/2025/04417")]
    with session_scope(db) as s:
        first = crud.import_register(s, secret=secret, rows=rows)
    with session_scope(db) as s:
        again = crud.import_register(s, secret=secret, rows=[("complainant", "MARJORIE pettigrew")])
    assert (first.added, again.added, again.unchanged) == (2, 0, 1)
    with db.connect() as conn:
        dump = repr(conn.execute(select(RegisterEntry.__table__)).fetchall()).lower()
    assert "marjorie" not in dump and "pettigrew" not in dump and "04417" not in dump
    with session_scope(db) as s:
        register = crud.load_register(s, secret=secret)
    engine = Engine(
        load_pack(), register=register, only_rules=["privacy-confidentiality.register-match"]
    )
    result = engine.check(Message(id="1", text="about c 2025 04417 and Marjorie Pettigrew"))
    assert {f.entity for f in result.findings} == {"CASE_REF", "COMPLAINANT"}


def test_when_authorisations_imported_then_expiry_is_respected(db) -> None:  # type: ignore[no-untyped-def]
    with session_scope(db) as s:
        crud.import_authorisations(
            s,
            rows=[
                Authorisation("jo.citizen", "spokesperson", date(2030, 1, 1)),
                Authorisation("old.hand", "spokesperson", date(2020, 1, 1)),
            ],
        )
    with session_scope(db) as s:
        count = crud.import_authorisations(
            s, rows=[Authorisation("old.hand", "spokesperson", date(2031, 1, 1))]
        )
        assert (count.added, count.unchanged) == (0, 1)
        register = crud.load_authorisations(s)
    assert register.holds("Jo.Citizen", "spokesperson", on=date(2026, 1, 1))
    assert register.holds("old.hand", "spokesperson", on=date(2026, 1, 1))
    assert not register.holds("jo.citizen", "spokesperson", on=date(2031, 1, 1))
    assert not register.holds("jo.citizen", "business-use")


def test_when_result_saved_twice_then_stored_once(db) -> None:  # type: ignore[no-untyped-def]
    engine = Engine(load_pack(), only_rules=["privacy-confidentiality.discussing-matters"])
    message = Message(id="x", text="the draft report is late, and a complainant who rang")
    result = engine.check(message)
    assert len(result.findings) == 2
    with session_scope(db) as s:
        _, added, new = crud.save_result(s, message=message, result=result, pack_version="1")
        assert new and len(added) == 2
    with session_scope(db) as s:
        _, added, new = crud.save_result(s, message=message, result=result, pack_version="1")
        assert not new and added == []
    with session_scope(db) as s:
        assert len(s.scalars(select(MessageRow)).all()) == 1
        assert len(s.scalars(select(FindingRow)).all()) == 2


def test_when_pack_stored_then_one_active_version(db) -> None:  # type: ignore[no-untyped-def]
    pack = load_pack()
    with session_scope(db) as s:
        crud.store_pack_version(s, pack=pack)
        crud.store_pack_version(s, pack=pack)
    with session_scope(db) as s:
        rows = s.scalars(select(PackVersion)).all()
        assert len(rows) == 1 and rows[0].active
        active = crud.active_pack_version(s)
        assert active is not None and active.content["policy"]["version"] == pack.version
