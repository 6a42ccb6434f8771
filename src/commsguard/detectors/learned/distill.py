"""Distil the static encoder's table from MiniLM, once (``python -m ...learned.distill PACK``).

As model2vec does: every vocabulary token is passed through the transformer alone
(``[CLS] token [SEP]``), its output mean-pooled, and the table reduced by PCA to ``dims``
columns. Tokens are then weighted by a smoothed inverse document frequency over the pack's
own training messages, so "the" and "," count for little in a text's mean. The result is
``data/semantic/static.npz`` (``vectors`` float16, ``weights`` float16) and its SHA-256 goes
in the tier's manifest. Deterministic: same model, tokenizer and data give the same file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from commsguard.detectors.learned.encoder import MiniLMEncoder, _tokenizer


def token_vectors(encoder: MiniLMEncoder, vocab_size: int, *, batch: int = 512) -> np.ndarray:
    rows = np.zeros((vocab_size, encoder.dim), dtype=np.float32)
    session = encoder._session
    for lo in range(0, vocab_size, batch):
        ids = np.arange(lo, min(lo + batch, vocab_size), dtype=np.int64)
        seq = np.stack([np.full_like(ids, 101), ids, np.full_like(ids, 102)], axis=1)
        mask = np.ones_like(seq)
        hidden = session.run(
            None, {"input_ids": seq, "attention_mask": mask, "token_type_ids": np.zeros_like(seq)}
        )[0]
        rows[ids] = hidden.mean(axis=1)
    return rows


def idf_weights(tokenizer_path: Path, texts: Iterable[str], vocab_size: int) -> np.ndarray:
    tok = _tokenizer(tokenizer_path, max_tokens=None)
    df = np.zeros(vocab_size, dtype=np.float64)
    n = 0
    for text in texts:
        n += 1
        df[np.unique(np.array(tok.encode(text, add_special_tokens=False).ids, dtype=np.int64))] += 1
    idf = np.log((1 + n) / (1 + df)) + 1.0
    weights: np.ndarray = (idf / idf.max()).astype(np.float32)
    return weights


def distill(pack_root: Path, *, dims: int = 256, texts: Iterable[str] = ()) -> Path:
    data_dir = pack_root / "data" / "semantic"
    tokenizer_path = data_dir / "tokenizer.json"
    vocab_size = len(json.loads(tokenizer_path.read_text(encoding="utf-8"))["model"]["vocab"])
    encoder = MiniLMEncoder(tokenizer_path)
    raw = token_vectors(encoder, vocab_size)
    centred = raw - raw.mean(axis=0)
    # PCA by SVD; the sign of each component fixed so the file is deterministic.
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    comps = vt[:dims]
    comps *= np.sign(comps[:, :1] + 1e-12)
    reduced = centred @ comps.T
    weights = idf_weights(tokenizer_path, texts, vocab_size)
    out = data_dir / "static.npz"
    np.savez_compressed(
        out, vectors=reduced.astype(np.float16), weights=weights.astype(np.float16)
    )
    return out


def _pack_texts(pack_root: Path) -> list[str]:
    texts = []
    for path in sorted((pack_root / "data" / "learned").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(str(json.loads(line)["text"]))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pack", type=Path)
    parser.add_argument("--dims", type=int, default=256)
    args = parser.parse_args()
    out = distill(args.pack, dims=args.dims, texts=_pack_texts(args.pack))
    print(out, hashlib.sha256(out.read_bytes()).hexdigest())


if __name__ == "__main__":
    main()
