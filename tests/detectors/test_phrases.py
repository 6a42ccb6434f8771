"""The phrases detector: one alternation per rule, with the pattern that fired named."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from commsguard.detectors.base import DetectorContext
from commsguard.detectors.phrases import PhraseDetector
from commsguard.models import Message


def detect(text: str, **params: object) -> list[tuple[str, str]]:
    detector = PhraseDetector.from_params(dict(params), DetectorContext())
    return [
        (text[h.start : h.end], h.explanation.pattern)
        for h in detector.detect(Message(id="m", text=text))
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The DRAFT report", [("DRAFT report", r"draft report")]),
        (
            "case notes and the draft report",
            [("case notes", r"case notes"), ("draft report", r"draft report")],
        ),
        ("nothing to see", []),
    ],
)
def test_when_patterns_match_then_each_span_names_its_pattern(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert detect(text, patterns=[r"draft report", r"case notes"]) == expected


def test_when_pattern_can_match_empty_then_empty_matches_are_skipped() -> None:
    assert detect("abc", patterns=[r"x*"]) == []


def test_when_pattern_does_not_compile_then_params_refuse_it() -> None:
    with pytest.raises(ValidationError, match=r"does not compile"):
        detect("x", patterns=["(unclosed"])


def test_when_no_patterns_then_nothing_matches() -> None:
    assert detect("anything at all") == []
