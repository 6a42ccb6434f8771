"""Check-digit algorithms: known-good numbers, one-digit changes, lengths and junk."""

from __future__ import annotations

import pytest

from commsguard.detectors import checksums


@pytest.mark.parametrize("digits", ["123456782", "876543210", "628194821", "10000001", "10000017"])
def test_when_tfn_valid_then_accepted(digits: str) -> None:
    assert checksums.is_tfn(digits)


@pytest.mark.parametrize(
    "digits",
    [
        "123456789",  # last digit changed
        "123456783",
        "10000002",  # legacy 8-digit, bad check
        "1234567",  # too short
        "1234567820",  # too long
        "12345678a",
        "",
    ],
)
def test_when_tfn_invalid_then_rejected(digits: str) -> None:
    assert not checksums.is_tfn(digits)


def test_when_legacy_tfn_then_uses_its_own_weights() -> None:
    # 10000001 passes only with the 8-digit weights (10,7,8,4,6,3,5,1): 10 + 1 = 11.
    assert checksums.is_tfn("10000001")
    assert sum(int(d) * w for d, w in zip("10000001", (1, 4, 3, 7, 5, 8, 6, 9), strict=True)) % 11


@pytest.mark.parametrize("digits", ["2123456701", "3290484446", "2954185824", "29541858241"])
def test_when_medicare_valid_then_accepted(digits: str) -> None:
    assert checksums.is_medicare(digits)


@pytest.mark.parametrize(
    "digits",
    [
        "2123456711",  # check digit (9th) wrong
        "1123456701",  # first digit must be 2-6
        "7123456701",
        "212345670",  # 9 digits
        "212345670111",  # 12 digits
    ],
)
def test_when_medicare_invalid_then_rejected(digits: str) -> None:
    assert not checksums.is_medicare(digits)


def test_when_medicare_issue_number_changes_then_still_valid() -> None:
    assert checksums.is_medicare("2123456701")
    assert checksums.is_medicare("2123456709")


@pytest.mark.parametrize("digits", ["51824753556", "98417982718", "42645672420"])
def test_when_abn_valid_then_accepted(digits: str) -> None:
    assert checksums.is_abn(digits)


@pytest.mark.parametrize("digits", ["51824753557", "61824753556", "5182475355", "01824753556"])
def test_when_abn_invalid_then_rejected(digits: str) -> None:
    assert not checksums.is_abn(digits)


@pytest.mark.parametrize("digits", ["004085616", "010499966", "786122138", "000000019"])
def test_when_acn_valid_then_accepted(digits: str) -> None:
    assert checksums.is_acn(digits)


@pytest.mark.parametrize("digits", ["004085617", "123456789", "00408561", "0040856160"])
def test_when_acn_invalid_then_rejected(digits: str) -> None:
    assert not checksums.is_acn(digits)


@pytest.mark.parametrize(
    ("digits", "issuer"),
    [
        ("4111111111111111", "Visa"),
        ("4222222222222", "Visa"),
        ("5555555555554444", "Mastercard"),
        ("2221000000000009", "Mastercard"),
        ("378282246310005", "American Express"),
        ("30569309025904", "Diners Club"),
        ("6011111111111117", "Discover"),
        ("3530111333300000", "JCB"),
    ],
)
def test_when_card_valid_then_issuer_named(digits: str, issuer: str) -> None:
    assert checksums.card_issuer(digits) == issuer
    assert checksums.is_card(digits)


@pytest.mark.parametrize(
    "digits",
    [
        "4111111111111112",  # Luhn fails
        "9780306406157",  # ISBN-13: no issuer starts with 978
        "490154203237518",  # an IMEI: Luhn passes, but 15 digits starting 4 is no card
        "1234567812345670",  # Luhn passes, no issuer
        "37828224631000",  # Amex prefix, wrong length
    ],
)
def test_when_not_a_card_then_rejected(digits: str) -> None:
    assert not checksums.is_card(digits)


def test_when_luhn_then_known_values() -> None:
    assert checksums.luhn("79927398713")
    assert not checksums.luhn("79927398710")
    assert not checksums.luhn("7")
    assert not checksums.luhn("7992x398713")
