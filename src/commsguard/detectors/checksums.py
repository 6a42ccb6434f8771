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
- IBAN (ISO 13616): the country's registered length, then mod 97 of the rearranged number is 1.
- US Social Security number: the SSA never issues area 000, 666 or 900-999, group 00 or
  serial 0000.
- UK National Insurance number: two prefix letters (first not D, F, I, Q, U, V; second not D,
  F, I, O, Q, U, V; never BG, GB, KN, NK, NT, TN, ZZ), six digits, suffix A-D.
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
    ("Diners Club", (("300", "305"), ("36", "36"), ("38", "39")), frozenset(range(14, 20))),
    ("JCB", (("3528", "3589"),), frozenset({16, 17, 18, 19})),
    (
        "Discover",
        (("6011", "6011"), ("644", "649"), ("65", "65"), ("622126", "622925")),
        frozenset({16, 17, 18, 19}),
    ),
    ("UnionPay", (("62", "62"), ("81", "81")), frozenset(range(14, 20))),
    ("Mir", (("2200", "2204"),), frozenset(range(16, 20))),
    ("Verve", (("506099", "506198"), ("650002", "650027")), frozenset({16, 18, 19})),
    ("RuPay", (("60", "60"), ("652", "652"), ("508", "508"), ("82", "82")), frozenset({16})),
    ("Troy", (("9792", "9792"),), frozenset({16})),
    ("UATP", (("1", "1"),), frozenset({15})),
    ("Dankort", (("5019", "5019"),), frozenset({16})),
    ("InterPayment", (("636", "636"),), frozenset(range(16, 20))),
    ("InstaPayment", (("637", "639"),), frozenset({16})),
    ("Maestro", (("50", "50"), ("56", "69")), frozenset(range(13, 20))),
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


#: ISO 13616 registry: IBAN length per country (SWIFT IBAN Registry; French overseas
#: departments and territories use FR, the Åland Islands FI).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22,
    "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23,
    "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
    "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}


def iban_mod97(iban: str) -> int:
    """The ISO 7064 mod 97-10 remainder of an IBAN (letters A=10 … Z=35), checked 4 moved last.

    A valid IBAN gives 1. ``iban`` is upper case, without spaces.
    """
    rearranged = iban[4:] + iban[:4]
    total = 0
    for ch in rearranged:
        total = (total * (100 if ch.isalpha() else 10) + int(ch, 36)) % 97
    return total


def iban_check_digits(country: str, bban: str) -> str:
    """The two check digits that make ``country`` + digits + ``bban`` a valid IBAN."""
    return f"{98 - iban_mod97(country + '00' + bban):02d}"


def is_iban(value: str) -> bool:
    """An IBAN: a registered country, its length, alphanumeric, mod 97 equal to 1."""
    iban = value.replace(" ", "").upper()
    return (
        IBAN_LENGTHS.get(iban[:2]) == len(iban)
        and iban.isascii()
        and iban.isalnum()
        and iban[2:4].isdigit()
        and iban_mod97(iban) == 1
    )


def is_ssn(digits: str) -> bool:
    """A US Social Security number in a range the SSA issues (``digits``: nine digits)."""
    if not digits.isdigit() or len(digits) != 9:
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


_NINO_BAD_FIRST = frozenset("DFIQUV")
_NINO_BAD_SECOND = frozenset("DFIOQUV")
_NINO_BAD_PREFIX = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


def is_nino(value: str) -> bool:
    """A UK National Insurance number: ``AB123456C`` (no spaces), allocatable prefix, A-D."""
    v = value.upper()
    return (
        len(v) == 9
        and v[:2].isascii()
        and v[:2].isalpha()
        and v[2:8].isdigit()
        and v[8] in "ABCD"
        and v[0] not in _NINO_BAD_FIRST
        and v[1] not in _NINO_BAD_SECOND
        and v[:2] not in _NINO_BAD_PREFIX
    )
