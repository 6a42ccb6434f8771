"""A seeded corpus of personal information written outside Australia, with decoys, and its score.

``generate_world(n, seed)`` is deterministic per seed. Every planted value is valid for its kind,
checked here independently of the detector: phone numbers ``phonenumbers`` calls valid for
their region (from its example numbers, last digits varied), in international, E.164 and national
forms (a national form always beside a phone word, since a bare national number of another
country is not otherwise recognisable); Luhn-valid cards of many issuers, lengths and groupings;
IBANs of many countries with computed check digits; SSNs and NI numbers in issued ranges;
public IP addresses; street addresses written name-first, French-style, and US/UK style. Decoys
are near look-alikes: cards failing Luhn, IBANs failing mod 97, SSNs in never-issued ranges,
unallocated NI prefixes, private IPs, and order numbers, dates, prices, times and versions, some
next to a phone word.

:func:`score_world` runs an engine over the corpus and returns recall per entity and precision
(the share of PII findings that overlap a planted value of the same entity).
"""

from __future__ import annotations

import ipaddress
import random
import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from commsguard.benchmark import pii_international_data as data
from commsguard.benchmark.generate import Post, Span, luhn_valid
from commsguard.engine import Engine
from commsguard.models import Message

ENTITIES = ("PHONE_NUMBER", "CREDIT_CARD", "IBAN", "US_SSN", "UK_NINO", "IP_ADDRESS",
            "STREET_ADDRESS")
DECOYS = tuple(data.DECOY_TEMPLATES)
#: The floors the detector is held to on this corpus (tests/detectors/test_pii_world.py).
FLOORS = {"PHONE_NUMBER": 0.95, "CREDIT_CARD": 0.95, "IBAN": 0.95, "STREET_ADDRESS": 0.70,
          "precision": 0.95}

#: (brand, prefixes, lengths, groupings by length)
CARD_BRANDS: tuple[tuple[str, tuple[str, ...], tuple[int, ...]], ...] = (
    ("visa", ("4",), (16, 16, 13, 19)),
    ("mastercard", ("51", "53", "55", "2221", "2720"), (16,)),
    ("amex", ("34", "37"), (15,)),
    ("discover", ("6011", "65", "644"), (16, 19)),
    ("jcb", ("3528", "3589"), (16, 19)),
    ("diners", ("36", "300", "38"), (14, 16)),
    ("unionpay", ("62",), (16, 19)),
    ("maestro", ("50", "6759", "58"), (16, 19)),
    ("mir", ("2200", "2204"), (16,)),
)
GROUPINGS = {13: ((4, 4, 5), (13,)), 14: ((4, 6, 4), (14,)), 15: ((4, 6, 5), (15,)),
             16: ((4, 4, 4, 4), (4, 4, 4, 4), (16,)), 19: ((4, 4, 4, 4, 3), (19,), (6, 13))}
#: IBAN countries planted: (country, BBAN layout: n digits, a upper-case letters).
IBAN_LAYOUTS = {
    "DE": "18n", "GB": "4a14n", "FR": "23n", "ES": "20n", "IT": "1a22n", "NL": "4a10n",
    "BE": "12n", "CH": "17n", "AT": "16n", "SE": "20n", "NO": "11n", "DK": "14n", "FI": "14n",
    "IE": "4a14n", "PT": "21n", "PL": "24n", "CZ": "20n", "HU": "24n", "RO": "4a16n",
    "GR": "23n", "LU": "16n", "SI": "15n", "HR": "17n", "EE": "16n", "LT": "16n", "LV": "4a13n",
    "SA": "20n", "AE": "19n", "TR": "22n", "IL": "19n", "BR": "25n", "MT": "4a23n",
}
_UPPER = string.ascii_uppercase
_TEST_CARDS = frozenset({"4242424242424242", "4111111111111111", "5555555555554444"})


def iban_check(country: str, bban: str) -> str:
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{98 - int(numeric) % 97:02d}"


class _World:
    """Values for each planted kind and decoy, from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def _digits(self, n: int) -> str:
        return "".join(str(self.rng.randrange(10)) for _ in range(n))

    @staticmethod
    def _group(value: str, sizes: Sequence[int], sep: str) -> str:
        out, i = [], 0
        for size in sizes:
            out.append(value[i : i + size])
            i += size
        return sep.join(out)

    def PHONE_NUMBER(self) -> tuple[str, bool]:
        """A valid number and whether it is written nationally (needs a phone word)."""
        r = self.rng
        while True:
            region = r.choice(data.PHONE_REGIONS)
            kind = r.choice((PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE))
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            national = str(example.national_number)
            tail = r.randrange(1, min(4, len(national) - 3))
            example.national_number = int(national[:-tail] + self._digits(tail))
            if phonenumbers.is_valid_number_for_region(example, region):
                break
        form = r.choice((PhoneNumberFormat.INTERNATIONAL, PhoneNumberFormat.INTERNATIONAL,
                         PhoneNumberFormat.E164, PhoneNumberFormat.NATIONAL,
                         PhoneNumberFormat.NATIONAL))
        text = phonenumbers.format_number(example, form)
        return text, form == PhoneNumberFormat.NATIONAL

    def CREDIT_CARD(self) -> str:
        r = self.rng
        while True:
            _, prefixes, lengths = r.choice(CARD_BRANDS)
            prefix, length = r.choice(prefixes), r.choice(lengths)
            body = prefix + self._digits(length - len(prefix) - 1)
            value = next(body + str(c) for c in range(10) if luhn_valid(body + str(c)))
            if value not in _TEST_CARDS:
                break
        return self._group(value, r.choice(GROUPINGS[length]), r.choice((" ", " ", "-", "")))

    def _iban(self, bad: bool = False) -> str:
        r = self.rng
        country = r.choice(sorted(IBAN_LAYOUTS))
        bban = ""
        for count, kind in re.findall(r"(\d+)([an])", IBAN_LAYOUTS[country]):
            letters = kind == "a"
            alphabet = _UPPER if letters else "0123456789"
            bban += "".join(r.choice(alphabet) for _ in range(int(count)))
        check = iban_check(country, bban)
        if bad:
            check = f"{(int(check) + r.randrange(1, 90)) % 97 + 2:02d}"
            if check == iban_check(country, bban):
                check = f"{(int(check) + 1) % 97 + 2:02d}"
        value = country + check + bban
        return self._group(value, [4] * 9, " ").strip() if r.random() < 0.6 else value

    def IBAN(self) -> str:
        return self._iban()

    def US_SSN(self) -> str:
        r = self.rng
        while True:
            area, group, serial = r.randrange(1, 900), r.randrange(1, 100), r.randrange(1, 10000)
            if area != 666 and f"{area:03d}{group:02d}{serial:04d}" not in (
                "078051120", "219099999", "123456789"
            ):
                break
        sep = r.choice(("-", "-", "-", " "))
        return f"{area:03d}{sep}{group:02d}{sep}{serial:04d}"

    def UK_NINO(self) -> str:
        r = self.rng
        while True:
            prefix = r.choice("ABCEGHJKLMNPRSTWXYZ") + r.choice("ABCEGHJKLMNPRSTWXYZ")
            if prefix not in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"):
                break
        d, suffix = self._digits(6), r.choice("ABCD")
        return r.choice((f"{prefix} {d[:2]} {d[2:4]} {d[4:]} {suffix}", f"{prefix}{d}{suffix}"))

    def IP_ADDRESS(self) -> str:
        r = self.rng
        while True:
            if r.random() < 0.8:
                address: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.IPv4Address(
                    r.getrandbits(32))
            else:
                address = ipaddress.IPv6Address((0x2A00 << 112) | r.getrandbits(112))
            if address.is_global:
                return str(address)

    def STREET_ADDRESS(self) -> str:
        r = self.rng
        n = r.randrange(1, 240)
        if r.random() < 0.25:
            street, where = r.choice(data.ENGLISH_ADDRESSES)
            street = street.format(n=n)
            return f"{street}, {where}" if r.random() < 0.7 else street
        name, form = r.choice(data.STREETS)
        number = f"{n}{r.choice(('', '', '', 'a', 'b'))}"
        street = f"{number}{r.choice((' ', ', '))}{name}" if form == "french" else (
            f"{name}{r.choice((' ', ' ', ', '))}{number}")
        if r.random() < 0.6:
            postcode, city = r.choice(data.EU_LOCALITIES)
            return f"{street}, {postcode} {city}"
        return street

    # decoys
    def ORDER_NUMBER(self) -> str:
        return self.rng.choice((self._digits(self.rng.choice((6, 8, 10, 12))),
                                f"{self._digits(3)}-{self._digits(7)}-{self._digits(7)}",
                                f"INV-2024-{self._digits(4)}"))

    def DATE(self) -> str:
        r = self.rng
        d, m, y = r.randrange(1, 29), r.randrange(1, 13), r.randrange(2020, 2027)
        return r.choice((f"{d:02d}.{m:02d}.{y}", f"{d}/{m}/{y}", f"{y}-{m:02d}-{d:02d}",
                         f"{m:02d}/{d:02d}/{y}"))

    def PRICE(self) -> str:
        r = self.rng
        return r.choice((f"€{r.randrange(1, 9)}.{r.randrange(100, 999)},{r.randrange(0, 99):02d}",
                         f"${r.randrange(10, 999)}.{r.randrange(0, 99):02d}",
                         f"£{r.randrange(1, 9)},{r.randrange(100, 999)}",
                         f"{r.randrange(100, 9999)} EUR", f"CHF {r.randrange(10, 5000)}.-"))

    def VERSION(self) -> str:
        r = self.rng
        return r.choice((f"{r.randrange(1, 20)}.{r.randrange(0, 20)}.{r.randrange(0, 99)}."
                         f"{r.randrange(0, 999)}", f"{r.randrange(1, 9)}.{r.randrange(0, 9)}.1.2",
                         f"{r.randrange(1, 30)}.{r.randrange(0, 30)}.{r.randrange(0, 300)}"))

    def TIME(self) -> str:
        r = self.rng
        return r.choice((f"{r.randrange(7, 23)}:{r.choice(('00', '15', '30', '45'))}",
                         f"{r.randrange(1, 12)}.{r.choice(('00', '30'))}pm"))

    def TRACKING(self) -> str:
        r = self.rng
        return r.choice((f"LH{r.randrange(100, 9999)}", f"1Z{self._digits(16)}",
                         f"JD{self._digits(18)}", f"{r.choice(('AB', 'XK'))}{self._digits(6)}"))

    def BAD_CARD(self) -> str:
        value = self.CREDIT_CARD()
        last = value[-1]
        return value[:-1] + str((int(last) + self.rng.randrange(1, 10)) % 10)

    def BAD_IBAN(self) -> str:
        return self._iban(bad=True)

    def BAD_SSN(self) -> str:
        r = self.rng
        return r.choice((f"666-{r.randrange(10, 99)}-{self._digits(4)}",
                         f"9{self._digits(2)}-{r.randrange(10, 99)}-{self._digits(4)}",
                         f"000-{r.randrange(10, 99)}-{self._digits(4)}",
                         f"{r.randrange(100, 665)}-00-{self._digits(4)}",
                         f"{r.randrange(100, 665)}-{r.randrange(10, 99)}-0000"))

    def BAD_NINO(self) -> str:
        r = self.rng
        prefix = r.choice(("QQ", "DA", "FZ", "BG", "GB", "ZZ", "AO", "NK"))
        return f"{prefix} {self._digits(2)} {self._digits(2)} {self._digits(2)} {r.choice('ABCD')}"

    def PRIVATE_IP(self) -> str:
        r = self.rng
        return r.choice((f"192.168.{r.randrange(0, 255)}.{r.randrange(1, 255)}",
                         f"10.{r.randrange(0, 255)}.{r.randrange(0, 255)}.{r.randrange(1, 255)}",
                         "127.0.0.1", f"172.{r.randrange(16, 32)}.0.{r.randrange(1, 255)}"))

    def STREET_NOT_ADDRESS(self) -> str:
        return ""


def _template(rng: random.Random, kind: str, national: bool) -> str:
    if kind == "PHONE_NUMBER":
        return rng.choice(data.PHONE_NATIONAL_TEMPLATES if national else data.PHONE_INTL_TEMPLATES)
    if kind == "US_SSN" and rng.random() < 0.2:
        return rng.choice(data.SSN_BARE_TEMPLATES)
    templates = {
        "CREDIT_CARD": data.CARD_TEMPLATES, "IBAN": data.IBAN_TEMPLATES,
        "US_SSN": data.SSN_TEMPLATES, "UK_NINO": data.NINO_TEMPLATES,
        "IP_ADDRESS": data.IP_TEMPLATES, "STREET_ADDRESS": data.ADDRESS_TEMPLATES,
    }
    return rng.choice(templates.get(kind) or data.DECOY_TEMPLATES[kind])


def generate_world(n: int, seed: int = 1) -> list[Post]:
    """``n`` posts of one to three sentences, deterministic for ``seed``."""
    rng = random.Random(seed)
    values = _World(rng)
    posts = []
    for i in range(n):
        parts: list[tuple[str, str, bool, str]] = []  # sentence, kind, is_entity, value
        for _ in range(rng.choice((1, 1, 2))):
            if rng.random() < 0.65:
                kind = rng.choice(ENTITIES)
                got = getattr(values, kind)()
                value, national = got if isinstance(got, tuple) else (got, False)
                parts.append((_template(rng, kind, national), kind, True, value))
            else:
                kind = rng.choice(DECOYS)
                parts.append((_template(rng, kind, False), kind, False, getattr(values, kind)()))
        if rng.random() < 0.5:
            parts.insert(rng.randrange(len(parts) + 1), (rng.choice(data.FILLER), "", False, ""))
        text, planted, decoys = "", list[Span](), list[Span]()
        for template, kind, is_entity, value in parts:
            if text:
                text += " "
            filled = template.format_map(
                {"first": rng.choice(data.FIRST), "last": rng.choice(data.LAST), "x": "\x00"}
            )
            at = filled.find("\x00")
            if at >= 0:
                span = Span(kind, len(text) + at, len(text) + at + len(value), value)
                (planted if is_entity else decoys).append(span)
                filled = filled.replace("\x00", value)
            elif kind:
                decoys.append(Span(kind, len(text), len(text) + len(filled), filled))
            text += filled if filled[-1] in ".!?" else filled + "."
        posts.append(Post(id=f"world-{i:05d}", channel="twitter", author="bench",
                          capacity="private", profile="personal", text=text,
                          planted=tuple(planted), decoys=tuple(decoys)))
    return posts


@dataclass
class WorldScores:
    planted: dict[str, int] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)
    true_findings: int = 0
    false_findings: int = 0
    decoys: int = 0
    decoy_hits: int = 0
    misses: dict[str, list[str]] = field(default_factory=dict)
    false_alarms: list[str] = field(default_factory=list)

    def recall(self, entity: str) -> float:
        return self.found.get(entity, 0) / self.planted[entity] if self.planted.get(entity) else 1.0

    @property
    def precision(self) -> float:
        total = self.true_findings + self.false_findings
        return self.true_findings / total if total else 1.0


def score_world(
    posts: Sequence[Post], engine: Engine,
    check: Callable[[Sequence[Message]], Sequence[Sequence[tuple[str, int, int]]]] | None = None,
) -> WorldScores:
    """Recall per planted entity (a same-entity finding overlaps it) and finding precision."""
    if check is None:
        results = engine.check_many([p.to_message() for p in posts])
        found_all = [[(str(f.entity), f.start, f.end) for f in r.findings if f.entity]
                     for r in results]
    else:
        found_all = [list(x) for x in check([p.to_message() for p in posts])]
    out = WorldScores()
    for post, found in zip(posts, found_all, strict=True):
        for p in post.planted:
            out.planted[p.kind] = out.planted.get(p.kind, 0) + 1
            if any(e == p.kind and a < p.end and p.start < b for e, a, b in found):
                out.found[p.kind] = out.found.get(p.kind, 0) + 1
            else:
                out.misses.setdefault(p.kind, []).append(f"{p.text!r} in {post.text!r}")
        for e, a, b in found:
            if any(e == p.kind and a < p.end and p.start < b for p in post.planted):
                out.true_findings += 1
            else:
                out.false_findings += 1
                out.false_alarms.append(f"{e} {post.text[a:b]!r} in {post.text!r}")
        for d in post.decoys:
            out.decoys += 1
            out.decoy_hits += any(a < d.end and d.start < b for _, a, b in found)
    return out
