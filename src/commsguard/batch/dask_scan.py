"""The scan on Dask distributed: partitions of the input checked on workers, stored by the client.

Thin by design: no detection logic here. Work is split by file, and large files into chunks:

- an mbox by byte ranges that start at ``From `` separator lines; each chunk is read by the
  mbox reader itself, and positions are shifted back to the whole file's line numbers, so a
  message has the same key whether it was scanned here or by the plain scan;
- a Slack export folder by groups of conversation folders, read through a view (a folder of
  symbolic links to the metadata and the chosen conversations) whose paths are mapped back;
- anything else whole.

The engine is rebuilt once per worker by a worker plugin carrying the pack's directory, the rule
ids and the registers (keyed hashes), so workers need neither the database nor the secret file.
Workers return checked messages and quarantined items; the client writes them through the
same :class:`BatchWriter` as the plain scan, one transaction per batch, so the exactly-once
guarantee is the same. At most a few partitions per worker are in flight, so the client's
memory stays bounded.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from distributed import Client, LocalCluster, WorkerPlugin, as_completed
from sqlalchemy import Engine as DbEngine

from commsguard.engine import Engine
from commsguard.ingest import Quarantined
from commsguard.ingest.mbox import is_separator
from commsguard.models import Message, Result, Source
from commsguard.workflows.scan import (
    BATCH,
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

MiB = 1024 * 1024
#: Chunks of a large file: big enough to amortise a task, small enough to keep workers busy.
CHUNK_BYTES = 16 * MiB
_SLACK_METADATA = ("users.json", "channels.json", "groups.json", "dms.json", "mpims.json")


@dataclass(frozen=True, slots=True)
class Partition:
    """One task: a whole target, a byte range of an mbox, or some folders of a Slack export."""

    path: str
    reader: str
    kind: Literal["whole", "mbox", "slack"] = "whole"
    start: int = 0
    end: int = 0
    first_line: int = 1
    folders: tuple[str, ...] = ()
    size: int = 0


@dataclass
class PartitionResult:
    partition: Partition
    checked: list[tuple[str, Message, Result]] = field(default_factory=list)
    quarantined: list[tuple[str, Quarantined]] = field(default_factory=list)
    seconds: float = 0.0


# --- partitioning (on the client) ---------------------------------------------------------


def mbox_chunks(path: Path, chunk_bytes: int) -> list[tuple[int, int, int]]:
    """``(start, end, first_line)`` byte ranges of an mbox, each starting at a separator."""
    size = path.stat().st_size
    cuts: list[tuple[int, int]] = [(0, 1)]
    newlines = counted = 0
    with path.open("rb") as f:
        target = chunk_bytes
        while target < size:
            f.seek(target)
            f.readline()  # the rest of the line we landed in
            previous_blank = False
            found = None
            while True:
                pos = f.tell()
                line = f.readline()
                if not line:
                    break
                if is_separator(line, previous_blank):
                    found = pos
                    break
                previous_blank = not line.strip()
            if found is None:
                break
            f.seek(counted)
            remaining = found - counted
            while remaining:
                block = f.read(min(remaining, 4 * MiB))
                if not block:
                    break
                newlines += block.count(b"\n")
                remaining -= len(block)
            counted = found
            cuts.append((found, newlines + 1))
            target = found + chunk_bytes
    ends = [c[0] for c in cuts[1:]] + [size]
    return [(start, end, line) for (start, line), end in zip(cuts, ends, strict=True)]


def _slack_groups(path: Path, chunk_bytes: int) -> list[tuple[tuple[str, ...], int]]:
    groups: list[tuple[tuple[str, ...], int]] = []
    current: list[str] = []
    size = 0
    for folder in sorted(p for p in path.iterdir() if p.is_dir()):
        folder_size = sum(f.stat().st_size for f in folder.iterdir() if f.is_file())
        current.append(folder.name)
        size += folder_size
        if size >= chunk_bytes:
            groups.append((tuple(current), size))
            current, size = [], 0
    if current or not groups:
        groups.append((tuple(current), size))
    return groups


def partitions(targets: Sequence[Target], *, chunk_bytes: int = CHUNK_BYTES) -> list[Partition]:
    out: list[Partition] = []
    for t in targets:
        if t.reader == "mbox" and t.path.is_file() and t.size > chunk_bytes:
            for start, end, line in mbox_chunks(t.path, chunk_bytes):
                out.append(Partition(str(t.path), t.reader, "mbox", start, end, line,
                                     size=end - start))
        elif t.reader == "slack" and t.path.is_dir() and t.size > chunk_bytes:
            for folders, size in _slack_groups(t.path, chunk_bytes):
                out.append(Partition(str(t.path), t.reader, "slack", folders=folders, size=size))
        else:
            out.append(Partition(str(t.path), t.reader, size=t.size))
    return out


# --- reading a partition (on a worker) ----------------------------------------------------

_LINE = re.compile(r"^line (\d+)(.*)$", re.DOTALL)


def _relocate(
    item: Message | Quarantined, view: str, real: str, line_shift: int = 0
) -> Message | Quarantined:
    """Give an item read from a chunk or view the source it has in the original input."""
    src = item.source
    if src is None:
        return item
    path = src.path
    if path == view or path.startswith(view + os.sep):
        path = real + path[len(view) :]
    position = src.position
    if line_shift and (m := _LINE.match(position)):
        position = f"line {int(m.group(1)) + line_shift}{m.group(2)}"
    if (path, position) == (src.path, src.position):
        return item
    new = Source(path, position)
    if isinstance(item, Message) and item.id == _derived_id(src):
        # Readers name messages without an id of their own by file name and position.
        return replace(item, id=_derived_id(new), source=new)
    return replace(item, source=new)


def _derived_id(src: Source) -> str:
    name = Path(src.path).name
    return f"{name}:{src.position}" if src.position else name


def read_partition(p: Partition, tmp_dir: str | None = None) -> Iterator[Message | Quarantined]:
    """The items of one partition, with sources as a whole-file read would give them."""
    if p.kind == "whole":
        yield from read_guarded(p.reader, Path(p.path))
        return
    work = tempfile.mkdtemp(prefix="commsguard-", dir=tmp_dir)
    try:
        if p.kind == "mbox":
            chunk = os.path.join(work, Path(p.path).name)
            with open(p.path, "rb") as src, open(chunk, "wb") as dst:
                src.seek(p.start)
                remaining = p.end - p.start
                while remaining > 0:
                    block = src.read(min(remaining, 4 * MiB))
                    if not block:
                        break
                    dst.write(block)
                    remaining -= len(block)
            for item in read_guarded(p.reader, Path(chunk)):
                yield _relocate(item, chunk, p.path, p.first_line - 1)
        else:
            view = os.path.join(work, "view")
            os.mkdir(view)
            root = Path(p.path)
            for name in (*_SLACK_METADATA, *p.folders):
                if (root / name).exists():
                    os.symlink(root / name, os.path.join(view, name))
            for item in read_guarded(p.reader, Path(view)):
                yield _relocate(item, view, p.path)
    finally:
        shutil.rmtree(work, ignore_errors=True)


_ENGINE: Engine | None = None


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

    def setup(self, worker: Any) -> None:
        global _ENGINE
        from commsguard.policy import load_pack

        engine = Engine(load_pack(Path(self.pack_root)), register=self.register,
                        authorisations=self.authorisations, only_rules=self.rules)
        # One check at start-up pays for detectors' lazy loading (models, imports) here,
        # not in the first task.
        engine.check_many([Message(id="warm-up", text="warm up")])
        _ENGINE = engine


def check_partition(
    p: Partition, since: datetime | None, batch_size: int = BATCH
) -> PartitionResult:
    """Read and check one partition on a worker (the task Dask runs)."""
    if _ENGINE is None:
        raise RuntimeError("no engine on this worker: register EnginePlugin first")
    started = time.monotonic()
    out = PartitionResult(p)
    pending: list[Message] = []

    def flush() -> None:
        assert _ENGINE is not None
        checked, failed = check_guarded(_ENGINE, pending)
        out.checked.extend((p.reader, m, r) for m, r in checked)
        out.quarantined.extend((p.reader, q) for q in failed)
        pending.clear()

    for item in read_partition(p):
        if isinstance(item, Quarantined):
            out.quarantined.append((p.reader, item))
        elif in_window(item, since):
            pending.append(item)
            if len(pending) >= batch_size:
                flush()
    if pending:
        flush()
    out.seconds = time.monotonic() - started
    return out


# --- the scan (on the client) -------------------------------------------------------------


def connect(address: str, *, workers: int = 2) -> Client:
    """A client for ``tcp://HOST:PORT``, or for a new local cluster of processes (``local``)."""
    if address == "local":
        # ":0" takes any free port for the scheduler's HTTP server. None does not turn it off:
        # it falls back to 8787, and a second cluster on the machine then fails to start.
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
    total = sum(t.size for t in targets)
    done_bytes = 0
    todo: list[Target] = []
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
        # Enough chunks to keep every worker busy, never tiny ones.
        largest = max((t.size for t in todo), default=0)
        chunk_bytes = max(MiB // 4, min(CHUNK_BYTES, largest // (4 * n_workers) + 1))
    parts = partitions(todo, chunk_bytes=chunk_bytes)
    by_target: dict[str, Target] = {str(t.path): t for t in todo}
    remaining: dict[str, int] = {}
    per_file: dict[str, list[int]] = {}
    for p in parts:
        remaining[p.path] = remaining.get(p.path, 0) + 1
        per_file.setdefault(p.path, [0, 0])

    client.register_plugin(EnginePlugin(engine), name=EnginePlugin.name)
    queue = iter(parts)
    window = 2 * n_workers + 1
    futures = as_completed()  # type: ignore[no-untyped-call]
    submitted: dict[object, Partition] = {}
    failed: set[str] = set()

    def submit(p: Partition) -> None:
        future = client.submit(check_partition, p, since, pure=False)
        submitted[future.key] = p
        futures.add(future)  # type: ignore[no-untyped-call]

    for p in _take(queue, window):
        submit(p)
    for future in futures:
        try:
            result: PartitionResult = future.result()
        except Exception as exc:  # noqa: BLE001 - a failed task is quarantined; the scan goes on
            p = submitted[future.key]
            result = PartitionResult(p, quarantined=[(p.reader, Quarantined(
                Source(p.path, _where(p)), f"task failed: {type(exc).__name__}: {exc}"))])
            failed.add(p.path)
        future.release()
        p = result.partition
        count = summary.count(p.reader)
        for i in range(0, max(len(result.checked), 1), BATCH):
            batch = result.checked[i : i + BATCH]
            quarantined = result.quarantined if i == 0 else []
            new, found = writer.write(batch, quarantined)
            summary.new_messages += new
            summary.findings += found
            count.new_messages += new
            count.findings += found
        summary.messages += len(result.checked)
        count.messages += len(result.checked)
        summary.quarantined += len(result.quarantined)
        count.quarantined += len(result.quarantined)
        per_file[p.path][0] += len(result.checked)
        per_file[p.path][1] += len(result.quarantined)
        remaining[p.path] -= 1
        if remaining[p.path] == 0 and p.path not in failed:
            record_file(db, by_target[p.path], since=since, messages=per_file[p.path][0],
                        quarantined=per_file[p.path][1], scan_id=summary.scan_id,
                        pack_version=pack_version)
        done_bytes += p.size
        if progress is not None:
            progress(ScanProgress(summary.messages, done_bytes, total, p.path))
        del result
        submitted.pop(future.key, None)
        for nxt in _take(queue, 1):
            submit(nxt)
    summary.seconds = time.monotonic() - started
    finish_scan(db, summary)
    return summary


def _where(p: Partition) -> str:
    if p.kind == "mbox":
        return f"bytes {p.start}-{p.end} (from line {p.first_line})"
    if p.kind == "slack":
        return "folders " + ", ".join(p.folders)
    return ""


def _take(it: Iterator[Partition], n: int) -> list[Partition]:
    out: list[Partition] = []
    for p in it:
        out.append(p)
        if len(out) >= n:
            break
    return out
