"""``commsguard pack train``: fit the learned detector's model from the pack's labelled data.

Settings live in the pack (``data/learned/training.yaml``, :class:`TrainingSettings`). The
features of :mod:`.features` that occur in at least ``min_count`` messages form the
vocabulary; a message is their TF-IDF vector over presence (smoothed idf, unit length). Per
clause ("head") the trainer fits a class-weighted logistic regression, then, on out-of-fold
scores from stratified k-fold cross-validation:

* fits Platt scaling (a one-feature logistic regression on the raw score), so the reported
  confidence is a calibrated probability;
* picks the threshold: the lowest calibrated probability, not below ``min_threshold``, at which
  the out-of-fold precision still reaches ``target_precision`` (the most recall that precision
  allows). A head that cannot reach it gets threshold 1.0 and never fires.

The final weights are fitted on all the data and written, rounded, with the data's digest and
the cross-validated figures, to the model file (:mod:`.model`). Same data and settings
give the same file byte for byte, so a review can diff it and a test can retrain and compare.
scikit-learn is needed here only; scoring uses the stored weights with numpy.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from commsguard.detectors.learned.features import FEATURE_VERSION, feature_names
from commsguard.detectors.learned.model import FORMAT
from commsguard.errors import PackError, PackLocation
from commsguard.evaluation import Example, load_dataset
from commsguard.models import Message
from commsguard.policy.yamlfile import load_yaml_model

SETTINGS_FILE = "data/learned/training.yaml"
DIGITS = 4
#: How many flagged messages it takes before precision can stop the threshold search.
MIN_JUDGED = 10


class TrainingSettings(BaseModel):
    """``data/learned/training.yaml``: where the data is, what to learn, how hard to regularise."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: The model file to write, relative to the pack.
    output: str = "data/learned/model.json"
    #: Labelled JSONL files (the ``commsguard eval`` format), relative to the pack.
    datasets: list[str] = Field(min_length=1)
    #: The clauses to learn, one head each.
    heads: list[str] = Field(min_length=1)
    #: A term must occur in this many training messages to enter the vocabulary.
    min_count: int = Field(default=2, ge=1)
    #: Inverse regularisation strength of the logistic regression.
    C: float = Field(default=10.0, gt=0)
    folds: int = Field(default=5, ge=2, le=20)
    target_precision: float = Field(default=0.85, gt=0, le=1)
    #: The most of the benign (unlabelled) training messages a head may flag out of fold.
    max_benign_rate: float = Field(default=0.01, ge=0, le=1)
    min_threshold: float = Field(default=0.5, gt=0, le=1)
    #: Also learn from the examples of the pack's other rules (flag: their clause; pass: benign).
    rule_examples: bool = False
    #: Shared external sets whose training split joins the data (``commsguard.external``);
    #: their labels are mapped to clauses there. The held-out 25 % is never read.
    external: list[str] = Field(default_factory=list)
    seed: int = 0


@dataclass(frozen=True, slots=True)
class HeadReport:
    clause: str
    positives: int
    threshold: float
    precision: float
    recall: float


@dataclass(frozen=True, slots=True)
class TrainReport:
    output: Path
    examples: int
    vocabulary: int
    heads: list[HeadReport]
    changed: bool


def _digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()


def _read(
    pack_root: Path, settings: TrainingSettings
) -> tuple[list[Example], list[Path], str]:
    """The training examples, the pack files they came from, and the external texts' digest."""
    paths = [pack_root / d for d in settings.datasets]
    examples: list[Example] = []
    for i, p in enumerate(paths):
        if not p.is_file():
            raise PackError(
                f"training data {settings.datasets[i]!r} not found",
                PackLocation(str(pack_root / SETTINGS_FILE), None, f"datasets[{i}]"),
            )
        examples.extend(load_dataset(p))
    if settings.rule_examples:
        examples.extend(rule_examples(pack_root))
    if settings.external:
        from commsguard.external import available, read_set

        if not available():
            raise PackError(
                "training reads the shared external sets, which are not beside this checkout "
                "(../shared/corpus/external)",
                PackLocation(str(pack_root / SETTINGS_FILE), None, "external"),
            )
        external = [
            Example(item.message, item.labels)
            for name in settings.external
            for item in read_set(name, split="train")
        ]
        examples.extend(external)
        digest = hashlib.sha256(
            "\x00".join(e.message.text for e in external).encode("utf-8")
        ).hexdigest()
        return examples, paths, digest
    return examples, paths, ""


def rule_examples(pack_root: Path) -> list[Example]:
    """The flag and pass examples of the pack's rules, except the learned rules' own.

    The learned rules' examples are what ``pack test`` checks the model with, so they stay out
    of its training data. A flag example is labelled with its rule's clause only.
    """
    from commsguard.policy.loader import load_pack

    out: list[Example] = []
    for rule in load_pack(pack_root).rules:
        if rule.detector == "learned":
            continue
        for kind, examples in (("flag", rule.examples.flag), ("pass", rule.examples.pass_)):
            labels = frozenset({rule.clause}) if kind == "flag" else frozenset()
            for i, ex in enumerate(examples):
                message = Message(
                    id=f"{rule.id}:{kind}:{i}", text=ex.text, author=ex.author,
                    capacity=ex.capacity, channel=ex.channel, profile=ex.profile,
                )
                out.append(Example(message, labels))
    return out


def _threshold(
    probs: np.ndarray[Any, Any],
    y: np.ndarray[Any, Any],
    benign: np.ndarray[Any, Any],
    settings: TrainingSettings,
) -> tuple[float, float, float]:
    """(threshold, precision, recall) on out-of-fold probabilities.

    Walks down from the top score and stops at the first threshold that breaks a limit, so
    every threshold above the chosen one keeps the precision too: a lucky dip further down
    cannot be picked. Among the first ``MIN_JUDGED`` flagged messages a miss is not yet
    enough to judge precision by (one false positive among three is noise, not a verdict).
    """
    positives = int(y.sum())
    allowed = settings.max_benign_rate * int(benign.sum())
    best = (1.0, 0.0, 0.0)
    # Rounded down, so each candidate still flags the message it came from.
    for t in sorted({math.floor(float(p) * 10**DIGITS) / 10**DIGITS for p in probs}, reverse=True):
        if t < settings.min_threshold:
            break
        flagged = probs >= t
        n = int(flagged.sum())
        tp = int((flagged & (y == 1)).sum())
        precision = tp / n
        if (flagged & benign).sum() > allowed:
            break
        if precision < settings.target_precision:
            if n >= MIN_JUDGED:
                break
            continue
        best = (t, precision, tp / positives if positives else 0.0)
    return best


def fit(
    examples: list[Example], settings: TrainingSettings
) -> tuple[dict[str, Any], list[HeadReport]]:
    """The model file's content (without provenance) and the cross-validated figures."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    feats = [feature_names(e.message) for e in examples]
    counts: dict[str, int] = {}
    for fs in feats:
        for f in fs:
            counts[f] = counts.get(f, 0) + 1
    vocab = sorted(t for t, n in counts.items() if n >= settings.min_count)
    index = {t: i for i, t in enumerate(vocab)}
    n = len(feats)
    # Rounded as stored, so scoring from the file sees the very numbers trained on.
    idf = np.array([round(math.log((1 + n) / (1 + counts[t])) + 1.0, DIGITS) for t in vocab])
    rows, cols, vals = [], [], []
    for r, fs in enumerate(feats):
        present = sorted(index[f] for f in fs if f in index)
        norm = math.sqrt(sum(idf[c] ** 2 for c in present)) or 1.0
        for c in present:
            rows.append(r)
            cols.append(c)
            vals.append(idf[c] / norm)
    x = csr_matrix(
        (np.array(vals), (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))),
        shape=(n, len(vocab)),
    )

    def model() -> LogisticRegression:
        return LogisticRegression(
            C=settings.C, class_weight="balanced", solver="liblinear",
            random_state=settings.seed, max_iter=1000,
        )

    benign = np.array([not e.labels for e in examples])
    heads: dict[str, Any] = {}
    weights = np.zeros((len(vocab), len(settings.heads)))
    reports = []
    for h, clause in enumerate(settings.heads):
        y = np.array([1 if clause in e.labels else 0 for e in examples])
        positives = int(y.sum())
        if positives < settings.folds or len(y) - positives < settings.folds:
            raise PackError(
                f"head {clause!r} has {positives} positive and {len(y) - positives} negative "
                f"examples; cross-validation needs at least {settings.folds} of each",
                PackLocation(SETTINGS_FILE, None, "heads"),
            )
        oof = np.zeros(len(y))
        folds = StratifiedKFold(settings.folds, shuffle=True, random_state=settings.seed)
        for train, test in folds.split(np.zeros(len(y)), y):
            oof[test] = model().fit(x[train], y[train]).decision_function(x[test])
        platt = LogisticRegression(C=1e6, solver="lbfgs").fit(oof.reshape(-1, 1), y)
        scale, shift = float(platt.coef_[0, 0]), float(platt.intercept_[0])
        probs = 1.0 / (1.0 + np.exp(-(scale * oof + shift)))
        threshold, precision, recall = _threshold(probs, y, benign, settings)
        final = model().fit(x, y)
        weights[:, h] = final.coef_[0]
        heads[clause] = {
            "intercept": round(float(final.intercept_[0]), DIGITS),
            "calibration": [round(scale, DIGITS), round(shift, DIGITS)],
            "threshold": threshold,
            "cv": {"positives": positives, "precision": round(precision, 3),
                   "recall": round(recall, 3)},
        }
        reports.append(HeadReport(clause, positives, threshold, precision, recall))
    # Every vocabulary term stays, even with tiny weights: its idf is part of each message's
    # length, and dropping it would change every score it appears in.
    vocabulary = {
        t: [round(float(idf[i]), DIGITS)] + [round(float(w), DIGITS) + 0.0 for w in weights[i]]
        for i, t in enumerate(vocab)
    }
    return {"columns": settings.heads, "heads": heads, "vocabulary": vocabulary}, reports


def render(content: dict[str, Any]) -> str:
    """JSON with one vocabulary term per line, so a retrained model diffs term by term."""
    head = {k: v for k, v in content.items() if k != "vocabulary"}
    lines = json.dumps(head, indent=2, sort_keys=True, ensure_ascii=False)[:-2].splitlines()
    lines[-1] += ","
    lines.append('  "vocabulary": {')
    vocab = content["vocabulary"]
    for i, term in enumerate(sorted(vocab)):
        sep = "," if i < len(vocab) - 1 else ""
        lines.append(f"    {json.dumps(term, ensure_ascii=False)}: {json.dumps(vocab[term])}{sep}")
    lines += ["  }", "}"]
    return "\n".join(lines) + "\n"


def train_pack(pack_root: Path) -> TrainReport:
    """Retrain the pack's model from its settings and data; write it only if it changed."""
    settings = load_yaml_model(pack_root / SETTINGS_FILE, TrainingSettings)
    examples, paths, external_digest = _read(pack_root, settings)
    from threadpoolctl import threadpool_limits

    # One BLAS thread: a multi-threaded sum may round differently from run to run, and the
    # file must be the same byte for byte for the same data (a test retrains and compares).
    with threadpool_limits(limits=1):
        content, reports = fit(examples, settings)
    import sklearn

    content = {
        "format": FORMAT,
        "features": FEATURE_VERSION,
        "training": {
            "datasets": settings.datasets,
            "external": [f"{name} (training split)" for name in settings.external],
            "external_sha256": external_digest,
            "sha256": _digest(paths),
            "examples": len(examples),
            "settings": settings.model_dump(mode="json"),
            "sklearn": sklearn.__version__.split(".")[0] + ".x",
        },
        **content,
    }
    text = render(content)
    out = pack_root / settings.output
    changed = not out.is_file() or out.read_text(encoding="utf-8") != text
    if changed:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return TrainReport(out, len(examples), len(content["vocabulary"]), reports, changed)
