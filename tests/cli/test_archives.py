"""``commsguard scan`` and friends, and a scan killed with SIGKILL then run again: exactly once."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from commsguard.cli.app import app
from commsguard.ingest import get_reader
from commsguard.models import Message
from commsguard.policy import DEFAULT_PACK, load_pack
from commsguard.store.db import make_engine, session_scope
from commsguard.store.tables import FindingRow, MessageRow

runner = CliRunner()
FLAGGED = "Had a complainant who cried for an hour on the phone today, rough shift"


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def write_mbox(path: Path, n: int, *, start: datetime | None = None) -> Path:
    start = start or datetime(2026, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            when = start + timedelta(minutes=i)
            f.write(f"From a{i}@example.org {when:%a %b %d %H:%M:%S %Y}\n")
            f.write(f"From: a{i}@example.org\nSubject: s{i}\n")
            f.write(f"Date: {when:%a, %d %b %Y %H:%M:%S} +0000\n\n")
            f.write(f"{FLAGGED if i % 3 == 0 else 'lunch at noon'} ({i})\n\n")
    return path


@pytest.fixture
def small_pack(tmp_path: Path) -> Path:
    """The default pack with only its privacy rules, so that scans here are quick."""
    pack = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, pack)
    for rules in (pack / "rules").iterdir():
        if rules.name != "privacy-confidentiality.yaml":
            rules.unlink()
    load_pack(pack)
    return pack


@pytest.fixture
def install(
    small_pack: Path, db_url: str, monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> str:
    monkeypatch.setenv("COMMSGUARD_PACK", str(small_pack))
    return str(request.getfixturevalue("installation"))


def test_when_scanned_then_json_summary_and_queue(install: str, tmp_path: Path) -> None:
    mbox = write_mbox(tmp_path / "mail.mbox", 9)
    (tmp_path / "notes.xyz").write_text("?")
    out = invoke("scan", str(mbox), str(tmp_path / "notes.xyz"), "--format", "json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert {"messages", "new_messages", "findings", "quarantined", "by_reader"} <= set(data)
    assert (data["messages"], data["new_messages"], data["findings"]) == (9, 9, 3)
    assert data["quarantined"] == 1 and data["by_reader"]["mbox"]["messages"] == 9
    again = json.loads(invoke("scan", str(mbox), "--format", "json").stdout)
    assert (again["new_messages"], again["findings"]) == (0, 0)

    table = invoke("scan", str(mbox), "--force")
    assert table.exit_code == 0 and "mbox" in table.stdout and "total" in table.stdout

    listed = invoke("quarantine", "list")
    assert listed.exit_code == 0 and "no reader recognises" in listed.stdout
    detect = invoke("ingest", "detect", str(mbox))
    assert detect.exit_code == 0 and f"{mbox}: mbox" in detect.stdout
    assert invoke("ingest", "detect", str(tmp_path / "notes.xyz")).exit_code == 1

    rescan = invoke("rescan", "--format", "json")
    assert rescan.exit_code == 0, rescan.output
    assert json.loads(rescan.stdout) == {
        "messages": 9, "added": 0, "retired": 0, "restored": 0, "unchanged": 3}
    purge = invoke("retention", "apply", "--days", "1")
    assert purge.exit_code == 0 and "purged 9 message bodies" in purge.stdout


def test_when_since_is_not_a_date_then_usage_error(install: str, tmp_path: Path) -> None:
    out = invoke("scan", str(tmp_path), "--since", "last tuesday")
    assert out.exit_code == 2 and "--since" in out.output


# The Dask wiring is database-independent (the client writes through the same store code the
# plain scans exercise on both databases), so SQLite alone is enough here.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_when_scan_runs_on_local_dask_then_same_summary(install: str, tmp_path: Path) -> None:
    mbox = write_mbox(tmp_path / "mail.mbox", 30)
    out = invoke("scan", str(mbox), "--dask", "local", "--workers", "1", "--format", "json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert (data["messages"], data["new_messages"], data["findings"]) == (30, 30, 10)


def stored(url: str) -> tuple[int, set[tuple[str, str, str, int, int]], int]:
    db = make_engine(url)
    try:
        with session_scope(db) as s:
            messages = int(s.scalar(select(func.count()).select_from(MessageRow)) or 0)
            rows = list(s.execute(
                select(MessageRow.content_hash, MessageRow.source_position, FindingRow.rule,
                       FindingRow.start, FindingRow.end)
                .join(MessageRow, MessageRow.id == FindingRow.message_id)
            ))
    finally:
        db.dispose()
    return messages, {(r[0], r[1], r[2], r[3], r[4]) for r in rows}, len(rows)


def test_when_scan_is_killed_and_rerun_then_every_finding_is_stored_exactly_once(
    install: str, tmp_path: Path
) -> None:
    total = 4_500
    mbox = write_mbox(tmp_path / "big.mbox", total)
    proc = subprocess.Popen(
        [sys.executable, "-c", "from commsguard.cli.app import main; main()",
         "scan", str(mbox), "--format", "json"],
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    watcher = make_engine(install)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            with watcher.connect() as conn:
                committed = conn.scalar(select(func.count()).select_from(MessageRow)) or 0
            if committed >= 1000:  # at least two batches are in
                break
            time.sleep(0.05)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        watcher.dispose()
    assert proc.returncode == -signal.SIGKILL
    before, _, _ = stored(install)
    assert 1000 <= before < total, f"the scan was not killed mid-way ({before} of {total})"

    rerun = invoke("scan", str(mbox), "--format", "json")
    assert rerun.exit_code == 0, rerun.output
    summary = json.loads(rerun.stdout)
    assert summary["messages"] == total
    assert summary["new_messages"] == total - before

    from commsguard.workflows.installation import build_engine

    engine = build_engine()
    messages = [m for m in get_reader("mbox").read(mbox) if isinstance(m, Message)]
    expected = {
        (m.content_hash, m.source.position if m.source else "", f.rule, f.start, f.end)
        for i in range(0, len(messages), 1000)
        for m, r in zip(messages[i : i + 1000], engine.check_many(messages[i : i + 1000]),
                        strict=True)
        for f in r.findings
    }
    count, findings, rows = stored(install)
    assert count == total
    assert findings == expected and rows == len(expected) == total // 3
