"""Phrases and patterns: a rule's own list of regular expressions, scored as the pack says.

The simplest detector, for clauses best described by wording (a staff member talking about
"a complainant who…" without naming anyone). All patterns of a rule are compiled into one
alternation, so a message is scanned once per rule whatever the number of phrases.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field, field_validator

from commsguard.detectors.base import Detector, DetectorContext, Hit
from commsguard.detectors.prefilter import Narrowing
from commsguard.models import Explanation, Message
from commsguard.text import fold, lower_literals


class PhraseParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Regular expressions (case-insensitive); word boundaries are up to the pattern.
    patterns: list[str] = Field(default_factory=list)
    #: A pack data file with one pattern per line, added to ``patterns``.
    patterns_file: str | None = None
    score: float = Field(default=0.5, ge=0, le=1)

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for p in patterns:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"pattern {p!r} does not compile: {exc}") from None
        return patterns


class PhraseDetector(Detector):
    name = "phrases"
    description = "Regular expressions from the rule (or a data file), one score for all."
    Params = PhraseParams

    def __init__(self, params: BaseModel, context: DetectorContext) -> None:
        super().__init__(params, context)
        assert isinstance(params, PhraseParams)
        self.score = params.score
        patterns = list(params.patterns)
        if params.patterns_file:
            patterns += context.data_lines(params.patterns_file)
        self.patterns = patterns
        # Matched against the lower-cased text (same length, so offsets hold) with the
        # patterns' literal letters lower-cased, instead of with IGNORECASE, which makes
        # ``re`` compare case-insensitively at every position: the same matches, faster.
        lowered = [lower_literals(p) for p in patterns]

        def compile_(keep: tuple[int, ...]) -> re.Pattern[str]:
            # Groups keep the pattern's index in the whole list, whichever subset is compiled.
            return re.compile("|".join(f"(?P<p{i}>{lowered[i]})" for i in keep) or r"(?!x)x")

        # The engine's prefilter says which patterns can match a text; the regex run over it
        # holds only those.
        self._narrowing = Narrowing(lowered, context.prefilter, compile_)
        self.regex = self._narrowing.full

    def detect(self, message: Message) -> Iterator[Hit]:
        low = fold(message.text)
        regex = self._narrowing.regex_for(low)
        if regex is None:
            return
        for m in regex.finditer(low):
            if m.end() == m.start():
                continue
            index = int((m.lastgroup or "p0")[1:])
            yield Hit(
                start=m.start(),
                end=m.end(),
                score=self.score,
                explanation=Explanation(detector=self.name, pattern=self.patterns[index]),
            )
