"""The learned detector's model file: a reviewable linear model, read and scored with numpy.

The file is JSON written by ``commsguard pack train`` (see :mod:`learned_train`), never a
pickle: it can be diffed and reviewed, and reading it runs no code. Its shape::

    {"format": "commsguard-linear/1", "features": "<feature version>",
     "columns": ["<clause>", ...],
     "heads": {"<clause>": {"intercept": b, "calibration": [a, c], "threshold": t, "cv": {...}}},
     "training": {...where the data came from, its digest, the settings...},
     "vocabulary": {"<term>": [idf, weight for each clause in "columns"], ...}}

Features are TF-IDF over presence (a present term's value is its ``idf``), the message's vector
scaled to unit length. So a head's raw score is ``b + sum(w * idf) / sqrt(sum(idf ** 2))`` over
the present terms, and its probability is ``sigmoid(a * raw + c)``: Platt calibration fitted on
cross-validated scores, so the number is a probability one can read. A head fires when it
reaches its ``threshold``. Character 4-gram terms are spelt ``c:xxxx``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from commsguard.detectors.learned_features import CHAR_PREFIX, FEATURE_VERSION, features
from commsguard.errors import PackError, PackLocation
from commsguard.models import Message

FORMAT = "commsguard-linear/1"

Array = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Head:
    """One clause's linear model."""

    clause: str
    intercept: float
    scale: float
    shift: float
    threshold: float

    def probability(self, raw: float) -> float:
        return 1.0 / (1.0 + math.exp(-(self.scale * raw + self.shift)))


class LinearModel:
    """Weights for every head, one row per vocabulary term, scored in batches."""

    def __init__(self, heads: Sequence[Head], vocabulary: dict[str, list[float]]) -> None:
        self.heads = list(heads)
        self.head_index = {h.clause: i for i, h in enumerate(self.heads)}
        # Row 0 is all zeros: every message indexes it, so no message has an empty segment.
        self.index: dict[str, int] = {}
        self.char_index: dict[str, int] = {}
        for i, term in enumerate(vocabulary, start=1):
            if term.startswith(CHAR_PREFIX):
                self.char_index[term[len(CHAR_PREFIX) :]] = i
            else:
                self.index[term] = i
        rows = np.zeros((len(vocabulary) + 1, len(self.heads) + 1), dtype=np.float64)
        if vocabulary:
            rows[1:] = np.asarray(list(vocabulary.values()), dtype=np.float64)
        idf = rows[:, 0]
        #: weight x idf: a present term's contribution before length normalisation.
        self.weights = rows[:, 1:] * idf[:, None]
        self.idf_squared = idf * idf
        self.intercepts = np.array([h.intercept for h in self.heads], dtype=np.float64)
        self.scales = np.array([h.scale for h in self.heads], dtype=np.float64)
        self.shifts = np.array([h.shift for h in self.heads], dtype=np.float64)

    def row(self, name: str) -> int | None:
        """The vocabulary row of a feature name as the model file spells it."""
        if name.startswith(CHAR_PREFIX):
            return self.char_index.get(name[len(CHAR_PREFIX) :])
        return self.index.get(name)

    def raw_scores(self, messages: Sequence[Message]) -> Array:
        """The linear score of every head for every message: (messages, heads)."""
        if not messages:
            return np.zeros((0, len(self.heads)))
        index, char_index = self.index, self.char_index
        rows: list[int] = []
        starts: list[int] = []
        for m in messages:
            terms, chars = features(m)
            starts.append(len(rows))
            rows.append(0)
            rows.extend([i for t in terms if (i := index.get(t)) is not None])
            rows.extend([i for c in chars if (i := char_index.get(c)) is not None])
        at, seg = np.asarray(rows), np.asarray(starts)
        summed = np.add.reduceat(self.weights[at], seg, axis=0)
        norms = np.sqrt(np.add.reduceat(self.idf_squared[at], seg))
        norms[norms == 0.0] = 1.0
        return summed / norms[:, None] + self.intercepts

    def probabilities(self, messages: Sequence[Message]) -> Array:
        """Calibrated probabilities, (messages, heads)."""
        z = self.raw_scores(messages) * self.scales + self.shifts
        return 1.0 / (1.0 + np.exp(-z))


def _fail(path: Path, field: str, message: str) -> PackError:
    return PackError(message, PackLocation(str(path), None, field))


def _number(value: Any, path: Path, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(path, field, f"expected a finite number, got {value!r}")
    return float(value)


def parse_model(data: Any, path: Path) -> LinearModel:
    """Validate a decoded model file; errors name the file and the field."""
    if not isinstance(data, dict):
        raise _fail(path, "", "a model file must be a JSON object")
    if data.get("format") != FORMAT:
        raise _fail(path, "format", f"expected {FORMAT!r}, got {data.get('format')!r}")
    if data.get("features") != FEATURE_VERSION:
        raise _fail(
            path, "features",
            f"model was trained on features {data.get('features')!r}, this version computes "
            f"{FEATURE_VERSION!r}; retrain with `commsguard pack train`",
        )
    raw_heads = data.get("heads")
    if not isinstance(raw_heads, dict) or not raw_heads:
        raise _fail(path, "heads", "expected an object of clause -> head")
    columns = data.get("columns")
    if not isinstance(columns, list) or sorted(map(str, columns)) != sorted(raw_heads):
        raise _fail(
            path, "columns", f"expected the heads' clauses in weight order, got {columns!r}"
        )
    heads: list[Head] = []
    for clause in columns:
        h = raw_heads[clause]
        where = f"heads.{clause}"
        if not isinstance(h, dict):
            raise _fail(path, where, "expected an object")
        cal = h.get("calibration")
        if not isinstance(cal, list) or len(cal) != 2:
            raise _fail(path, f"{where}.calibration", "expected [scale, shift]")
        threshold = _number(h.get("threshold"), path, f"{where}.threshold")
        if not 0.0 < threshold <= 1.0:
            raise _fail(path, f"{where}.threshold", f"must be in (0, 1], got {threshold}")
        heads.append(
            Head(
                clause=str(clause),
                intercept=_number(h.get("intercept"), path, f"{where}.intercept"),
                scale=_number(cal[0], path, f"{where}.calibration[0]"),
                shift=_number(cal[1], path, f"{where}.calibration[1]"),
                threshold=threshold,
            )
        )
    vocab = data.get("vocabulary")
    if not isinstance(vocab, dict):
        raise _fail(path, "vocabulary", "expected an object of term -> weights")
    checked: dict[str, list[float]] = {}
    for term, weights in vocab.items():
        where = f"vocabulary.{term}"
        if not isinstance(weights, list) or len(weights) != len(heads) + 1:
            raise _fail(
                path, where, f"expected [idf, then {len(heads)} weights (one per head)]"
            )
        checked[term] = [_number(w, path, where) for w in weights]
        if checked[term][0] <= 0:
            raise _fail(path, where, f"idf must be positive, got {checked[term][0]}")
    return LinearModel(heads, checked)


def load_model(path: Path) -> LinearModel:
    """Read and validate a model file (:class:`PackError` naming the file and field)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PackError(
            f"model file cannot be read: {exc.strerror}", PackLocation(str(path))
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackError(
            f"model file is not valid JSON ({exc.msg})", PackLocation(str(path), exc.lineno)
        ) from None
    return parse_model(data, path)
