"""Zeek (Bro) ``http.log``: the TSV format with its ``#fields`` header, and JSON lines.

TSV honours the ``#separator`` (written escaped, ``\\x09``), ``#unset_field`` and
``#empty_field`` directives. JSON lines carry the same names (``ts``, ``id.orig_h``, ``host``,
``uri``, ``method``, ``status_code``, ``username``, ``response_body_len``); ``ts`` may be epoch
seconds or ISO 8601.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import polars as pl

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


def _unescape(value: str) -> str:
    return value.encode("ascii", "backslashreplace").decode("unicode_escape")


class ZeekReader(LogReader):
    name: ClassVar[str] = "zeek"
    description: ClassVar[str] = "Zeek/Bro http.log, TSV (#fields header) or JSON lines"

    @classmethod
    def sniff(cls, head: list[str]) -> bool:
        if any(line.startswith("#fields") for line in head) and any(
            line.startswith("#separator") for line in head
        ):
            return True
        first = head[0] if head else ""
        return first.startswith("{") and '"id.orig_h"' in first and '"ts"' in first

    def batches(
        self, path: Path, stats: ReadStats, *, progress: Progress | None = None
    ) -> Iterator[pl.DataFrame]:
        stats.format = self.name
        batcher = RowBatcher()
        sep, unset, empty = "\t", "-", "(empty)"
        fields: list[str] = []
        for n, line in text_lines(path, progress=progress):
            if not line.strip():
                continue
            if line.startswith("#"):
                key, _, value = (
                    line[1:].partition(" ")
                    if line.startswith("#separator")
                    else (line[1:].partition(sep))
                )
                if key == "separator":
                    sep = _unescape(value.strip())
                elif key == "unset_field":
                    unset = value
                elif key == "empty_field":
                    empty = value
                elif key == "fields":
                    fields = value.split(sep)
                continue
            stats.lines += 1
            if line.startswith("{"):
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as e:
                    stats.bad(n, f"bad JSON: {e.msg}", line)
                    continue
                if not isinstance(row, dict):
                    stats.bad(n, "JSON line is not an object", line)
                    continue
                values = {k: None if v is None else str(v) for k, v in row.items()}
            else:
                if not fields:
                    stats.bad(n, "data before any #fields line", line)
                    continue
                parts = line.split(sep)
                if len(parts) != len(fields):
                    stats.bad(n, f"{len(parts)} fields where #fields names {len(fields)}", line)
                    continue
                values = {
                    k: None if v in (unset, empty) else v
                    for k, v in zip(fields, parts, strict=True)
                }
            t = parse_time(values.get("ts") or "")
            host = dash(values.get("host")) or _uri_host(values.get("uri"))
            if t is None:
                stats.bad(n, "no readable ts", line)
                continue
            if host is None:
                stats.bad(n, "no host", line)
                continue
            stats.parsed += 1
            frame = batcher.add(
                t,
                dash(values.get("id.orig_h")),
                dash(values.get("username")),
                dash(values.get("method")),
                host_of(host) or host,
                to_int(values.get("status_code")),
                to_int(values.get("response_body_len")),
            )
            if frame is not None:
                yield frame
        last = batcher.flush()
        if last is not None:
            yield last


def _uri_host(uri: str | None) -> str | None:
    if uri and "://" in uri:
        return host_of(uri) or None
    return None
