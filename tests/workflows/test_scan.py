"""Scans, rescans and retention on SQLite and PostgreSQL: exactly once, nothing lost."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

import pytest
from sqlalchemy import Engine as DbEngine
from sqlalchemy import func, select, update

import archive_helpers
from commsguard import Engine, load_pack
from commsguard.ingest import READERS, Item, Reader
from commsguard.models import Message, Source
from commsguard.store.db import session_scope
from commsguard.store.tables import FindingRow, MessageRow, QuarantineRow, ReviewAction
from commsguard.workflows.retention import apply_retention, rescan
from commsguard.workflows.scan import ScanProgress, scan

DISCUSSING = "privacy-confidentiality.discussing-matters"
EMAIL = "public-trust.email-address"
FLAGGED = "Had a complainant who cried for an hour on the phone today. Mail jo.citizen@example.com"


def write_mbox(path: Path, texts: list[str], *, start: datetime | None = None) -> Path:
    start = start or datetime(2026, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as f:
        for i, text in enumerate(texts):
            when = start + timedelta(hours=i)
            f.write(f"From a{i}@example.org {when:%a %b %d %H:%M:%S %Y}\n")
            f.write(f"From: a{i}@example.org\nSubject: s{i}\n")
            f.write(f"Date: {when:%a, %d %b %Y %H:%M:%S} +0000\n\n{text}\n\n")
    return path


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), "utf-8"
    )
    return path


@pytest.fixture
def db(empty_db: DbEngine) -> DbEngine:
    return empty_db


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_pack(), only_rules=[DISCUSSING, EMAIL])


def stored_findings(db: DbEngine) -> list[tuple[str, str, str, int, int, str]]:
    with session_scope(db) as s:
        rows = s.execute(
            select(MessageRow.content_hash, MessageRow.source_position, FindingRow.rule,
                   FindingRow.start, FindingRow.end, FindingRow.status)
            .join(MessageRow, MessageRow.id == FindingRow.message_id)
        )
        return sorted((r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows)


def count(db: DbEngine, table: type[object]) -> int:
    with session_scope(db) as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


def test_when_archive_scanned_twice_then_findings_stored_once(
    db: DbEngine, engine: Engine, tmp_path: Path
) -> None:
    mbox = write_mbox(tmp_path / "mail.mbox", [FLAGGED, "lunch?", FLAGGED, "see you"])
    chat = write_jsonl(tmp_path / "chat.jsonl", [{"text": FLAGGED, "author": "jo"}])
    seen: list[ScanProgress] = []
    first = scan([mbox, chat], engine=engine, db=db, progress=seen.append, batch_size=2)
    assert (first.messages, first.new_messages, first.findings) == (5, 5, 6)
    assert first.by_reader["mbox"].findings == 4 and first.by_reader["jsonl"].findings == 2
    assert seen[-1].bytes_done == seen[-1].bytes_total > 0
    findings = stored_findings(db)
    assert len(findings) == 6 and {f[5] for f in findings} == {"open"}

    again = scan([mbox, chat], engine=engine, db=db)
    assert (again.messages, again.new_messages, again.findings, again.files_skipped) == (
        5, 0, 0, 2)
    forced = scan([mbox, chat], engine=engine, db=db, force=True)
    assert (forced.messages, forced.new_messages, forced.findings) == (5, 0, 0)
    assert stored_findings(db) == findings and count(db, MessageRow) == 5


def test_when_a_slack_folder_is_scanned_then_progress_counts_the_files_passed(
    db: DbEngine, engine: Engine, tmp_path: Path
) -> None:
    root = archive_helpers.write_slack(tmp_path / "slack", 10, FLAGGED)
    seen: list[ScanProgress] = []
    scan([root], engine=engine, db=db, progress=seen.append, batch_size=5)
    during = [p.bytes_done for p in seen[:-1]]
    largest = max(f.stat().st_size for f in root.rglob("*.json"))
    assert during == sorted(during)  # never goes back
    assert max(during) > 2 * largest  # more than the one open file's offset
    assert seen[-1].bytes_done == seen[-1].bytes_total >= max(during)


def test_when_file_changes_then_only_new_messages_are_added(
    db: DbEngine, engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "chat.jsonl"
    write_jsonl(path, [{"text": FLAGGED}])
    scan([path], engine=engine, db=db)
    write_jsonl(path, [{"text": FLAGGED}, {"text": "and " + FLAGGED}])
    summary = scan([path], engine=engine, db=db)
    assert (summary.files_skipped, summary.new_messages, summary.findings) == (0, 1, 2)
    assert len(stored_findings(db)) == 4


class _Exploding(Reader):
    name: ClassVar[str] = "exploding"
    description: ClassVar[str] = "a reader that fails part-way (tests only)"

    @classmethod
    def sniff(cls, path: Path) -> bool:
        return path.suffix == ".boom"

    def read(self, path: Path) -> Iterator[Item]:
        yield Message(id="1", text=FLAGGED, source=Source(str(path), "1"))
        raise RuntimeError("corrupt index block")


def test_when_input_is_bad_then_it_is_quarantined_and_the_scan_goes_on(
    db: DbEngine, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(READERS, "exploding", _Exploding)
    boom = tmp_path / "x.boom"
    boom.write_bytes(b"?")
    truncated = tmp_path / "cut.jsonl"
    truncated.write_text(json.dumps({"text": FLAGGED}) + '\n{"text": "cut sh', "utf-8")
    unknown = tmp_path / "photo.xyz"
    unknown.write_bytes(b"\x89PNG")
    good = write_mbox(tmp_path / "ok.mbox", [FLAGGED])
    summary = scan([boom, truncated, unknown, tmp_path / "missing.mbox", good],
                   engine=engine, db=db)
    assert summary.new_messages == 3 and summary.findings == 6
    assert summary.quarantined == 4
    with session_scope(db) as s:
        rows = {(Path(q.source_path).name, q.position): q.reason
                for q in s.scalars(select(QuarantineRow))}
    assert "corrupt index block" in rows[("x.boom", "after item 1")]
    assert "not JSON" in rows[("cut.jsonl", "line 2")]
    assert rows[("photo.xyz", "")] == "no reader recognises this file"
    assert rows[("missing.mbox", "")] == "no such file or folder"
    scan([boom, truncated, unknown, good], engine=engine, db=db, force=True)
    assert count(db, QuarantineRow) == 4


def test_when_since_given_then_older_messages_are_not_stored(
    db: DbEngine, engine: Engine, tmp_path: Path
) -> None:
    mbox = write_mbox(tmp_path / "m.mbox", [FLAGGED] * 4, start=datetime(2026, 1, 1, tzinfo=UTC))
    summary = scan([mbox], engine=engine, db=db, since=datetime(2026, 1, 1, 2, tzinfo=UTC))
    assert summary.messages == 2 and count(db, MessageRow) == 2
    # A later scan without --since reads the file again rather than skipping it.
    assert scan([mbox], engine=engine, db=db).new_messages == 2


def test_when_pack_changes_then_rescan_adds_retires_and_keeps_decisions(
    db: DbEngine, tmp_path: Path
) -> None:
    old = Engine(load_pack(), only_rules=[DISCUSSING])
    new = Engine(load_pack(), only_rules=[EMAIL])
    scan([write_mbox(tmp_path / "m.mbox", [FLAGGED, "nothing here"])], engine=old, db=db)
    with session_scope(db) as s:
        finding = s.scalars(select(FindingRow)).one()
        finding.status = "dismissed"
        s.add(ReviewAction(finding_id=finding.id, actor="rev", action="dismiss",
                           reason="banter, not a real complainant"))
        s.add(ReviewAction(finding_id=finding.id, actor="rev", action="note", reason="checked"))
        dismissed = finding.id

    summary = rescan(engine=new, db=db)
    assert (summary.messages, summary.added, summary.retired) == (2, 1, 1)
    with session_scope(db) as s:
        by_rule = {f.rule: f for f in s.scalars(select(FindingRow))}
        assert by_rule[DISCUSSING].status == "retired" and by_rule[DISCUSSING].retired_at
        assert by_rule[EMAIL].status == "open"
        actions = list(s.scalars(select(ReviewAction).order_by(ReviewAction.id)))
    assert [(a.finding_id, a.action) for a in actions] == [(dismissed, "dismiss"),
                                                           (dismissed, "note")]
    assert rescan(engine=new, db=db).added == 0  # idempotent

    back = rescan(engine=old, db=db)
    assert (back.restored, back.retired, back.added) == (1, 1, 0)
    with session_scope(db) as s:
        by_rule = {f.rule: f for f in s.scalars(select(FindingRow))}
    assert by_rule[DISCUSSING].status == "dismissed" and by_rule[DISCUSSING].retired_at is None
    assert by_rule[EMAIL].status == "retired"
    assert count(db, ReviewAction) == 2


def test_when_retention_applied_then_bodies_go_and_findings_stay(
    db: DbEngine, engine: Engine, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    old = write_mbox(tmp_path / "old.mbox", [FLAGGED], start=now - timedelta(days=400))
    recent = write_mbox(tmp_path / "new.mbox", [FLAGGED], start=now - timedelta(days=2))
    scan([old, recent], engine=engine, db=db)
    report = apply_retention(db=db, days=365, now=now)
    assert report.messages_purged == 1
    assert apply_retention(db=db, days=365, now=now).messages_purged == 0
    with session_scope(db) as s:
        rows = {Path(m.source_path).name: m for m in s.scalars(select(MessageRow))}
        evidence = {f.evidence for f in s.scalars(select(FindingRow))}
    assert rows["old.mbox"].text is None and rows["old.mbox"].purged_at is not None
    assert rows["new.mbox"].text and rows["new.mbox"].purged_at is None
    assert len(stored_findings(db)) == 4 and "jo.citizen@example.com" in evidence
    # Purged bodies cannot be re-checked; their findings are left as they are.
    assert rescan(engine=Engine(load_pack(), only_rules=[EMAIL]), db=db).messages == 1
    assert {f[5] for f in stored_findings(db) if f[2] == EMAIL} == {"open"}


def test_when_message_time_is_unknown_then_retention_uses_when_it_was_stored(
    db: DbEngine, engine: Engine, tmp_path: Path
) -> None:
    scan([write_jsonl(tmp_path / "c.jsonl", [{"text": "hi"}])], engine=engine, db=db)
    with session_scope(db) as s:
        s.execute(update(MessageRow).values(checked_at=datetime.now(UTC) - timedelta(days=40)))
    assert apply_retention(db=db, days=30).messages_purged == 1


class _Flaky(Engine):
    """An engine with a detector bug that fails on one message."""

    def check_many(self, messages, *, explain=False):  # type: ignore[no-untyped-def]
        if any("EXPLODE" in m.text for m in messages):
            raise ValueError("detector bug")
        return super().check_many(messages, explain=explain)


def test_when_engine_fails_on_a_message_then_it_alone_is_quarantined(
    db: DbEngine, tmp_path: Path
) -> None:
    engine = _Flaky(load_pack(), only_rules=[DISCUSSING, EMAIL])
    mbox = write_mbox(tmp_path / "m.mbox", [FLAGGED, "EXPLODE", FLAGGED])
    summary = scan([mbox], engine=engine, db=db)
    assert (summary.new_messages, summary.findings) == (2, 4)
    with session_scope(db) as s:
        (row,) = s.scalars(select(QuarantineRow))
    assert row.position == "line 8" and "detector bug" in row.reason
