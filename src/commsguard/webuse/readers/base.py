"""The web log reader contract: a file in, a stream of polars frames of requests out.

Every reader yields frames with the columns of :data:`HIT_SCHEMA`, one row per request:
``t`` is the request time in seconds since the epoch (UTC), ``host`` the host as logged (not
yet lower-cased or classified), ``user`` the proxy user name or null. Readers stream in chunks
and never hold a whole log in memory. A line that cannot be read is counted and sampled in
:class:`ReadStats` (line number and reason) and the reader goes on: malformed lines are never
fatal.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import ClassVar

import polars as pl

HIT_SCHEMA: dict[str, pl.DataType] = {
    "t": pl.Float64(),
    "client": pl.String(),
    "user": pl.String(),
    "method": pl.String(),
    "host": pl.String(),
    "status": pl.Int64(),
    "bytes": pl.Int64(),
}
HIT_COLUMNS = tuple(HIT_SCHEMA)

#: Called with the number of bytes of the file consumed so far.
Progress = Callable[[int], None]

CHUNK_BYTES = 8 << 20
MAX_SAMPLES = 20


@dataclass(frozen=True, slots=True)
class MalformedLine:
    """A line a reader could not use: where it is, why, and its text (cut short)."""

    line: int
    reason: str
    text: str

    def to_dict(self) -> dict[str, object]:
        return {"line": self.line, "reason": self.reason, "text": self.text}


@dataclass(slots=True)
class ReadStats:
    """What a reader saw in one file: lines read, requests kept, malformed lines and samples."""

    path: str
    format: str = ""
    lines: int = 0
    parsed: int = 0
    malformed: int = 0
    samples: list[MalformedLine] = field(default_factory=list)
    max_samples: int = MAX_SAMPLES

    def bad(self, line: int, reason: str, text: str | bytes) -> None:
        """Count one malformed line and keep it as a sample while there is room."""
        self.malformed += 1
        if len(self.samples) < self.max_samples:
            if isinstance(text, bytes):
                text = text.decode("utf-8", "replace")
            self.samples.append(MalformedLine(line, reason, text.rstrip("\r\n")[:300]))

    @property
    def wants_samples(self) -> bool:
        return len(self.samples) < self.max_samples

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "format": self.format,
            "lines": self.lines,
            "parsed": self.parsed,
            "malformed": self.malformed,
            "samples": [s.to_dict() for s in self.samples],
        }


class LogReader(ABC):
    """One web log format."""

    name: ClassVar[str]
    #: One line for ``commsguard webuse ingest --help`` and the docs.
    description: ClassVar[str]

    @classmethod
    @abstractmethod
    def sniff(cls, head: list[str]) -> bool:
        """Whether this reader applies to a file starting with the lines ``head``."""

    @abstractmethod
    def batches(
        self, path: Path, stats: ReadStats, *, progress: Progress | None = None
    ) -> Iterator[pl.DataFrame]:
        """Yield frames of :data:`HIT_SCHEMA`; count and sample what cannot be read."""


def empty_hits() -> pl.DataFrame:
    return pl.DataFrame(schema=HIT_SCHEMA)


def conform(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with exactly the hit columns, in order and of the right types."""
    return frame.select(
        [
            (pl.col(c) if c in frame.columns else pl.lit(None)).cast(dtype).alias(c)
            for c, dtype in HIT_SCHEMA.items()
        ]
    )


def byte_chunks(
    path: Path, *, chunk_bytes: int = CHUNK_BYTES, progress: Progress | None = None
) -> Iterator[tuple[bytes, int]]:
    """Yield ``(chunk, first_line_number)`` pieces of ``path`` that end on a line boundary."""
    line = 1
    done = 0
    rest = b""
    with path.open("rb") as f:
        while True:
            block = f.read(chunk_bytes)
            if not block:
                break
            data = rest + block
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                rest = data
                continue
            chunk, rest = data[:cut], data[cut:]
            done += len(chunk)
            yield chunk, line
            line += chunk.count(b"\n")
            if progress is not None:
                progress(done)
    if rest:
        done += len(rest)
        yield rest + b"\n", line
        if progress is not None:
            progress(done)


def text_lines(path: Path, *, progress: Progress | None = None) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, text)`` for every line, decoded as UTF-8 with replacement."""
    for chunk, first in byte_chunks(path, chunk_bytes=1 << 20, progress=progress):
        text = chunk.decode("utf-8", "replace")
        for n, line in enumerate(text.split("\n")[:-1], first):
            yield n, line.rstrip("\r")


def head_lines(path: Path, count: int = 20) -> list[str]:
    """The first ``count`` non-empty lines of ``path`` (for sniffing)."""
    out: list[str] = []
    with path.open("rb") as f:
        for raw in f:
            line = raw.decode("utf-8", "replace").strip("\r\n\ufeff")
            if line.strip():
                out.append(line)
            if len(out) >= count:
                break
    return out


class RowBatcher:
    """Collects rows ``(t, client, user, method, host, status, bytes)`` into frames."""

    def __init__(self, size: int = 50_000) -> None:
        self.size = size
        self.rows: list[tuple[object, ...]] = []

    def add(
        self,
        t: float,
        client: str | None,
        user: str | None,
        method: str | None,
        host: str | None,
        status: int | None,
        nbytes: int | None,
    ) -> pl.DataFrame | None:
        """Add a row; return a full frame when one is ready."""
        self.rows.append((t, client, user, method, host, status, nbytes))
        return self.flush() if len(self.rows) >= self.size else None

    def flush(self) -> pl.DataFrame | None:
        if not self.rows:
            return None
        frame = pl.DataFrame(self.rows, schema=HIT_SCHEMA, orient="row")
        self.rows = []
        return frame


def parse_time(text: str, *, default_offset_minutes: int = 0) -> float | None:
    """Seconds since the epoch from epoch seconds (or milliseconds) or ISO 8601 text.

    Text without an offset is read as UTC shifted by ``default_offset_minutes``.
    """
    text = text.strip()
    if not text or text == "-":
        return None
    try:
        value = float(text)
    except ValueError:
        pass
    else:
        return value / 1000.0 if value > 1e11 else value
    try:
        when = datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone(timedelta(minutes=default_offset_minutes)))
    return when.timestamp()


def dash(value: str | None) -> str | None:
    """None for the empty and ``-`` placeholders logs use, else the value."""
    if value is None or value in ("", "-", "(empty)"):
        return None
    return value


def to_int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "", "-") else None  # type: ignore[arg-type]
    except ValueError:
        return None
