from __future__ import annotations

import pytest
from _conduct import flagged

from commsguard.detectors.gazetteer import (
    Gazetteer,
    Term,
    fold,
    parse_terms,
    regex_lines,
    sentence_bounds,
)

GAZ = Gazetteer([
    Term("Greens", "parties", case_sensitive=True),
    Term("Labor", "parties"),
    Term("Labor Day", "ignore"),
    Term("City of Casey", "councils"),
])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vote Greens!", [("Greens", "parties")]),
        ("VOTE GREENS", [("GREENS", "parties")]),
        ("eat your greens", []),
        ("Happy Labor Day", [("Labor Day", "ignore")]),
        ("labor is cooked", [("labor", "parties")]),
        ("Laboratory results", []),
        ("the City of Casey's rates", [("City of Casey", "councils")]),
    ],
)
def test_when_terms_in_text_then_word_bounded_longest_matches(
    text: str, expected: list[tuple[str, str]]
) -> None:
    got = [(text[m.start : m.end], m.term.category) for m in GAZ.find(text)]
    assert got == expected


def test_when_data_line_has_aliases_and_case_marks_then_terms_parsed() -> None:
    terms = list(parse_terms(["Labor | =ALP", "  "], "parties"))
    assert terms == [Term("Labor", "parties"), Term("ALP", "parties", case_sensitive=True)]


def test_when_text_has_dotted_capital_then_fold_keeps_length() -> None:
    assert len(fold("İstanbul")) == len("İstanbul")


@pytest.mark.parametrize(
    ("text", "start", "expected"),
    [
        ("One. Two three. Four", 5, "Two three."),
        ("line one\nline two", 10, "line two"),
    ],
)
def test_when_offset_given_then_sentence_bounds_found(text: str, start: int, expected: str) -> None:
    lo, hi = sentence_bounds(text, start, start + 1)
    assert text[lo:hi].startswith(expected.rstrip("."))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We are DOOR knocking", "door knocking"),
        ("we are doorknocking", "doorknocking"),
        ("nothing here", None),
    ],
)
def test_when_regex_lines_match_then_case_and_space_insensitive(
    text: str, expected: str | None
) -> None:
    patterns = regex_lines(["door ?knocking | letterbox"])
    assert patterns is not None
    m = patterns.search(text)
    assert (m.group() if m else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Stop being such a spastic about the roster", True),
        ("the new guy is a total retard with spreadsheets", True),
        ("Spastic paralysis research got a big grant today", False),
        ("The fire retardant coating failed inspection", False),
        ("Packing for Pakistan, so excited", False),
    ],
)
def test_when_slur_listed_then_flagged_unless_another_word(text: str, expected: bool) -> None:
    assert flagged("equity-diversity.slur", text) is expected
