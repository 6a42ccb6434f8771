"""Engines, sessions and migrations. SQLite by default, PostgreSQL in production."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from commsguard.config import get_settings
from commsguard.errors import StoreError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the web app read while a scan writes; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _private_sqlite_file(engine: Engine) -> None:
    """Create a SQLite database file readable by its owner only (0600) before SQLite does:
    it holds messages, findings and the audit log. SQLite gives its -wal and -shm files the
    database file's mode."""
    path = engine.url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    file = Path(path)
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(file, os.O_WRONLY | os.O_CREAT, 0o600))


def make_engine(url: str | None = None) -> Engine:
    url = url or get_settings().database_url
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _private_sqlite_file(engine)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


_ENGINES: dict[str, Engine] = {}


def get_engine(url: str | None = None) -> Engine:
    """One engine (and connection pool) per URL for the life of the process."""
    url = url or get_settings().database_url
    if url not in _ENGINES:
        _ENGINES[url] = make_engine(url)
    return _ENGINES[url]


def dispose_engines() -> None:
    """Close every pooled connection (tests, and before a worker process forks)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the database to the newest schema (idempotent)."""
    from alembic import command

    try:
        with engine.begin() as connection:
            cfg = alembic_config(engine)
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
    except Exception as exc:  # noqa: BLE001 - re-raised with where it failed
        raise StoreError(f"cannot migrate {engine.url.render_as_string()}: {exc}") from exc


def require_migrated(engine: Engine) -> None:
    if not inspect(engine).has_table("alembic_version"):
        raise StoreError(
            f"database {engine.url.render_as_string()} is not initialised: run `commsguard init`"
        )
