from __future__ import annotations

import pytest
from _conduct import check, flagged

RULE = "public-trust.abuse"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@footyfan99 you absolute drongo, read the article", True),
        ("What a clown. Nobody asked you", True),
        ("Are you actually stupid or just trolling?", True),
        ("get fucked mate, you have no idea", True),
        ("That columnist is a complete fraud and a liar", True),
        ("This is the most moronic take I've seen this week", True),
    ],
)
def test_when_abuse_directed_at_person_then_flagged(text: str, expected: bool) -> None:
    assert flagged(RULE, text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The traffic this morning was fucking ridiculous", False),
        ("You absolute legend, thanks for the coffee haha", False),
        ("Heated debate at home about whether a hot dog is a sandwich", False),
        ("My stupid laptop crashed again", False),
        ("Lovely chat with the neighbours over the fence", False),
    ],
)
def test_when_no_target_or_banter_then_not_flagged(text: str, expected: bool) -> None:
    assert flagged(RULE, text) is expected


def test_when_workplace_channel_then_left_to_bullying_rules() -> None:
    assert not flagged(RULE, "you're such an idiot", channel="teams")


def test_when_batch_then_same_as_one_by_one() -> None:
    from _conduct import engine_for

    from commsguard.models import Message

    texts = ["you are a muppet", "nice weather", "shut up, nobody asked you"]
    messages = [Message(id=str(i), text=t) for i, t in enumerate(texts)]
    batch = engine_for(RULE).check_many(messages)
    single = [check(RULE, t) for t in texts]
    assert [r.decision for r in batch] == [r.decision for r in single]


def test_when_email_is_long_then_intensity_is_scored_around_each_hit() -> None:
    from _conduct import engine_for

    from commsguard.models import Message

    engine = engine_for(RULE)
    lengths: list[int] = []
    models = engine.context.models
    real = models.sentiment
    models.sentiment = lambda text: lengths.append(len(text)) or real(text)  # type: ignore[method-assign]
    filler = "The quarterly figures are attached and the agenda is below for review. " * 400
    text = filler + "Shut up, nobody asked you, you absolute muppet. " + filler
    result = engine.check(Message(id="long", text=text, channel="email"))
    assert result.findings and {f.rule for f in result.findings} == {RULE}
    assert lengths and max(lengths) <= 2 * 500 + 60
