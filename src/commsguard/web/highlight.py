"""The checked text cut into plain and highlighted pieces, for the check page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class Span(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def severity(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    #: Index of the finding highlighted here (1-based, as numbered on the page), or 0.
    finding: int = 0
    severity: str = ""


def pieces(text: str, findings: Sequence[Span]) -> list[Piece]:
    """Where findings overlap, the earlier one is highlighted and the later one only listed."""
    out: list[Piece] = []
    pos = 0
    order = sorted(range(len(findings)), key=lambda i: (findings[i].start, -findings[i].end))
    for i in order:
        f = findings[i]
        start, end = max(f.start, 0), min(f.end, len(text))
        if start < pos or start >= end:
            continue
        if start > pos:
            out.append(Piece(text[pos:start]))
        out.append(Piece(text[start:end], i + 1, f.severity))
        pos = end
    if pos < len(text):
        out.append(Piece(text[pos:]))
    return out
