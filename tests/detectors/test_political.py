from __future__ import annotations

import pytest
from _conduct import check, flagged

RULE = "apolitical.party-political"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Liberals are a bunch of liars, put them last", True),
        ("Phone banking for the Greens again tonight, 40 calls done", True),
        ("Scrutineering at the count for our candidate, long night ahead", True),
        ("Jacinta Allan is the worst Premier in living memory", True),
        ("Honestly Albo has my vote again, great job on wages", True),
        ("#DuttonMustGo before the next election", True),
        ("Chipped in $20 to the Labor campaign today", True),
        ("Dictator Dan strikes again", True),
    ],
)
def test_when_party_politics_then_flagged(text: str, expected: bool) -> None:
    assert flagged(RULE, text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Labour Day at the beach with the kids", False),
        ("Liberal arts grads make the best writers", False),
        ("The party last night was unreal", False),
        ("Vote for my lamington in the bake-off", False),
        ("Voting is compulsory, check your enrolment before Friday", False),
        ("Polls close at 6pm on Saturday", False),
        ("The Premier will open the new library on Monday", False),
        ("Grab a democracy sausage on your way to vote", False),
        ("Premier League highlights are on tonight", False),
        ("Candidate interviews for the EA role are on Tuesday", False),
    ],
)
def test_when_civics_or_look_alike_then_not_flagged(text: str, expected: bool) -> None:
    assert flagged(RULE, text) is expected


@pytest.mark.parametrize(
    ("capacity", "severity"), [("official", "block"), ("private", "review")]
)
def test_when_capacity_differs_then_severity_follows(capacity: str, severity: str) -> None:
    result = check(RULE, "Vote 1 Greens, they actually care", capacity=capacity)  # type: ignore[arg-type]
    assert [f.severity for f in result.findings] == [severity]
    assert result.findings[0].suggestion.startswith("Remove the party reference")


def test_hashtag_name_is_the_first_listed_name_inside_the_tag() -> None:
    from _conduct import engine_for

    from commsguard.detectors.political import PoliticalDetector

    (detector,) = [c.detector for c in engine_for(RULE)._rules]
    assert isinstance(detector, PoliticalDetector)
    names = list(detector.compact_names)
    tags = ["voteallan", "sackdutton", "albo4more", "greenslabor", "nothinghere", "dan",
            "liberalsandlabor", "teals", *names[:40], names[0] + names[-1]]
    for tag in tags:
        want = next((k for k in names if k in tag), None)
        assert detector._name_in(tag) == want, tag
