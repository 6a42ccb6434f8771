"""``commsguard users create``, ``tokens create``, ``audit verify`` (scripts depend on these)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from commsguard.config import get_settings
from commsguard.store.db import get_engine
from commsguard.store.tables import AuditEntry


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("COMMSGUARD_DATABASE_URL", f"sqlite:///{tmp_path / 'cg.db'}")
    monkeypatch.setenv("COMMSGUARD_SECRET_FILE", str(tmp_path / "cg.secret"))
    monkeypatch.setenv("COMMSGUARD_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("COMMSGUARD_ARGON2_MEMORY_KIB", "1024")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_users_tokens_and_audit_verify(cli_env: Path) -> None:
    from commsguard.cli.app import app

    run = CliRunner().invoke
    assert run(app, ["init"]).exit_code == 0
    r = run(app, ["users", "create", "Pat", "--role", "reviewer", "--password-stdin"],
            input="a long enough password\n")
    assert r.exit_code == 0 and "created pat (reviewer)" in r.stdout
    r = run(app, ["users", "create", "pat", "--role", "reviewer", "--password-stdin"],
            input="a long enough password\n")
    assert r.exit_code == 2 and "already exists" in r.output
    r = run(app, ["users", "create", "kim", "--role", "boss", "--password-stdin"],
            input="a long enough password\n")
    assert r.exit_code == 2 and "unknown role" in r.output
    r = run(app, ["users", "create", "kim", "--role", "staff"],
            input="a long enough password\na long enough password\n")
    assert r.exit_code == 0
    r = run(app, ["tokens", "create", "pat", "--scope", "check", "--scope", "read"])
    assert r.exit_code == 0 and r.stdout.strip().startswith("cg_")
    assert run(app, ["tokens", "create", "nobody"]).exit_code == 2
    assert run(app, ["tokens", "create", "pat", "--scope", "root"]).exit_code == 2
    r = run(app, ["audit", "verify"])
    assert r.exit_code == 0 and "intact: 3 entries" in r.stdout
    with get_engine(get_settings().database_url).begin() as c:
        c.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(actor="mallory"))
    r = run(app, ["audit", "verify"])
    assert r.exit_code == 1 and "entry 2" in r.output and "tampered" in r.output


def test_first_administrator_only_when_there_are_no_users(cli_env: Path) -> None:
    from commsguard.store.db import session_scope
    from commsguard.store.tables import User
    from commsguard.web import accounts
    from commsguard.web.security import Passwords
    from commsguard.workflows.installation import init_installation

    init_installation(get_settings())
    pw = Passwords(time_cost=1, memory_kib=1024)
    with session_scope(get_engine(get_settings().database_url)) as s:
        password = accounts.ensure_first_admin(s, passwords=pw)
        assert password and len(password) >= 16
        admin = s.query(User).one()
        assert admin.role == "admin" and admin.must_change_password
        assert pw.verify(admin.password_hash, password)
        assert accounts.ensure_first_admin(s, passwords=pw) is None
