"""Check-digit algorithms for the identifiers the personal-information detector looks for.

Every function takes the digits alone (no spaces or dashes) and returns a bool: it never raises
on bad input, it just answers False, so detectors can call it on any candidate.

- TFN: 9 digits, weights 1,4,3,7,5,8,6,9,10, sum divisible by 11. Legacy 8-digit TFNs use the
  weights 10,7,8,4,6,3,5,1 (same modulus).
- Medicare: 10 digits (an 11th, the individual reference number, is optional); the first digit
  is 2–6, the weighted sum (1,3,7,9,1,3,7,9) of the first eight digits mod 10 is the ninth.
- ABN: 11 digits; subtract 1 from the first, weights 10,1,3,5,…,19, sum divisible by 89.
- ACN: 9 digits; weights 8..1 on the first eight, the check digit is the complement mod 10.
- Luhn, for payment cards, plus :func:`card_issuer` for issuer prefixes and lengths.
"""

from __future__ import annotations

_TFN9 = (1, 4, 3, 7, 5, 8, 6, 9, 10)
_TFN8 = (10, 7, 8, 4, 6, 3, 5, 1)
_MEDICARE = (1, 3, 7, 9, 1, 3, 7, 9)
_ABN = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
_ACN = (8, 7, 6, 5, 4, 3, 2, 1)


def _weighted(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True))


def is_tfn(digits: str) -> bool:
    """A Tax File Number: 9 digits, or a legacy 8-digit one."""
    if not digits.isdigit() or len(digits) not in (8, 9):
        return False
    weights = _TFN9 if len(digits) == 9 else _TFN8
    return _weighted(digits, weights) % 11 == 0


def is_medicare(digits: str) -> bool:
    """A Medicare card number: 10 digits (or 11 with the individual reference number)."""
    if not digits.isdigit() or len(digits) not in (10, 11) or digits[0] not in "23456":
        return False
    return _weighted(digits[:8], _MEDICARE) % 10 == int(digits[8])


def is_abn(digits: str) -> bool:
    """An Australian Business Number: 11 digits, modulus 89."""
    if not digits.isdigit() or len(digits) != 11 or digits[0] == "0":
        return False
    adjusted = str(int(digits[0]) - 1) + digits[1:]
    return _weighted(adjusted, _ABN) % 89 == 0


def is_acn(digits: str) -> bool:
    """An Australian Company Number: 9 digits, complement of the weighted sum mod 10."""
    if not digits.isdigit() or len(digits) != 9:
        return False
    check = (10 - _weighted(digits[:8], _ACN) % 10) % 10
    return check == int(digits[8])


def luhn(digits: str) -> bool:
    """The Luhn (mod 10) check used by payment cards."""
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


#: (issuer, prefix ranges as (low, high) over the first ``len(low)`` digits, allowed lengths)
_ISSUERS: tuple[tuple[str, tuple[tuple[str, str], ...], frozenset[int]], ...] = (
    ("American Express", (("34", "34"), ("37", "37")), frozenset({15})),
    ("Visa", (("4", "4"),), frozenset({13, 16, 19})),
    ("Mastercard", (("51", "55"), ("2221", "2720")), frozenset({16})),
    ("Diners Club", (("300", "305"), ("36", "36"), ("38", "39")), frozenset({14, 16})),
    ("JCB", (("3528", "3589"),), frozenset({16, 17, 18, 19})),
    (
        "Discover",
        (("6011", "6011"), ("644", "649"), ("65", "65"), ("622126", "622925")),
        frozenset({16, 17, 18, 19}),
    ),
    ("UnionPay", (("62", "62"),), frozenset({16, 17, 18, 19})),
    ("Maestro", (("50", "50"), ("56", "58"), ("67", "67")), frozenset(range(13, 20))),
)


def card_issuer(digits: str) -> str | None:
    """The card issuer whose prefix and length fit ``digits`` (Luhn not checked), or None."""
    for issuer, ranges, lengths in _ISSUERS:
        if len(digits) not in lengths:
            continue
        for low, high in ranges:
            if low <= digits[: len(low)] <= high:
                return issuer
    return None


def is_card(digits: str) -> bool:
    """A payment card number: a known issuer's prefix and length, and the Luhn check."""
    return digits.isdigit() and card_issuer(digits) is not None and luhn(digits)
