"""Confidential-register values hidden wherever stored message text is shown or exported.

A finding's evidence for the confidential register is masked when it is made; but the text of
the message it is on, and other findings' evidence, still spelt the complainant's name. Every
view of stored text goes through :class:`RegisterMask`: the spans to hide are those the
register matches in the text *now* (the register's own matching: the keyed hashes of the
text's normalised n-grams, so a value added to the register after the check is hidden too),
together with the spans the register detector stored when the message was checked (so a
value since removed from the register stays hidden). Masking keeps the text's length and
shape, so every stored offset still points at the same place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from commsguard.detectors.base import DetectorContext
from commsguard.detectors.register import (
    ConfidentialRegisterDetector,
    RegisterParams,
    mask,
)
from commsguard.models import Message
from commsguard.registers import ConfidentialRegister

#: The detector whose stored findings are register spans.
REGISTER_DETECTOR = ConfidentialRegisterDetector.name

Span = tuple[int, int]


class RegisterMask:
    """Finds and hides register values in text, with the register's own matching."""

    def __init__(self, register: ConfidentialRegister | None) -> None:
        self.register = register
        self._detector = ConfidentialRegisterDetector(
            RegisterParams(explain_partial=False), DetectorContext(register=register)
        )

    def spans(self, text: str) -> list[Span]:
        """Where register values of any kind are in ``text``."""
        if not text or self.register is None or not self.register.entries:
            return []
        hits = self._detector.detect(Message(id="view", text=text))
        return [(h.start, h.end) for h in hits if h.near_miss is None]


def merge(spans: Iterable[Span], length: int) -> list[Span]:
    """Spans clipped to ``[0, length)``, sorted, overlaps joined."""
    out: list[Span] = []
    for start, end in sorted((max(0, s), min(length, e)) for s, e in spans):
        if start >= end:
            continue
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def masked(text: str, spans: Sequence[Span]) -> str:
    """``text`` with every letter and digit inside ``spans`` hidden (length kept)."""
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for start, end in merge(spans, len(text)):
        parts.append(text[pos:start])
        parts.append(mask(text[start:end]))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def masked_evidence(
    evidence: str, *, start: int, end: int, text: str | None, spans: Sequence[Span],
    register_mask: RegisterMask,
) -> str:
    """A finding's evidence with register values hidden.

    Evidence that is the message's text at the finding's offsets takes the message's spans;
    evidence that is not (rewritten, or the text purged) is matched on its own.
    """
    if text is not None and text[start:end] == evidence:
        inside = [(max(s, start) - start, min(e, end) - start) for s, e in spans
                  if s < end and e > start]
        evidence = masked(evidence, inside)
    return masked(evidence, register_mask.spans(evidence))
