"""The benchmark corpus: deterministic per seed, planted entities valid and where they say."""

from __future__ import annotations

from collections import Counter

import phonenumbers
import pytest

from commsguard.benchmark import corpus_data
from commsguard.benchmark.generate import (
    DECOYS,
    ENTITIES,
    Post,
    abn_valid,
    acn_valid,
    digits,
    generate_posts,
    luhn_valid,
    medicare_valid,
    tfn_valid,
)

N = 1500


@pytest.fixture(scope="module")
def posts() -> list[Post]:
    return generate_posts(N, seed=11)


@pytest.mark.parametrize(
    ("check", "value", "expected"),
    [
        (tfn_valid, "123 456 782", True),  # the ATO's published example
        (tfn_valid, "123 456 789", False),
        (abn_valid, "51 824 753 556", True),  # the ATO's published example
        (abn_valid, "51 824 753 557", False),
        (acn_valid, "000 000 019", True),  # ASIC's published examples
        (acn_valid, "004 085 616", True),
        (acn_valid, "004 085 617", False),
        (medicare_valid, "2123 45670 1", True),
        (medicare_valid, "2123 45671 1", False),
        (medicare_valid, "1123 45670 1", False),  # first digit must be 2-6
        (luhn_valid, "4111 1111 1111 1111", True),
        (luhn_valid, "4111 1111 1111 1112", False),
        (luhn_valid, "3782 822463 10005", True),
    ],
)
def test_when_known_value_checked_then_the_check_digit_verdict_is_right(
    check: object, value: str, expected: bool
) -> None:
    assert callable(check)
    assert check(value) is expected


def test_when_same_seed_then_same_posts_and_other_seed_differs() -> None:
    assert generate_posts(200, seed=5) == generate_posts(200, seed=5)
    assert generate_posts(200, seed=5) != generate_posts(200, seed=6)


def test_when_generated_then_every_span_points_at_its_text(posts: list[Post]) -> None:
    for post in posts:
        for span in post.planted + post.decoys:
            assert post.text[span.start : span.end] == span.text, post.id


def test_when_generated_then_lengths_fit_the_channel(posts: list[Post]) -> None:
    for post in posts:
        lo, hi = corpus_data.CHANNELS[post.channel]
        assert 40 <= len(post.text) <= 600
        assert lo <= len(post.text) <= hi, (post.channel, len(post.text))
    assert len({p.channel for p in posts}) == len(corpus_data.CHANNELS)


def test_when_generated_then_every_entity_and_decoy_kind_is_planted(posts: list[Post]) -> None:
    entities = Counter(s.kind for p in posts for s in p.planted)
    decoys = Counter(s.kind for p in posts for s in p.decoys)
    assert set(entities) == set(ENTITIES)
    assert set(decoys) == set(DECOYS)
    assert min(entities.values()) >= N // 20


def _phone_ok(value: str) -> bool:
    return phonenumbers.is_valid_number(phonenumbers.parse(value, "AU"))


def test_when_generated_then_planted_values_are_well_formed(posts: list[Post]) -> None:
    for post in posts:
        for s in post.planted:
            v = s.text
            if s.kind == "AU_TFN":
                assert tfn_valid(v) and not acn_valid(v), v
            elif s.kind == "AU_ACN":
                assert acn_valid(v) and not tfn_valid(v), v
            elif s.kind == "AU_ABN":
                assert abn_valid(v), v
            elif s.kind == "AU_MEDICARE":
                assert medicare_valid(v), v
            elif s.kind == "CREDIT_CARD":
                assert luhn_valid(v) and len(digits(v)) in (15, 16), v
            elif s.kind == "PHONE_NUMBER":
                assert _phone_ok(v), v
            elif s.kind == "EMAIL_ADDRESS":
                local, _, domain = v.partition("@")
                assert local and "." in domain, v
            elif s.kind in ("DRIVER_LICENCE",):
                assert not (tfn_valid(v) or acn_valid(v) or medicare_valid(v)), v
            elif s.kind == "PASSPORT":
                assert v[:1].isalpha() and len(digits(v)) == 7, v
            elif s.kind == "BANK_ACCOUNT":
                assert "BSB" in v, v


def test_when_isbn_decoy_planted_then_its_check_digit_is_valid(posts: list[Post]) -> None:
    isbns = [s.text for p in posts for s in p.decoys if s.kind == "ISBN"]
    assert isbns
    for v in isbns:
        d = digits(v)
        assert len(d) == 13
        assert sum(x * (1 if i % 2 == 0 else 3) for i, x in enumerate(d)) % 10 == 0, v
