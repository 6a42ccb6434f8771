"""``commsguard eval [DATASET]``: precision, recall and F1 per clause on a labelled JSONL set."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, cast

import typer
from rich.console import Console
from rich.table import Table

from commsguard.errors import CommsguardError

eval_app = typer.Typer(
    help="Measure the engine on a labelled JSONL dataset (default eval/dev.jsonl).",
    invoke_without_command=True,
)

console = Console()
err = Console(stderr=True)


@eval_app.callback(invoke_without_command=True)
def evaluate_command(
    dataset: Annotated[
        Path, typer.Argument(help="Labelled JSONL (id, text, author, capacity, …, labels).")
    ] = Path("eval/dev.jsonl"),
    pack: Annotated[Path | None, typer.Option(help="Pack directory (default pack).")] = None,
    misses: Annotated[int, typer.Option(help="How many misses to print (-1 for all).")] = -1,
    without: Annotated[list[str] | None, typer.Option(
        help="Leave out the rules of this detector (repeatable), e.g. --without learned.")] = None,
    split: Annotated[str, typer.Option(
        help="External sets only: holdout (the fixed 25 %), train or all.")] = "holdout",
) -> None:
    """Print P/R/F1 per clause, macro-F1, the benign false-positive rate, and the misses.

    Given the folder of the shared external sets (``../shared/corpus/external``), print one
    table instead: per set and group, the recall or false-positive rate its labels call for.
    """
    from commsguard.evaluation import evaluate, evaluation_engine, load_dataset
    from commsguard.policy import load_pack

    if dataset.is_dir():
        _external(dataset, pack, without or [], split)
        return
    if not dataset.is_file():
        err.print(f"[bold red]error:[/bold red] {dataset}: no such file", highlight=False)
        raise typer.Exit(2)
    try:
        examples = load_dataset(dataset)
        engine = evaluation_engine(load_pack(pack), without_detectors=without or ())
        report = evaluate(examples, engine)
    except CommsguardError as exc:
        err.print(f"[bold red]error:[/bold red] {exc}", highlight=False)
        raise typer.Exit(1) from None

    table = Table(title=f"{dataset} ({report.total} messages)")
    for col in ("clause", "support", "TP", "FP", "FN", "precision", "recall", "F1"):
        table.add_column(col, justify="left" if col == "clause" else "right")
    for s in report.scores.values():
        table.add_row(s.clause, str(s.support), str(s.tp), str(s.fp), str(s.fn),
                      f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}")
    console.print(table)
    console.print(f"macro-F1: [bold]{report.macro_f1:.3f}[/bold] (over clauses in the labels)")
    console.print(
        f"benign false-positive rate: [bold]{report.benign_fp_rate:.1%}[/bold] "
        f"({report.benign_flagged} of {report.benign} benign messages flagged)"
    )
    shown = report.misses if misses < 0 else report.misses[:misses]
    if shown:
        console.print(f"\n[bold]misses[/bold] ({len(report.misses)}):")
    for m in shown:
        extra = f"  [dim]evidence: {m.evidence!r}[/dim]" if m.evidence else ""
        console.print(f"{m.id} {m.kind:6} {m.clause}: {m.text!r}{extra}", highlight=False,
                      soft_wrap=True)


def _external(directory: Path, pack: Path | None, without: list[str], split: str) -> None:
    from commsguard.evaluation import evaluation_engine
    from commsguard.evaluation_external import evaluate_external
    from commsguard.external import Split, available
    from commsguard.policy import load_pack

    if split not in ("holdout", "train", "all"):
        err.print(f"[bold red]error:[/bold red] --split {split!r}: holdout, train or all")
        raise typer.Exit(2)
    if not available(directory):
        err.print(f"[bold red]error:[/bold red] {directory}: no SOURCES.md, not the external sets",
                  highlight=False)
        raise typer.Exit(2)
    try:
        engine = evaluation_engine(load_pack(pack), without_detectors=without)
        rows = evaluate_external(engine, directory=directory, split=cast(Split, split))
    except CommsguardError as exc:
        err.print(f"[bold red]error:[/bold red] {exc}", highlight=False)
        raise typer.Exit(1) from None
    table = Table(title=f"{directory} ({split} split)")
    for col in ("set", "group", "n", "measure", "rate", "target", "any finding", "blocked"):
        table.add_column(col, justify="left" if col in ("set", "group", "measure") else "right")
    for r in rows:
        table.add_row(r.source, r.group, str(r.n), r.measure, f"{r.rate:.3f}", r.target,
                      f"{r.any_finding:.3f}", f"{r.blocked:.3f}")
    console.print(table)
