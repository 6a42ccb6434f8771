"""Train the meaning-level tier: ``commsguard pack train`` (with ``--from-decisions`` too).

Settings are pack data (``data/semantic/training.yaml``, :class:`SemanticSettings`). The data:

* the pack's own labelled messages (the n-gram tier's files), weighted ``pack_weight``;
* the **training** 75 % of the shared external sets (:mod:`commsguard.external`; the held-out
  25 % is never read here), with their labels mapped to clauses in that one module, which also
  says what each group teaches (``ExternalItem.training_labels``: Davidson's hate speech
  teaches ``equity-diversity`` and ``public-trust``, its offensive tweets ``public-trust``
  alone);
* reviewers' decisions exported by ``--from-decisions`` (``decisions.jsonl`` in the pack):
  a breach adds its clause, a dismissal adds the message as a negative for that clause.

Per head (a clause), on the main encoder's vectors: a one-hidden-layer network (or, with
``hidden: 0``, a logistic regression) fitted on all the data. Its threshold comes from
out-of-fold probabilities (``folds``-fold): the lowest at which the benign messages of each
source stay under that source's budget (``budgets``): the pack's look-alikes, business mail,
tweets that are neither hate nor offence, neutral posts by politicians. A **screen** on the
static encoder (a logistic regression per head) decides which windows the main encoder reads:
its threshold keeps ``screen_recall`` of the main head's out-of-fold positives, so the
expensive encoder runs on a small share of the text at almost no loss.

Deterministic for the same data, settings and encoders; the digest of each is in the file.
"""

from __future__ import annotations

import hashlib
import json
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from commsguard.detectors.learned.encoder import Encoder, build_encoder
from commsguard.detectors.learned.semantic_model import FORMAT
from commsguard.errors import PackError
from commsguard.policy.manifest import MANIFEST, record_digests
from commsguard.policy.yamlfile import load_yaml_model

SETTINGS_FILE = "data/semantic/training.yaml"
DECISIONS_FILE = "data/semantic/decisions.jsonl"


class SemanticSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    output: str = "data/semantic/model.json"
    examples: str = "data/semantic/examples.npz"
    encoder: str = "minilm"
    screen_encoder: str | None = "static"
    #: The pack's labelled JSONL files, relative to the pack.
    datasets: list[str] = Field(min_length=1)
    #: External sets to train on (their training split only).
    external: list[str] = Field(default_factory=list)
    heads: list[str] = Field(min_length=1)
    pack_weight: float = Field(default=3.0, gt=0)
    hidden: int = Field(default=128, ge=0)
    alpha: float = Field(default=1e-3, gt=0)
    C: float = Field(default=1.0, gt=0)
    folds: int = Field(default=3, ge=2)
    #: Per source of benign messages: the share its benign messages may be flagged (per head).
    budgets: dict[str, float] = Field(default_factory=dict)
    #: Per head, per source: a budget overriding ``budgets``.
    head_budgets: dict[str, dict[str, float]] = Field(default_factory=dict)
    min_threshold: float = Field(default=0.5, ge=0, le=1)
    screen_recall: float = Field(default=0.97, gt=0, le=1)
    window_chars: int = Field(default=320, ge=40)
    max_windows: int = Field(default=48, ge=1)
    seed: int = 0


@dataclass
class Row:
    text: str
    labels: frozenset[str]
    source: str  # pack | davidson | political | enron | decisions
    weight: float = 1.0
    #: Heads this row teaches (a reviewer's decision speaks of one clause); empty: all.
    only_for: frozenset[str] = frozenset()


@dataclass
class HeadFigures:
    clause: str
    positives: int
    threshold: float
    screen_threshold: float
    oof_recall: float
    benign_rates: dict[str, float] = field(default_factory=dict)


@dataclass
class SemanticReport:
    output: Path
    examples: int
    heads: list[HeadFigures]
    sources: dict[str, int]


def _rows_from_jsonl(path: Path, source: str, weight: float) -> list[Row]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PackError(f"{path}:{n}: not valid JSON ({exc.msg})") from None
        labels = frozenset(data.get("labels", []))
        only = frozenset(data.get("only_for", []))
        rows.append(Row(str(data["text"]), labels, source, weight, only))
    return rows


def collect(pack_root: Path, settings: SemanticSettings, *, external_dir: Path | None) -> list[Row]:
    from commsguard.external import available, read_set

    rows: list[Row] = []
    for name in settings.datasets:
        rows.extend(_rows_from_jsonl(pack_root / name, "pack", settings.pack_weight))
    decisions = pack_root / DECISIONS_FILE
    if decisions.is_file():
        rows.extend(_rows_from_jsonl(decisions, "decisions", settings.pack_weight))
    if settings.external:
        if not available(external_dir):
            raise PackError(
                "the semantic tier trains on the shared external sets, which are not at "
                f"{external_dir or 'the default place (<checkout>/../shared/corpus/external)'}; "
                "pass --external DIR"
            )
        for name in settings.external:
            for item in read_set(name, directory=external_dir, split="train"):
                labels, only = item.training_labels()
                rows.append(Row(item.message.text, labels, item.source, only_for=only))
    return rows


def embed_cached(
    encoder: Encoder, texts: Sequence[str], cache_dir: Path | None,
    progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """Embeddings of ``texts``, cached on disk per encoder and text (training only)."""
    key = hashlib.sha256(("\x00".join(texts) + encoder.name).encode("utf-8")).hexdigest()[:24]
    path = cache_dir / f"{encoder.name}-{key}.npy" if cache_dir else None
    if path is not None and path.is_file():
        cached: np.ndarray = np.load(path)
        return cached
    out = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    step = 512
    for lo in range(0, len(texts), step):
        out[lo : lo + step] = encoder.embed(texts[lo : lo + step])
        if progress:
            progress(min(lo + step, len(texts)), len(texts))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, out)
    return out


def _fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, s: SemanticSettings) -> Any:
    if s.hidden:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier

        # MLPClassifier takes no sample weights: repeat the heavier rows instead.
        reps = np.maximum(1, np.rint(w).astype(int))
        idx = np.repeat(np.arange(len(y)), reps)
        m = MLPClassifier(
            hidden_layer_sizes=(s.hidden,), alpha=s.alpha, max_iter=80, early_stopping=True,
            random_state=s.seed,
        )
        with warnings.catch_warnings():
            # 80 epochs is a deliberate cap (out-of-fold figures decide, not convergence).
            warnings.simplefilter("ignore", category=ConvergenceWarning)
            return m.fit(x[idx], y[idx])
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=s.C, max_iter=3000, class_weight="balanced").fit(
        x, y, sample_weight=w
    )


def _oof(x: np.ndarray, y: np.ndarray, w: np.ndarray, s: SemanticSettings,
         fit: Callable[..., Any]) -> np.ndarray:
    from sklearn.model_selection import StratifiedKFold

    out = np.zeros(len(y), dtype=np.float64)
    folds = StratifiedKFold(n_splits=s.folds, shuffle=True, random_state=s.seed)
    for train, test in folds.split(x, y):
        out[test] = fit(x[train], y[train], w[train], s).predict_proba(x[test])[:, 1]
    return out


def _fit_lr(x: np.ndarray, y: np.ndarray, w: np.ndarray, s: SemanticSettings) -> Any:
    return _fit(x, y, w, s.model_copy(update={"hidden": 0}))


def _threshold(probs: np.ndarray, y: np.ndarray, sources: np.ndarray, clause: str,
               s: SemanticSettings) -> float:
    budgets = {**s.budgets, **s.head_budgets.get(clause, {})}
    t = s.min_threshold
    for source, budget in budgets.items():
        neg = probs[(sources == source) & ~y]
        if neg.size:
            # The lowest threshold that flags at most ``budget`` of this source's negatives.
            t = max(t, float(np.quantile(neg, 1.0 - budget, method="higher")) + 1e-6)
    return min(t, 0.999)


def _head_json(model: Any) -> dict[str, Any]:
    r = 6
    if hasattr(model, "coefs_"):
        return {
            "hidden": np.round(model.coefs_[0], r).tolist(),
            "hidden_bias": np.round(model.intercepts_[0], r).tolist(),
            "weights": np.round(model.coefs_[1][:, 0], r).tolist(),
            "bias": round(float(model.intercepts_[1][0]), r),
        }
    return {"weights": np.round(model.coef_[0], r).tolist(),
            "bias": round(float(model.intercept_[0]), r)}


def _train_head(
    clause: str,
    rows: Sequence[Row],
    x: np.ndarray,
    xs: np.ndarray | None,
    sources: np.ndarray,
    w: np.ndarray,
    settings: SemanticSettings,
) -> tuple[dict[str, Any], HeadFigures]:
    """One clause's head (and its screen) as model-file JSON, with its out-of-fold figures."""
    keep = np.array([not r.only_for or clause in r.only_for for r in rows])
    y = np.array([clause in r.labels for r in rows])[keep]
    xk, wk, src = x[keep], w[keep], sources[keep]
    oof = _oof(xk, y, wk, settings, _fit)
    threshold = _threshold(oof, y, src, clause, settings)
    head = _head_json(_fit(xk, y, wk, settings))
    head["threshold"] = round(threshold, 4)
    flagged = oof >= threshold
    screen_t = 0.0
    if xs is not None:
        xsk = xs[keep]
        screen_oof = _oof(xsk, y, wk, settings, _fit_lr)
        caught = screen_oof[flagged & y]
        screen_t = float(np.quantile(caught, 1.0 - settings.screen_recall)) if caught.size else 0.5
        screen = _head_json(_fit_lr(xsk, y, wk, settings))
        screen["threshold"] = round(screen_t, 4)
        head["screen"] = screen
    benign = {
        str(name): float(flagged[(src == name) & ~y].mean())
        for name in sorted(set(src.tolist()))
        if ((src == name) & ~y).any()
    }
    recall = float(flagged[y].mean()) if y.any() else 0.0
    return head, HeadFigures(clause, int(y.sum()), threshold, screen_t, recall, benign)


def train_semantic(
    pack_root: Path,
    *,
    external_dir: Path | None = None,
    cache_dir: Path | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> SemanticReport:
    settings = load_yaml_model(pack_root / SETTINGS_FILE, SemanticSettings)
    rows = collect(pack_root, settings, external_dir=external_dir)
    texts = [r.text for r in rows]
    data_dir = (pack_root / settings.output).parent
    main_enc = build_encoder(settings.encoder, data_dir)

    def step(name: str) -> Callable[[int, int], None] | None:
        return (lambda done, total: progress(name, done, total)) if progress else None

    x = embed_cached(main_enc, texts, cache_dir, step(f"embedding ({settings.encoder})"))
    xs = None
    if settings.screen_encoder:
        screen_enc = build_encoder(settings.screen_encoder, data_dir)
        xs = embed_cached(screen_enc, texts, cache_dir, step(f"embedding ({screen_enc.name})"))
    from threadpoolctl import threadpool_limits

    sources = np.array([r.source for r in rows])
    w = np.array([r.weight for r in rows], dtype=np.float64)
    heads_json: dict[str, Any] = {}
    figures: list[HeadFigures] = []
    with threadpool_limits(limits=1):  # deterministic sums (see learned/train.py)
        for k, clause in enumerate(settings.heads):
            if progress:
                progress("training heads", k, len(settings.heads))
            heads_json[clause], figure = _train_head(clause, rows, x, xs, sources, w, settings)
            figures.append(figure)
    # The example bank: the pack's own messages only (external text stays out of the repo).
    bank = [i for i, r in enumerate(rows) if r.source in ("pack", "decisions")]
    meta = [{"text": rows[i].text, "labels": sorted(rows[i].labels)} for i in bank]
    examples_path = pack_root / settings.examples
    np.savez_compressed(
        examples_path,
        vectors=x[bank].astype(np.float16),
        meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
    )
    content = {
        "format": FORMAT,
        "encoder": settings.encoder,
        "screen_encoder": settings.screen_encoder,
        "dim": main_enc.dim,
        "screen_dim": (xs.shape[1] if xs is not None else 0),
        "window_chars": settings.window_chars,
        "max_windows": settings.max_windows,
        "examples": settings.examples,
        "heads": heads_json,
        "training": {
            "data_digest": hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest(),
            "sources": {s: int((sources == s).sum()) for s in sorted(set(sources.tolist()))},
            "external_split": "train 75 % (commsguard.external.is_held_out false)",
            "settings": settings.model_dump(),
            "figures": [f.__dict__ for f in figures],
            "python": sys.version.split()[0],
        },
    }
    out = pack_root / settings.output
    out.write_text(json.dumps(content, separators=(",", ":")) + "\n", encoding="utf-8")
    record_digests(out.parent / MANIFEST, [out, examples_path])
    return SemanticReport(out, len(rows), figures,
                          {s: int((sources == s).sum()) for s in set(sources.tolist())})
