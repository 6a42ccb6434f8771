"""The learned detector's model file: a reviewable linear model, read and scored with numpy.

The file is JSON written by ``commsguard pack train`` (see :mod:`.train`), never a
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

from commsguard.detectors.base import read_pack_text
from commsguard.detectors.learned.features import CHAR_PREFIX, CHARS, FEATURE_VERSION, features
from commsguard.errors import PackError, PackLocation
from commsguard.models import Message

FORMAT = "commsguard-linear/1"

Array = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Codes = npt.NDArray[np.uint64]

# Character 4-grams are looked up by a 64-bit polynomial hash of their code points, computed
# for a whole batch in numpy: in Python, slicing every 4-gram of a long post cost more than all
# the rest of the scoring. Vocabulary hashes are checked to be distinct when the model loads;
# a text gram that is not in the vocabulary but hashes like one is a 1-in-2**64 event per gram.
_MULT = np.uint64(0x9E3779B97F4A7C15)
_SEP = "\x00"


def gram_hashes(codes: Codes) -> Codes:
    """The hash of the 4-gram starting at each position (``len(codes) - 3`` of them)."""
    n = len(codes) - CHARS + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = codes[:n].copy()
    for k in range(1, CHARS):
        h *= _MULT
        h += codes[k : k + n]
    return h


def _codes(text: str) -> Codes:
    return np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)


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
        #: Row -> the term as the model file spells it, and whether it is a character 4-gram.
        self.names = ["", *vocabulary]
        self.is_char = np.array([n.startswith(CHAR_PREFIX) for n in self.names], dtype=bool)
        for i, term in enumerate(vocabulary, start=1):
            if term.startswith(CHAR_PREFIX):
                self.char_index[term[len(CHAR_PREFIX) :]] = i
            else:
                self.index[term] = i
        rows = np.zeros((len(vocabulary) + 1, len(self.heads) + 1), dtype=np.float64)
        if vocabulary:
            rows[1:] = np.asarray(list(vocabulary.values()), dtype=np.float64)
        grams = list(self.char_index)
        table = _codes("".join(grams)).reshape(-1, CHARS)
        hashes = table[:, 0].copy()
        for k in range(1, CHARS):
            hashes *= _MULT
            hashes += table[:, k]
        order = np.argsort(hashes)
        gram_hash = hashes[order]
        gram_rows = np.array([self.char_index[g] for g in grams], dtype=np.int64)[order]
        if len(gram_hash) > 1 and (np.diff(gram_hash) == 0).any():
            raise ValueError("two character 4-grams of the vocabulary share a hash")
        self._table(gram_hash, gram_rows)
        idf = rows[:, 0]
        #: weight x idf: a present term's contribution before length normalisation.
        self.weights = rows[:, 1:] * idf[:, None]
        self.idf_squared = idf * idf
        self.intercepts = np.array([h.intercept for h in self.heads], dtype=np.float64)
        self.scales = np.array([h.scale for h in self.heads], dtype=np.float64)
        self.shifts = np.array([h.shift for h in self.heads], dtype=np.float64)

    def _table(self, gram_hash: Codes, gram_rows: Ints) -> None:
        """A direct-mapped table on the hash's top bits: one gather per gram, not a search.

        About eight slots per vocabulary gram, so few slots hold two grams; those slots are
        marked -1 and their grams looked up by binary search in a small sorted overflow list.
        """
        bits = max(10, int(math.ceil(math.log2(max(len(gram_hash), 1) * 8))))
        self._shift = np.uint64(64 - bits)
        slots = (gram_hash >> self._shift).astype(np.int64)
        counts = np.bincount(slots, minlength=1 << bits)
        alone = counts[slots] == 1
        self._slot_row = np.zeros(1 << bits, dtype=np.int64)
        self._slot_hash = np.zeros(1 << bits, dtype=np.uint64)
        self._slot_row[slots[alone]] = gram_rows[alone]
        self._slot_hash[slots[alone]] = gram_hash[alone]
        self._slot_row[counts > 1] = -1
        self._over_hash, self._over_rows = gram_hash[~alone], gram_rows[~alone]

    def _lookup(self, h: Codes, owner: Ints) -> tuple[Ints, Ints]:
        """The vocabulary rows of the grams hashed ``h`` that are known, with their owners."""
        slots = (h >> self._shift).astype(np.int64)
        row = self._slot_row[slots]
        hit = (row > 0) & (self._slot_hash[slots] == h)
        rows, owners = row[hit], owner[hit]
        over = row < 0
        if over.any() and len(self._over_hash):
            oh, oo = h[over], owner[over]
            i = np.minimum(np.searchsorted(self._over_hash, oh), len(self._over_hash) - 1)
            known = self._over_hash[i] == oh
            rows = np.concatenate([rows, self._over_rows[i[known]]])
            owners = np.concatenate([owners, oo[known]])
        return rows, owners

    def rows(self, terms: set[str] | list[str], chars: set[str]) -> list[int]:
        """The vocabulary rows of these terms and character 4-grams (unknown ones skipped)."""
        # Rows start at 1, so filter(None) drops exactly the unknown terms (at C speed).
        out = list(filter(None, map(self.index.get, terms)))
        out.extend(filter(None, map(self.char_index.get, chars)))
        return out

    def raw_scores(self, messages: Sequence[Message]) -> Array:
        """The linear score of every head for every message: (messages, heads)."""
        if not messages:
            return np.zeros((0, len(self.heads)))
        rows: list[int] = []
        starts: list[int] = []
        texts: list[str] = []
        for m in messages:
            terms, padded = features(m)
            starts.append(len(rows))
            rows.append(0)
            rows.extend(filter(None, map(self.index.get, terms)))
            texts.append(_SEP.join(padded))
        at, seg = np.asarray(rows), np.asarray(starts)
        summed = np.add.reduceat(self.weights[at], seg, axis=0)
        squared = np.add.reduceat(self.idf_squared[at], seg)
        char_rows, owner = self._char_rows(texts)
        if len(char_rows):
            # ``owner`` is sorted: sum each message's run of rows in one pass for all heads.
            first = np.flatnonzero(np.diff(owner, prepend=-1))
            who = owner[first]
            summed[who] += np.add.reduceat(self.weights[char_rows], first, axis=0)
            squared[who] += np.add.reduceat(self.idf_squared[char_rows], first)
        norms = np.sqrt(squared)
        norms[norms == 0.0] = 1.0
        return summed / norms[:, None] + self.intercepts

    def _char_rows(self, texts: list[str]) -> tuple[Ints, Ints]:
        """Each message's distinct vocabulary 4-grams: (rows, message index), for the batch."""
        codes = _codes(_SEP.join(texts))
        if len(codes) < CHARS or not self.char_index:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        lengths = np.array([len(t) + 1 for t in texts], dtype=np.int64)
        owner = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)[: len(codes)]
        h = gram_hashes(codes)
        ok = codes[: len(h)] != 0  # a gram holding a separator spans two sentences or posts
        for k in range(1, CHARS):
            ok &= codes[k : k + len(h)] != 0
        h, owner = h[ok], owner[: len(ok)][ok]
        rows, owner = self._lookup(h, owner)
        # A gram counts once per message, as in training (presence, not frequency). Sorting
        # and dropping repeats is several times faster than np.unique's hash table here.
        stride = len(self.names)
        key = np.sort(owner * stride + rows)
        first = np.ones(len(key), dtype=bool)
        np.not_equal(key[1:], key[:-1], out=first[1:])
        key = key[first]
        return key % stride, key // stride

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
        if term.startswith(CHAR_PREFIX) and len(term) != len(CHAR_PREFIX) + CHARS:
            raise _fail(path, where, f"a character term holds exactly {CHARS} characters")
        checked[term] = [_number(w, path, where) for w in weights]
        if checked[term][0] <= 0:
            raise _fail(path, where, f"idf must be positive, got {checked[term][0]}")
    try:
        return LinearModel(heads, checked)
    except ValueError as exc:
        raise _fail(path, "vocabulary", str(exc)) from None


def load_model(path: Path) -> LinearModel:
    """Read and validate a model file (:class:`PackError` naming the file and field)."""
    text = read_pack_text(path, "model file")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackError(
            f"model file is not valid JSON ({exc.msg})", PackLocation(str(path), exc.lineno)
        ) from None
    return parse_model(data, path)
