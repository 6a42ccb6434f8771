"""``commsguard pack load [PATH]`` and ``commsguard pack train [PATH]``.

``load`` stores a pack as the active policy version and prints how many people must (re-)attest;
those people are e-mailed a reminder when SMTP is configured. ``train`` refits the model tiers
from the pack's labelled data (``data/learned/training.yaml``, ``data/semantic/training.yaml``),
with reviewers' decisions when asked. Both are registered by ``cli/app.py`` on the ``pack``
sub-app.
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
    tier: Annotated[str, typer.Option(
        help="Which model tier to retrain: learned (n-grams), semantic (meaning) or all.")] = "all",
    from_decisions: Annotated[bool, typer.Option(
        help="Add reviewers' breach/dismiss decisions from the database to the semantic "
             "tier's training data first.")] = False,
    external: Annotated[Path | None, typer.Option(
        help="The shared external sets (default <checkout>/../shared/corpus/external).")] = None,
    evaluate: Annotated[Path | None, typer.Option(
        "--eval", help="Labelled JSONL to measure before and after retraining.")] = None,
) -> None:
    """Refit the pack's model tiers from its labelled data; print the figures."""
    from commsguard.policy.loader import DEFAULT_PACK

    if tier not in ("learned", "semantic", "all"):
        raise typer.BadParameter("learned, semantic or all", param_hint="--tier")
    root = path if path is not None else DEFAULT_PACK
    try:
        before = _macro_f1(root, evaluate) if evaluate is not None else None
        if from_decisions:
            _export_decisions(root)
        if tier in ("learned", "all"):
            _train_learned(root)
        if tier in ("semantic", "all"):
            _train_semantic(root, external)
        if evaluate is not None and before is not None:
            after = _macro_f1(root, evaluate)
            console.print(
                f"{evaluate}: macro-F1 {before[0]:.3f} -> {after[0]:.3f}, benign flagged "
                f"{before[1]:.1%} -> {after[1]:.1%}", highlight=False)
    except CommsguardError as exc:
        err.print(f"[bold red]error:[/bold red] {exc}", highlight=False)
        raise typer.Exit(1) from None


def _macro_f1(root: Path, dataset: Path) -> tuple[float, float]:
    from commsguard.evaluation import evaluate, evaluation_engine, load_dataset
    from commsguard.policy.loader import load_pack

    report = evaluate(load_dataset(dataset), evaluation_engine(load_pack(root)))
    return report.macro_f1, report.benign_fp_rate


def _export_decisions(root: Path) -> None:
    from commsguard.config import get_settings
    from commsguard.detectors.learned.semantic_train import DECISIONS_FILE
    from commsguard.secret import load_secret
    from commsguard.store import crud
    from commsguard.store.db import session_scope
    from commsguard.workflows.installation import database
    from commsguard.workflows.masking import RegisterMask
    from commsguard.workflows.training_decisions import export_decisions

    with session_scope(database()) as session:
        secret = load_secret(get_settings().secret_file, create=False)
        register = crud.load_register(session, secret=secret)
        done = export_decisions(session, root / DECISIONS_FILE,
                                register_mask=RegisterMask(register))
    console.print(
        f"decisions: {done.positives} breaches, {done.negatives} dismissals -> {done.path} "
        f"({done.skipped} skipped: text purged or register-masked)", highlight=False)


def _train_learned(root: Path) -> None:
    from commsguard.detectors.learned.train import train_pack

    report = train_pack(root)
    console.print(f"learned: {report.examples} examples, {report.vocabulary} terms",
                  highlight=False)
    for h in report.heads:
        console.print(
            f"  {h.clause}: {h.positives} positive; threshold {h.threshold:.2f}, cross-validated "
            f"precision {h.precision:.2f}, recall {h.recall:.2f}", highlight=False)
    state = "written" if report.changed else "unchanged"
    console.print(f"{report.output} {state}", highlight=False)


def _train_semantic(root: Path, external: Path | None) -> None:
    from rich.progress import Progress

    from commsguard.detectors.learned.semantic_train import train_semantic

    with Progress(console=err, transient=True) as progress:
        tasks: dict[str, object] = {}

        def step(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = progress.add_task(name, total=total)
            progress.update(tasks[name], completed=done)  # type: ignore[arg-type]

        report = train_semantic(root, external_dir=external, progress=step)
    sources = ", ".join(f"{k} {v}" for k, v in sorted(report.sources.items()))
    console.print(f"semantic: {report.examples} examples ({sources})", highlight=False)
    for h in report.heads:
        rates = ", ".join(f"{k} {v:.1%}" for k, v in h.benign_rates.items())
        console.print(
            f"  {h.clause}: {h.positives} positive; threshold {h.threshold:.2f} (screen "
            f"{h.screen_threshold:.2f}); out-of-fold recall {h.oof_recall:.2f}; benign flagged: "
            f"{rates}", highlight=False)
    console.print(f"{report.output} written", highlight=False)


def register(pack_app: typer.Typer) -> None:
    """Add ``load`` and ``train`` to the ``pack`` sub-app."""
    pack_app.command("load")(pack_load)
    pack_app.command("train")(pack_train)
