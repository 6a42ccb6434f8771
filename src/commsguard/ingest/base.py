"""The reader contract: a file in, a stream of messages (and quarantined items) out.

Readers stream: they never load a whole archive into memory. A bad item never stops a reader;
it is yielded as :class:`Quarantined` with where it was and why, and the reader goes on.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from commsguard.models import Message, Source

#: Why a path found inside an export is not read: it is a link, or it leads outside the export.
LINK_REASON = "symbolic link: not followed (only regular files inside the export are read)"
OUTSIDE_REASON = "resolves outside the export folder: not read"


@dataclass(frozen=True, slots=True)
class Quarantined:
    """An item a reader could not turn into a message, kept so nothing is lost."""

    source: Source
    reason: str
    raw: bytes = b""


Item = Message | Quarantined


class Reader(ABC):
    """One archive or export format."""

    name: ClassVar[str]
    #: One line for ``commsguard ingest detect`` and the docs.
    description: ClassVar[str]
    #: The channel messages from this reader carry unless the export says better.
    channel: ClassVar[str] = ""

    @classmethod
    @abstractmethod
    def sniff(cls, path: Path) -> bool:
        """Whether this reader applies to ``path`` (cheap: name and first bytes only)."""

    @abstractmethod
    def read(self, path: Path) -> Iterator[Item]:
        """Yield every message in ``path``; yield :class:`Quarantined` for what cannot be read."""
