from __future__ import annotations

import pytest
from _conduct import flagged

DISC = "equity-diversity.discrimination"
HARASS = "equity-diversity.sexual-harassment"
BULLY = "equity-diversity.bullying"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Muslims shouldn't be allowed to work front of house", True),
        ("Older staff are useless with the new system, push them to retire", True),
        ("Don't shortlist her, she'll be on maternity leave within a year", True),
        ("Refugees are a drain on everything", True),
        ("Women just aren't cut out for senior roles", True),
        ("Another 'diversity hire' in the team, great", True),
        ("Go back to where you came from", True),
    ],
)
def test_when_derogation_tied_to_protected_attribute_then_flagged(
    text: str, expected: bool
) -> None:
    assert flagged(DISC, text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Happy Diwali everyone, enjoy the sweets", False),
        ("Eid Mubarak to all our colleagues", False),
        ("So proud to march in Pride this weekend", False),
        ("Inclusion training on Thursday, see you there", False),
        ("Welcome to our new starter from Nigeria, so glad to have her", False),
        ("Our old neighbour Gay made the best scones", False),
    ],
)
def test_when_celebration_or_inclusion_then_not_flagged(text: str, expected: bool) -> None:
    assert flagged(DISC, text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What are you wearing right now 😏", True),
        ("You'd get that raise if you came for dinner with me", True),
        ("You look so hot in that dress today", True),
        ("What are you wearing to the wedding?", False),
        ("Come over to my place for a BBQ with the family", False),
    ],
)
def test_when_unwelcome_sexual_comment_then_flagged(text: str, expected: bool) -> None:
    assert flagged(HARASS, text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Let's all ignore Raj's messages until he gets the hint", True),
        ("Don't invite Kim to the team lunch", True),
        ("Keep Sam off the email list for drinks", True),
        ("Please ignore the phishing emails today", False),
        ("Don't forget to invite Kim to the planning meeting", False),
    ],
)
def test_when_colleague_excluded_then_flagged(text: str, expected: bool) -> None:
    assert flagged(BULLY, text) is expected
