"""Stance: questions, reported speech and quotation are not the speaker's abuse or harassment."""

from __future__ import annotations

import pytest
from _conduct import flagged

from commsguard.detectors.stance import reported

ABUSE = "public-trust.abuse"


@pytest.mark.parametrize(
    "text",
    [
        "What do you think of the letter?",
        "Do you think we should sign the contract before Friday?",
        "Did you go to the APB party at Grasshopper?",
        "Can you read the attached and let me know?",
        "That fuckin' SUCKS!  Call 'em and tell 'em you are suing!!!",
    ],
)
def test_when_ordinary_question_then_not_abuse(text: str) -> None:
    assert flagged(ABUSE, text, capacity="official", channel="email") is False


@pytest.mark.parametrize(
    "text",
    [
        "He called me an idiot in front of the whole team.",
        "She said I was a useless moron and should quit.",
        "He told me to shut up and get a life.",
        "I was told to get a life by a journalist today.",
        'Someone wrote "you\'re a disgrace" on my post, what should I do?',
        'Someone wrote on my post: "you\'re a disgrace". What should I do?',
        "The columnist called the minister a liar and a fraud.",
    ],
)
def test_when_abuse_is_reported_then_not_the_speakers(text: str) -> None:
    assert flagged(ABUSE, text) is False


@pytest.mark.parametrize(
    "text",
    [
        "You are an absolute idiot.",
        "Shut up and get a life, nobody asked you",
        "Can you even read? Learn to think before you post",
        "Did you even read the article before commenting?",
        "I told him to fuck off.",
        "He called me an idiot and I told him to shut up",
        "You said it yourself, you clown.",
        "fuck you, you stupid prick",
    ],
)
def test_when_abuse_is_the_speakers_then_flagged(text: str) -> None:
    assert flagged(ABUSE, text) is True


@pytest.mark.parametrize(
    ("rule", "text", "expected"),
    [
        ("equity-diversity.sexual-harassment",
         "My manager keeps telling me I should smile more and I want to report it.", False),
        ("equity-diversity.sexual-harassment",
         "A colleague keeps asking me to send nudes. How do I report this?", False),
        ("equity-diversity.sexual-harassment", "You should smile more, you're prettier", True),
        ("equity-diversity.sexualised-remark",
         "Gotta say, that pencil skirt is doing things for me 😏", True),
        ("equity-diversity.discrimination",
         "He told the whole team that women are too emotional to lead.", False),
        ("equity-diversity.discrimination", "I told everyone women are too emotional to lead.",
         True),
        ("equity-diversity.bullying",
         "The new guy said we should freeze her out of the team drinks.", False),
        ("equity-diversity.bullying", "Let's freeze her out of the team drinks", True),
    ],
)
def test_when_harassment_is_reported_then_not_the_speakers(
    rule: str, text: str, expected: bool
) -> None:
    assert flagged(rule, text) is expected


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ("He told me to shut up", "shut up", True),
        ("I told him to shut up", "shut up", False),
        ("I never said he was an idiot", "idiot", False),
        ("I was called a clown", "clown", True),
        ("Read the comments you idiot", "idiot", False),
        ("Let me tell you, you idiot", "idiot", False),
        ("shut up", "shut up", False),
        # An imperative has no subject: the speaker's own words, not a report.
        ("Don't tell the others but I can't stop thinking about what's under that uniform",
         "under that uniform", False),
        ("He didn't tell me to shut up, he screamed it", "shut up", True),
    ],
)
def test_when_sentence_read_then_reporting_frame_found(
    text: str, span: str, expected: bool
) -> None:
    start = text.index(span)
    assert (reported(text, start, start + len(span)) is not None) is expected


@pytest.mark.parametrize("text", ["What do you think?", "So, what do you think?"])
def test_when_opinion_asked_then_not_abuse(text: str) -> None:
    assert flagged(ABUSE, text, capacity="official", channel="email") is False
