"""``commsguard people``, ``attest`` and ``cases``: parse arguments, call the workflows, print.

Registered by ``cli/app.py`` as ``people_app``, ``attest_app`` and ``cases_app``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from commsguard.errors import CommsguardError

people_app = typer.Typer(help="People the policy binds: import, list.", no_args_is_help=True)
attest_app = typer.Typer(help="Attestation to the current policy version.", no_args_is_help=True)
cases_app = typer.Typer(help="Reports and complaints tracked as cases.", no_args_is_help=True)

console = Console()
err = Console(stderr=True, soft_wrap=True)
CLI_ACTOR = "cli"


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/bold red] {message}", highlight=False)
    return typer.Exit(code)


@people_app.command("import")
def people_import(
    file: Annotated[Path, typer.Argument(
        help="CSV: username,name,email,kind,manager,start_date,end_date[,role].")],
) -> None:
    """Add or update people from a CSV; rows with problems are skipped and named by line."""
    from commsguard.store.db import session_scope
    from commsguard.workflows.installation import database
    from commsguard.workflows.people import PeopleError, import_people_file

    if not file.is_file():
        raise _fail(f"{file}: no such file", 2)
    try:
        with session_scope(database()) as session:
            report = import_people_file(session, path=file, actor=CLI_ACTOR)
    except (CommsguardError, PeopleError, OSError, UnicodeDecodeError) as exc:
        raise _fail(str(exc)) from None
    for e in report.errors:
        err.print(f"{file}:{e.line}: skipped: {e.reason}", highlight=False)
    console.print(f"people: {report.added} added, {report.updated} updated, "
                  f"{len(report.errors)} rows skipped")
    if report.errors:
        raise typer.Exit(1)


@people_app.command("list")
def people_list(
    team: Annotated[str | None, typer.Option("--team", help="Only this manager's team.")] = None,
    former: Annotated[bool, typer.Option(help="Include former staff.")] = False,
) -> None:
    """List people, with their manager and dates."""
    from commsguard.store.db import session_scope
    from commsguard.workflows.installation import database
    from commsguard.workflows.people import is_current, list_people

    with session_scope(database()) as session:
        rows = list_people(session, manager=team, include_former=former)
        table = Table()
        for col in ("username", "name", "kind", "manager", "start", "end"):
            table.add_column(col)
        for p in rows:
            end = str(p.end_date or "") + ("" if is_current(p) else " (former)")
            table.add_row(p.username, p.name, p.kind, p.manager or "", str(p.start_date), end)
    console.print(table)


@attest_app.command("status")
def attest_status(
    team: Annotated[str | None, typer.Option(
        "--team", metavar="MANAGER", help="Only the team of this manager (username).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Who has attested to the current policy version, and who must (and why)."""
    from commsguard.store.db import session_scope
    from commsguard.workflows.attestation import AttestationError, current_version, team_status
    from commsguard.workflows.installation import database

    try:
        with session_scope(database()) as session:
            version = current_version(session)
            statuses = team_status(session, manager=team)
            rows = [{
                "username": s.person.username, "name": s.person.name, "state": s.state,
                "attested_version": s.version,
                "attested_at": s.attested_at.isoformat() if s.attested_at else None,
                "quiz": f"{s.quiz_score}/{s.quiz_total}" if s.quiz_total else "",
                "changed_clauses": [c.id for c in s.changes],
            } for s in statuses]
            header = f"{version.name} {version.version} (effective {version.effective})"
    except AttestationError as exc:
        raise _fail(str(exc)) from None
    if as_json:
        typer.echo(json.dumps({"version": header, "people": rows}, indent=1))
        return
    table = Table(title=header)
    for col in ("username", "name", "state", "attested", "quiz", "must read"):
        table.add_column(col)
    colours = {"current": "green", "due": "yellow", "never": "red"}
    for r in rows:
        state = str(r["state"])
        table.add_row(str(r["username"]), str(r["name"]),
                      f"[{colours.get(state, 'white')}]{state}[/]",
                      str(r["attested_version"] or "-"), str(r["quiz"]),
                      ", ".join(r["changed_clauses"]))  # type: ignore[arg-type]
    console.print(table)
    done = sum(1 for r in rows if r["state"] == "current")
    console.print(f"{done} of {len(rows)} current")


@cases_app.command("list")
def cases_list(
    status: Annotated[str | None, typer.Option(
        "--status", help="open, investigating, awaiting-reporter or closed.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List cases (reports and complaints) with owner, status and due date."""
    from commsguard.store.db import session_scope
    from commsguard.workflows.cases import CaseError, overdue, visible_cases
    from commsguard.workflows.installation import database

    try:
        with session_scope(database()) as session:
            # The command line runs as the installation's administrator.
            rows = [{
                "id": c.id, "kind": c.kind, "title": c.title, "status": c.status,
                "owner": c.owner or "", "due": str(c.due_date or ""), "overdue": overdue(c),
                "anonymous": c.anonymous,
            } for c in visible_cases(session, username=CLI_ACTOR, role="admin", status=status)]
    except CaseError as exc:
        raise _fail(str(exc), 2) from None
    if as_json:
        typer.echo(json.dumps(rows, indent=1))
        return
    table = Table()
    for col in ("#", "kind", "title", "status", "owner", "due"):
        table.add_column(col)
    for r in rows:
        due = f"[red]{r['due']} overdue[/]" if r["overdue"] else str(r["due"])
        table.add_row(str(r["id"]), str(r["kind"]), str(r["title"]), str(r["status"]),
                      str(r["owner"]), due)
    console.print(table)
