"""``commsguard bench``: the seeded benchmark against Presidio, and the full pack.

Parses arguments, runs :mod:`commsguard.benchmark` and prints its tables. Presidio is a
bench-only extra (``pip install -e '.[bench]'``); without it, its row says so.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

bench_app = typer.Typer(help="Benchmark the engine against Presidio on a seeded corpus.")

SYSTEMS = {
    "commsguard": ("commsguard-pii",),
    "presidio": ("presidio",),
}


@bench_app.callback(invoke_without_command=True)
def bench(
    posts: Annotated[int, typer.Option(min=1, help="How many posts to generate.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Corpus seed: the same seed, the same posts.")] = 1,
    only: Annotated[
        str | None, typer.Option(help="commsguard or presidio: measure one side only.")
    ] = None,
    full_pack: Annotated[
        bool, typer.Option(help="Also measure the full pack, every detector on (issue 3).")
    ] = True,
    cpu: Annotated[int | None, typer.Option(help="CPU to pin each measurement to.")] = None,
    repeat: Annotated[
        int, typer.Option(min=1, help="Time each pass N times and keep the best run.")
    ] = 1,
    misses: Annotated[bool, typer.Option(help="Show some missed entities per system.")] = False,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the raw results to this file.")
    ] = None,
) -> None:
    """Posts/s, p50/p99 latency, peak RSS and per-entity recall, side by side."""
    from commsguard.benchmark.measure import run_benchmark
    from commsguard.benchmark.report import render

    if only is not None and only not in SYSTEMS:
        raise typer.BadParameter("must be commsguard or presidio", param_hint="--only")
    systems = [s for k, v in SYSTEMS.items() if only in (None, k) for s in v]
    if full_pack and only in (None, "commsguard"):
        systems += ["commsguard-rules", "commsguard-full"]
    console = Console(width=max(Console().width, 200))
    err = Console(stderr=True)
    results = run_benchmark(systems, posts=posts, seed=seed, cpu=cpu, repeat=repeat,
                            progress=lambda m: err.print(m, style="dim", highlight=False))
    render(console, results, posts=posts, seed=seed, misses=misses)
    if json_out is not None:
        json_out.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n",
                            encoding="utf-8")
