"""Common and combined log formats (Squid's ``emulate_httpd_log``, Apache, nginx).

``client ident user [10/Oct/2000:13:55:36 -0700] "GET http://host/path HTTP/1.1" status bytes``,
and for the combined format ``"referer" "user agent"`` after it. A proxy writes absolute URLs
(or ``CONNECT host:443``); a request with only a path names no site and is counted malformed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import ClassVar

import polars as pl

from commsguard.webuse.readers.base import (
    LogReader,
    Progress,
    ReadStats,
    RowBatcher,
    dash,
    text_lines,
    to_int,
)
from commsguard.webuse.taxonomy import host_of

_LINE = re.compile(
    r"^(?P<client>\S+) (?P<ident>\S+) (?P<user>\S+) \[(?P<time>[^\]]+)\] "
    r'"(?P<request>(?:[^"\\]|\\.)*)" (?P<status>\d{3}|-) (?P<bytes>\d+|-)'
    r'(?: "(?P<referer>(?:[^"\\]|\\.)*)" "(?P<agent>(?:[^"\\]|\\.)*)")?'
)


def _time(text: str) -> float | None:
    try:
        return datetime.strptime(text, "%d/%b/%Y:%H:%M:%S %z").timestamp()
    except ValueError:
        return None


class CommonReader(LogReader):
    name: ClassVar[str] = "common"
    description: ClassVar[str] = (
        'Common log format: client ident user [time] "request" status bytes'
    )
    combined: ClassVar[bool] = False

    @classmethod
    def sniff(cls, head: list[str]) -> bool:
        matches = [m for m in map(_LINE.match, head) if m]
        if not matches or len(matches) * 2 < len(head):
            return False
        with_agent = sum(1 for m in matches if m.group("agent") is not None)
        return (with_agent * 2 >= len(matches)) == cls.combined

    def batches(
        self, path: Path, stats: ReadStats, *, progress: Progress | None = None
    ) -> Iterator[pl.DataFrame]:
        stats.format = self.name
        batcher = RowBatcher()
        for n, line in text_lines(path, progress=progress):
            if not line.strip():
                continue
            stats.lines += 1
            m = _LINE.match(line)
            if m is None:
                stats.bad(n, f"not the {self.name} log format", line)
                continue
            t = _time(m.group("time"))
            if t is None:
                stats.bad(n, "bad time", line)
                continue
            parts = m.group("request").split()
            if len(parts) < 2:
                stats.bad(n, "request has no method and URL", line)
                continue
            method, target = parts[0], parts[1]
            if target.startswith("/"):
                stats.bad(n, "request names a path but no host (not a proxy log)", line)
                continue
            stats.parsed += 1
            user = dash(m.group("user"))
            frame = batcher.add(
                t,
                m.group("client"),
                user,
                method,
                host_of(target),
                to_int(m.group("status")),
                to_int(m.group("bytes")),
            )
            if frame is not None:
                yield frame
        last = batcher.flush()
        if last is not None:
            yield last


class CombinedReader(CommonReader):
    name: ClassVar[str] = "combined"
    description: ClassVar[str] = 'Combined log format: common format + "referer" "user agent"'
    combined: ClassVar[bool] = True
