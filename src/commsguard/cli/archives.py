"""``commsguard scan``, ``rescan``, ``retention apply``, ``ingest detect``, ``quarantine list``.

Parse arguments, call the library, print. Registered on the main app by :func:`register`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from commsguard.errors import CommsguardError

console = Console()
err = Console(stderr=True)

ingest_app = typer.Typer(help="Archive and export readers.", no_args_is_help=True)
quarantine_app = typer.Typer(help="Items scans could not read.", no_args_is_help=True)
retention_app = typer.Typer(help="Purging stored message bodies.", no_args_is_help=True)


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/bold red] {message}", highlight=False)
    return typer.Exit(code)


def parse_since(value: str | None) -> datetime | None:
    """``YYYY-MM-DD`` or an ISO 8601 time; naive times are UTC."""
    if value is None:
        return None
    try:
        t = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise _fail(f"--since must be a date (YYYY-MM-DD) or ISO time, not {value!r}", 2) from None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[object]:
    """A Rich bar over input bytes, with messages/s and an ETA (on stderr)."""
    if not enabled:
        yield None
        return
    bar = Progress(
        TextColumn("[bold]scan[/bold]"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[messages]:>10,} msgs"),
        TextColumn("{task.fields[rate]:>8,.0f} msg/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )
    with bar:
        task = bar.add_task("scan", total=None, messages=0, rate=0.0)
        started = datetime.now(UTC)

        def update(p: object) -> None:
            from commsguard.workflows.scan import ScanProgress

            assert isinstance(p, ScanProgress)
            elapsed = max((datetime.now(UTC) - started).total_seconds(), 1e-6)
            bar.update(task, total=p.bytes_total or None, completed=p.bytes_done,
                       messages=p.messages, rate=p.messages / elapsed)

        yield update


def scan(
    paths: Annotated[list[Path], typer.Argument(help="Archive files or export folders.")],
    reader: Annotated[
        str | None, typer.Option(help="Reader to use (default: detected per file).")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only messages at or after this date (YYYY-MM-DD).")
    ] = None,
    dask: Annotated[
        str | None, typer.Option(help="Dask scheduler tcp://HOST:8786, or 'local'.")
    ] = None,
    workers: Annotated[int, typer.Option(help="Workers for --dask local.")] = 2,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    force: Annotated[
        bool, typer.Option(help="Read files again even if an earlier scan finished them.")
    ] = False,
) -> None:
    """Read archives, check every message, store findings in the review queue (exactly once)."""
    from commsguard.workflows.installation import build_engine, database
    from commsguard.workflows.scan import ScanSummary
    from commsguard.workflows.scan import scan as run_scan

    if format not in ("table", "json"):
        raise _fail(f"--format must be table or json, not {format!r}", 2)
    when = parse_since(since)
    try:
        db = database()
        engine = build_engine()
        with _progress_bar(format == "table" and err.is_terminal) as update:
            callback = update if callable(update) else None
            summary: ScanSummary
            if dask:
                from commsguard.batch.dask_scan import close, connect, dask_scan

                client = connect(dask, workers=workers)
                try:
                    summary = dask_scan(paths, client=client, reader=reader, since=when,
                                        engine=engine, db=db, progress=callback, force=force)
                finally:
                    close(client)
            else:
                summary = run_scan(paths, reader=reader, since=when, engine=engine, db=db,
                                   progress=callback, force=force)
    except CommsguardError as exc:
        raise _fail(str(exc)) from None
    if format == "json":
        out = summary.to_dict()
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"scan {summary.scan_id}: {summary.seconds:.1f}s")
    for col in ("reader", "files", "messages", "new", "findings", "quarantined"):
        table.add_column(col, justify="left" if col == "reader" else "right")
    for name, c in sorted(summary.by_reader.items()):
        table.add_row(name, str(c.files), f"{c.messages:,}", f"{c.new_messages:,}",
                      f"{c.findings:,}", f"{c.quarantined:,}")
    table.add_row("[bold]total", str(summary.files), f"{summary.messages:,}",
                  f"{summary.new_messages:,}", f"{summary.findings:,}",
                  f"{summary.quarantined:,}")
    console.print(table)
    if summary.files_skipped:
        console.print(f"{summary.files_skipped} unchanged files already scanned were skipped "
                      "(--force reads them again)")
    if summary.quarantined:
        console.print("see [bold]commsguard quarantine list[/bold] for what could not be read")


def rescan(
    since: Annotated[
        str | None, typer.Option(help="Only messages at or after this date (YYYY-MM-DD).")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Re-check stored messages with the current pack: add new findings, retire old ones."""
    from commsguard.config import get_settings
    from commsguard.store import crud
    from commsguard.store.db import session_scope
    from commsguard.workflows.installation import build_engine, database
    from commsguard.workflows.retention import rescan as run_rescan

    when = parse_since(since)
    try:
        db = database()
        engine = build_engine(get_settings())
        with session_scope(db) as session:
            crud.store_pack_version(session, pack=engine.pack)
        summary = run_rescan(since=when, engine=engine, db=db)
    except CommsguardError as exc:
        raise _fail(str(exc)) from None
    if format == "json":
        sys.stdout.write(json.dumps(summary.to_dict()) + "\n")
        return
    console.print(
        f"rescanned {summary.messages:,} messages with {engine.pack.name} {engine.pack.version}: "
        f"{summary.added} findings added, {summary.retired} retired, {summary.restored} "
        f"raised again, {summary.unchanged} unchanged"
    )


@retention_app.command("apply")
def retention_apply(
    days: Annotated[
        int | None, typer.Option(help="Days to keep bodies (default: COMMSGUARD_RETENTION_DAYS).")
    ] = None,
) -> None:
    """Purge message bodies older than the retention period; findings and evidence stay."""
    from commsguard.config import get_settings
    from commsguard.workflows.installation import database
    from commsguard.workflows.retention import apply_retention

    keep = days if days is not None else get_settings().retention_days
    if keep < 1:
        raise _fail(f"--days must be at least 1, not {keep}", 2)
    try:
        report = apply_retention(db=database(), days=keep)
    except CommsguardError as exc:
        raise _fail(str(exc)) from None
    console.print(
        f"purged {report.messages_purged:,} message bodies older than "
        f"{report.cutoff:%Y-%m-%d} ({keep} days); {report.quarantine_purged:,} quarantined "
        "samples; findings and evidence kept"
    )


@ingest_app.command("detect")
def ingest_detect(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders.")],
) -> None:
    """Say which reader applies to each path."""
    from commsguard.ingest import READERS, detect_reader

    missing = 0
    for path in paths:
        if not path.exists():
            err.print(f"{path}: no such file or folder", highlight=False)
            missing += 1
            continue
        name = detect_reader(path)
        if name is None:
            console.print(f"{path}: no reader applies", highlight=False)
            missing += 1
        else:
            console.print(f"{path}: {name} — {READERS[name].description}", highlight=False)
    if missing:
        raise typer.Exit(1)


@quarantine_app.command("list")
def quarantine_list(
    limit: Annotated[int, typer.Option(help="Most recent N items.")] = 100,
    format: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Items scans could not read: file, position, reader and why."""
    from sqlalchemy import select

    from commsguard.store.db import session_scope
    from commsguard.store.tables import QuarantineRow
    from commsguard.workflows.installation import database

    try:
        db = database()
        with session_scope(db) as session:
            rows = list(session.scalars(
                select(QuarantineRow).order_by(QuarantineRow.id.desc()).limit(limit)
            ))
    except CommsguardError as exc:
        raise _fail(str(exc)) from None
    if format == "json":
        for r in rows:
            sys.stdout.write(json.dumps({
                "id": r.id, "scan_id": r.scan_id, "reader": r.reader, "path": r.source_path,
                "position": r.position, "reason": r.reason,
                "created_at": r.created_at.isoformat(),
            }, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"quarantine ({len(rows)} most recent)")
    for col in ("id", "reader", "file", "position", "reason"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(str(r.id), r.reader, r.source_path, r.position, r.reason)
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add these commands to the main ``commsguard`` app."""
    app.command("scan")(scan)
    app.command("rescan")(rescan)
    app.add_typer(ingest_app, name="ingest")
    app.add_typer(quarantine_app, name="quarantine")
    app.add_typer(retention_app, name="retention")
