"""W3C extended log format (IIS, and proxies that write it).

Directives (``#Fields:``, ``#GMT-Offset:``) may be repeated mid-file (IIS starts a new block each
time it reopens a log) and carry trailing ``// comments``. Fields are separated by one or more
spaces; quoted fields may hold spaces and doubled quotes. Times are UTC unless a
``#GMT-Offset`` directive says otherwise, or the fields are ``date-local``/``time-local`` (read
in the reader's ``local_offset_minutes``).

The site is, in order: ``cs-host``/``cs(Host)``, the host of an absolute ``cs-uri``/
``cs-uri-stem``, ``s-computername``, ``s-ip``.
"""

from __future__ import annotations

import re
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

_TOKEN = re.compile(r'"(?:[^"]|"")*"|\S+')
_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})")

_HOSTS = ("cs-host", "cs(host)")
_URIS = ("cs-uri", "cs-uri-stem")
_SERVERS = ("s-computername", "s-sitename", "s-ip")
_USERS = ("cs-username", "c-auth-id", "cs-auth-id", "c-username")
_BYTES = ("sc-bytes", "bytes")


def _unquote(token: str) -> str:
    if len(token) >= 2 and token[0] == token[-1] == '"':
        return token[1:-1].replace('""', '"')
    return token


class W3CReader(LogReader):
    name: ClassVar[str] = "w3c"
    description: ClassVar[str] = "W3C extended log (IIS, proxies): #Fields: header, then rows"

    def __init__(self, *, local_offset_minutes: int = 0) -> None:
        self.local_offset_minutes = local_offset_minutes

    @classmethod
    def sniff(cls, head: list[str]) -> bool:
        return any(line.lstrip("\ufeff").startswith("#Fields:") for line in head)

    def batches(
        self, path: Path, stats: ReadStats, *, progress: Progress | None = None
    ) -> Iterator[pl.DataFrame]:
        stats.format = self.name
        batcher = RowBatcher()
        fields: list[str] = []
        offset = 0
        for n, line in text_lines(path, progress=progress):
            line = line.lstrip("\ufeff")
            if not line.strip():
                continue
            if line.startswith("#"):
                name, _, value = line[1:].partition(":")
                value = value.split("//", 1)[0].strip()
                if name == "Fields":
                    fields = [f.lower() for f in value.split()]
                elif name == "GMT-Offset":
                    m = _OFFSET.match(value)
                    if m:
                        sign = -1 if m.group(1) == "-" else 1
                        offset = sign * (int(m.group(2)) * 60 + int(m.group(3)))
                continue
            stats.lines += 1
            if not fields:
                stats.bad(n, "data before any #Fields: directive", line)
                continue
            tokens = [_unquote(t) for t in _TOKEN.findall(line)]
            if len(tokens) != len(fields):
                stats.bad(n, f"{len(tokens)} fields where #Fields: names {len(fields)}", line)
                continue
            row = dict(zip(fields, tokens, strict=True))
            t = self._time(row, offset)
            if t is None:
                stats.bad(n, "no readable date and time", line)
                continue
            host = _first(row, _HOSTS)
            if host is None:
                uri = _first(row, _URIS)
                host = host_of(uri) if uri and "://" in uri else _first(row, _SERVERS)
            if host is None:
                stats.bad(n, "no host, absolute URI or server field", line)
                continue
            stats.parsed += 1
            frame = batcher.add(
                t,
                dash(row.get("c-ip")),
                _first(row, _USERS),
                dash(row.get("cs-method")),
                host_of(host) or host,
                to_int(row.get("sc-status")),
                to_int(_first(row, _BYTES)),
            )
            if frame is not None:
                yield frame
        last = batcher.flush()
        if last is not None:
            yield last

    def _time(self, row: dict[str, str], offset: int) -> float | None:
        if "date" in row and "time" in row:
            return parse_time(f"{row['date']} {row['time']}", default_offset_minutes=offset)
        if "date-local" in row and "time-local" in row:
            return parse_time(
                f"{row['date-local']} {row['time-local']}",
                default_offset_minutes=self.local_offset_minutes,
            )
        return None


def _first(row: dict[str, str], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = dash(row.get(name))
        if value is not None:
            return value
    return None
