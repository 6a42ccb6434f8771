"""The Dask scan on a LocalCluster: the same messages, keys and findings as the plain scan."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from distributed import Client, LocalCluster
from sqlalchemy import Engine as DbEngine
from sqlalchemy import select

import archive_helpers
from commsguard import Engine, load_pack
from commsguard.batch.dask_scan import (
    EnginePlugin,
    Partition,
    PartitionResult,
    _Store,
    check_partition,
    dask_scan,
    mbox_chunks,
    partitions,
    read_partition,
    slack_runs,
)
from commsguard.ingest import Quarantined, get_reader
from commsguard.ingest.slack import day_files
from commsguard.models import Message
from commsguard.store.db import make_engine, migrate, session_scope
from commsguard.store.tables import FindingRow, MessageRow
from commsguard.workflows.scan import ScanSummary, finished_file, plan, scan
from commsguard.workflows.scan_writer import BatchWriter

FLAGGED = "Had a complainant who cried for an hour on the phone today. Mail jo.citizen@example.com"


def write_mbox(path: Path, n: int, *, preamble: bool = False) -> Path:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as f:
        if preamble:
            f.write("a stray preamble line\n\n")
        for i in range(n):
            when = start + timedelta(minutes=i)
            f.write(f"From a{i}@example.org {when:%a %b %d %H:%M:%S %Y}\n")
            f.write(f"From: a{i}@example.org\nSubject: s{i}\n")
            f.write(f"Date: {when:%a, %d %b %Y %H:%M:%S} +0000\n\n")
            # An unescaped body "From " line that is not a separator, and blank lines.
            f.write(f"message {i}\n\nFrom time to time\n{FLAGGED if i % 7 == 0 else 'ok'}\n\n")
    return path


def write_slack(root: Path, n: int) -> Path:
    return archive_helpers.write_slack(root, n, FLAGGED)


def keys(db: DbEngine) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, int, int]]]:
    with session_scope(db) as s:
        messages = sorted(
            (r[0], r[1], r[2]) for r in s.execute(
                select(MessageRow.content_hash, MessageRow.source_path, MessageRow.source_position)
            )
        )
        findings = sorted(
            (r[0], r[1], r[2], r[3]) for r in s.execute(
                select(MessageRow.content_hash, FindingRow.rule, FindingRow.start, FindingRow.end)
                .join(MessageRow, MessageRow.id == FindingRow.message_id)
            )
        )
    return messages, findings


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                           dashboard_address=":0")
    with Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture
def archives(tmp_path: Path) -> list[Path]:
    return [write_mbox(tmp_path / "big.mbox", 300), write_slack(tmp_path / "slack", 30)]


def db_at(path: Path) -> DbEngine:
    db = make_engine(f"sqlite:///{path}")
    migrate(db)
    return db


def test_when_mbox_split_into_chunks_then_reading_them_equals_reading_the_whole(
    tmp_path: Path,
) -> None:
    mbox = write_mbox(tmp_path / "m.mbox", 120, preamble=True)
    chunks = list(mbox_chunks(mbox, 2000))
    assert len(chunks) > 5
    assert chunks[0][:1] == (0,) and chunks[-1][1] == mbox.stat().st_size
    assert all(a[1] == b[0] for a, b in zip(chunks, chunks[1:], strict=False))
    whole = list(get_reader("mbox").read(mbox))
    parts = [item for s, e, line in chunks
             for item in read_partition(Partition(str(mbox), "mbox", "mbox", s, e, line))]
    assert parts == whole
    assert sum(isinstance(i, Message) for i in whole) == 120


def test_when_scanned_on_dask_then_same_store_as_plain_scan(
    client: Client, archives: list[Path], tmp_path: Path
) -> None:
    engine = Engine(load_pack(), only_rules=[
        "privacy-confidentiality.discussing-matters", "public-trust.email-address"])
    plain, distributed = db_at(tmp_path / "plain.db"), db_at(tmp_path / "dask.db")
    expected = scan(archives, engine=engine, db=plain)
    targets, _ = plan(archives)
    assert len(list(partitions(targets, chunk_bytes=4000))) > 4
    got = dask_scan(archives, client=client, engine=engine, db=distributed, chunk_bytes=4000)
    assert (got.messages, got.new_messages, got.findings, got.quarantined) == (
        expected.messages, expected.new_messages, expected.findings, expected.quarantined)
    assert got.findings > 0 and got.messages == 300 + 6 * 3 * 30
    assert keys(distributed) == keys(plain)

    again = dask_scan(archives, client=client, engine=engine, db=distributed, chunk_bytes=4000,
                      force=True)
    assert (again.messages, again.new_messages, again.findings) == (got.messages, 0, 0)
    assert keys(distributed) == keys(plain)
    plain.dispose()
    distributed.dispose()


def test_when_slack_export_is_cut_into_runs_then_big_channels_split_small_ones_merge(
    tmp_path: Path,
) -> None:
    root = write_slack(tmp_path / "slack", 40)
    (root / "ch5" / "2026-01-02.json").write_text("[{not json")  # quarantined, in place
    day = (root / "ch0" / "2026-01-01.json").stat().st_size
    runs = list(slack_runs(root, 2 * day))
    assert [d for days, _ in runs for d in days] == list(day_files(root))
    assert any(len({d.split("/")[0] for d in days}) > 1 for days, _ in runs)  # merged
    assert len({d for days, _ in runs for d in days if d.startswith("ch0/")}) == 3
    assert sum(1 for days, _ in runs if any(d.startswith("ch0/") for d in days)) >= 2  # split
    whole = list(get_reader("slack").read(root))
    parts = [item for days, size in runs
             for item in read_partition(Partition(str(root), "slack", "slack", days=days,
                                                  size=size))]
    assert parts == whole
    assert sum(isinstance(i, Quarantined) for i in whole) == 1


def test_when_parts_arrive_out_of_order_then_file_is_recorded_after_the_last_one(
    tmp_path: Path,
) -> None:
    EnginePlugin(Engine(load_pack(), only_rules=["public-trust.email-address"])).setup(None)
    mbox = write_mbox(tmp_path / "m.mbox", 5)
    target = plan([mbox])[0][0]
    parts = list(partitions([target], chunk_bytes=200))
    assert len(parts) >= 3 and parts[-1].last and not any(p.last for p in parts[:-1])
    results = [check_partition(p, None) for p in parts]

    def store_at(path: Path) -> tuple[DbEngine, _Store]:
        db = db_at(path)
        writer = BatchWriter(db, scan_id=None, pack_version="t")
        return db, _Store(db, writer, ScanSummary(), {str(mbox): target}, None, "t")

    db, store = store_at(tmp_path / "s.db")
    for r in [results[-1], *results[:-1]]:  # the last part first
        assert finished_file(db, target, None) is None
        store.add(r)
    recorded = finished_file(db, target, None)
    assert recorded is not None and recorded.messages == 5 == store.summary.new_messages

    other, store = store_at(tmp_path / "t.db")
    for r in results:
        store.add(PartitionResult(r.partition, failed=True) if r is results[1] else r)
    assert finished_file(other, target, None) is None  # a failed part: read it again next time
    db.dispose()
    other.dispose()


def test_when_engine_plugin_is_registered_again_then_the_engine_is_not_rebuilt() -> None:
    from commsguard.batch import dask_scan as module

    engine = Engine(load_pack(), only_rules=["public-trust.email-address"])
    EnginePlugin(engine).setup(None)
    built = module._ENGINE
    assert built is not None and [r.id for r in built.rules] == ["public-trust.email-address"]
    EnginePlugin(engine).setup(None)
    assert module._ENGINE is built
    other = Engine(load_pack(), only_rules=["privacy-confidentiality.discussing-matters"])
    EnginePlugin(other).setup(None)
    assert module._ENGINE is not built
    assert [r.id for r in module._ENGINE.rules] == ["privacy-confidentiality.discussing-matters"]


def test_when_slack_export_has_no_day_files_then_its_bad_metadata_is_still_quarantined(
    tmp_path: Path,
) -> None:
    root = tmp_path / "slack"
    root.mkdir()
    (root / "channels.json").write_text("[]")
    (root / "users.json").write_text("{broken" + " " * 5000)
    (root / "empty-channel").mkdir()
    assert list(slack_runs(root, 100)) == [((), 0)]
    target = plan([root])[0][0]
    items = [i for p in partitions([target], chunk_bytes=100) for i in read_partition(p)]
    assert [type(i) for i in items] == [Quarantined] and "users.json" in items[0].reason
