"""Fixtures shared by the whole suite: the shared corpus beside the checkout, and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the checkout; where it is absent, tests that need it skip and say so."""
    if not (SHARED / "corpus" / "real").is_dir():
        pytest.skip(f"{SHARED} is absent: the shared corpus is not beside this clone")
    return SHARED


@pytest.fixture(scope="session")
def real_corpus(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "real"


@pytest.fixture(scope="session")
def policy_text(shared_dir: Path) -> str:
    return (shared_dir / "policy" / "social-media-policy.txt").read_text(encoding="utf-8")


def postgres_url() -> str:
    return os.environ.get(
        "COMMSGUARD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )


def _postgres_schema_url(schema: str) -> str:
    base = postgres_url()
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, then a private schema on the real PostgreSQL.

    Store tests take this fixture so that the same suite runs on both. Where PostgreSQL cannot
    be reached, the PostgreSQL half fails in CI (which starts the server) and skips, saying so,
    elsewhere.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    import uuid

    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_url())
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL at {postgres_url()} is not reachable: {exc.orig}")
    try:
        yield _postgres_schema_url(schema)
    finally:
        from commsguard.store.db import dispose_engines

        dispose_engines()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def installation(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An initialised installation (database, secret, default pack) in a temporary directory."""
    from commsguard.config import get_settings
    from commsguard.store.db import dispose_engines
    from commsguard.workflows.installation import init_installation

    monkeypatch.setenv("COMMSGUARD_DATABASE_URL", db_url)
    monkeypatch.setenv("COMMSGUARD_SECRET_FILE", str(tmp_path / "commsguard.secret"))
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    dispose_engines()
    init_installation()
    yield db_url
    get_settings.cache_clear()
    dispose_engines()
