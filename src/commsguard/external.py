"""Real labelled text written outside this project: the one place its labels meet our clauses.

The shared corpus (``../shared/corpus/external/``, see its SOURCES.md) holds three sets whose
licences forbid copying them into the repository, so they are read from there:

* ``davidson_labeled_data.csv``: tweets, ``class`` 0 hate speech, 1 offensive, 2 neither.
  Hate speech breaches Equity and Diversity (an environment free of discrimination and
  harassment) -> ``equity-diversity``; a finding under ``public-trust`` also counts as caught,
  since abuse of a group is also conduct that brings the office into disrepute. Offensive
  language is ``public-trust`` at most (a heated exchange); "neither" is benign.
* ``political_dev.jsonl``: posts by US politicians, ``label.bias`` partisan / neutral.
  Partisan -> ``apolitical`` (party-political statements, in any democracy); neutral is benign.
* ``enron_dev.jsonl``: ordinary business mail, benign (conduct findings are false positives;
  a real home address or mobile may fairly be a privacy finding).

**The split.** A fixed 25 % of each set is held out: nothing trains on it, no list is tuned on
it, and reports are made on it. Membership is a pure function of the item's id
(:func:`is_held_out`), so it never drifts as files are re-read or re-ordered.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from commsguard.models import Message

Split = Literal["holdout", "train", "all"]

#: Where the shared corpus sits relative to a checkout (``<checkout>/../shared``).
DEFAULT_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "external"

SETS = ("davidson", "political", "enron")

#: Davidson class -> (the clauses it breaches, its group name).
DAVIDSON_LABELS: dict[int, tuple[frozenset[str], str]] = {
    0: (frozenset({"equity-diversity"}), "hate"),
    1: (frozenset(), "offensive"),
    2: (frozenset(), "neither"),
}
POLITICAL_LABELS: dict[str, tuple[frozenset[str], str]] = {
    "partisan": (frozenset({"apolitical"}), "partisan"),
    "neutral": (frozenset(), "neutral"),
}


#: What a group teaches a model head when it is training data: (positive clauses, the heads it
#: teaches; empty: every head). Hate is abuse too, so it also teaches public-trust. Offensive
#: tweets are abuse (public-trust); whether they are also hate the annotators did not agree (the
#: set's known hate/offensive confusion), so they teach no other head: as equity-diversity
#: negatives they taught that slurs are benign. Every other group teaches its labels to all.
TRAINING_LABELS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "hate": (frozenset({"equity-diversity", "public-trust"}), frozenset()),
    "offensive": (frozenset({"public-trust"}), frozenset({"public-trust"})),
}


def is_held_out(item_id: str) -> bool:
    """True for the fixed 25 % of external items that nothing may train or tune on."""
    return int.from_bytes(hashlib.sha256(item_id.encode("utf-8")).digest()[:4], "big") % 4 == 0


@dataclass(frozen=True, slots=True)
class ExternalItem:
    source: str  # davidson | political | enron
    group: str  # hate | offensive | neither | partisan | neutral | mail
    message: Message
    labels: frozenset[str]

    def training_labels(self) -> tuple[frozenset[str], frozenset[str]]:
        """(positive clauses, heads taught) when this item is training data."""
        return TRAINING_LABELS.get(self.group, (self.labels, frozenset()))


def _keep(item_id: str, split: Split) -> bool:
    if split == "all":
        return True
    return is_held_out(item_id) == (split == "holdout")


def read_davidson(path: Path, split: Split) -> Iterator[ExternalItem]:
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            item_id = f"davidson-{row['']}"
            if not _keep(item_id, split):
                continue
            labels, group = DAVIDSON_LABELS[int(row["class"])]
            msg = Message(id=item_id, text=row["tweet"], author="external", channel="twitter")
            yield ExternalItem("davidson", group, msg, labels)


def _read_jsonl(path: Path, source: str, split: Split) -> Iterator[ExternalItem]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            data = json.loads(line)
            item_id = str(data["id"])
            if not _keep(item_id, split):
                continue
            label = data.get("label") or {}
            if source == "political":
                labels, group = POLITICAL_LABELS[str(label.get("bias", "neutral"))]
            else:
                labels, group = frozenset(), "mail"
            msg = Message(
                id=item_id,
                text=str(data["text"]),
                author=str(data.get("author", "")),
                capacity="official" if data.get("capacity") == "official" else "private",
                channel=str(data.get("channel", "")),
            )
            yield ExternalItem(source, group, msg, labels)


def read_set(name: str, *, directory: Path | None = None, split: Split = "holdout") -> list[
    ExternalItem
]:
    """One external set's items in the given split (default: the held-out 25 %)."""
    base = directory or DEFAULT_DIR
    if name == "davidson":
        return list(read_davidson(base / "davidson_labeled_data.csv", split))
    if name == "political":
        return list(_read_jsonl(base / "political_dev.jsonl", "political", split))
    if name == "enron":
        return list(_read_jsonl(base / "enron_dev.jsonl", "enron", split))
    raise ValueError(f"unknown external set {name!r} (known: {', '.join(SETS)})")


def available(directory: Path | None = None) -> bool:
    return (directory or DEFAULT_DIR).joinpath("SOURCES.md").is_file()
