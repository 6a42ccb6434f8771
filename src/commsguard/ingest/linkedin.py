"""LinkedIn data export: ``Shares.csv`` (the member's posts).

Columns: ``Date`` (UTC, ``YYYY-MM-DD HH:MM:SS``), ``ShareLink`` (the post's URL, which holds
its ``urn:li:share``/``activity`` id), ``ShareCommentary`` (the text, often spanning lines),
``SharedUrl``, ``MediaUrl``, ``Visibility``. The export does not name its owner in this file.
"""

from __future__ import annotations

import csv
import re
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from commsguard.ingest._common import (
    DEFAULT_LIMITS,
    Limits,
    head,
    parse_time,
    quarantine,
    source,
)
from commsguard.ingest.base import Item, Reader
from commsguard.models import Attachment, Message

_URN = re.compile(r"urn:li:(?:share|activity|ugcPost):\d+")


class LinkedInReader(Reader):
    name: ClassVar[str] = "linkedin"
    description: ClassVar[str] = "LinkedIn data export: Shares.csv"
    channel: ClassVar[str] = "linkedin"

    def __init__(self, *, limits: Limits = DEFAULT_LIMITS, author: str = "") -> None:
        self.limits = limits
        self.author = author

    @classmethod
    def sniff(cls, path: Path) -> bool:
        if not path.is_file() or path.suffix.lower() != ".csv":
            return False
        first = head(path, 1024).decode("utf-8", "replace").lstrip("\ufeff").split("\n")[0]
        return "ShareCommentary" in first or path.name.lower() == "shares.csv"

    def read(self, path: Path) -> Iterator[Item]:
        csv.field_size_limit(min(sys.maxsize, self.limits.max_message_bytes))
        try:
            fh = path.open(encoding="utf-8-sig", errors="replace", newline="")
        except OSError as exc:
            yield quarantine(path, "", f"cannot open file: {exc.strerror or exc}")
            return
        with fh:
            reader = csv.DictReader(fh)
            row_no = 1
            try:
                for row in reader:
                    row_no += 1
                    position = f"line {reader.line_num}"
                    text = (row.get("ShareCommentary") or "").strip()
                    # LinkedIn doubles quotes inside already-quoted commentary.
                    text = text.replace('""', '"')
                    link = row.get("ShareLink") or ""
                    urn = _URN.search(urllib.parse.unquote(link))
                    when = parse_time(row.get("Date"))
                    if when is None and not text:
                        yield quarantine(path, position, "row has neither a date nor text")
                        continue
                    extra = [u for u in (row.get("SharedUrl"), row.get("MediaUrl")) if u]
                    yield Message(
                        id=urn.group(0) if urn else f"{path.name}:{position}",
                        text="\n".join([text, *extra]).strip(),
                        author=self.author,
                        channel=self.channel,
                        time=when,
                        source=source(path, position),
                        attachments=tuple(
                            Attachment(u.rsplit("/", 1)[-1] or u)
                            for u in [row.get("MediaUrl")]
                            if u
                        ),
                    )
            except csv.Error as exc:
                yield quarantine(path, f"line {reader.line_num}", f"malformed CSV: {exc}")
