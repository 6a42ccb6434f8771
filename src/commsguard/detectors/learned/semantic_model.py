"""The meaning-level tier's model file: encoder name, per-clause heads, the example bank.

``data/semantic/model.json`` (written by ``commsguard pack train``, :mod:`.semantic_train`)::

    {"format": "commsguard-semantic/1", "encoder": "minilm", "dim": 384,
     "screen_encoder": "static", "screen_dim": 256, "window_chars": 320, "max_windows": 48,
     "heads": {"apolitical": {"hidden": [[...]], "hidden_bias": [...], "weights": [...],
                              "bias": -1.2, "threshold": 0.83,
                              "screen": {"weights": [...], "bias": 0.1, "threshold": 0.2}}},
     "examples": "data/semantic/examples.npz", "training": {...}}

The example bank holds the pack's own labelled messages (never the external sets, whose
licences keep them out of the repository) with their vectors, so a finding can name the
labelled messages it most resembles.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from commsguard.errors import PackError, PackLocation

FORMAT = "commsguard-semantic/1"
Array = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Layer:
    """One head's network: ``sigmoid(relu(x H + h) w + b)``, or ``sigmoid(x w + b)``."""

    weights: Array
    bias: float
    hidden: Array | None = None
    hidden_bias: Array | None = None

    def probabilities(self, x: Array) -> Array:
        if self.hidden is not None and self.hidden_bias is not None:
            x = np.maximum(x @ self.hidden + self.hidden_bias, 0.0)
        z = x @ self.weights + self.bias
        out: Array = (1.0 / (1.0 + np.exp(-z))).astype(np.float32)
        return out


@dataclass(frozen=True)
class Head:
    clause: str
    layer: Layer
    threshold: float
    #: On the cheap screen encoder: windows under its threshold never reach the main one.
    screen: Layer | None = None
    screen_threshold: float = 0.0


def _layer(h: dict[str, Any], dim: int, where: PackLocation) -> Layer:
    hidden = hidden_bias = None
    if "hidden" in h:
        hidden = np.asarray(h["hidden"], dtype=np.float32)
        hidden_bias = np.asarray(h["hidden_bias"], dtype=np.float32)
        inputs = hidden.shape[1]
        if hidden.shape[0] != dim or hidden_bias.shape != (inputs,):
            raise PackError(f"hidden layer is {hidden.shape}, not ({dim}, n)", where)
    else:
        inputs = dim
    w = np.asarray(h["weights"], dtype=np.float32)
    if w.shape != (inputs,):
        raise PackError(f"{w.shape[0]} weights, not {inputs}", where)
    return Layer(w, float(h["bias"]), hidden, hidden_bias)


@dataclass(frozen=True)
class ExampleBank:
    vectors: Array  # (n, dim), unit length
    texts: tuple[str, ...]
    labels: tuple[tuple[str, ...], ...]

    def nearest(self, vector: Array, k: int) -> list[tuple[float, str, tuple[str, ...]]]:
        if not self.texts:
            return []
        sims = self.vectors @ vector
        top = np.argsort(-sims, kind="stable")[:k]
        return [(float(sims[i]), self.texts[i], self.labels[i]) for i in top]


@dataclass(frozen=True)
class SemanticModel:
    path: Path
    encoder: str
    dim: int
    window_chars: int
    max_windows: int
    heads: dict[str, Head]
    screen_encoder: str | None
    bank: ExampleBank
    training: dict[str, Any]

    @property
    def head_names(self) -> list[str]:
        return list(self.heads)

    def probabilities(self, vectors: Array) -> Array:
        """(n, heads) probabilities, in ``heads`` order, for the main encoder's vectors."""
        if not len(vectors):
            return np.zeros((0, len(self.heads)), dtype=np.float32)
        return np.stack([h.layer.probabilities(vectors) for h in self.heads.values()], axis=1)

    def screened(self, vectors: Array) -> npt.NDArray[np.bool_]:
        """Which windows (screen-encoder vectors) any head's screen lets through."""
        keep = np.zeros(len(vectors), dtype=bool)
        for h in self.heads.values():
            if h.screen is None:
                return np.ones(len(vectors), dtype=bool)
            keep |= h.screen.probabilities(vectors) >= h.screen_threshold
        return keep


def _where(path: Path, field: str) -> PackLocation:
    return PackLocation(str(path), None, field)


def load_semantic_model(path: Path, pack_root: Path) -> SemanticModel:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PackError(
            f"semantic model cannot be read: {exc.strerror}", _where(path, "")
        ) from None
    except json.JSONDecodeError as exc:
        raise PackError(f"semantic model is not JSON ({exc.msg})", _where(path, "")) from None
    if data.get("format") != FORMAT:
        raise PackError(
            f"semantic model format {data.get('format')!r} is not {FORMAT!r}; retrain with "
            "'commsguard pack train'",
            _where(path, "format"),
        )
    dim = int(data["dim"])
    screen_dim = int(data.get("screen_dim", 0))
    heads: dict[str, Head] = {}
    for clause, h in data["heads"].items():
        where = _where(path, f"heads.{clause}")
        screen = h.get("screen")
        heads[clause] = Head(
            clause,
            _layer(h, dim, where),
            float(h["threshold"]),
            _layer(screen, screen_dim, where) if screen else None,
            float(screen["threshold"]) if screen else 0.0,
        )
    bank_path = pack_root / str(data["examples"])
    try:
        with np.load(bank_path) as npz:
            vectors = npz["vectors"].astype(np.float32)
            meta = json.loads(bytes(npz["meta"]).decode("utf-8"))
    except OSError as exc:
        raise PackError(f"example bank cannot be read: {exc}", _where(bank_path, "")) from None
    bank = ExampleBank(
        vectors,
        tuple(str(m["text"]) for m in meta),
        tuple(tuple(m["labels"]) for m in meta),
    )
    return SemanticModel(
        path=path,
        encoder=str(data["encoder"]),
        dim=dim,
        window_chars=int(data.get("window_chars", 320)),
        max_windows=int(data.get("max_windows", 48)),
        heads=heads,
        screen_encoder=data.get("screen_encoder"),
        bank=bank,
        training=dict(data.get("training", {})),
    )
