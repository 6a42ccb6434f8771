"""Squid native ``access.log``, read vectorised.

The native format is ``time elapsed client code/status bytes method URL user hierarchy type``,
with the elapsed time right-aligned (``%6tr``), so a variable run of spaces follows the time.
Instead of a regular expression per line (too slow by far), each chunk of bytes goes through
numpy once, turning the padding into zeros (``"   340"`` becomes ``"000340"``; see
:func:`pad_spaces`), after which polars' CSV reader splits the chunk on single spaces. Lines
that still do not fit are counted and sampled as malformed, with their line numbers.

Squid writes a line when a request *ends*. For ``CONNECT`` tunnels, which can stay open for
hours, the request time is taken as the tunnel's start (time minus elapsed), and the tunnel
counts as one request: its duration never counts as time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import numpy as np
import numpy.typing as npt
import polars as pl

from commsguard.webuse.readers.base import (
    CHUNK_BYTES,
    LogReader,
    Progress,
    ReadStats,
    byte_chunks,
    conform,
)

_FIELDS = {
    "ts": pl.Float64(),
    "elapsed": pl.Int64(),
    "client": pl.String(),
    "code": pl.String(),
    "bytes": pl.Int64(),
    "method": pl.String(),
    "url": pl.String(),
    "user": pl.String(),
    "hier": pl.String(),
    "ctype": pl.String(),
    "extra": pl.String(),
}


_ELAPSED = tuple(range(15, 22))  # the columns of "%6tr" and the space after it
_WANTED = [i for i, name in enumerate(_FIELDS) if name != "hier"]
_READ = [name for name in _FIELDS if name != "hier"]


def with_hosts(frame: pl.DataFrame, url: str = "url") -> pl.DataFrame:
    """``frame`` with a ``host`` column: the host part of its proxy URLs (``http://host:80/p``
    or ``host:443``), as logged, or null where ``url`` is null.

    Built from literal ``find`` and ``slice`` on string views, in two steps so the part after
    the scheme is cut once (``split`` makes a struct of pieces and costs twice as much): the
    host starts after ``://`` (or at the start) and ends before the first ``/`` or ``:``. A
    bracketed IPv6 literal (``[2001:db8::1]:443``) keeps its brackets and colons.
    """
    link = pl.col(url)
    frame = frame.with_columns(
        _rest=link.str.slice(link.str.find("://", literal=True).fill_null(-3) + 3)
    )
    rest = pl.col("_rest")
    frame = frame.with_columns(host=rest.str.slice(0, rest.str.find("[/:]")))
    if frame["host"].str.starts_with("[").any():  # rare: fix up only when there is one
        bracketed = rest.str.slice(0, rest.str.find("]", literal=True) + 1)
        frame = frame.with_columns(
            host=pl.when(rest.str.starts_with("[")).then(bracketed).otherwise(pl.col("host"))
        )
    return frame.drop("_rest")


def pad_spaces(chunk: bytes) -> bytes:
    """``chunk`` with the padding of the right-aligned elapsed field turned into ``0``.

    Squid writes ``%ts.%03tu %6tr``: a 14-character time, a space, then the elapsed time
    right-aligned in 6 characters. When every line has that shape, only characters 15 to 20 of
    each line are looked at (a few gathers per chunk). Otherwise every space that follows a
    space becomes ``0``, whole chunk at once.
    """
    arr = np.frombuffer(chunk, np.uint8).copy()
    if not _pad_fixed(arr):
        sp = arr == 32
        twice = sp[1:] & sp[:-1]
        bump = twice.view(np.uint8)
        bump <<= 4  # ' ' (32) + 16 is '0' (48)
        arr[1:] += bump
    return arr.tobytes()


def _pad_fixed(arr: npt.NDArray[np.uint8]) -> bool:
    """Pad characters 15-20 of each line in place; False (nothing changed) if any line does not
    have the ``%ts.%03tu %6tr`` shape.

    Works column by column on the line starts (a handful of gathers of one byte per line)
    rather than on a lines-by-characters matrix, which costs twice as much.
    """
    ends = np.flatnonzero(arr == 10)
    starts = np.empty_like(ends)
    starts[0:1] = 0
    starts[1:] = ends[:-1]
    starts[1:] += 1
    if starts.size and int((ends - starts).min()) < 22:
        starts = starts[ends - starts >= 22]  # short lines are left to the parser to refuse
    if not starts.size:
        return True
    if not (np.all(arr[starts + 10] == 46) and np.all(arr[starts + 14] == 32)):
        return False
    space = [arr[starts + at] == 32 for at in _ELAPSED]
    # padding is leading: a space after a digit means the field is not right-aligned in 6
    inner = np.zeros(starts.size, dtype=bool)
    some = space[0].copy()
    for k in range(1, 6):
        inner |= space[k] & ~space[k - 1]
        some |= space[k]
    # a padded field ends with the space at 21; seven or more digits have no space at all
    if np.any(inner | (some & ~space[6])):
        return False
    for k in range(6):
        arr[starts[space[k]] + _ELAPSED[k]] = 48
    return True


class SquidReader(LogReader):
    name: ClassVar[str] = "squid"
    description: ClassVar[str] = "Squid native access.log (time elapsed client code/status ...)"

    def __init__(self, *, chunk_bytes: int = CHUNK_BYTES) -> None:
        self.chunk_bytes = chunk_bytes

    @classmethod
    def sniff(cls, head: list[str]) -> bool:
        hits = 0
        for line in head:
            parts = line.split()
            if len(parts) >= 10 and "/" in parts[3] and _is_float(parts[0]):
                hits += 1
        return hits > 0 and hits * 2 >= len(head)

    def batches(
        self, path: Path, stats: ReadStats, *, progress: Progress | None = None
    ) -> Iterator[pl.DataFrame]:
        stats.format = self.name
        for chunk, first in byte_chunks(path, chunk_bytes=self.chunk_bytes, progress=progress):
            frame = self.parse_chunk(chunk, first, stats)
            if frame.height:
                yield frame

    def parse_chunk(self, chunk: bytes, first_line: int, stats: ReadStats) -> pl.DataFrame:
        """Parse one chunk of whole lines starting at line ``first_line``."""
        raw = pl.read_csv(
            pad_spaces(chunk),
            has_header=False,
            separator=" ",
            quote_char=None,
            schema=_FIELDS,
            truncate_ragged_lines=True,
            missing_columns="insert",
            extra_columns="ignore",
            ignore_errors=True,
            columns=_WANTED,  # the hierarchy field is never used
        )
        # the status is the code's last three characters: TCP_MISS/200, NONE/000
        status = pl.col("code").str.slice(-3).cast(pl.Int64, strict=False)
        raw = raw.with_columns(status=status)
        nulls = raw.null_count().row(0, named=True)  # cached per column: no pass over rows
        clean = nulls["ts"] == nulls["url"] == nulls["status"] == 0 and nulls["extra"] == raw.height
        if clean:  # the usual chunk: no blank, short, long or broken line
            stats.lines += raw.height
        else:
            raw = self._refuse(chunk, first_line, raw, stats)
        stats.parsed += raw.height
        method = pl.col("method")
        elapsed = pl.col("elapsed").fill_null(0).cast(pl.Float64) / 1000.0
        hits = raw.select(
            t=pl.when(method == "CONNECT").then(pl.col("ts") - elapsed).otherwise(pl.col("ts")),
            client=pl.col("client"),
            user=pl.when(pl.col("user") == "-").then(None).otherwise(pl.col("user")),
            method=method,
            url=pl.col("url"),
            status=pl.col("status"),
            bytes=pl.col("bytes"),
        )
        return conform(with_hosts(hits))

    def _refuse(
        self, chunk: bytes, first_line: int, raw: pl.DataFrame, stats: ReadStats
    ) -> pl.DataFrame:
        """Count and sample the malformed rows of ``raw``, skip blank lines, keep the rest."""
        reason = (
            pl.when(pl.col("ts").is_null())
            .then(pl.lit("time is not a number"))
            .when(pl.col("url").is_null())
            .then(pl.lit("too few fields"))
            # "type  -" (two spaces) leaves the type empty and "-" in extra: not too many
            .when(pl.col("extra").is_not_null() & pl.col("ctype").is_not_null())
            .then(pl.lit("too many fields"))
            .when(pl.col("status").is_null())
            .then(pl.lit("no code/status field"))
        )
        raw = raw.with_columns(reason=reason, _blank=pl.lit(False))
        if raw.select(pl.all_horizontal(pl.col(c).is_null() for c in _READ).any()).item():
            raw = raw.with_columns(_blank=_blank_lines(chunk, raw.height))
            raw = raw.with_columns(reason=pl.when(~pl.col("_blank")).then(pl.col("reason")))
        blanks, bad = raw.select(pl.col("_blank").sum(), pl.col("reason").is_not_null().sum()).row(
            0
        )
        stats.lines += raw.height - blanks
        if bad:
            self._sample(chunk, first_line, raw, stats)
        if bad or blanks:
            raw = raw.filter(pl.col("reason").is_null() & ~pl.col("_blank"))
        return raw

    @staticmethod
    def _sample(chunk: bytes, first_line: int, raw: pl.DataFrame, stats: ReadStats) -> None:
        rows = raw.with_row_index("row").filter(pl.col("reason").is_not_null())
        if not stats.wants_samples:
            stats.malformed += rows.height
            return
        lines = chunk.split(b"\n")
        # polars gives blank lines a row of nulls; if it ever skips them, map past them
        kept = [i for i, text in enumerate(lines) if text.strip()]
        one_to_one = raw.height == len(lines) - 1
        for row, why in rows.select("row", "reason").iter_rows():
            index = row if one_to_one or row >= len(kept) else kept[row]
            stats.bad(first_line + index, why, lines[index] if index < len(lines) else b"")


def _blank_lines(chunk: bytes, rows: int) -> pl.Series:
    """Which rows of a chunk are blank lines (polars gives them a row of nulls)."""
    lines = chunk.split(b"\n")[:-1]
    if len(lines) != rows:  # blank lines were skipped: none of the rows is blank
        return pl.Series([False] * rows)
    return pl.Series([not line.strip() for line in lines])


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
