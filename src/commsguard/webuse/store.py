"""Where ingested sessions are kept until the database layer takes them over.

A directory (``COMMSGUARD_WEBUSE_DIR``, default ``./.commsguard/webuse``) holds
``sessions.parquet`` (all sessions, merged) and ``ingests.json`` (one entry per ingest: files,
lines, malformed lines and samples). Ingesting the same log twice never double-counts time:
merging identical sessions leaves them as they were (only request counts would grow, so a file
already ingested, by size and content hash, is skipped).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import polars as pl

from commsguard.webuse.pipeline import IngestResult
from commsguard.webuse.sessions import SESSION_SCHEMA, concat_sessions, empty_sessions

ENV = "COMMSGUARD_WEBUSE_DIR"
DEFAULT_DIR = Path(".commsguard") / "webuse"


def webuse_dir() -> Path:
    return Path(os.environ.get(ENV) or DEFAULT_DIR)


def fingerprint(path: Path) -> str:
    """Size and a hash of the first and last MiB: cheap, and enough to spot a re-ingest."""
    size = path.stat().st_size
    h = hashlib.sha256(str(size).encode())
    with path.open("rb") as f:
        h.update(f.read(1 << 20))
        if size > 2 << 20:
            f.seek(-(1 << 20), os.SEEK_END)
            h.update(f.read())
    return h.hexdigest()


def load_sessions(directory: Path | None = None) -> pl.DataFrame:
    """All stored sessions (empty when nothing has been ingested)."""
    path = (directory or webuse_dir()) / "sessions.parquet"
    if not path.exists():
        return empty_sessions()
    return pl.read_parquet(path).select(list(SESSION_SCHEMA))


def load_ingests(directory: Path | None = None) -> list[dict[str, object]]:
    path = (directory or webuse_dir()) / "ingests.json"
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data) if isinstance(data, list) else []


def known_fingerprints(directory: Path | None = None) -> set[str]:
    out: set[str] = set()
    for entry in load_ingests(directory):
        files = entry.get("files", [])
        if isinstance(files, list):
            out.update(str(f.get("fingerprint")) for f in files if isinstance(f, dict))
    return out


def save_ingest(
    result: IngestResult,
    fingerprints: dict[str, str],
    idle_gap_seconds: float,
    directory: Path | None = None,
) -> pl.DataFrame:
    """Merge ``result``'s sessions into the store and record the ingest; return all sessions."""
    directory = directory or webuse_dir()
    directory.mkdir(parents=True, exist_ok=True)
    merged = concat_sessions([load_sessions(directory), result.sessions], idle_gap_seconds)
    tmp = directory / "sessions.parquet.tmp"
    merged.write_parquet(tmp)
    tmp.replace(directory / "sessions.parquet")
    entry = result.to_dict()
    for f in entry["files"]:  # type: ignore[attr-defined]
        f["fingerprint"] = fingerprints.get(f["path"], "")
    ingests = [*load_ingests(directory), entry]
    (directory / "ingests.json").write_text(json.dumps(ingests, indent=1), encoding="utf-8")
    return merged
