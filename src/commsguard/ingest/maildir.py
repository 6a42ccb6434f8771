"""Maildir folders: one message per file under ``cur/`` and ``new/`` (``tmp/`` is in flight)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from commsguard.errors import RefusedPathError
from commsguard.ingest._common import (
    DEFAULT_LIMITS,
    Limits,
    quarantine,
    read_inside,
    refuse_path,
    source,
)
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
            refused = refuse_path(path, folder)
            if refused is not None:
                yield quarantine(folder, "", refused)
                continue
            if not folder.is_dir():
                continue
            for file in sorted(folder.iterdir()):
                if file.name.startswith("."):
                    continue
                # A link is quarantined by _one, never followed: no byte of its target is kept.
                if file.is_symlink() or file.is_file():
                    yield from self._one(path, file)

    def _one(self, root: Path, file: Path) -> Iterator[Item]:
        limit = self.limits.max_message_bytes
        try:
            raw = read_inside(root, file, limit)
        except RefusedPathError as exc:
            yield quarantine(file, "", exc.reason)
            return
        except ValueError as exc:
            yield quarantine(file, "", f"message not read: {exc}")
            return
        except OSError as exc:
            yield quarantine(file, "", f"cannot read file: {exc.strerror or exc}")
            return
        yield from parse_email(raw, source(file), channel=self.channel)
