"""Maildir folders: one message per file under ``cur/`` and ``new/`` (``tmp/`` is in flight)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from commsguard.ingest._common import DEFAULT_LIMITS, Limits, quarantine, source
from commsguard.ingest.base import Item, Reader
from commsguard.ingest.mime import parse_email


class MaildirReader(Reader):
    name: ClassVar[str] = "maildir"
    description: ClassVar[str] = "Maildir folder (cur/ and new/, one message per file)"
    channel: ClassVar[str] = "email"

    def __init__(self, *, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits

    @classmethod
    def sniff(cls, path: Path) -> bool:
        return path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir()

    def read(self, path: Path) -> Iterator[Item]:
        # Sorted so that positions and the order of results are the same on every run.
        for sub in ("cur", "new"):
            folder = path / sub
            if not folder.is_dir():
                continue
            for file in sorted(folder.iterdir()):
                if not file.is_file() or file.name.startswith("."):
                    continue
                yield from self._one(file)

    def _one(self, file: Path) -> Iterator[Item]:
        try:
            size = file.stat().st_size
            limit = self.limits.max_message_bytes
            if size > limit:
                yield quarantine(file, "", f"message is {size} bytes, over the {limit}-byte limit")
                return
            raw = file.read_bytes()
        except OSError as exc:
            yield quarantine(file, "", f"cannot read file: {exc.strerror or exc}")
            return
        yield from parse_email(raw, source(file), channel=self.channel)
