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


@pytest.mark.parametrize(
    "text",
    [
        # United States: parties, leaders, the administration, Obamacare, hashtags.
        "House Republicans are holding the budget hostage again. Shameful.",
        "Senate Democrats refuse to even bring the bill to a vote",
        "The Obama administration's lawless power grab has to end",
        "Obamacare is a train wreck: higher premiums and broken promises",
        "The president should stop playing politics and approve the pipeline",
        "The GOP wants tax breaks for big oil while families struggle",
        "Proud to stand with Democrats fighting for working families",
        "Another week, another #GOPbudget that guts Medicare",
        "Time to end the #GOPshutdown",
        "Great turnout tonight #tcot",
        "Every vote counts #VoteBlue",
        "#MAGA all the way",
        "#RepealObamacare now",
        # United Kingdom.
        "The Tory government has wrecked the NHS",
        "Labour are completely out of touch with working people",
        "Lib Dems sold out on tuition fees and never recovered",
        "#ToriesOut before they ruin anything else",
        "Nigel Farage is a disgrace",
        # Canada, New Zealand, Europe.
        "Trudeau is incompetent and has to go",
        "The NDP only cares about spending other people's money",
        # Australian states.
        "The Minns government is a shambles",
        "Crisafulli is out of touch with Queenslanders",
    ],
)
def test_when_partisan_in_any_democracy_then_flagged(text: str) -> None:
    assert flagged(RULE, text)


@pytest.mark.parametrize(
    "text",
    [
        # Civics and everyday words that share a party's name.
        "Free speech and democratic values are worth teaching in every school",
        "A republican form of government is set out in the Constitution",
        "That is a conservative estimate of the cost",
        "The labour market is tight this quarter",
        "Liberal arts graduates are good writers",
        "Happy Labour Day, enjoy the long weekend",
        "Green spaces make a city liveable",
        "Office party on Friday, bring a plate",
        "Polls close at 6pm, bring ID",
        "How does preferential voting work? A short explainer",
        "The president of the netball club resigned, what a disaster of a season",
        "Go Pack Go! #GoPackGo",
        "Rainy weekend #GoPurpleDay",
        "Our history #ourstory",
        # Politicians who thank, condole or announce.
        "Proud to honour our veterans today",
        "Join me at the town hall on Tuesday",
        "Happy birthday to Vice President Joe Biden! A wonderful friend",
        "Thank you President Obama for a wonderful visit to our district",
        "Our thoughts are with the family of Senator Smith, a great public servant",
        "Questions about Obamacare enrolment? Call my office",
    ],
)
def test_when_civics_look_alike_or_courtesy_then_not_flagged(text: str) -> None:
    assert not flagged(RULE, text)


@pytest.mark.parametrize(
    ("tag", "party"),
    [
        ("GOPbudget", "gop"),
        ("GOPBudget", "gop"),
        ("HouseGOP", "gop"),
        ("txgop", "gop"),
        ("AskDems", "dems"),
        ("LibDemLies", "libdem"),
        ("ToryCuts", "tory"),
        ("torycuts", "tory"),
        ("GoPackGo", None),
        ("GOP", None),
        ("ourstory", None),
        ("victory", None),
    ],
)
def test_when_party_fused_in_hashtag_then_found_as_a_whole_word(
    tag: str, party: str | None
) -> None:
    from _conduct import engine_for

    from commsguard.detectors.political import PoliticalDetector

    (detector,) = [c.detector for c in engine_for(RULE)._rules]
    assert isinstance(detector, PoliticalDetector)
    assert detector._fused_party(tag) == party
