"""Evaluation against a labelled dataset: per-clause precision, recall and F1, and benign FPs.

A dataset is JSONL, one message per line with the message fields (``id``, ``text``, ``author``,
``capacity``, ``channel``, ``profile``) and ``labels``, the clause ids it breaches (empty for a
benign message). Pure: load, run the engine, count; printing is the CLI's job.

* A finding counts for a clause when its ``clause`` is among the message's labels.
* Per clause: TP = labelled and found, FP = found but not labelled, FN = labelled, not found.
* Macro-F1 is the mean F1 over the clauses that appear in the labels.
* A benign message (no labels) is a false positive when the decision is not ``ok`` or the
  engine reports any finding at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from commsguard.engine import Engine
from commsguard.errors import InputError
from commsguard.message_input import MessageIn, describe
from commsguard.models import Message, Result
from commsguard.policy.loader import Pack


@dataclass(frozen=True, slots=True)
class Example:
    message: Message
    labels: frozenset[str]
    note: str = ""


@dataclass(frozen=True, slots=True)
class ClauseScore:
    clause: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn


@dataclass(frozen=True, slots=True)
class Miss:
    """A message where the engine and the labels disagree about one clause."""

    id: str
    clause: str
    kind: str  # "missed" (false negative) or "extra" (false positive)
    text: str
    evidence: str = ""


@dataclass(frozen=True)
class EvalReport:
    scores: dict[str, ClauseScore]
    benign: int
    benign_flagged: int
    misses: list[Miss] = field(default_factory=list)
    total: int = 0

    @property
    def macro_f1(self) -> float:
        present = [s for s in self.scores.values() if s.support]
        return sum(s.f1 for s in present) / len(present) if present else 0.0

    @property
    def benign_fp_rate(self) -> float:
        return self.benign_flagged / self.benign if self.benign else 0.0


def load_dataset(path: Path | str) -> list[Example]:
    """Read a labelled JSONL file; a bad line raises :class:`InputError` naming the line."""
    examples: list[Example] = []
    with Path(path).open(encoding="utf-8") as f:
        for line_no, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{line_no}: not valid JSON ({exc.msg})") from None
            if not isinstance(data, dict):
                raise InputError(f"{path}:{line_no}: expected a JSON object")
            labels = data.get("labels", [])
            if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
                raise InputError(f"{path}:{line_no}: labels must be a list of clause ids")
            try:
                message = MessageIn.model_validate(data).to_message(f"line-{line_no}")
            except ValidationError as exc:
                raise InputError(f"{path}:{line_no}: {describe(exc)}") from None
            examples.append(Example(message, frozenset(labels), str(data.get("note", ""))))
    return examples


def score(examples: Sequence[Example], results: Sequence[Result]) -> EvalReport:
    """Compare results with labels (same order)."""
    clauses = sorted(
        {c for e in examples for c in e.labels}
        | {f.clause for r in results for f in r.findings}
    )
    counts = {c: [0, 0, 0] for c in clauses}
    misses: list[Miss] = []
    benign = benign_flagged = 0
    for ex, result in zip(examples, results, strict=True):
        found: dict[str, str] = {}
        for f in result.findings:
            found.setdefault(f.clause, f.evidence)
        for clause in clauses:
            labelled, hit = clause in ex.labels, clause in found
            if labelled and hit:
                counts[clause][0] += 1
            elif hit:
                counts[clause][1] += 1
                misses.append(Miss(ex.message.id, clause, "extra", ex.message.text, found[clause]))
            elif labelled:
                counts[clause][2] += 1
                misses.append(Miss(ex.message.id, clause, "missed", ex.message.text))
        if not ex.labels:
            benign += 1
            if result.decision != "ok" or result.findings:
                benign_flagged += 1
    return EvalReport(
        scores={c: ClauseScore(c, *counts[c]) for c in clauses},
        benign=benign,
        benign_flagged=benign_flagged,
        misses=misses,
        total=len(examples),
    )


def evaluation_engine(pack: Pack, *, without_detectors: Iterable[str] = ()) -> Engine:
    """An engine with the pack's test registers, so its example spokespeople are recognised.

    ``without_detectors`` leaves out the rules of those detectors (e.g. ``learned``), to
    measure what they add.
    """
    from commsguard.policy.selftest import test_registers

    register, authorisations = test_registers(pack)
    skip = set(without_detectors)
    only = [r.id for r in pack.rules if r.detector not in skip] if skip else None
    return Engine(pack, register=register, authorisations=authorisations, only_rules=only)


def evaluate(
    examples: Sequence[Example], engine: Engine, *, batch: int = 256
) -> EvalReport:
    """Run ``engine`` over ``examples`` in batches and score the results."""
    results: list[Result] = []
    for i in range(0, len(examples), batch):
        results.extend(engine.check_many([e.message for e in examples[i : i + batch]]))
    return score(examples, results)


def clauses_in(examples: Iterable[Example]) -> set[str]:
    return {c for e in examples for c in e.labels}
