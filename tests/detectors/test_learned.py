"""The learned detector: implicit phrasings flagged, look-alikes passed, findings explained.

These run the shipped model (``data/learned/model.json``). If a retrain moves one of these
messages across its threshold, this table says which behaviour changed.
"""

from __future__ import annotations

import pytest
from _conduct import check, flagged

from commsguard.detectors.base import DetectorContext
from commsguard.detectors.learned.detector import LearnedDetector
from commsguard.evaluation import evaluation_engine
from commsguard.models import Message
from commsguard.policy import DEFAULT_PACK, load_pack

EQUITY = "equity-diversity.learned"


@pytest.mark.parametrize(
    "text",
    [
        "You should smile more, you're much prettier that way",
        "Older blokes like Trevor just can't keep up, time he moved on",
        "Why do we keep hiring people with accents for the phones, nobody can understand them",
        "Don't bother asking Hamid, he'll be off praying again",
        "She'll be off on maternity leave again soon, why bother training her",
        "Leave Priya off the invite, she won't fit in with the rest of us",
    ],
)
def test_when_implicit_harassment_or_derogation_then_flagged(text: str) -> None:
    assert flagged(EQUITY, text)


@pytest.mark.parametrize(
    "text",
    [
        "Congrats on the baby, so happy for you both!",
        "Welcome back from parental leave, Ana! We missed you",
        "Happy retirement Trevor, 40 years of service!",
        "Great result on the audit, well done everyone",
        "Wishing everyone celebrating Ramadan a peaceful month",
    ],
)
def test_when_celebration_or_praise_then_not_flagged(text: str) -> None:
    assert not flagged(EQUITY, text)


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("apolitical.learned", "the libs have no idea what they're doing lol"),
        ("public-comment.learned",
         "We at VO think the department's new policy is a disaster"),
        ("privacy-confidentiality.learned",
         "The complainant in my case rang five times today crying"),
    ],
)
def test_when_other_clauses_implicit_then_their_heads_flag(rule: str, text: str) -> None:
    assert flagged(rule, text)


def test_when_flagged_then_evidence_is_the_offending_sentence_and_terms_explained() -> None:
    text = "Great meeting this morning. Why do we keep hiring people with accents for the phones"
    finding = next(f for f in check(EQUITY, text).findings if f.rule == EQUITY)
    assert finding.evidence == "Why do we keep hiring people with accents for the phones"
    assert finding.severity == "review"
    e = finding.explanation
    assert e is not None and e.detector == "learned"
    assert e.validation.startswith(f"calibrated probability {finding.confidence:.2f} >= ")
    assert e.notes[0].startswith("terms: '") and e.notes[1].startswith("characters: 'c:")


def test_when_official_capacity_then_still_review_never_block() -> None:
    result = check(EQUITY, "Don't bother asking Hamid, he'll be off praying again",
                   capacity="official")
    assert result.decision == "review"
    assert [f.severity for f in result.findings] == ["review"]


def test_when_batch_then_same_hits_as_one_by_one() -> None:
    # All rules of the model share one scorer that remembers the last batch.
    pack = load_pack()
    context = DetectorContext(pack_root=DEFAULT_PACK)
    equity = LearnedDetector.from_params({"head": "equity-diversity"}, context)
    politics = LearnedDetector.from_params({"head": "apolitical"}, context)
    texts = ["Don't bother asking Hamid, he'll be off praying again",
             "Congrats on the baby!", "the libs have no idea what they're doing lol", ""]
    messages = [Message(id=str(i), text=t) for i, t in enumerate(texts)]
    assert pack.root == DEFAULT_PACK
    for det in (equity, politics):
        batch = [[(h.start, h.end, h.score) for h in hits] for hits in det.detect_batch(messages)]
        single = [[(h.start, h.end, h.score) for h in det.detect(m)] for m in messages]
        assert batch == single
    assert [bool(h) for h in equity.detect_batch(messages)] == [True, False, False, False]
    assert [bool(h) for h in politics.detect_batch(messages)] == [False, False, True, False]


def test_when_a_rule_fires_then_learned_finding_becomes_near_miss() -> None:
    engine = evaluation_engine(load_pack())
    # The first sentence is the rule's, the second the model's (see the next test).
    message = Message(id="m", text="Women are too emotional to manage a team, sorry not sorry. "
                                   "Don't bother asking Hamid, he'll be off praying again")
    result = engine.check(message, explain=True)
    assert {f.rule for f in result.findings} == {"equity-diversity.discrimination"}
    assert [n.reason for n in result.near_misses if n.rule == EQUITY] == [
        "clause 'equity-diversity' already reported by rule 'equity-diversity.discrimination'"
    ]


def test_when_rules_silent_then_learned_finding_stands_in_the_whole_pack() -> None:
    engine = evaluation_engine(load_pack())
    result = engine.check(Message(id="m", text="Don't bother asking Hamid, he'll be off praying"
                                               " again"))
    assert [f.rule for f in result.findings] == [EQUITY]
    assert result.decision == "review"


def test_when_learned_left_out_then_no_learned_rules_run() -> None:
    engine = evaluation_engine(load_pack(), without_detectors=["learned"])
    assert engine.rules and not any(r.detector == "learned" for r in engine.rules)


def test_when_batch_mixes_flagged_and_clean_then_skipping_changes_no_finding() -> None:
    # Without --explain the engine scores the learned rules only on messages no rule flagged;
    # with it, on all (to list near misses). The findings must be the same either way.
    engine = evaluation_engine(load_pack())
    texts = ["Women are too emotional to manage a team, sorry not sorry",
             "Don't bother asking Hamid, he'll be off praying again",
             "Congrats on the baby!",
             "Call me on 0491 570 156, the libs have no idea what they're doing lol",
             "the libs have no idea what they're doing lol"]
    messages = [Message(id=str(i), text=t) for i, t in enumerate(texts)]
    fast = engine.check_many(messages)
    explained = engine.check_many(messages, explain=True)
    assert [r.findings for r in fast] == [r.findings for r in explained]
    learned = [[f.rule for f in r.findings if f.detector == "learned"] for r in fast]
    assert learned == [[], [EQUITY], [], [], ["apolitical.learned"]]
