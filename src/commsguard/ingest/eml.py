"""A single RFC 822 message file (``.eml``), as saved by mail clients."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from commsguard.ingest._common import DEFAULT_LIMITS, Limits, head, quarantine, source
from commsguard.ingest.base import Item, Reader
from commsguard.ingest.mime import parse_email

# Header names that show a file is a mail message even without the .eml suffix.
_MAIL_HEADERS = re.compile(
    rb"^(received|from|date|subject|message-id|mime-version|delivered-to|return-path|to)\s*:",
    re.IGNORECASE | re.MULTILINE,
)


class EmlReader(Reader):
    name: ClassVar[str] = "eml"
    description: ClassVar[str] = "One email message in RFC 822 / MIME form (.eml)"
    channel: ClassVar[str] = "email"

    def __init__(self, *, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits

    @classmethod
    def sniff(cls, path: Path) -> bool:
        if not path.is_file():
            return False
        if path.suffix.lower() == ".eml":
            return True
        start = head(path, 2048).lstrip()
        if start.startswith(b"From "):
            return False  # an mbox; the mbox reader takes it
        return len(_MAIL_HEADERS.findall(start)) >= 2

    def read(self, path: Path) -> Iterator[Item]:
        try:
            size = path.stat().st_size
            if size > self.limits.max_message_bytes:
                yield quarantine(
                    path,
                    "",
                    f"message is {size} bytes, over the {self.limits.max_message_bytes}-byte limit",
                )
                return
            raw = path.read_bytes()
        except OSError as exc:
            yield quarantine(path, "", f"cannot read file: {exc.strerror or exc}")
            return
        yield from parse_email(raw, source(path), channel=self.channel)
