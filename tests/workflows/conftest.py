"""Fixtures for the governance workflows: a migrated database with the default pack loaded,
people, users in each role, and an SMTP sink the workflows send to.

The database is migrated once per session into a template SQLite file and copied for each test
(migrating and loading the pack take seconds; a copy takes milliseconds). ``pg_db`` gives the
same on the real PostgreSQL for the tests that prove the store there.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from commsguard.policy import load_pack
from commsguard.policy.loader import Pack
from commsguard.store import crud
from commsguard.store.db import make_engine, migrate, session_scope
from commsguard.store.tables import Person, User
from commsguard.workflows.notify import GovernanceSettings
from smtp_sink import SmtpSink, start_sink

USERS = {
    "deputy": "reviewer", "coo": "reviewer", "alex": "staff", "sam": "staff",
    "morgan": "manager", "casey": "communications", "ita": "it", "root": "admin",
}


def seed(session: Session) -> None:
    for name, role in USERS.items():
        session.add(User(username=name, role=role, password_hash="x",
                         display_name=name.title()))
        session.add(Person(username=name, name=name.title(), email=f"{name}@vo.example",
                           kind="employee", role=role if role != "reviewer" else "staff",
                           manager="morgan" if name in ("alex", "sam") else None,
                           start_date=date(2024, 1, 1)))


@pytest.fixture(scope="session")
def pack() -> Pack:
    return load_pack()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory, pack: Pack) -> Path:
    path = tmp_path_factory.mktemp("template") / "gov.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with session_scope(engine) as s:
        crud.store_pack_version(s, pack=pack)
        seed(s)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def db(template_db: Path, tmp_path: Path) -> Iterator[Engine]:
    path = tmp_path / "gov.db"
    shutil.copy(template_db, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def empty_db(db_url: str) -> Iterator[Engine]:
    """A freshly migrated, empty database on each backend (SQLite, then PostgreSQL)."""
    engine = make_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_db(db_url: str, pack: Pack) -> Iterator[Engine]:
    """The same database on each backend (SQLite, then PostgreSQL)."""
    engine = make_engine(db_url)
    migrate(engine)
    with session_scope(engine) as s:
        crud.store_pack_version(s, pack=pack)
        seed(s)
    yield engine
    engine.dispose()


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    s = start_sink()
    yield s
    s.close()


@pytest.fixture
def mail(sink: SmtpSink) -> GovernanceSettings:
    return GovernanceSettings(smtp_host=sink.host, smtp_port=sink.port, smtp_timeout=5)
