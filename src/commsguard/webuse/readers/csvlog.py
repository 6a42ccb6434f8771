"""CSV web logs (firewall and secure web gateway exports) with a column mapping.

:class:`CsvMapping` names the column for each field; by default the usual header names are
tried (``time``/``timestamp``, ``user``/``username``, ``client``/``ip``, ``host``/``url`` ...).
Times are epoch seconds (or milliseconds) or ISO 8601; text without an offset is read with
``offset_minutes``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import polars as pl
from pydantic import BaseModel, ConfigDict

from commsguard.errors import InputError
from commsguard.webuse.readers.base import (
    LogReader,
    Progress,
    ReadStats,
    RowBatcher,
    dash,
    parse_time,
    text_lines,
    to_int,
)
from commsguard.webuse.taxonomy import host_of

_GUESSES: dict[str, tuple[str, ...]] = {
    "time": ("time", "timestamp", "ts", "datetime", "date_time", "@timestamp", "date"),
    "user": ("user", "username", "user_name", "userid", "cs-username", "login"),
    "client": ("client", "client_ip", "ip", "src_ip", "source_ip", "c-ip", "source"),
    "host": ("host", "hostname", "domain", "site", "cs-host", "dest_host"),
    "url": ("url", "uri", "cs-uri", "request_url"),
    "method": ("method", "http_method", "cs-method"),
    "status": ("status", "status_code", "http_status", "sc-status"),
    "bytes": ("bytes", "size", "sc-bytes", "response_bytes"),
}


class CsvMapping(BaseModel):
    """Which CSV column holds which field; None means guess from the header."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    time: str | None = None
    user: str | None = None
    client: str | None = None
    host: str | None = None
    url: str | None = None
    method: str | None = None
    status: str | None = None
    bytes: str | None = None
    delimiter: str = ","
    offset_minutes: int = 0

    def resolve(self, header: list[str]) -> dict[str, str]:
        """Field name -> column name for ``header``; raises when time or host cannot be found."""
        lower = {h.strip().lower(): h for h in header}
        out: dict[str, str] = {}
        for name, guesses in _GUESSES.items():
            given = getattr(self, name)
            if given is not None:
                if given not in header:
                    raise InputError(f"CSV has no column {given!r} for {name}; it has {header}")
                out[name] = given
                continue
            for guess in guesses:
                if guess in lower:
                    out[name] = lower[guess]
                    break
        if "time" not in out or ("host" not in out and "url" not in out):
            raise InputError(
                f"CSV header {header} has no time column or no host/url column; "
                "name them with a column mapping, e.g. time=EventTime host=Domain"
            )
        return out


class CsvReader(LogReader):
    name: ClassVar[str] = "csv"
    description: ClassVar[str] = "CSV with a header and a column mapping (time, user, host ...)"

    def __init__(self, mapping: CsvMapping | None = None) -> None:
        self.mapping = mapping or CsvMapping()

    @classmethod
    def sniff(cls, head: list[str]) -> bool:
        if not head or head[0].startswith("#") or "," not in head[0]:
            return False
        names = {h.strip().strip('"').lower() for h in head[0].split(",")}
        return bool(names & set(_GUESSES["time"])) and bool(
            names & (set(_GUESSES["host"]) | set(_GUESSES["url"]))
        )

    def batches(
        self, path: Path, stats: ReadStats, *, progress: Progress | None = None
    ) -> Iterator[pl.DataFrame]:
        stats.format = self.name
        batcher = RowBatcher()
        columns: dict[str, str] | None = None
        index: dict[str, int] = {}
        delimiter = self.mapping.delimiter
        for n, line in text_lines(path, progress=progress):
            if not line.strip():
                continue
            try:
                cells = next(csv.reader(io.StringIO(line), delimiter=delimiter))
            except (csv.Error, StopIteration) as e:
                stats.lines += 1
                stats.bad(n, f"bad CSV: {e}", line)
                continue
            if columns is None:
                columns = self.mapping.resolve(cells)
                index = {field: cells.index(col) for field, col in columns.items()}
                continue
            stats.lines += 1
            if len(cells) < len(columns) or max(index.values()) >= len(cells):
                stats.bad(n, f"{len(cells)} cells, fewer than the header", line)
                continue

            def cell(
                field: str, cells: list[str] = cells, index: dict[str, int] = index
            ) -> str | None:
                return dash(cells[index[field]].strip()) if field in index else None

            t = parse_time(cell("time") or "", default_offset_minutes=self.mapping.offset_minutes)
            host = cell("host") or cell("url")
            if t is None:
                stats.bad(n, "bad time", line)
                continue
            if host is None:
                stats.bad(n, "no host or url", line)
                continue
            stats.parsed += 1
            frame = batcher.add(
                t,
                cell("client"),
                cell("user"),
                cell("method"),
                host_of(host) or host,
                to_int(cell("status")),
                to_int(cell("bytes")),
            )
            if frame is not None:
                yield frame
        last = batcher.flush()
        if last is not None:
            yield last
