"""``commsguard serve``, ``users``, ``tokens`` and ``audit``: the service's commands.

Parse arguments, call the library, print. Scripts depend on these names and options.
"""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from commsguard.errors import CommsguardError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from commsguard.web.security import Passwords

users_app = typer.Typer(help="Users of the web service.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for publishing tools.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)

console = Console()
err = Console(stderr=True)


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/bold red] {message}", highlight=False)
    return typer.Exit(code)


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Serve the web app and API (initialising the installation first if needed)."""
    import uvicorn

    from commsguard.config import get_settings
    from commsguard.store.db import get_engine, session_scope
    from commsguard.web import accounts
    from commsguard.web.app import create_app
    from commsguard.web.config import ServiceSettings
    from commsguard.web.security import Passwords
    from commsguard.workflows.installation import init_installation

    settings = get_settings()
    options = ServiceSettings()
    try:
        report = init_installation(settings)
        with session_scope(get_engine(settings.database_url)) as session:
            password = accounts.ensure_first_admin(
                session, passwords=Passwords(time_cost=options.argon2_time_cost,
                                             memory_kib=options.argon2_memory_kib),
            )
        app = create_app(settings, service_settings=options)
    except CommsguardError as exc:
        raise _fail(str(exc)) from None
    host = host or settings.host
    port = port or settings.port
    console.print(f"Database: {report.database}; pack {report.pack_name} {report.pack_version}")
    if password:
        console.print(
            "[bold]First administrator created.[/bold] Sign in as [bold]admin[/bold] with this "
            f"one-time password (you will be asked to change it):\n\n    {password}\n",
            highlight=False,
        )
    console.print(f"Serving on http://{host}:{port}", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)


def _service_session() -> AbstractContextManager[Session]:
    from commsguard.store.db import session_scope
    from commsguard.workflows.installation import database

    return session_scope(database())


def _passwords() -> Passwords:
    from commsguard.web.config import ServiceSettings
    from commsguard.web.security import Passwords as _Passwords
    from commsguard.workflows.installation import current_pack

    options = ServiceSettings()
    # The office's name is one of the words a password may not be built on.
    return _Passwords(time_cost=options.argon2_time_cost, memory_kib=options.argon2_memory_kib,
                      context=(current_pack().meta.organisation,))


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Argument(help="Lower-case login name.")],
    role: Annotated[str, typer.Option(help="staff, manager, reviewer, communications, it or "
                                           "admin.")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin",
                                                 help="Read the password from stdin.")] = False,
    name: Annotated[str, typer.Option(help="Display name.")] = "",
) -> None:
    """Create a user (the password is prompted for, or read from stdin)."""
    from commsguard.web import accounts

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with _service_session() as session:
            user = accounts.create_user(session, passwords=_passwords(), username=username,
                                        role=role, password=password, display_name=name,
                                        actor="cli")
            console.print(f"created {user.username} ({user.role})", highlight=False)
    except (accounts.AccountError, CommsguardError) as exc:
        raise _fail(str(exc), 2) from None


@users_app.command("list")
def users_list() -> None:
    """List users and their roles."""
    from sqlalchemy import select

    from commsguard.store.tables import User

    with _service_session() as session:
        for u in session.scalars(select(User).order_by(User.username)):
            state = "" if u.active else " (inactive)"
            console.print(f"{u.username}\t{u.role}{state}", highlight=False)


@tokens_app.command("create")
def tokens_create(
    username: Annotated[str, typer.Argument(help="Whose token it is.")],
    scope: Annotated[list[str] | None, typer.Option(help="check, read, review or admin; "
                                                         "repeatable.")] = None,
    name: Annotated[str, typer.Option(help="What the token is for.")] = "",
) -> None:
    """Create an API token and print it once (only its hash is kept)."""
    from commsguard.web import accounts
    from commsguard.web.security import create_token
    from commsguard.workflows import audit

    try:
        with _service_session() as session:
            user = accounts.by_username(session, username)
            if user is None:
                raise _fail(f"no user named {username!r}", 2)
            row, raw = create_token(session, user=user, scopes=scope or ["check"], name=name)
            audit.append(session, actor="cli", action="token.create", target=f"token:{row.id}",
                         detail={"scopes": row.scopes, "owner": user.username})
    except ValueError as exc:
        raise _fail(str(exc), 2) from None
    sys.stdout.write(raw + "\n")


@audit_app.command("verify")
def audit_verify(
    expect_head: Annotated[str | None, typer.Option(
        "--expect-head", metavar="COUNT:HASH",
        help="A head printed by an earlier verify and kept outside this machine: that entry "
             "must still be in the log, with that hash.")] = None,
) -> None:
    """Recompute the audit log's hash chain and check its head against the checkpoint file
    beside the secret; exit 1 if any entry was edited or deleted (the newest ones too)."""
    from commsguard.workflows import audit

    try:
        expect = audit.Head.parse(expect_head) if expect_head else None
    except ValueError as exc:
        raise _fail(str(exc), 2) from None
    with _service_session() as session:
        result = audit.verify(session, expect=expect)
    if result.ok:
        console.print(f"audit log intact: {result.entries} entries; head {result.head_line}",
                      highlight=False)
        return
    for p in result.problems:
        err.print(f"entry {p.seq}: {p.reason}", highlight=False)
    raise _fail(f"the audit log has been tampered with ({len(result.problems)} problems)")


def register(app: typer.Typer) -> None:
    """Add the service's commands to the main CLI."""
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
    app.add_typer(audit_app, name="audit")
