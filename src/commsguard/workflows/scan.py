"""Scanning archives into the review queue, exactly once (rescans: ``retention``).

A scan reads each input with its reader, checks messages in batches and stores each batch —
its messages, their findings and the quarantined items — in one transaction. Messages are keyed
by content hash and source (file and position), so a scan killed at any point (``kill -9``) and
run again re-reads what it had stored, skips re-checking it, and stores the rest: no finding is
lost and none is stored twice. Files a scan finished are recorded in ``scan_files`` and skipped
unread while their size and modification time are unchanged.

Bad input never stops a scan: what a reader cannot read it yields as :class:`Quarantined`, and a
reader that fails outright is recorded as a quarantined item for that file.

How a batch is stored lives in :mod:`commsguard.workflows.scan_writer`; the Dask scan
(:mod:`commsguard.batch.dask_scan`) reuses both modules' parts.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine as DbEngine
from sqlalchemy import select

from commsguard.engine import Engine
from commsguard.ingest import LINK_REASON, Quarantined, detect_reader, get_reader
from commsguard.models import Message, Result, Source
from commsguard.store.db import session_scope
from commsguard.store.tables import Scan, ScanFile
from commsguard.workflows.scan_writer import BatchWriter, message_key

#: Messages checked and committed together: one transaction per batch.
BATCH = 500


# --- what a scan is asked to read ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    """One input a reader applies to: a file, or a folder export such as Slack's."""

    path: Path
    reader: str
    size: int
    mtime_ns: int


def _stat(path: Path) -> tuple[int, int]:
    """Size and newest modification time; for a folder, summed and maxed over its files."""
    if not path.is_dir():
        st = path.stat()
        return st.st_size, st.st_mtime_ns
    size, mtime = 0, path.stat().st_mtime_ns
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                st = os.stat(os.path.join(root, name))
            except OSError:
                continue
            size += st.st_size
            mtime = max(mtime, st.st_mtime_ns)
    return size, mtime


def plan(
    paths: Iterable[Path], *, reader: str | None = None
) -> tuple[list[Target], list[Quarantined]]:
    """The targets to read, and a quarantined item for each path no reader applies to.

    A folder no reader recognises as a whole is walked, and each file in it detected.
    """
    if reader is not None:
        get_reader(reader)  # an unknown name fails here, before anything is read
    targets: list[Target] = []
    refused: list[Quarantined] = []

    def visit(path: Path, top: bool) -> None:
        if not path.exists():
            refused.append(Quarantined(Source(str(path)), "no such file or folder"))
            return
        try:
            if reader is None:
                name = detect_reader(path)
            else:
                # A file named on the command line is read as told; a folder the reader does
                # not take as a whole is walked, and its files taken where the reader sniffs.
                forced = top and not path.is_dir()
                name = reader if forced or type(get_reader(reader)).sniff(path) else None
        except Exception as exc:  # noqa: BLE001 - a sniffer that fails must not stop the scan
            refused.append(Quarantined(Source(str(path)), f"cannot detect the format: {exc!r}"))
            return
        if name is not None:
            try:
                size, mtime = _stat(path)
            except OSError as exc:
                refused.append(Quarantined(Source(str(path)), f"cannot stat: {exc}"))
                return
            targets.append(Target(path, name, size, mtime))
        elif path.is_dir():
            try:
                children = sorted(path.iterdir())
            except OSError as exc:
                refused.append(Quarantined(Source(str(path)), f"cannot list folder: {exc}"))
                return
            for child in children:
                if child.name.startswith("."):
                    continue
                if child.is_symlink():
                    # A link found in a folder is never followed: it could point anywhere
                    # (the installation secret, /etc/passwd). Named on the command line, it is.
                    refused.append(Quarantined(Source(str(child)), LINK_REASON))
                    continue
                visit(child, False)
        else:
            refused.append(Quarantined(Source(str(path)), "no reader recognises this file"))

    for p in paths:
        # Absolute, so the same file has the same key whatever directory the scan ran from.
        visit(Path(p).absolute(), True)
    return targets, refused


def read_guarded(
    reader_name: str, path: Path, items: Iterable[Message | Quarantined] | None = None
) -> Iterator[Message | Quarantined]:
    """The reader's items; if the reader itself fails, one quarantined item saying where.

    ``items``: a partial read of ``path`` to guard instead of the reader's whole read.
    """
    count = 0
    try:
        for item in get_reader(reader_name).read(path) if items is None else items:
            count += 1
            yield item
    except Exception as exc:  # noqa: BLE001 - a broken reader must not stop the scan
        yield Quarantined(
            Source(str(path), f"after item {count}"),
            f"reader {reader_name} failed: {type(exc).__name__}: {exc}",
        )


def in_window(message: Message, since: datetime | None) -> bool:
    """Whether a message is at or after ``since``; a message without a time is always kept."""
    if since is None or message.time is None:
        return True
    t = message.time if message.time.tzinfo else message.time.replace(tzinfo=UTC)
    s = since if since.tzinfo else since.replace(tzinfo=UTC)
    return t >= s


# --- counting -----------------------------------------------------------------------------


@dataclass
class ReaderCount:
    files: int = 0
    messages: int = 0
    new_messages: int = 0
    findings: int = 0
    quarantined: int = 0

    def to_dict(self) -> dict[str, int]:
        return {
            "files": self.files,
            "messages": self.messages,
            "new_messages": self.new_messages,
            "findings": self.findings,
            "quarantined": self.quarantined,
        }


@dataclass
class ScanSummary:
    """What a scan read and stored. ``findings`` counts the findings this run added."""

    scan_id: int | None = None
    messages: int = 0
    new_messages: int = 0
    findings: int = 0
    quarantined: int = 0
    files: int = 0
    files_skipped: int = 0
    seconds: float = 0.0
    by_reader: dict[str, ReaderCount] = field(default_factory=dict)

    def count(self, reader: str) -> ReaderCount:
        return self.by_reader.setdefault(reader or "none", ReaderCount())

    def to_dict(self) -> dict[str, object]:
        return {
            "scan_id": self.scan_id,
            "messages": self.messages,
            "new_messages": self.new_messages,
            "findings": self.findings,
            "quarantined": self.quarantined,
            "files": self.files,
            "files_skipped": self.files_skipped,
            "seconds": round(self.seconds, 3),
            "by_reader": {k: v.to_dict() for k, v in sorted(self.by_reader.items())},
        }


@dataclass(frozen=True, slots=True)
class ScanProgress:
    """Reported after each batch: messages read so far and bytes of input done (estimated)."""

    messages: int
    bytes_done: int
    bytes_total: int
    path: str


ProgressCallback = Callable[[ScanProgress], object]


# --- scan bookkeeping ---------------------------------------------------------------------


def start_scan(
    db: DbEngine, *, paths: Sequence[Path], reader: str | None, pack_version: str
) -> int:
    with session_scope(db) as session:
        row = Scan(
            paths="\n".join(str(p) for p in paths), reader=reader or "", pack_version=pack_version
        )
        session.add(row)
        session.flush()
        return row.id


def finish_scan(db: DbEngine, summary: ScanSummary) -> None:
    with session_scope(db) as session:
        row = session.get(Scan, summary.scan_id)
        if row is not None:
            row.status = "finished"
            row.finished_at = datetime.now(UTC)
            row.messages = summary.messages
            row.new_messages = summary.new_messages
            row.findings = summary.findings
            row.quarantined = summary.quarantined


def finished_file(db: DbEngine, target: Target, since: datetime | None) -> ScanFile | None:
    """The record of an earlier scan that read ``target`` whole, if it still applies."""
    with session_scope(db) as session:
        row = session.scalars(
            select(ScanFile).where(
                ScanFile.path == str(target.path), ScanFile.reader == target.reader
            )
        ).first()
    if row is None or row.size != target.size or row.mtime_ns != target.mtime_ns:
        return None
    if row.since is not None:
        # An earlier scan with a later --since saw fewer messages than this one would.
        if since is None or _aware(row.since) > _aware(since):
            return None
    return row


def record_file(
    db: DbEngine,
    target: Target,
    *,
    since: datetime | None,
    messages: int,
    quarantined: int,
    scan_id: int | None,
    pack_version: str,
) -> None:
    with session_scope(db) as session:
        row = session.scalars(
            select(ScanFile).where(
                ScanFile.path == str(target.path), ScanFile.reader == target.reader
            )
        ).first()
        if row is None:
            row = ScanFile(path=str(target.path), reader=target.reader)
            session.add(row)
        row.size, row.mtime_ns, row.since = target.size, target.mtime_ns, since
        row.messages, row.quarantined = messages, quarantined
        row.scan_id, row.pack_version = scan_id, pack_version
        row.finished_at = datetime.now(UTC)


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=UTC)


# --- the scan -----------------------------------------------------------------------------


class _OffsetProbe:
    """How far the reader has got in a file, from the OS's file offset (Linux, via psutil).

    Readers stream and say nothing of bytes; this estimates progress without asking them.
    """

    def __init__(self) -> None:
        import psutil

        self.process = psutil.Process()
        self.last = 0.0
        self.value = 0

    def offset(self, path: Path) -> int:
        now = time.monotonic()
        if now - self.last < 0.5:
            return self.value
        self.last = now
        self.value = 0
        try:
            want = str(path.resolve())
            for f in self.process.open_files():
                if f.path == want or f.path.startswith(want + os.sep):
                    self.value = max(self.value, getattr(f, "position", 0) or 0)
        except Exception:  # noqa: BLE001 - progress is an estimate; never fail a scan on it
            self.value = 0
        return self.value


class _FolderProgress:
    """Bytes of the files of a folder that a reader has moved past."""

    def __init__(self) -> None:
        self.done = 0
        self._current = ""
        self._seen: set[str] = set()

    def at(self, path: str) -> None:
        if path == self._current:
            return
        if self._current and self._current not in self._seen:
            self._seen.add(self._current)
            with contextlib.suppress(OSError):
                self.done += os.path.getsize(self._current)
        self._current = path


def begin_scan(
    db: DbEngine, *, paths: Sequence[Path], reader: str | None, pack_version: str
) -> tuple[list[Target], ScanSummary, BatchWriter]:
    """Plan what to read, open the scan's record, and quarantine what cannot be read at all."""
    targets, refused = plan(paths, reader=reader)
    summary = ScanSummary(
        scan_id=start_scan(db, paths=paths, reader=reader, pack_version=pack_version)
    )
    writer = BatchWriter(db, scan_id=summary.scan_id, pack_version=pack_version)
    if refused:
        writer.write([], [("", q) for q in refused])
        summary.quarantined += len(refused)
        summary.count("").quarantined += len(refused)
    return targets, summary, writer


def scan(
    paths: Sequence[Path],
    *,
    reader: str | None = None,
    since: datetime | None = None,
    engine: Engine,
    db: DbEngine,
    progress: ProgressCallback | None = None,
    batch_size: int = BATCH,
    force: bool = False,
) -> ScanSummary:
    """Read, check and store ``paths``; resumable and idempotent (see the module docstring).

    ``force`` reads files again even if an earlier scan finished them unchanged (stored
    messages are still not checked or stored twice).
    """
    started = time.monotonic()
    pack_version = engine.pack.version
    targets, summary, writer = begin_scan(db, paths=paths, reader=reader, pack_version=pack_version)
    total = sum(t.size for t in targets)
    done_bytes = 0

    for target in targets:
        count = summary.count(target.reader)
        count.files += 1
        summary.files += 1
        previous = None if force else finished_file(db, target, since)
        if previous is not None:
            summary.files_skipped += 1
            summary.messages += previous.messages
            count.messages += previous.messages
        else:

            def report(offset: int, target: Target = target, base: int = done_bytes) -> None:
                if progress is not None:
                    progress(ScanProgress(summary.messages, base + min(offset, target.size),
                                          total, str(target.path)))

            read, quarantined = _scan_file(target, engine=engine, writer=writer, since=since,
                                           summary=summary, batch_size=batch_size,
                                           report=report if progress is not None else None)
            record_file(db, target, since=since, messages=read, quarantined=quarantined,
                        scan_id=summary.scan_id, pack_version=pack_version)
        done_bytes += target.size
        if progress is not None:
            progress(ScanProgress(summary.messages, done_bytes, total, str(target.path)))
    summary.seconds = time.monotonic() - started
    finish_scan(db, summary)
    return summary


def check_and_store(
    engine: Engine,
    writer: BatchWriter,
    reader: str,
    messages: Sequence[Message],
    quarantined: Sequence[tuple[str, Quarantined]] = (),
) -> tuple[int, int]:
    """Check the messages not stored yet and store them (one transaction)."""
    have = writer.stored(message_key(m) for m in messages)
    fresh = [m for m in messages if message_key(m) not in have]
    checked, failed = check_guarded(engine, fresh)
    return writer.write(
        [(reader, m, r) for m, r in checked],
        [*quarantined, *((reader, q) for q in failed)],
    )


def check_guarded(
    engine: Engine, messages: Sequence[Message]
) -> tuple[list[tuple[Message, Result]], list[Quarantined]]:
    """Check a batch; if the engine fails on it, check one by one and quarantine the failures.

    A quarantined message is not stored, so the next scan tries it again.
    """
    if not messages:
        return [], []
    try:
        return list(zip(messages, engine.check_many(messages), strict=True)), []
    except Exception:  # noqa: BLE001 - find the message at fault; the others go on
        pass
    checked: list[tuple[Message, Result]] = []
    failed: list[Quarantined] = []
    for m in messages:
        try:
            checked.append((m, engine.check(m)))
        except Exception as exc:  # noqa: BLE001
            failed.append(Quarantined(m.source or Source(""),
                                      f"checking failed: {type(exc).__name__}: {exc}"))
    return checked, failed


def _scan_file(
    target: Target,
    *,
    engine: Engine,
    writer: BatchWriter,
    since: datetime | None,
    summary: ScanSummary,
    batch_size: int,
    report: Callable[[int], object] | None,
) -> tuple[int, int]:
    """Read, check and store one target in batches; (messages read, items quarantined)."""
    count = summary.count(target.reader)
    probe = _OffsetProbe() if report is not None else None
    # A folder (a Slack export) is read file by file: its progress is the files passed so far
    # plus the offset in the one open now.
    folder = _FolderProgress() if report is not None and target.path.is_dir() else None
    messages: list[Message] = []
    quarantined: list[tuple[str, Quarantined]] = []
    read = bad = 0

    def flush() -> None:
        new, found = check_and_store(engine, writer, target.reader, messages, quarantined)
        summary.new_messages += new
        summary.findings += found
        count.new_messages += new
        count.findings += found
        messages.clear()
        quarantined.clear()
        if report is not None and probe is not None:
            report(probe.offset(target.path) + (folder.done if folder is not None else 0))

    for item in read_guarded(target.reader, target.path):
        if folder is not None and item.source is not None:
            folder.at(item.source.path)
        if isinstance(item, Quarantined):
            quarantined.append((target.reader, item))
            bad += 1
            summary.quarantined += 1
            count.quarantined += 1
        elif in_window(item, since):
            messages.append(item)
            read += 1
            summary.messages += 1
            count.messages += 1
        if len(messages) >= batch_size or len(quarantined) >= batch_size:
            flush()
    flush()
    return read, bad
