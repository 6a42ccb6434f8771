"""Web log readers, in an explicit registry.

Add a reader by writing its module and naming it in ``READERS``; an unknown name is an error.
The order of ``READERS`` is the order ``detect_format`` tries them in.
"""

from __future__ import annotations

from pathlib import Path

from commsguard.errors import UnknownReaderError
from commsguard.webuse.readers.base import (
    HIT_SCHEMA,
    LogReader,
    MalformedLine,
    ReadStats,
    head_lines,
)
from commsguard.webuse.readers.clf import CombinedReader, CommonReader
from commsguard.webuse.readers.csvlog import CsvMapping, CsvReader
from commsguard.webuse.readers.squid import SquidReader
from commsguard.webuse.readers.w3c import W3CReader
from commsguard.webuse.readers.zeek import ZeekReader

READERS: dict[str, type[LogReader]] = {
    "squid": SquidReader,
    "zeek": ZeekReader,
    "w3c": W3CReader,
    "combined": CombinedReader,
    "common": CommonReader,
    "csv": CsvReader,
}


def get_reader(name: str, *, csv_mapping: CsvMapping | None = None) -> LogReader:
    """A reader by name (``csv_mapping`` is for the ``csv`` reader)."""
    try:
        cls = READERS[name]
    except KeyError:
        known = ", ".join(sorted(READERS))
        raise UnknownReaderError(f"unknown web log format {name!r} (known: {known})") from None
    if cls is CsvReader:
        return CsvReader(csv_mapping)
    return cls()


def detect_format(path: Path) -> str | None:
    """The name of the first reader whose ``sniff`` accepts the start of ``path``, or None."""
    head = head_lines(path)
    if not head:
        return None
    for name, cls in READERS.items():
        if cls.sniff(head):
            return name
    return None


__all__ = [
    "HIT_SCHEMA",
    "READERS",
    "CsvMapping",
    "LogReader",
    "MalformedLine",
    "ReadStats",
    "detect_format",
    "get_reader",
]
