"""Attacks on the audit log: deleting its newest entries (or all of them), and rewriting it
with the hashes recomputed, by someone who can write to the database but has not the secret.

The chain is keyed (HMAC-SHA256 under a key derived from the installation secret) and its head
is kept outside the database, in a checkpoint file beside the secret; ``commsguard audit verify
--expect-head COUNT:HASH`` checks a head kept further away still.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, select, update
from typer.testing import CliRunner

from commsguard.config import Settings, get_settings
from commsguard.store.db import get_engine, make_engine, migrate, session_scope
from commsguard.store.tables import AuditEntry
from commsguard.workflows import audit
from commsguard.workflows.installation import database, init_installation


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("COMMSGUARD_DATABASE_URL", f"sqlite:///{tmp_path / 'cg.db'}")
    monkeypatch.setenv("COMMSGUARD_SECRET_FILE", str(tmp_path / "cg.secret"))
    get_settings.cache_clear()
    settings = get_settings()
    init_installation(settings)
    db = database(settings)
    with session_scope(db) as s:
        for i in range(6):
            audit.append(s, actor="rita", action="finding.view", target=f"finding:{i}")
    yield settings
    get_settings.cache_clear()


def verify(args: list[str] | None = None) -> tuple[int, str]:
    from commsguard.cli.app import app

    r = CliRunner().invoke(app, ["audit", "verify", *(args or [])], env={"COLUMNS": "400"})
    return r.exit_code, r.output


def db_of(settings: Settings) -> Engine:
    return get_engine(settings.database_url)


def test_intact_log_verifies_and_prints_its_head(cli_env: Settings) -> None:
    code, out = verify()
    assert code == 0 and "intact: 6 entries; head 6:" in out
    head = out.split("head ")[1].strip()
    assert verify(["--expect-head", head])[0] == 0


def test_deleting_the_newest_audit_rows_fails_verification(cli_env: Settings) -> None:
    with db_of(cli_env).begin() as c:
        c.execute(delete(AuditEntry).where(AuditEntry.seq > 3))
    code, out = verify()
    assert code == 1 and "entries 4–6 are missing" in out and "newest entries" in out


def test_deleting_every_audit_row_fails_verification(cli_env: Settings) -> None:
    with db_of(cli_env).begin() as c:
        c.execute(delete(AuditEntry))
    code, out = verify()
    assert code == 1 and "entries 1–6 are missing" in out


def test_rewriting_an_entry_and_recomputing_the_chain_unkeyed_fails_verification(
    cli_env: Settings,
) -> None:
    """The attacker edits entry 2 and recomputes every hash with plain SHA-256 (as the log
    used to be hashed), marking the rows as the old scheme or leaving them as they were."""
    with session_scope(make_engine(cli_env.database_url)) as s:
        prev = audit.GENESIS
        for row in s.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
            if row.seq == 2:
                row.actor = "mallory"
            row.prev_hash = prev
            row.hash = audit.entry_hash(prev_hash=prev, seq=row.seq, at=row.at, actor=row.actor,
                                        action=row.action, target=row.target, detail=row.detail)
            prev = row.hash
    code, out = verify()
    assert code == 1 and "entry 2" in out and "was edited" in out
    with db_of(cli_env).begin() as c:
        c.execute(update(AuditEntry).values(scheme=audit.SCHEME_SHA256))
    code, out = verify()
    assert code == 1 and "the log was rewritten" in out


def test_cutting_the_log_and_its_checkpoint_fails_against_an_external_head(
    cli_env: Settings,
) -> None:
    _, out = verify()
    kept_elsewhere = out.split("head ")[1].strip()
    with db_of(cli_env).begin() as c:
        c.execute(delete(AuditEntry).where(AuditEntry.seq > 4))
        last = c.scalar(select(AuditEntry.hash).where(AuditEntry.seq == 4))
    audit.checkpoint_path(cli_env.secret_file).write_text(f"4:{last}\n")
    assert verify()[0] == 0  # the local evidence is consistent with itself...
    code, out = verify(["--expect-head", kept_elsewhere])
    assert code == 1 and "entries 5–6 are missing" in out  # ...but not with the copy kept away


def test_checkpoint_file_is_private_and_append_only(cli_env: Settings) -> None:
    path = audit.checkpoint_path(cli_env.secret_file)
    assert path.parent == cli_env.secret_file.parent
    assert path.stat().st_mode & 0o777 == 0o600
    heads = [audit.Head.parse(line) for line in path.read_text().splitlines()]
    assert [h.count for h in heads] == sorted(h.count for h in heads)
    assert heads[-1].count == 6


def test_bad_expect_head_is_a_usage_error(cli_env: Settings) -> None:
    code, out = verify(["--expect-head", "six:abc"])
    assert code == 2 and "COUNT:HASH" in out


def test_log_written_before_keying_stays_verifiable_and_is_anchored(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = make_engine(url)
    migrate(old)
    with session_scope(old) as s:  # an installation from before #12: unkeyed entries
        for i in range(3):
            audit.append(s, actor="rita", action="finding.view", target=f"finding:{i}")
    old.dispose()
    settings = Settings(database_url=url, secret_file=tmp_path / "old.secret")
    init_installation(settings)  # migrates, keys the log, anchors its head
    db = database(settings)
    with session_scope(db) as s:
        audit.append(s, actor="rita", action="finding.view", target="finding:9")
    with session_scope(db) as s:
        v = audit.verify(s)
        schemes = list(s.scalars(select(AuditEntry.scheme).order_by(AuditEntry.seq)))
    assert v.ok and v.entries == 4 and schemes == [1, 1, 1, 2]
    assert v.checkpoint is not None and v.checkpoint.count == 4
    # and the legacy part cannot be rewritten without breaking the keyed link after it
    with session_scope(db) as s:
        row = s.scalars(select(AuditEntry).where(AuditEntry.seq == 3)).one()
        row.actor = "mallory"
        row.hash = hashlib.sha256(b"anything").hexdigest()
    with session_scope(db) as s:
        assert {p.seq for p in audit.verify(s).problems} >= {3, 4}
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 4
