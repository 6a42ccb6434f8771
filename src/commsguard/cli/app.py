"""``commsguard``: parse arguments, call the library, print. No logic lives here.

The command names and options are a contract other tools script against: keep them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from commsguard.errors import CommsguardError, PackErrors, StoreError

if TYPE_CHECKING:
    from commsguard.workflows.registers import ImportReport

app = typer.Typer(
    name="commsguard",
    help="Check posts and messages against the Social Media and Electronic Communications Policy.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
pack_app = typer.Typer(help="Policy packs: test, lint, load, train.", no_args_is_help=True)
register_app = typer.Typer(help="The confidential register (stored as keyed hashes only).",
                           no_args_is_help=True)
auth_app = typer.Typer(help="The register of who may speak for the office.", no_args_is_help=True)
app.add_typer(pack_app, name="pack")
app.add_typer(register_app, name="register")
app.add_typer(auth_app, name="authorisations")

console = Console()
err = Console(stderr=True, soft_wrap=True)  # error lines name file:line; never wrap them


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/bold red] {message}", highlight=False)
    return typer.Exit(code)


@app.command()
def init() -> None:
    """Create or migrate the database, create the installation secret, load the default pack."""
    from commsguard.workflows.installation import init_installation

    try:
        report = init_installation()
    except CommsguardError as exc:
        raise fail(str(exc)) from None
    console.print(f"Database ready: {report.database}")
    console.print(f"Policy pack loaded: {report.pack_name} {report.pack_version}")
    console.print(f"Installation secret: {report.secret_file} (back it up apart from the database)")


@app.command()
def check(
    text: Annotated[str | None, typer.Argument(help="The text to check.")] = None,
    author: Annotated[str, typer.Option(help="Who wrote it.")] = "",
    capacity: Annotated[str, typer.Option(help="private or official.")] = "private",
    channel: Annotated[str, typer.Option(help="Where it is posted (twitter, email, …).")] = "",
    profile: Annotated[str, typer.Option(help="The author's public bio.")] = "",
    format: Annotated[str, typer.Option("--format", "-f", help="text, json or jsonl.")] = "text",
    input: Annotated[
        Path | None, typer.Option(help="JSONL file of messages (with --format jsonl); - for stdin.")
    ] = None,
    explain: Annotated[
        bool, typer.Option(help="Say why each finding fired, and where rules came close.")
    ] = False,
) -> None:
    """Check a post (or, with --format jsonl, a stream of JSONL messages)."""
    from commsguard.workflows.checking import check_jsonl, check_one

    if capacity not in ("private", "official"):
        raise fail(f"--capacity must be private or official, not {capacity!r}", 2)
    if format not in ("text", "json", "jsonl"):
        raise fail(f"--format must be text, json or jsonl, not {format!r}", 2)
    try:
        if format == "jsonl" or input is not None:
            if text is not None:
                raise fail("give either TEXT or --format jsonl input, not both", 2)
            stream = sys.stdin if input is None or str(input) == "-" else None
            if stream is None:
                assert input is not None
                if not input.is_file():
                    raise fail(f"{input}: no such file", 2)
                with input.open(encoding="utf-8", errors="replace") as f:
                    check_jsonl(f, sys.stdout, explain=explain, warn=err.print)
            else:
                check_jsonl(stream, sys.stdout, explain=explain, warn=err.print)
            return
        if text is None:
            raise fail("give the TEXT to check (or --format jsonl with --input FILE)", 2)
        message, result = check_one(
            text,
            author=author,
            capacity="official" if capacity == "official" else "private",
            channel=channel,
            profile=profile,
            warn=err.print,
        )
    except CommsguardError as exc:
        raise fail(str(exc)) from None
    if format == "json":
        sys.stdout.write(json.dumps(result.to_dict(explain=explain), ensure_ascii=False) + "\n")
    else:
        from commsguard.cli.render import render_result

        render_result(console, message, result, explain=explain)


@pack_app.command("test")
def pack_test(
    path: Annotated[Path | None, typer.Argument(help="Pack directory (default pack if omitted).")]
    = None,
) -> None:
    """Run every rule's examples; fail loudly on any miss."""
    from rich.table import Table

    from commsguard.policy import load_pack
    from commsguard.policy.selftest import run_pack_tests

    try:
        pack = load_pack(path)
        reports = run_pack_tests(pack)
    except CommsguardError as exc:
        raise fail(str(exc)) from None
    table = Table(title=f"{pack.name} {pack.version}")
    for col in ("rule", "clause", "flag", "pass", "result"):
        table.add_column(col)
    failures = [f for r in reports for f in r.failures]
    for r in reports:
        table.add_row(r.rule, r.clause, str(r.flagged), str(r.passed),
                      "[green]ok[/green]" if r.ok else f"[red]{len(r.failures)} failed[/red]")
    console.print(table)
    for f in failures:
        err.print(f"[red]FAIL[/red] {f.rule} ({f.kind} example): {f.reason}\n    {f.text!r}",
                  highlight=False)
    total = sum(r.flagged + r.passed for r in reports)
    if failures:
        err.print(f"[bold red]{len(failures)} of {total} examples failed[/bold red]")
        raise typer.Exit(1)
    console.print(f"[bold green]all {total} examples of {len(reports)} rules pass[/bold green]")


@pack_app.command("lint")
def pack_lint(
    path: Annotated[Path | None, typer.Argument(help="Pack directory.")] = None,
) -> None:
    """Validate a pack and report every problem at once, with file, line and field."""
    from commsguard.policy import load_pack

    try:
        pack = load_pack(path, collect_errors=True)
    except PackErrors as exc:
        for e in exc.errors:
            err.print(str(e), highlight=False)
        raise fail(f"{len(exc.errors)} problems") from None
    except CommsguardError as exc:
        raise fail(str(exc)) from None
    from commsguard.policy.manifest import check_manifest, manifests

    problems = [p for m in manifests(pack.root) for p in check_manifest(m)]
    for e in problems:
        err.print(str(e), highlight=False)
    if problems:
        raise fail(f"{len(problems)} problems")
    console.print(
        f"{pack.name} {pack.version}: {len(pack.clauses)} clauses, {len(pack.rules)} rules, "
        f"{len(manifests(pack.root))} model manifests, ok"
    )


def _run_import(
    file: Path, do_import: Callable[[Path], ImportReport], what: str, unchanged: str
) -> None:
    """Run a CSV import; name each skipped row by file:line; exit 1 if any row was skipped."""
    try:
        report = do_import(file)
    except (CommsguardError, ValueError, OSError) as exc:
        raise fail(str(exc)) from None
    for e in report.errors:
        err.print(f"{file}:{e.line}: skipped: {e.reason}", highlight=False)
    console.print(
        f"{what}: {report.added} added, {report.unchanged} {unchanged}, "
        f"{len(report.errors)} rows skipped"
    )
    if report.errors:
        raise typer.Exit(1)


@register_app.command("import")
def register_import(
    file: Annotated[Path, typer.Argument(help="CSV with columns kind,value.")],
) -> None:
    """Import confidential values; only keyed hashes are stored, never the values."""
    from commsguard.workflows.registers import import_register_file

    _run_import(file, import_register_file, "register", "already present")


@auth_app.command("import")
def authorisations_import(
    file: Annotated[Path, typer.Argument(help="CSV with columns person,authority,expires.")],
) -> None:
    """Import who may speak for the office (spokesperson) or use social media for business."""
    from commsguard.workflows.registers import import_authorisations_file

    _run_import(file, import_authorisations_file, "authorisations", "updated")


def _register_subapps() -> None:
    """Sub-commands that live in their own modules, one module per area."""
    from commsguard.cli import archives, packs_admin, service
    from commsguard.cli.bench import bench_app
    from commsguard.cli.evaluate import eval_app
    from commsguard.cli.governance import attest_app, cases_app, people_app
    from commsguard.cli.webuse import social_media_app, webuse_app

    for sub, name in (
        (webuse_app, "webuse"),
        (social_media_app, "social-media"),
        (bench_app, "bench"),
        (eval_app, "eval"),
        (people_app, "people"),
        (attest_app, "attest"),
        (cases_app, "cases"),
    ):
        app.add_typer(sub, name=name)
    service.register(app)  # serve, users, tokens, audit
    archives.register(app)  # scan, rescan, ingest, quarantine, retention
    packs_admin.register(pack_app)  # pack load, pack train


_register_subapps()


def main() -> None:
    try:
        app()
    except StoreError as exc:
        err.print(f"[bold red]error:[/bold red] {exc}", highlight=False)
        sys.exit(1)
