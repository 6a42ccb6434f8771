"""``commsguard pack load [PATH]`` and ``commsguard pack train [PATH]``.

``load`` stores a pack as the active policy version and prints how many people must (re-)attest;
those people are e-mailed a reminder when SMTP is configured. ``train`` refits the learned
detector's model from the pack's labelled data (``data/learned/training.yaml``). Both are
registered by ``cli/app.py`` on the ``pack`` sub-app.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from commsguard.errors import CommsguardError

console = Console()
err = Console(stderr=True, soft_wrap=True)
CLI_ACTOR = "cli"


def pack_load(
    path: Annotated[Path | None, typer.Argument(
        help="Pack directory (default: the installation's pack, COMMSGUARD_PACK).")] = None,
    remind: Annotated[bool, typer.Option(
        help="E-mail those who must attest (when SMTP is configured).")] = True,
) -> None:
    """Store a pack as the active policy version; say who must re-attest."""
    from commsguard.policy.loader import load_pack
    from commsguard.store.db import session_scope
    from commsguard.workflows.attestation import AttestationError
    from commsguard.workflows.installation import current_pack, database
    from commsguard.workflows.pack_load import load_pack_version

    try:
        pack = load_pack(path) if path is not None else current_pack()
        with session_scope(database()) as session:
            loaded = load_pack_version(session, pack=pack, actor=CLI_ACTOR, remind=remind)
            name, version = loaded.version.name, loaded.version.version
    except (CommsguardError, AttestationError) as exc:
        err.print(f"[bold red]error:[/bold red] {exc}", highlight=False)
        raise typer.Exit(1) from None
    stored = "stored" if loaded.new else "already stored; now active"
    since = f" (was {loaded.previous})" if loaded.previous and loaded.previous != version else ""
    console.print(f"{name} {version} {stored}{since}", highlight=False)
    console.print(f"{len(loaded.must_attest)} people must attest; "
                  f"{len(loaded.reminded)} reminded by e-mail", highlight=False)


def pack_train(
    path: Annotated[Path | None, typer.Argument(
        help="Pack directory (default: the default pack).")] = None,
) -> None:
    """Refit the learned model from the pack's labelled data; print cross-validated figures."""
    from commsguard.detectors.learned.train import train_pack
    from commsguard.policy.loader import DEFAULT_PACK

    root = path if path is not None else DEFAULT_PACK
    try:
        report = train_pack(root)
    except CommsguardError as exc:
        err.print(f"[bold red]error:[/bold red] {exc}", highlight=False)
        raise typer.Exit(1) from None
    console.print(f"{report.examples} examples, {report.vocabulary} terms", highlight=False)
    for h in report.heads:
        console.print(
            f"  {h.clause}: {h.positives} positive; threshold {h.threshold:.2f}, cross-validated "
            f"precision {h.precision:.2f}, recall {h.recall:.2f}", highlight=False)
    state = "written" if report.changed else "unchanged"
    console.print(f"{report.output} {state}", highlight=False)


def register(pack_app: typer.Typer) -> None:
    """Add ``load`` and ``train`` to the ``pack`` sub-app."""
    pack_app.command("load")(pack_load)
    pack_app.command("train")(pack_train)
