"""Squid native ``access.log``, read vectorised.

The native format is ``time elapsed client code/status bytes method URL user hierarchy type``,
with the elapsed time right-aligned (``%6tr``), so a variable run of spaces follows the time.
Instead of a regular expression per line (too slow by far), each block of bytes goes through
numpy once, turning the padding into zeros (``"   340"`` becomes ``"000340"``; see
:mod:`commsguard.webuse.readers.squidpad`), after which polars' CSV reader splits the block on
single spaces and the hosts are cut from the URLs column-wise (:mod:`.hosts`). Only a block
with a line that does not fit pays for reasons and samples: such lines are counted and sampled
as malformed, with their line numbers. Method and figures: ``docs/webuse.md``.

Squid writes a line when a request *ends*. For ``CONNECT`` tunnels, which can stay open for
hours, the request time is taken as the tunnel's start (time minus elapsed), and the tunnel
counts as one request: its duration never counts as time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

import polars as pl

from commsguard.webuse.readers.base import (
    CHUNK_BYTES,
    LogReader,
    Progress,
    ReadStats,
    conform,
)
from commsguard.webuse.readers.hosts import with_hosts
from commsguard.webuse.readers.squidpad import pad_spaces, padded_blocks

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


_WANTED = [i for i, name in enumerate(_FIELDS) if name != "hier"]
_READ = [name for name in _FIELDS if name != "hier"]


def read_fields(padded: bytes) -> pl.DataFrame:
    """The fields of padded Squid lines, one row per line (blank lines give a row of nulls).

    Bytes that are not UTF-8 (a Latin-1 user name, a raw URL) make polars refuse the whole
    block, so such a block is read again with them replaced by U+FFFD, as the text readers do:
    the line still counts, the fast path pays nothing.
    """
    options: dict[str, Any] = {
        "has_header": False,
        "separator": " ",
        "quote_char": None,
        "schema": _FIELDS,
        "truncate_ragged_lines": True,
        "missing_columns": "insert",
        "extra_columns": "ignore",
        "ignore_errors": True,
        "columns": _WANTED,  # the hierarchy field is never used
    }
    try:
        return pl.read_csv(padded, **options)
    except pl.exceptions.ComputeError as exc:
        if "utf-8" not in str(exc):
            raise
        return pl.read_csv(padded, encoding="utf8-lossy", **options)


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
        for block in padded_blocks(path, chunk_bytes=self.chunk_bytes, progress=progress):
            frame = self._parse(block.data, block.first_line, stats, partial(block.original, path))
            if frame.height:
                yield frame

    def parse_chunk(self, chunk: bytes, first_line: int, stats: ReadStats) -> pl.DataFrame:
        """Parse one chunk of whole lines (unpadded) starting at line ``first_line``."""
        return self._parse(pad_spaces(chunk), first_line, stats, lambda: chunk)

    def _parse(
        self,
        padded: bytes,
        first_line: int,
        stats: ReadStats,
        original: Callable[[], bytes],
    ) -> pl.DataFrame:
        """Parse whole padded lines; ``original`` gives them unpadded, for samples."""
        raw = read_fields(padded)
        # the status is the code's last three characters: TCP_MISS/200, NONE/000
        status = pl.col("code").str.slice(-3).cast(pl.Int64, strict=False)
        raw = raw.with_columns(status=status)
        nulls = raw.null_count().row(0, named=True)  # cached per column: no pass over rows
        clean = nulls["ts"] == nulls["url"] == nulls["status"] == 0 and nulls["extra"] == raw.height
        if clean:  # the usual chunk: no blank, short, long or broken line
            stats.lines += raw.height
        else:
            raw = self._refuse(original(), first_line, raw, stats)
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
        return conform(with_hosts(hits, ascii=padded.isascii()))

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
