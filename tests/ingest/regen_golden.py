"""Regenerate the golden files from the real corpus: ``python tests/ingest/regen_golden.py``.

Run it only when a reader's output changes on purpose, then read the diff by eye before
committing: the golden files are the record of what each reader extracts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from ingest_golden import CORPUS, GOLDEN, golden_for  # noqa: E402

CORPUS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "real"


def main() -> None:
    if not CORPUS_DIR.is_dir():
        raise SystemExit(f"{CORPUS_DIR} is absent: the shared corpus is not beside this clone")
    GOLDEN.mkdir(exist_ok=True)
    for reader in sorted({name for name in CORPUS.values() if name}):
        data = golden_for(reader, CORPUS_DIR)
        text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        (GOLDEN / f"{reader}.json").write_text(text, encoding="utf-8")
        print(f"{reader}: {sum(len(v) for v in data.values())} items")


if __name__ == "__main__":
    main()
