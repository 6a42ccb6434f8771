"""Generic CSV and JSON Lines with a column mapping, for exports no other reader knows.

``CsvReader(mapping={"text": "body", "author": "from"})`` reads the message field on the left
from the column on the right; fields not named map to the column of the same name. Fields:
``id text author time thread channel capacity profile``. Only ``text`` is required; a row
without it is quarantined. Times may be ISO 8601 or epoch seconds/milliseconds.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

from commsguard.ingest._common import (
    DEFAULT_LIMITS,
    Limits,
    derived_id,
    parse_time,
    quarantine,
    source,
    text_of,
)
from commsguard.ingest.base import Item, Reader
from commsguard.models import CAPACITIES, Message

FIELDS = ("id", "text", "author", "time", "thread", "channel", "capacity", "profile")


class _Mapped(Reader):
    def __init__(
        self, *, mapping: Mapping[str, str] | None = None, limits: Limits = DEFAULT_LIMITS
    ) -> None:
        unknown = set(mapping or {}) - set(FIELDS)
        if unknown:
            raise ValueError(
                f"unknown message field(s) in mapping: {', '.join(sorted(unknown))} "
                f"(fields: {', '.join(FIELDS)})"
            )
        self.mapping = {f: (mapping or {}).get(f, f) for f in FIELDS}
        self.limits = limits

    def _row(self, path: Path, position: str, row: Mapping[str, Any]) -> Item:
        src = source(path, position)
        value = {f: row.get(col) for f, col in self.mapping.items()}
        if value["text"] is None:
            return quarantine(path, position, f"no {self.mapping['text']!r} column in this row")
        capacity = text_of(value["capacity"]).strip().lower() or "private"
        if capacity not in CAPACITIES:
            return quarantine(path, position, f"capacity {capacity!r} is not one of {CAPACITIES}")
        thread = text_of(value["thread"])
        return Message(
            id=text_of(value["id"]) or derived_id(src),
            text=text_of(value["text"]),
            author=text_of(value["author"]),
            capacity="official" if capacity == "official" else "private",
            channel=text_of(value["channel"]) or self.channel,
            profile=text_of(value["profile"]),
            time=parse_time(value["time"]),
            thread=thread or None,
            source=src,
        )


class CsvReader(_Mapped):
    name: ClassVar[str] = "csv"
    description: ClassVar[str] = "Generic CSV, one message per row, with a column mapping"
    channel: ClassVar[str] = "csv"

    @classmethod
    def sniff(cls, path: Path) -> bool:
        return path.is_file() and path.suffix.lower() in {".csv", ".tsv"}

    def read(self, path: Path) -> Iterator[Item]:
        csv.field_size_limit(min(sys.maxsize, self.limits.max_message_bytes))
        try:
            fh = path.open(encoding="utf-8-sig", errors="replace", newline="")
        except OSError as exc:
            yield quarantine(path, "", f"cannot open file: {exc.strerror or exc}")
            return
        with fh:
            dialect: type[csv.Dialect] = (
                csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
            )
            reader = csv.DictReader(fh, dialect=dialect)
            try:
                for row in reader:
                    yield self._row(path, f"line {reader.line_num}", row)
            except csv.Error as exc:
                yield quarantine(path, f"line {reader.line_num}", f"malformed CSV: {exc}")


class JsonlReader(_Mapped):
    name: ClassVar[str] = "jsonl"
    description: ClassVar[str] = "Generic JSON Lines, one message object per line, with a mapping"
    channel: ClassVar[str] = "jsonl"

    @classmethod
    def sniff(cls, path: Path) -> bool:
        return path.is_file() and path.suffix.lower() in {".jsonl", ".ndjson"}

    def read(self, path: Path) -> Iterator[Item]:
        try:
            fh = path.open("rb")
        except OSError as exc:
            yield quarantine(path, "", f"cannot open file: {exc.strerror or exc}")
            return
        limit = self.limits.max_message_bytes
        with fh:
            lineno = 0
            while True:
                # readline with a cap: a 10 GB line must not be read into memory whole.
                line = fh.readline(limit + 1)
                if not line:
                    break
                lineno += 1
                position = f"line {lineno}"
                if len(line) > limit and not line.endswith(b"\n"):
                    while line and not line.endswith(b"\n"):
                        line = fh.readline(limit + 1)
                    yield quarantine(path, position, f"line is over the {limit}-byte limit")
                    continue
                if not line.strip():
                    continue
                try:
                    row = json.loads(line.decode("utf-8-sig"))
                except ValueError as exc:
                    yield quarantine(path, position, f"not JSON: {exc}", line)
                    continue
                if not isinstance(row, dict):
                    yield quarantine(path, position, "line is not a JSON object", line)
                    continue
                yield self._row(path, position, row)
