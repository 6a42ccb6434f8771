"""The engine on real text written outside the project: one row per set and group.

What each row measures follows from :mod:`commsguard.external` (the label mapping):

* ``davidson/hate``: **recall**, the share flagged under ``equity-diversity`` or ``public-trust``;
* ``davidson/neither``: the share flagged under ``equity-diversity`` (a false positive);
* ``davidson/offensive``: the share flagged under either (shown; no target);
* ``political/partisan``: **recall** under ``apolitical``; ``political/neutral``: its false
  positives under ``apolitical``;
* ``enron/mail``: the share with a **conduct** finding (any finding but personal information,
  which may be real in mail) and the share **blocked**.

Every row also shows the share with any finding and the share blocked, so nothing is hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from commsguard.engine import Engine
from commsguard.external import SETS, ExternalItem, Split, read_set
from commsguard.models import Result

#: (set, group) -> (what is counted, the clauses that count, is it a recall or a false rate)
MEASURES: dict[tuple[str, str], tuple[str, frozenset[str] | None, str]] = {
    ("davidson", "hate"): ("recall", frozenset({"equity-diversity", "public-trust"}), "≥ 0.75"),
    ("davidson", "offensive"): ("flagged", frozenset({"equity-diversity", "public-trust"}), ""),
    ("davidson", "neither"): ("false positives", frozenset({"equity-diversity"}), "≤ 0.03"),
    ("political", "partisan"): ("recall", frozenset({"apolitical"}), "≥ 0.60"),
    ("political", "neutral"): ("false positives", frozenset({"apolitical"}), "≤ 0.10"),
    ("enron", "mail"): ("conduct findings", None, "≤ 0.015"),
}

@dataclass(frozen=True, slots=True)
class ExternalRow:
    source: str
    group: str
    n: int
    measure: str
    target: str
    rate: float
    any_finding: float
    blocked: float


def _counts(result: Result, clauses: frozenset[str] | None) -> bool:
    if clauses is None:  # conduct: anything but an entity (personal information) finding
        return any(f.entity is None for f in result.findings)
    return any(f.clause in clauses for f in result.findings)


def score_external(items: Sequence[ExternalItem], results: Sequence[Result]) -> list[ExternalRow]:
    groups: dict[tuple[str, str], list[Result]] = {}
    for item, result in zip(items, results, strict=True):
        groups.setdefault((item.source, item.group), []).append(result)
    rows = []
    for key, (measure, clauses, target) in MEASURES.items():
        got = groups.get(key)
        if not got:
            continue
        n = len(got)
        rows.append(
            ExternalRow(
                source=key[0],
                group=key[1],
                n=n,
                measure=measure,
                target=target,
                rate=sum(_counts(r, clauses) for r in got) / n,
                any_finding=sum(bool(r.findings) for r in got) / n,
                blocked=sum(r.decision == "block" for r in got) / n,
            )
        )
    return rows


def evaluate_external(
    engine: Engine,
    *,
    directory: Path | None = None,
    split: Split = "holdout",
    sets: Sequence[str] = SETS,
    batch: int = 256,
) -> list[ExternalRow]:
    """Run ``engine`` over the external sets (default: the held-out 25 %) and score them."""
    items = [item for name in sets for item in read_set(name, directory=directory, split=split)]
    results: list[Result] = []
    for i in range(0, len(items), batch):
        results.extend(engine.check_many([it.message for it in items[i : i + batch]]))
    return score_external(items, results)
