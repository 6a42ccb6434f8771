"""Equity and diversity: discrimination, sexual harassment, bullying and exclusion.

One detector, configured per rule from pack data:

* ``groups_file`` + ``derogation_file``: a group defined by a protected attribute and a
  derogation in the same sentence ("women are too emotional to lead"). Target handling: the
  derogation must sit in the group's sentence.
* ``patterns_file``: wording that is discriminatory, harassing or bullying by itself ("she'll be
  on maternity leave in six months", "send nudes", "we're freezing him out").
* ``inclusion_file``: celebration and inclusion ("Happy Diwali", "proud to march in Pride",
  unconscious bias training) that cancels group co-occurrence hits in the same sentence.

Slurs are found by the generic gazetteer detector over an obfuscated list (see the pack).

Wording the speaker only reports ("my manager keeps telling me I should smile more", "he told
the team women are too emotional to lead") is a near miss, not the speaker's conduct: a victim
or witness describing harassment is not harassing (stance.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from commsguard.detectors.base import Detector, DetectorContext, Hit
from commsguard.detectors.gazetteer import LinePatterns, data_patterns, sentence_bounds
from commsguard.detectors.stance import reported
from commsguard.models import Explanation, Message

_QUOTE = re.compile(r"['‘’\"“”]")


def _unquote(text: str) -> str:
    """Quote marks that are not apostrophes ("'diverse' hire") blanked; same length."""
    if not _QUOTE.search(text):
        return text
    chars = list(text)
    n = len(chars)
    for m in _QUOTE.finditer(text):
        i = m.start()
        inside = 0 < i < n - 1 and chars[i - 1].isalpha() and text[i + 1].isalpha()
        if not inside:
            chars[i] = " "
    return "".join(chars)


class DiscriminationParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Which behaviour the rule is about, for explanations ("discrimination", "bullying"…).
    kind: str = "discrimination"
    groups_file: str | None = None
    derogation_file: str | None = None
    patterns_file: str | None = None
    inclusion_file: str | None = None
    #: Characters between group and derogation (they must also share a sentence).
    window: int = Field(default=80, ge=0, le=400)
    #: Whether group and derogation must share a sentence (else the window alone decides).
    same_sentence: bool = False
    #: Inclusion context cancels a hit unless the passage is this hostile (VADER compound).
    hostile_below: float = Field(default=-0.25, ge=-1, le=1)
    score: float = Field(default=0.7, ge=0, le=1)
    pattern_score: float = Field(default=0.75, ge=0, le=1)


class DiscriminationDetector(Detector):
    name = "discrimination"
    description = "Protected group + derogation; harassment, bullying and exclusion wording."
    Params = DiscriminationParams

    def __init__(self, params: BaseModel, context: DetectorContext) -> None:
        super().__init__(params, context)
        assert isinstance(params, DiscriminationParams)
        self.p = params
        self.groups = data_patterns(context, params.groups_file)
        self.derogation = data_patterns(context, params.derogation_file)
        self.patterns = data_patterns(context, params.patterns_file)
        self.inclusion = data_patterns(context, params.inclusion_file)

    def _compound(self, text: str) -> float:
        return self.context.models.sentiment(text)

    def detect(self, message: Message) -> Iterator[Hit]:
        text = _unquote(message.text)  # same length: offsets hold
        spans: list[tuple[int, int]] = []
        if self.patterns is not None:
            for m in self.patterns.finditer(text):
                spans.append((m.start(), m.end()))
                if (why := reported(message.text, m.start(), m.end())) is not None:
                    yield Hit(m.start(), m.end(), 0.0, Explanation(self.name, m.group()),
                              near_miss=why)
                    continue
                yield Hit(m.start(), m.end(), self.p.pattern_score,
                          Explanation(self.name, m.group(), notes=(self.p.kind,)))
        if self.groups is None or self.derogation is None:
            return
        for d in self.derogation.finditer(text):
            if any(s <= d.start() < e for s, e in spans):
                continue
            lo, hi = max(0, d.start() - self.p.window), min(len(text), d.end() + self.p.window)
            if self.p.same_sentence:
                s_lo, s_hi = sentence_bounds(text, d.start(), d.end())
                lo, hi = max(lo, s_lo), min(hi, s_hi)
            group = self._nearest(self.groups, text, lo, hi, d.start(), d.end())
            if group is None:
                continue
            start, end = min(group[0], d.start()), max(group[1], d.end())
            inc = self.inclusion.search(text, lo, hi) if self.inclusion is not None else None
            if inc is not None and self._compound(text[lo:hi]) > self.p.hostile_below:
                yield Hit(start, end, 0.0, Explanation(self.name, d.group()),
                          near_miss=f"inclusion context {inc.group()!r}")
                continue
            spans.append((start, end))
            if (why := reported(message.text, start, end)) is not None:
                yield Hit(start, end, 0.0, Explanation(self.name, d.group()), near_miss=why)
                continue
            yield Hit(start, end, self.p.score,
                      Explanation(self.name, d.group(),
                                  notes=(self.p.kind, f"group {text[group[0]:group[1]]!r}")))

    @staticmethod
    def _nearest(
        regex: LinePatterns, text: str, lo: int, hi: int, start: int, end: int
    ) -> tuple[int, int] | None:
        best: tuple[int, int] | None = None
        gap = 1 << 30
        for m in regex.finditer(text, lo, hi):
            if start <= m.start() < end:
                continue
            g = start - m.end() if m.end() <= start else m.start() - end
            if g < gap:
                best, gap = (m.start(), m.end()), g
        return best
