"""The scan on Dask distributed: partitions of the input checked on workers, stored by the client.

Thin by design: no detection logic here. Work is split by file, and large inputs into parts of
about ``chunk_bytes`` each, read by the readers' own partial reads:

- an mbox into byte ranges that start at ``From `` separator lines
  (:meth:`~commsguard.ingest.mbox.MboxReader.read_range`);
- a Slack export folder into runs of day files, in the order a whole read takes them, so a big
  conversation is split and small ones are merged
  (:meth:`~commsguard.ingest.slack.SlackReader.read_days`);
- anything else whole.

Partial reads give every item the source (file and position) a whole read gives it, so a
message has the same store key whether scanned here or by the plain scan.

The engine is built once per worker by a worker plugin carrying the pack's directory, the rule
ids and the registers (keyed hashes), so workers need neither the database nor the secret file;
registering the same plugin again (the next scan) does not rebuild it. Workers return compact
rows (:data:`~commsguard.workflows.scan_writer.Row`: key, column values, findings), not message
and result objects, so the client only unpickles and inserts; it writes them through the same
:class:`~commsguard.workflows.scan_writer.BatchWriter` as the plain scan, one transaction per
batch, so the exactly-once guarantee is the same. A few partitions per worker are in flight, so
workers stay busy while the client stores and the client's memory stays bounded.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import dask
from distributed import Client, LocalCluster, WorkerPlugin, as_completed
from sqlalchemy import Engine as DbEngine

from commsguard.engine import Engine
from commsguard.ingest import Quarantined, get_reader
from commsguard.ingest.mbox import MboxReader, is_separator
from commsguard.ingest.slack import SlackReader, day_files
from commsguard.models import Message, Source
from commsguard.workflows.scan import (
    ProgressCallback,
    ScanProgress,
    ScanSummary,
    Target,
    begin_scan,
    check_guarded,
    finish_scan,
    finished_file,
    in_window,
    read_guarded,
    record_file,
)
from commsguard.workflows.scan_writer import BatchWriter, Row, to_row

MiB = 1024 * 1024
#: The largest part of a big input: about 2,000-3,000 messages, a second or two of checking,
#: so the first results reach the client soon and the last one leaves little to wait for.
CHUNK_BYTES = MiB
#: The smallest part worth a task of its own.
MIN_CHUNK_BYTES = MiB // 4
#: Messages checked together on a worker, and rows the client stores per transaction.
CHECK_BATCH = 500
STORE_BATCH = 2000


@dataclass(frozen=True, slots=True)
class Partition:
    """One task: a whole target, a byte range of an mbox, or some day files of a Slack export.

    ``last`` marks a target's final partition: when it and all before it are stored, the file
    is recorded as finished.
    """

    path: str
    reader: str
    kind: Literal["whole", "mbox", "slack"] = "whole"
    start: int = 0
    end: int = 0
    first_line: int = 1
    days: tuple[str, ...] = ()
    size: int = 0
    index: int = 0
    last: bool = True


@dataclass
class PartitionResult:
    partition: Partition
    rows: list[Row] = field(default_factory=list)
    quarantined: list[tuple[str, Quarantined]] = field(default_factory=list)
    seconds: float = 0.0  # wall time of the task
    cpu: float = 0.0  # the worker's CPU time for it (the benchmark reports where time goes)
    failed: bool = False  # the task itself failed: its file is not recorded as finished


# --- partitioning (on the client) ---------------------------------------------------------


def mbox_chunks(path: Path, chunk_bytes: int) -> Iterator[tuple[int, int, int]]:
    """``(start, end, first_line)`` byte ranges of an mbox, each starting at a separator.

    Lazy, so the first chunks are checked while the rest of a large file is still being cut.
    """
    size = path.stat().st_size
    start, first_line = 0, 1
    with path.open("rb") as f:
        while True:
            cut = _next_separator(f, start + chunk_bytes) if start + chunk_bytes < size else None
            if cut is None:
                yield start, size, first_line
                return
            f.seek(start)
            lines, remaining = 0, cut - start
            while remaining:
                block = f.read(min(remaining, 4 * MiB))
                if not block:
                    break
                lines += block.count(b"\n")
                remaining -= len(block)
            yield start, cut, first_line
            start, first_line = cut, first_line + lines


def _next_separator(f: Any, offset: int) -> int | None:
    """The offset of the first separator line after ``offset``, or None."""
    f.seek(offset)
    f.readline()  # the rest of the line we landed in
    previous_blank = False
    while True:
        pos = f.tell()
        line = f.readline()
        if not line:
            return None
        if is_separator(line, previous_blank):
            return int(pos)
        previous_blank = not line.strip()


def slack_runs(path: Path, chunk_bytes: int) -> Iterator[tuple[tuple[str, ...], int]]:
    """Runs of day files (``folder/day.json``) of about ``chunk_bytes``, in reading order.

    At least one run, if empty, so the metadata is still read (and quarantined if bad).
    """
    run: list[str] = []
    size = 0
    any_run = False
    for rel in day_files(path):
        run.append(rel)
        size += (path / rel).lstat().st_size  # a link is quarantined, never followed
        if size >= chunk_bytes:
            yield tuple(run), size
            run, size, any_run = [], 0, True
    if run or not any_run:
        yield tuple(run), size


def partitions(targets: Iterable[Target], *, chunk_bytes: int = CHUNK_BYTES) -> Iterator[Partition]:
    """The partitions of ``targets``, lazily, each target's in reading order."""
    for t in targets:
        parts: Iterator[Partition]
        if t.reader == "mbox" and t.path.is_file() and t.size > chunk_bytes:
            parts = (Partition(str(t.path), t.reader, "mbox", start, end, line, size=end - start)
                     for start, end, line in mbox_chunks(t.path, chunk_bytes))
        elif t.reader == "slack" and t.path.is_dir() and t.size > chunk_bytes:
            parts = (Partition(str(t.path), t.reader, "slack", days=days, size=size)
                     for days, size in slack_runs(t.path, chunk_bytes))
        else:
            parts = iter([Partition(str(t.path), t.reader, size=t.size)])
        yield from _numbered(parts)


def _numbered(parts: Iterator[Partition]) -> Iterator[Partition]:
    """Number a target's partitions and mark the last (one look-ahead)."""
    previous: Partition | None = None
    index = 0
    for p in parts:
        if previous is not None:
            yield replace(previous, index=index, last=False)
            index += 1
        previous = p
    if previous is not None:
        yield replace(previous, index=index, last=True)


# --- reading and checking a partition (on a worker) ---------------------------------------


def read_partition(p: Partition) -> Iterator[Message | Quarantined]:
    """The items of one partition, with the sources a whole read gives them."""
    path = Path(p.path)
    reader = get_reader(p.reader)
    if p.kind == "mbox" and isinstance(reader, MboxReader):
        yield from read_guarded(p.reader, path, reader.read_range(path, p.start, p.end,
                                                                   p.first_line))
    elif p.kind == "slack" and isinstance(reader, SlackReader):
        yield from read_guarded(p.reader, path, reader.read_days(path, p.days))
    elif p.kind == "whole":
        yield from read_guarded(p.reader, path)
    else:
        raise ValueError(f"{p.path}: a {p.kind} partition cannot be read by reader {p.reader}")


_ENGINE: Engine | None = None
_ENGINE_FINGERPRINT = ""


class EnginePlugin(WorkerPlugin):
    """Carries the engine to each worker once; tasks then find it in this module."""

    name = "commsguard-engine"

    def __init__(self, engine: Engine) -> None:
        # Not the engine itself (its detectors need not pickle): what rebuilds it. The pack is
        # read from its directory, which workers must see at the same path, like the archives.
        self.pack_root = str(engine.pack.root)
        self.rules = [r.id for r in engine.rules]
        self.register = engine.context.register
        self.authorisations = engine.context.authorisations
        self.fingerprint = _fingerprint(engine, self.pack_root, self.rules,
                                        (self.register, self.authorisations))

    def setup(self, worker: Any) -> None:
        global _ENGINE, _ENGINE_FINGERPRINT
        if _ENGINE is not None and _ENGINE_FINGERPRINT == self.fingerprint:
            return  # the same engine as the last scan's: registering again costs nothing
        from commsguard.policy import load_pack

        engine = Engine(load_pack(Path(self.pack_root)), register=self.register,
                        authorisations=self.authorisations, only_rules=self.rules)
        # One check at start-up pays for detectors' lazy loading (models, imports) here,
        # not in the first task.
        engine.check_many([Message(id="warm-up", text="warm up")])
        _ENGINE, _ENGINE_FINGERPRINT = engine, self.fingerprint


def _fingerprint(engine: Engine, root: str, rules: list[str], registers: object) -> str:
    """What makes two engines the same: pack (version and files' times), rules, registers."""
    newest = 0
    for folder, _dirs, files in os.walk(root):
        for name in files:
            try:
                newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime_ns)
            except OSError:
                continue
    state = (root, engine.pack.version, newest, rules, registers)
    return hashlib.sha256(pickle.dumps(state)).hexdigest()


def check_partition(p: Partition, since: datetime | None) -> PartitionResult:
    """Read and check one partition on a worker (the task Dask runs)."""
    if _ENGINE is None:
        raise RuntimeError("no engine on this worker: register EnginePlugin first")
    started, cpu = time.monotonic(), time.process_time()
    out = PartitionResult(p)
    pending: list[Message] = []

    def flush() -> None:
        assert _ENGINE is not None
        checked, failed = check_guarded(_ENGINE, pending)
        out.rows.extend(to_row(p.reader, m, r) for m, r in checked)
        out.quarantined.extend((p.reader, q) for q in failed)
        pending.clear()

    for item in read_partition(p):
        if isinstance(item, Quarantined):
            out.quarantined.append((p.reader, item))
        elif in_window(item, since):
            pending.append(item)
            if len(pending) >= CHECK_BATCH:
                flush()
    if pending:
        flush()
    out.seconds = time.monotonic() - started
    out.cpu = time.process_time() - cpu
    return out


# --- the scan (on the client) -------------------------------------------------------------


def connect(address: str, *, workers: int = 2) -> Client:
    """A client for ``tcp://HOST:PORT``, or for a new local cluster of processes (``local``)."""
    if address == "local":
        # ":0" takes any free port for the scheduler's HTTP server. None does not turn it off:
        # it falls back to 8787, and a second cluster on the machine then fails to start.
        # Workers sample the running task's stack every 10 ms for the dashboard's profile
        # page; nobody reads it during a scan, and an idle worker then costs half the CPU.
        with dask.config.set({"distributed.worker.profile.enabled": False}):
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
            )
        return Client(cluster)  # type: ignore[no-untyped-call]
    return Client(address)  # type: ignore[no-untyped-call]


def close(client: Client) -> None:
    cluster = client.cluster
    client.close()  # type: ignore[no-untyped-call]
    if cluster is not None:
        cluster.close()


def dask_scan(
    paths: Sequence[Path],
    *,
    client: Client,
    reader: str | None = None,
    since: datetime | None = None,
    engine: Engine,
    db: DbEngine,
    progress: ProgressCallback | None = None,
    chunk_bytes: int | None = None,
    force: bool = False,
) -> ScanSummary:
    """The same scan as :func:`commsguard.workflows.scan.scan`, with checking on Dask workers."""
    started = time.monotonic()
    pack_version = engine.pack.version
    targets, summary, writer = begin_scan(db, paths=paths, reader=reader, pack_version=pack_version)
    todo: list[Target] = []
    done_bytes = 0
    for t in targets:
        summary.files += 1
        count = summary.count(t.reader)
        count.files += 1
        previous = None if force else finished_file(db, t, since)
        if previous is None:
            todo.append(t)
            continue
        summary.files_skipped += 1
        summary.messages += previous.messages
        count.messages += previous.messages
        done_bytes += t.size
    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    if chunk_bytes is None:
        # Enough parts to keep every worker busy, none so big that the pipeline is slow to fill
        # or drain, none so small that tasks cost more than they do.
        largest = max((t.size for t in todo), default=0)
        chunk_bytes = max(MIN_CHUNK_BYTES, min(CHUNK_BYTES, largest // (8 * n_workers) + 1))
    client.register_plugin(EnginePlugin(engine), name=EnginePlugin.name)
    store = _Store(db, writer, summary, {str(t.path): t for t in todo}, since, pack_version)
    total = sum(t.size for t in targets)
    for result in _run(client, partitions(todo, chunk_bytes=chunk_bytes), since,
                       window=2 * n_workers + 1):
        store.add(result)
        done_bytes += result.partition.size
        if progress is not None:
            progress(ScanProgress(summary.messages, done_bytes, total, result.partition.path))
    summary.seconds = time.monotonic() - started
    finish_scan(db, summary)
    return summary


def _run(
    client: Client, parts: Iterator[Partition], since: datetime | None, *, window: int
) -> Iterator[PartitionResult]:
    """Results as tasks finish, with ``window`` tasks in flight; a failed task's result is a
    quarantined item for its partition, so the scan goes on."""
    futures = as_completed()  # type: ignore[no-untyped-call]
    submitted: dict[object, Partition] = {}

    def submit(n: int) -> None:
        for p in parts:
            future = client.submit(check_partition, p, since, pure=False)
            submitted[future.key] = p
            futures.add(future)  # type: ignore[no-untyped-call]
            n -= 1
            if n <= 0:
                return

    submit(window)
    for future in futures:
        p = submitted.pop(future.key)
        try:
            result: PartitionResult = future.result()
        except Exception as exc:  # noqa: BLE001 - a failed task is quarantined; the scan goes on
            result = PartitionResult(p, failed=True, quarantined=[(p.reader, Quarantined(
                Source(p.path, _where(p)), f"task failed: {type(exc).__name__}: {exc}"))])
        future.release()
        # Submit before storing: the worker checks the next part while the client stores.
        submit(1)
        yield result


class _Store:
    """The client's side: stores results, counts them, records files when all parts are in."""

    def __init__(self, db: DbEngine, writer: BatchWriter, summary: ScanSummary,
                 targets: dict[str, Target], since: datetime | None, pack_version: str) -> None:
        self.db, self.writer, self.summary = db, writer, summary
        self.targets, self.since, self.pack_version = targets, since, pack_version
        self.done: dict[str, int] = {}  # parts stored per file
        self.parts: dict[str, int] = {}  # parts per file, once the last is known
        self.messages: dict[str, int] = {}
        self.quarantined: dict[str, int] = {}
        self.failed: set[str] = set()

    def add(self, result: PartitionResult) -> None:
        p, summary = result.partition, self.summary
        count = summary.count(p.reader)
        rows = result.rows
        for i in range(0, max(len(rows), 1), STORE_BATCH):
            new, found = self.writer.write_rows(rows[i : i + STORE_BATCH],
                                                result.quarantined if i == 0 else ())
            summary.new_messages += new
            summary.findings += found
            count.new_messages += new
            count.findings += found
        summary.messages += len(rows)
        count.messages += len(rows)
        summary.quarantined += len(result.quarantined)
        count.quarantined += len(result.quarantined)
        self.messages[p.path] = self.messages.get(p.path, 0) + len(rows)
        self.quarantined[p.path] = self.quarantined.get(p.path, 0) + len(result.quarantined)
        self.done[p.path] = self.done.get(p.path, 0) + 1
        if result.failed:
            self.failed.add(p.path)
        if p.last:
            self.parts[p.path] = p.index + 1
        if self.done[p.path] == self.parts.get(p.path) and p.path not in self.failed:
            # Every part of the file is stored: a later scan may skip it while it is unchanged.
            record_file(self.db, self.targets[p.path], since=self.since,
                        messages=self.messages[p.path], quarantined=self.quarantined[p.path],
                        scan_id=self.summary.scan_id, pack_version=self.pack_version)


def _where(p: Partition) -> str:
    if p.kind == "mbox":
        return f"bytes {p.start}-{p.end} (from line {p.first_line})"
    if p.kind == "slack":
        return f"day files {p.days[0]} to {p.days[-1]}" if p.days else "no day files"
    return ""
