"""Measure one system on the seeded corpus: throughput, latency, peak RSS and recall.

Each system runs in its own subprocess (``python -m commsguard.benchmark.measure --system S``),
pinned to one CPU, so that peak RSS is that system's alone and nothing else competes for the
core. The child regenerates the corpus from the seed (deterministic, so every system sees the
same posts), builds the system, warms it up, then makes two timed passes:

* throughput: the whole corpus through the system's batch API (``Engine.check_many`` in batches
  of 256, as ``commsguard check --format jsonl`` does; Presidio's ``BatchAnalyzerEngine``);
* latency: one call per post (``Engine.check``, ``AnalyzerEngine.analyze``), timed each.

Both passes are timed on the process's CPU clock (the headline figures: one core's work,
immune to other load on the machine) and on the wall clock.

Recall is scored on the throughput pass: a planted entity counts as found if a finding of the
same entity overlaps it. The child prints one JSON line prefixed ``BENCH-RESULT``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from commsguard.benchmark.generate import ENTITIES, Post, generate_posts
from commsguard.benchmark.runner import Found, Runner
from commsguard.benchmark.systems import SYSTEMS

#: (entity, start, end) as a system reports it, in our entity names.
RESULT_PREFIX = "BENCH-RESULT "
MISSING_EXTRA = 3  # child exit code: a bench-only extra is not installed
MISS_EXAMPLES = 5


@dataclass
class EntityScore:
    planted: int = 0
    found: int = 0

    @property
    def recall(self) -> float | None:
        return self.found / self.planted if self.planted else None


@dataclass
class Scores:
    entities: dict[str, EntityScore] = field(default_factory=dict)
    decoys: int = 0
    decoy_hits: int = 0
    #: entity -> a few missed values with their surroundings, for diagnosis.
    misses: dict[str, list[str]] = field(default_factory=dict)


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def score(posts: Sequence[Post], found: Sequence[Sequence[Found]]) -> Scores:
    """Per-entity recall by overlap with same-entity findings; decoys hit by any finding."""
    out = Scores(entities={e: EntityScore() for e in ENTITIES})
    for post, spans in zip(posts, found, strict=True):
        for p in post.planted:
            s = out.entities.setdefault(p.kind, EntityScore())
            s.planted += 1
            if any(e == p.kind and _overlaps(p.start, p.end, a, b) for e, a, b in spans):
                s.found += 1
            elif len(out.misses.setdefault(p.kind, [])) < MISS_EXAMPLES:
                around = post.text[max(0, p.start - 30) : p.end + 15].replace("\n", " ")
                out.misses[p.kind].append(f"{p.text!r} in …{around}…")
        for d in post.decoys:
            out.decoys += 1
            out.decoy_hits += any(_overlaps(d.start, d.end, a, b) for _, a, b in spans)
    return out


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values (q in 0..100)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


@dataclass
class SystemResult:
    system: str
    label: str = ""
    posts: int = 0
    #: CPU time of the measuring process: throughput and per-post latency.
    posts_per_s: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    max_ms: float | None = None
    #: the same on the wall clock (equal on a quiet machine; larger when others share the CPU).
    wall_posts_per_s: float | None = None
    wall_p50_ms: float | None = None
    wall_p99_ms: float | None = None
    peak_rss_mb: float | None = None
    baseline_rss_mb: float | None = None
    load_s: float | None = None
    rules: int = 0
    #: our entity names this system has a recognizer for; others show "n/a".
    supported: list[str] = field(default_factory=list)
    recall: dict[str, tuple[int, int]] = field(default_factory=dict)  # entity -> (found, planted)
    decoys: int = 0
    decoy_hits: int = 0
    misses: dict[str, list[str]] = field(default_factory=dict)
    error: str = ""
    note: str = ""
    #: the machine's 1-minute load average when this system's run started (set by the parent).
    load_before: float | None = None

    def entity_recall(self, entity: str) -> float | None:
        if entity not in self.supported:
            return None
        found, planted = self.recall.get(entity, (0, 0))
        return found / planted if planted else None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SystemResult:
        d = dict(d)
        d["recall"] = {k: (int(v[0]), int(v[1])) for k, v in d.get("recall", {}).items()}
        return cls(**d)


def _rss_mb() -> float:
    """Peak RSS of this process in MB.

    ``VmHWM`` from ``/proc/self/status``: unlike ``ru_maxrss``, which Linux carries across
    ``execve`` (so a child would report its parent's peak), it belongs to this process alone.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class _Timing:
    """One clock's figures over the repeated passes: the best batch time, the best latency run."""

    def __init__(self, clock: Callable[[], int]) -> None:
        self.clock = clock
        self.best_batch_ns = math.inf
        self.latencies: list[float] = []
        self._run: list[float] = []

    def batch(self, start: int) -> None:
        self.best_batch_ns = min(self.best_batch_ns, self.clock() - start)

    def start_run(self) -> None:
        self._run = []

    def tick(self, start: int) -> None:
        self._run.append((self.clock() - start) / 1e6)

    def end_run(self) -> None:
        run = sorted(self._run)
        if not self.latencies or percentile(run, 99) < percentile(self.latencies, 99):
            self.latencies = run

    def rate(self, n: int) -> float | None:
        return n / (self.best_batch_ns / 1e9) if 0 < self.best_batch_ns < math.inf else None


def measure(runner_factory: Callable[[], Runner], system: str, posts: Sequence[Post],
            *, warmup: int = 200, repeat: int = 1) -> SystemResult:
    """Build the system, warm it up, time both passes and score recall (in this process).

    Times are taken on two clocks. The headline figures use the process's CPU time (what one
    core spends on the work, whatever else the machine is doing; on a quiet machine it equals
    wall-clock time, as the process is single-threaded and pinned); wall-clock figures are kept
    alongside. With ``repeat`` > 1 both passes run that many times and the best run of each is
    kept.
    """
    baseline = _rss_mb()
    t0 = time.perf_counter()
    runner = runner_factory()
    load_s = time.perf_counter() - t0
    items = runner.prepare(posts)
    runner.batch(items[:warmup])
    for item in items[:warmup]:
        runner.one(item)

    cpu = _Timing(time.process_time_ns)
    wall = _Timing(time.perf_counter_ns)
    found: list[list[Found]] = []
    for _ in range(max(1, repeat)):
        c0, w0 = cpu.clock(), wall.clock()
        found = runner.batch(items)
        cpu.batch(c0)
        wall.batch(w0)
        cpu.start_run()
        wall.start_run()
        for item in items:
            c0, w0 = cpu.clock(), wall.clock()
            runner.one(item)
            cpu.tick(c0)
            wall.tick(w0)
        cpu.end_run()
        wall.end_run()

    scores = score(posts, found)
    return SystemResult(
        system=system,
        label=runner.label,
        posts=len(posts),
        posts_per_s=cpu.rate(len(posts)),
        p50_ms=percentile(cpu.latencies, 50),
        p99_ms=percentile(cpu.latencies, 99),
        max_ms=cpu.latencies[-1] if cpu.latencies else None,
        wall_posts_per_s=wall.rate(len(posts)),
        wall_p50_ms=percentile(wall.latencies, 50),
        wall_p99_ms=percentile(wall.latencies, 99),
        peak_rss_mb=_rss_mb(),
        baseline_rss_mb=baseline,
        load_s=load_s,
        rules=runner.rules,
        supported=sorted(runner.supported),
        recall={e: (s.found, s.planted) for e, s in scores.entities.items()},
        decoys=scores.decoys,
        decoy_hits=scores.decoy_hits,
        misses=scores.misses,
        note=runner.note,
    )


def run_isolated(system: str, *, posts: int, seed: int, cpu: int | None = None,
                 repeat: int = 1, timeout: float = 3600) -> SystemResult:
    """Measure ``system`` in a fresh subprocess pinned to ``cpu``; errors come back as data."""
    cmd = [sys.executable, "-m", "commsguard.benchmark.measure", "--system", system,
           "--posts", str(posts), "--seed", str(seed), "--repeat", str(repeat)]
    if cpu is not None:
        cmd += ["--cpu", str(cpu)]
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
               TOKENIZERS_PARALLELISM="false")
    load = os.getloadavg()[0]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return SystemResult(system=system, error=f"timed out after {timeout:.0f} s")
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            result = SystemResult.from_dict(json.loads(line[len(RESULT_PREFIX) :]))
            result.load_before = load
            return result
    tail = (proc.stderr.strip().splitlines() or [f"exit code {proc.returncode}"])[-1]
    return SystemResult(system=system, error=tail)


def run_benchmark(systems: Sequence[str], *, posts: int, seed: int, cpu: int | None = None,
                  repeat: int = 1, progress: Callable[[str], object] | None = None,
                  ) -> list[SystemResult]:
    """Each system in turn, each in its own subprocess pinned to ``cpu`` (default: the first
    CPU this process may use)."""
    if cpu is None:
        cpu = min(os.sched_getaffinity(0))
    results = []
    for system in systems:
        if progress is not None:
            progress(f"measuring {system} on {posts:,} posts (CPU {cpu})…")
        results.append(run_isolated(system, posts=posts, seed=seed, cpu=cpu, repeat=repeat))
    return results


def _factory(system: str) -> Callable[[], Runner]:
    try:
        return SYSTEMS[system]
    except KeyError:
        raise SystemExit(f"unknown system {system!r} (known: {', '.join(SYSTEMS)})") from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--system", required=True)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cpu", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})
    factory = _factory(args.system)
    posts = generate_posts(args.posts, args.seed)
    try:
        result = measure(factory, args.system, posts, repeat=args.repeat)
    except ImportError as exc:
        print(str(exc), file=sys.stderr)
        return MISSING_EXTRA
    except Exception as exc:  # reported to the parent as this system's error
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(RESULT_PREFIX + json.dumps(asdict(result)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
