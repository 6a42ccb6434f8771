"""The engine: context words both ways, decisions from thresholds, explanations, long texts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from commsguard import Engine, Message, load_pack

PACK = Path(__file__).resolve().parent / "data" / "packs" / "engine"
DISCUSS = "test.draft-report"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_pack(PACK))


def msg(text: str, capacity: str = "private") -> Message:
    return Message(id="m", text=text, capacity=capacity)  # type: ignore[arg-type]


def test_when_phrase_found_then_finding_cites_clause_with_span(engine: Engine) -> None:
    text = "Honestly the draft report is a mess"
    result = engine.check(msg(text))
    (f,) = result.findings
    assert f.clause == "privacy-confidentiality"
    assert f.rule == DISCUSS
    assert text[f.start : f.end] == f.evidence == "draft report"
    assert f.suggestion
    assert result.decision == "review"


def test_when_capacity_official_then_severity_is_official_one(engine: Engine) -> None:
    result = engine.check(msg("confidential: the draft report lands", capacity="official"))
    assert result.findings[0].severity == "block"
    assert result.decision == "block"
    private = engine.check(msg("confidential: the draft report lands", capacity="private"))
    assert private.findings[0].severity == "review"
    assert private.decision == "review"


def test_when_raise_word_nearby_then_confidence_goes_up(engine: Engine) -> None:
    plain = engine.check(msg("the draft report is done")).findings[0]
    raised = engine.check(msg("confidential: the draft report is done")).findings[0]
    assert raised.confidence > plain.confidence
    assert raised.explanation is not None
    assert raised.explanation.context_words == ("confidential",)


def test_when_lower_word_nearby_then_near_miss_explains(engine: Engine) -> None:
    result = engine.check(
        msg("Tabled today and published: our investigation into prisons"), explain=True
    )
    assert result.findings == ()
    assert result.decision == "ok"
    (near,) = result.near_misses
    assert "below the reporting threshold" in near.reason
    assert "lowered by nearby" in near.reason


def test_when_not_explaining_then_no_near_misses(engine: Engine) -> None:
    result = engine.check(msg("Tabled today and published: our investigation into prisons"))
    assert result.near_misses == ()


def test_when_text_is_five_megabytes_then_offsets_stay_true(engine: Engine) -> None:
    filler = "Nothing to see here, just a long email about rosters. " * 95_000
    text = filler + "the draft report " + filler
    assert len(text) > 5_000_000
    (f,) = engine.check(msg(text)).findings
    assert f.start == len(filler) + len("the ")
    assert text[f.start : f.end] == "draft report"


def test_when_check_many_then_same_as_check(engine: Engine) -> None:
    texts = ["the draft report", "nothing here", "a complainant who rang"]
    batch = engine.check_many([msg(t) for t in texts])
    assert [r.to_dict() for r in batch] == [engine.check(msg(t)).to_dict() for t in texts]


def test_when_thresholds_raised_then_decision_softens(tmp_path: Path) -> None:
    dest = tmp_path / "pack"
    shutil.copytree(PACK, dest)
    policy = dest / "policy.yaml"
    policy.write_text(policy.read_text().replace("block: 0.6", "block: 0.99"))
    strict = Engine(load_pack(dest))
    result = strict.check(msg("the draft report lands tomorrow", capacity="official"))
    assert result.findings[0].severity == "block"
    assert result.decision == "review"


def test_when_context_word_is_in_the_next_sentence_then_it_does_not_count(
    engine: Engine,
) -> None:
    result = engine.check(msg("The draft report is late. Published works are listed below."))
    (f,) = result.findings
    assert f.confidence == pytest.approx(0.55)
    assert f.explanation is not None and f.explanation.context_words == ()


def test_when_raise_and_lower_words_both_near_then_the_nearer_wins(engine: Engine) -> None:
    nearer_raise = engine.check(msg("tabled soon, but the secret draft report")).findings
    assert nearer_raise and nearer_raise[0].explanation is not None
    assert nearer_raise[0].explanation.context_words == ("secret",)
    nearer_lower = engine.check(msg("confidential, and the draft report is now published"))
    assert nearer_lower.findings == ()


def test_when_capacity_invalid_then_message_refuses() -> None:
    with pytest.raises(ValueError, match="capacity must be one of official, private"):
        Message(id="x", text="t", capacity="work")  # type: ignore[arg-type]


def test_when_a_lower_word_labels_the_next_number_then_it_does_not_lower_this_one() -> None:
    pack = load_pack()
    pii = Engine(pack, only_rules=["public-trust.phone-number", "public-trust.acn"])
    text = "mob 0449267958 Tracking says order no. 179347055 is in"
    (f,) = pii.check(Message(id="m", text=text)).findings
    assert (f.entity, f.evidence) == ("PHONE_NUMBER", "0449267958")
    alone = pii.check(Message(id="m", text="mob 0449267958 tracking")).findings
    assert alone == (), "a lower word that labels nothing else still lowers"


def test_when_registers_change_then_the_new_engine_uses_them_and_reuses_the_patterns() -> None:
    from commsguard.policy.selftest import test_registers as example_registers
    from commsguard.registers import AuthorisationRegister, ConfidentialRegister

    pack = load_pack()
    before = Engine(pack, register=ConfidentialRegister(secret=b"k" * 32),
                    authorisations=AuthorisationRegister())
    register, authorisations = example_registers(pack)
    after = before.with_registers(register=register, authorisations=authorisations)
    fresh = Engine(pack, register=register, authorisations=authorisations)
    text = "Spoke to Marjorie Pettigrew again about her complaint, poor woman"

    def rules(e: Engine) -> set[str]:
        return {f.rule for f in e.check(msg(text)).findings}

    assert "privacy-confidentiality.register-match" in rules(after) - rules(before)
    assert rules(after) == rules(fresh)
    assert after.context.prefilter is before.context.prefilter  # compiled once
    assert after.context.models is before.context.models


@pytest.mark.parametrize(
    ("channel", "capacity", "expected"),
    [
        ("twitter", "official", "block"),  # an official post that insults someone
        ("email", "official", "review"),  # correspondence to a colleague: a reviewer judges
        ("EMAIL", "official", "review"),
        ("sms", "private", "review"),
        ("facebook", "private", "review"),
    ],
)
def test_when_rule_names_a_channel_severity_then_it_overrides_the_capacity(
    channel: str, capacity: str, expected: str
) -> None:
    from commsguard.policy.schema import Severities

    sev = Severities.model_validate(
        {"official": "block", "private": "review", "channels": {"email": "review",
                                                                "sms": "review"}}
    )
    assert sev.for_capacity(capacity, channel) == expected  # type: ignore[arg-type]
