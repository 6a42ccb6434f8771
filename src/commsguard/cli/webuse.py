"""``commsguard webuse`` and ``commsguard social-media``: parse arguments, call the library, print.

The main app mounts these with ``app.add_typer(webuse_app, name="webuse")`` and
``app.add_typer(social_media_app, name="social-media")``.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from commsguard.errors import CommsguardError
from commsguard.webuse import store
from commsguard.webuse.config import load_config
from commsguard.webuse.findings import webuse_findings
from commsguard.webuse.pipeline import ingest_logs
from commsguard.webuse.readers import READERS
from commsguard.webuse.sessions import annotate, daily_rows, report_records, unknown_sites
from commsguard.webuse.taxonomy import business_use_from_register, default_taxonomy
from commsguard.webuse.users import UserMap

webuse_app = typer.Typer(help="Web use from proxy logs, against 'occasional and brief'.")
social_media_app = typer.Typer(help="The policy's Definitions of social media.")

FORMATS = ("auto", *READERS)
CLI_ACTOR = "cli"


@social_media_app.callback()
def _social_media() -> None:
    """The policy's Definitions of social media (a group, so ``classify`` is always named)."""


class ReportFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _fail(error: CommsguardError) -> typer.Exit:
    Console(stderr=True).print(f"[red]error:[/red] {error}", highlight=False)
    return typer.Exit(2)


@webuse_app.command()
def ingest(
    logs: Annotated[list[Path], typer.Argument(help="Log files to read.", exists=True)],
    format: Annotated[
        str, typer.Option("--format", help=f"One of: {', '.join(FORMATS)}.")
    ] = "auto",
    users: Annotated[
        Path | None,
        typer.Option("--users", help="CSV (person, username | ip,start,end) or dhcpd.leases."),
    ] = None,
    force: Annotated[bool, typer.Option(help="Read files already ingested again.")] = False,
    queue_unknown: Annotated[
        int,
        typer.Option(help="Queue the N most used unknown sites for the Manager IT Systems."),
    ] = 25,
) -> None:
    """Read proxy logs into sessions in the database; days over the thresholds go to the review
    queue and the most used unknown sites to the Manager IT Systems' queue."""
    from commsguard.store.crud import active_pack_version, load_authorisations
    from commsguard.store.db import session_scope
    from commsguard.workflows import social_media_lookup as lookup
    from commsguard.workflows.installation import database

    console = Console(stderr=True)
    if format not in FORMATS:
        raise _fail(CommsguardError(f"unknown format {format!r}; one of {', '.join(FORMATS)}"))
    config = load_config()
    try:
        db = database()
        with session_scope(db) as session:
            known = set() if force else store.known_digests(session)
            taxonomy = lookup.taxonomy(session)
    except CommsguardError as e:
        raise _fail(e) from e
    prints = {str(p): store.file_digest(p) for p in logs}
    todo = [p for p in logs if prints[str(p)] not in known]
    for p in logs:
        if p not in todo:
            console.print(f"skipped {p}: already ingested (use --force to read it again)")
    if not todo:
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        tasks = {p: bar.add_task(p.name, total=p.stat().st_size) for p in todo}

        def tick(path: Path, done: int, size: int) -> None:
            bar.update(tasks[path], completed=done)

        try:
            usermap = UserMap.load(users) if users else None
            result = ingest_logs(
                todo, format=format, users=usermap, config=config, taxonomy=taxonomy,
                progress=tick,
            )
        except CommsguardError as e:
            raise _fail(e) from e
    with session_scope(db) as session:
        saved = store.save_ingest(
            session, result=result, digests=prints,
            idle_gap_seconds=config.sessions.idle_gap_seconds, actor=CLI_ACTOR,
        )
        pack = active_pack_version(session)
        business = business_use_from_register(load_authorisations(session), date.today())
        found = webuse_findings(
            store.load_sessions(session, people=saved.people),
            config=config, taxonomy=taxonomy, business_use=business,
        )
        added = store.save_findings(
            session, findings=found, pack_version=pack.version if pack else ""
        )
        unknown = unknown_sites(annotate(result.sessions, config=config, taxonomy=taxonomy))
        queued = lookup.queue_sites(
            session,
            sites=[
                (r["site"], f"seen in proxy logs: {r['minutes']:g} min, {r['sessions']} "
                 f"sessions, {r['people']} people")
                for r in unknown.head(queue_unknown).iter_rows(named=True)
            ],
            asked_by=CLI_ACTOR,
        ) if queue_unknown > 0 else []
    for f in result.files:
        typer.echo(
            f"{f.path}: {f.format}, {f.lines} lines, {f.parsed} requests, {f.malformed} malformed"
        )
        for s in f.samples[:5]:
            typer.echo(f"  line {s.line}: {s.reason}: {s.text[:120]}")
    typer.echo(
        f"{result.sessions.height} sessions from {result.requests_counted} requests "
        f"({result.requests_ignored} background, refused or unattributed requests not counted)"
    )
    typer.echo(
        f"stored: {saved.inserted} sessions written, {saved.deleted} merged away; "
        f"{len(added)} new findings in the review queue; "
        f"{len(queued)} unknown sites queued for the Manager IT Systems"
    )


@webuse_app.command()
def report(
    person: Annotated[str | None, typer.Option(help="Only this person.")] = None,
    week: Annotated[str | None, typer.Option(help="Only this ISO week, e.g. 2024-W05.")] = None,
    format: Annotated[ReportFormat, typer.Option("--format")] = ReportFormat.table,
    all_sites: Annotated[
        bool, typer.Option("--all", help="All sites, not only social media.")
    ] = False,
) -> None:
    """Minutes and sessions per person, day and site."""
    from commsguard.store.db import session_scope
    from commsguard.workflows import social_media_lookup as lookup
    from commsguard.workflows.installation import database

    config = load_config()
    try:
        with session_scope(database()) as session:
            sessions = store.load_sessions(session, people=None if person is None else [person])
            taxonomy = lookup.taxonomy(session)
            files: list[dict[str, Any]] = [
                {"path": i.path, "malformed": i.malformed, "samples": i.samples}
                for i in store.load_ingests(session)
            ]
    except CommsguardError as e:
        raise _fail(e) from e
    if sessions.is_empty():
        rows = []
    else:
        annotated = annotate(sessions, config=config, taxonomy=taxonomy)
        rows = report_records(daily_rows(annotated, person=person, week=week, all_sites=all_sites))
    if format is ReportFormat.json:
        typer.echo(json.dumps(rows, indent=1))
        return
    columns = ["person", "date", "site", "category", "sessions", "minutes"]
    if format is ReportFormat.csv:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        typer.echo(out.getvalue(), nl=False)
        return
    table = Table(*columns, title="Web use (social media)" if not all_sites else "Web use")
    for r in rows:
        table.add_row(*("" if r[c] is None else str(r[c]) for c in columns))
    console = Console()
    console.print(table)
    malformed = sum(int(f.get("malformed", 0)) for f in files)
    if malformed:
        console.print(f"{malformed} malformed log lines were skipped in {len(files)} files:")
        samples = [(f["path"], s) for f in files for s in f.get("samples", [])][:5]
        for path, sample in samples:
            console.print(
                f"  {path}:{sample['line']}: {sample['reason']}",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )


@social_media_app.command()
def classify(
    target: Annotated[str, typer.Argument(metavar="URL|DOMAIN")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Say whether a URL or domain is social media, which category and which clause."""
    c = default_taxonomy().classify(target)
    if as_json:
        typer.echo(json.dumps(c.to_dict(), indent=1))
        return
    if c.category:
        extra = " (content delivery: never counted as time)" if c.background else ""
        typer.echo(f"{c.domain}: social media, {c.category} ({c.title}){extra}")
        typer.echo(f"clause: {c.clause} - {c.policy_words}")
    elif c.kind == "unknown":
        typer.echo(f"{c.domain}: not in the taxonomy (site {c.site})")
        typer.echo(f"clause: {c.clause} - {c.note}")
    else:
        typer.echo(f"{c.domain}: {c.kind} ({c.title}), not personal social media")
        typer.echo(f"clause: {c.clause}")
