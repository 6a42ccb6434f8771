"""The benchmark's report: the side-by-side table, the per-entity table and the targets.

Targets (issue 2 for the PII engine, issue 3 for the full pack, one core):

* PII engine: ≥ 10× Presidio's throughput on the same entities, recall ≥ Presidio's on every
  entity, p99 ≤ 1 ms per post, peak RSS ≤ 150 MB;
* full pack: ≥ 2,500 posts/s, p99 ≤ 5 ms, peak RSS ≤ 300 MB.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from rich import box
from rich.console import Console
from rich.table import Table

from commsguard.benchmark.generate import ENTITIES
from commsguard.benchmark.measure import SystemResult

SHORT = {
    "PHONE_NUMBER": "PHONE", "EMAIL_ADDRESS": "EMAIL", "AU_TFN": "TFN", "AU_MEDICARE": "MEDICARE",
    "AU_ABN": "ABN", "AU_ACN": "ACN", "CREDIT_CARD": "CARD", "STREET_ADDRESS": "ADDRESS",
    "DATE_OF_BIRTH": "DOB", "DRIVER_LICENCE": "LICENCE", "PASSPORT": "PASSPORT",
    "BANK_ACCOUNT": "BANK",
}
PII, PRESIDIO, FULL = "commsguard-pii", "presidio", "commsguard-full"
RULES = "commsguard-rules"
#: Above this 1-minute load average (the number of CPUs; the benchmark itself adds about one)
#: other work is likely to have shared the pinned CPU.
BUSY_LOAD = float(os.cpu_count() or 1)


@dataclass(frozen=True, slots=True)
class Target:
    system: str
    what: str
    target: str
    figure: str
    met: bool | None  # None: cannot be judged in this run

    @property
    def verdict(self) -> str:
        return {True: "met", False: "NOT MET", None: "n/a"}[self.met]


def _num(x: float | None, fmt: str) -> str:
    return "–" if x is None else format(x, fmt)


def _recall(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def targets(results: Sequence[SystemResult]) -> list[Target]:
    by = {r.system: r for r in results if not r.error}
    out: list[Target] = []
    pii, ref, full, rules = by.get(PII), by.get(PRESIDIO), by.get(FULL), by.get(RULES)
    if pii is not None:
        if ref is not None and ref.posts_per_s and pii.posts_per_s:
            ratio = pii.posts_per_s / ref.posts_per_s
            out.append(Target(PII, "throughput vs Presidio", "≥ 10×", f"{ratio:.1f}×",
                              ratio >= 10))
        else:
            out.append(Target(PII, "throughput vs Presidio", "≥ 10×", "Presidio not run", None))
        if ref is not None:
            worse = []
            for e in ENTITIES:
                theirs = ref.entity_recall(e)
                ours = pii.entity_recall(e)
                if theirs is not None and (ours is None or ours < theirs):
                    worse.append(f"{SHORT[e]} {_recall(ours)}<{theirs:.2f}")
            out.append(Target(PII, "recall vs Presidio, every entity", "≥ Presidio's",
                              "; ".join(worse) or "all ≥", not worse))
        else:
            out.append(Target(PII, "recall vs Presidio, every entity", "≥ Presidio's",
                              "Presidio not run", None))
        out.append(_upper(PII, "p99 latency", pii.p99_ms, 1.0, "ms"))
        out.append(_upper(PII, "peak RSS", pii.peak_rss_mb, 150, "MB"))
    if rules is not None:
        out += _pack_targets(RULES, rules, rate=2500, p99=5.0, rss=300)
    if full is not None:  # with the semantic tier (a sentence encoder): issue 11's bar
        out += _pack_targets(FULL, full, rate=500, p99=10.0, rss=500)
    return out


def _pack_targets(
    system: str, r: SystemResult, *, rate: int, p99: float, rss: float
) -> list[Target]:
    got = r.posts_per_s
    return [
        Target(system, "throughput", f"≥ {rate:,} posts/s", _num(got, ",.0f"),
               None if got is None else got >= rate),
        _upper(system, "p99 latency", r.p99_ms, p99, "ms"),
        _upper(system, "peak RSS", r.peak_rss_mb, rss, "MB"),
    ]


def _upper(system: str, what: str, value: float | None, limit: float, unit: str) -> Target:
    figure = _num(value, ".2f" if unit == "ms" else ".0f")
    return Target(system, what, f"≤ {limit:g} {unit}", figure,
                  None if value is None else value <= limit)


def render(console: Console, results: Sequence[SystemResult], *, posts: int, seed: int,
           misses: bool = False) -> list[Target]:
    """Print the tables; return the targets (for the exit code and for tests)."""
    ok = [r for r in results if not r.error]
    main = Table(title=f"commsguard bench: {posts:,} posts, seed {seed}, one core",
                 title_justify="left", box=box.SIMPLE_HEAD)
    for col in ("system", "posts/s", "p50 ms", "p99 ms", "peak RSS MB", "decoys hit"):
        main.add_column(col, justify="left" if col == "system" else "right", no_wrap=True)
    for e in ENTITIES:
        main.add_column(SHORT[e], justify="right", no_wrap=True)
    for r in ok:
        main.add_row(
            r.label or r.system, _num(r.posts_per_s, ",.0f"), _num(r.p50_ms, ".3f"),
            _num(r.p99_ms, ".3f"), _num(r.peak_rss_mb, ".0f"), f"{r.decoy_hits}/{r.decoys}",
            *(_recall(r.entity_recall(e)) for e in ENTITIES),
        )
    console.print(main)
    console.print("posts/s and latencies: CPU time of each system's own pinned process (one "
                  "core's work; wall clock below). Recall: planted entities found by a "
                  "same-entity finding that overlaps them.", highlight=False)

    clocks = Table(title="CPU time and wall clock", title_justify="left", box=box.SIMPLE_HEAD)
    for col in ("system", "posts/s", "wall posts/s", "p50 ms", "wall p50", "p99 ms", "wall p99",
                "max ms", "load s", "load avg"):
        clocks.add_column(col, justify="left" if col == "system" else "right", no_wrap=True)
    for r in ok:
        clocks.add_row(
            r.label or r.system, _num(r.posts_per_s, ",.0f"), _num(r.wall_posts_per_s, ",.0f"),
            _num(r.p50_ms, ".3f"), _num(r.wall_p50_ms, ".3f"), _num(r.p99_ms, ".3f"),
            _num(r.wall_p99_ms, ".3f"), _num(r.max_ms, ".2f"), _num(r.load_s, ".2f"),
            _num(r.load_before, ".1f"),
        )
    console.print(clocks)

    per = Table(title="recall per entity (planted entities found by a same-entity finding)",
                title_justify="left")
    per.add_column("entity")
    per.add_column("planted", justify="right")
    for r in ok:
        per.add_column(r.label or r.system, justify="right")
    for e in ENTITIES:
        planted = max((r.recall.get(e, (0, 0))[1] for r in ok), default=0)
        per.add_row(e, str(planted), *(_recall(r.entity_recall(e)) for r in ok))
    console.print(per)

    found = targets(results)
    tt = Table(title="targets", title_justify="left")
    for col in ("system", "measure", "target", "figure", "verdict"):
        tt.add_column(col)
    for t in found:
        colour = {True: "green", False: "red", None: "yellow"}[t.met]
        tt.add_row(t.system, t.what, t.target, t.figure, f"[{colour}]{t.verdict}[/{colour}]")
    console.print(tt)

    for r in results:
        if r.error:
            console.print(f"[yellow]{r.system}: not measured: {r.error}[/yellow]", highlight=False)
        else:
            console.print(f"{r.label}: {r.note}; RSS before loading "
                          f"{_num(r.baseline_rss_mb, '.0f')} MB (interpreter and corpus)",
                          highlight=False)
    busiest = max((r.load_before or 0.0 for r in ok), default=0.0)
    if busiest > BUSY_LOAD:
        console.print(f"[yellow]warning: the machine's load average reached {busiest:.1f} "
                      "during the run: other work shared the CPU, so wall-clock times are "
                      "pessimistic (CPU times much less so). Re-run on a quiet machine for "
                      "wall-clock figures (--repeat 3 keeps each system's best pass)."
                      "[/yellow]", highlight=False)
    if misses:
        for r in ok:
            for entity, examples in sorted(r.misses.items()):
                if r.entity_recall(entity) is None:
                    continue
                console.print(f"[bold]{r.label}[/bold] missed {entity}:", highlight=False)
                for ex in examples:
                    console.print(f"    {ex}", highlight=False, markup=False)
    return found
