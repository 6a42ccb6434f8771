"""Personal information: phones, emails, identifiers, cards, IBANs, IPs, addresses, birth dates.

One detector class, one entity per rule (``params.entity``), so that each entity carries its own
context words, severity and examples in the pack. Everything is built in ``__init__``; a message
costs one cheap prefilter (no digits, no ``@``: nothing to do) and then one or two linear regex
scans. Candidates are validated in Python: check digits (:mod:`.checksums`), ``phonenumbers``
for phones (only on candidates that already look like a phone number, and cached), calendar
checks for dates. A candidate that comes close but fails (a TFN-shaped number with a bad check
digit, a 1300 number, a role mailbox) is returned as a near miss with its reason, which the
engine shows only under ``--explain``.

Australian formats are read here; the rest of the world's (IBANs, US SSNs, UK NI numbers, IP
addresses, national phone numbers of other countries, street addresses written name-first or
French-style) in :mod:`.pii_world`, which returns readings this class turns into hits.

Every pattern is made of bounded or non-overlapping pieces, and look-around windows are fixed
in size, so the work is linear in the length of the text (a 5 MB email body is fine).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Literal

import phonenumbers
from pydantic import BaseModel, ConfigDict, Field, model_validator

from commsguard.detectors import checksums, pii_world
from commsguard.detectors import pii_patterns as pat
from commsguard.detectors.base import Detector, DetectorContext, Hit
from commsguard.detectors.pii_patterns import Clusters, scan
from commsguard.detectors.pii_world import Reading
from commsguard.detectors.pii_world_patterns import DIRECTION
from commsguard.models import Explanation, Message

Entity = Literal[
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "AU_TFN",
    "AU_MEDICARE",
    "AU_ABN",
    "AU_ACN",
    "CREDIT_CARD",
    "STREET_ADDRESS",
    "DATE_OF_BIRTH",
    "DRIVER_LICENCE",
    "PASSPORT",
    "BANK_ACCOUNT",
    "IBAN",
    "US_SSN",
    "UK_NINO",
    "IP_ADDRESS",
]

#: (score for a confident reading, score for a weak reading) per entity. A rule may override
#: either. Weak readings: a legacy 8-digit TFN, an ACN-shaped number (both need context words
#: to reach the reporting threshold), an overseas phone number, an address without suburb,
#: state or postcode, a birthday without a year, a bare national phone number of another country
#: (it needs a phone word nearby), a 3-2-4 SSN with no 'SSN' word, an NI number without its
#: suffix letter.
DEFAULT_SCORES: dict[str, tuple[float, float]] = {
    "PHONE_NUMBER": (0.6, 0.5),
    "EMAIL_ADDRESS": (0.7, 0.7),
    "AU_TFN": (0.45, 0.2),
    "AU_MEDICARE": (0.45, 0.45),
    "AU_ABN": (0.55, 0.55),
    "AU_ACN": (0.25, 0.25),
    "CREDIT_CARD": (0.65, 0.65),
    "STREET_ADDRESS": (0.6, 0.45),
    "DATE_OF_BIRTH": (0.7, 0.45),
    "DRIVER_LICENCE": (0.7, 0.7),
    "PASSPORT": (0.75, 0.75),
    "BANK_ACCOUNT": (0.8, 0.8),
    "IBAN": (0.8, 0.8),
    "US_SSN": (0.6, 0.5),
    "UK_NINO": (0.6, 0.45),
    "IP_ADDRESS": (0.5, 0.5),
}

#: Role mailboxes: an organisation's public contact points, not a person's address.
ROLE_MAILBOXES = (
    "admin", "complaints", "contact", "enquiries", "enquiry", "feedback", "hello", "help",
    "info", "media", "news", "noreply", "no-reply", "office", "privacy", "reception",
    "sales", "secretariat", "support", "webmaster",
)

#: Card numbers that payment providers publish for testing (Stripe, Visa, Mastercard, Amex):
#: with a test word nearby they are documentation, not anyone's card.
TEST_CARD_NUMBERS = (
    "4242424242424242", "4000056655665556", "4111111111111111", "4012888888881881",
    "5555555555554444", "5105105105105100", "2223003122003222", "378282246310005",
    "371449635398431", "6011111111111117", "3056930009020004", "4000000000000002",
)
#: Words that say a number is a test value ("test card", "sandbox", "dummy").
TEST_WORDS = re.compile(
    r"(?i:\b(?:test(?:ing|s)?|sandbox|dummy|example|sample|fake|staging|stripe|qa|demo)\b)"
)


class PIIParams(BaseModel):
    """A rule's parameters: which entity, and optional overrides."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    entity: Entity
    #: Replaces the default score of a confident reading of this entity.
    score: float | None = Field(default=None, ge=0, le=1)
    #: Replaces the default score of a weak reading (see ``DEFAULT_SCORES``).
    weak_score: float | None = Field(default=None, ge=0, le=1)
    #: Public contact details of organisations (the office's own address or phone number):
    #: a match containing one of these (case, spaces and punctuation ignored) is a near miss.
    public_values: list[str] = Field(default_factory=list)
    #: EMAIL_ADDRESS only: mailbox names that belong to organisations, not people.
    ignore_local_parts: list[str] = Field(default_factory=lambda: list(ROLE_MAILBOXES))
    #: EMAIL_ADDRESS only: domains (and their subdomains) whose addresses are not personal.
    ignore_domains: list[str] = Field(default_factory=list)
    #: CREDIT_CARD only: published test card numbers; one with a test word within
    #: ``test_window`` characters is a near miss, not a finding.
    test_numbers: list[str] = Field(default_factory=lambda: list(TEST_CARD_NUMBERS))
    test_window: int = Field(default=60, ge=0, le=400)

    @model_validator(mode="after")
    def _email_only(self) -> PIIParams:
        if self.entity != "EMAIL_ADDRESS" and self.ignore_domains:
            raise ValueError(
                "ignore_domains applies only to EMAIL_ADDRESS, e.g.\n"
                "params:\n  entity: EMAIL_ADDRESS\n  ignore_domains: [example.org]"
            )
        return self


def _norm(value: str) -> str:
    return "".join(ch for ch in value.lower() if ch.isalnum())


#: Street types written out or abbreviated name the same place ("570 Bourke Street" is
#: "570 Bourke St"), so public values compare on the short form.
_STREET_TYPES = {
    "street": "st", "road": "rd", "avenue": "ave", "av": "ave", "boulevard": "blvd",
    "parade": "pde", "place": "pl", "drive": "dr", "court": "ct", "crescent": "cres",
    "terrace": "tce", "highway": "hwy", "lane": "ln", "square": "sq", "level": "lvl",
}
_WORD = re.compile(r"[a-z]+")


def _public_key(value: str) -> str:
    return _norm(_WORD.sub(lambda m: _STREET_TYPES.get(m.group(), m.group()), value.lower()))


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _runs(text: str, start: int, end: int, nd: int) -> tuple[tuple[int, int], ...]:
    """(start, end) of each digit run of a cluster (a cluster is usually a single run)."""
    if nd == end - start:
        return ((start, end),)
    return tuple((g.start(), g.end()) for g in pat.DIGIT_RUN.finditer(text, start, end))


@functools.lru_cache(maxsize=4096)
def _au_phone_valid(national: str) -> bool:
    """``national`` without the trunk 0, e.g. "412345678"."""
    number = phonenumbers.PhoneNumber(country_code=61, national_number=int(national))
    return bool(phonenumbers.is_valid_number_for_region(number, "AU"))


@functools.lru_cache(maxsize=4096)
def _intl_phone_valid(e164: str) -> bool:
    try:
        return bool(phonenumbers.is_valid_number(phonenumbers.parse(e164, None)))
    except phonenumbers.NumberParseException:
        return False


def _au_public(national: str) -> bool:
    """13 xx xx, 13xx xxx, 1300, 1800 and 1900 numbers: lines of organisations, not people."""
    return (len(national) == 6 and national.startswith("13")) or (
        len(national) == 10 and national[:4] in ("1300", "1800", "1900", "1802")
    )


def _day_month_ok(day: int, month: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[
        month - 1
    ]


def _year_ok(year: str | None) -> bool:
    return year is None or len(year) == 2 or 1900 <= int(year) <= 2099


def _date_reading(m: re.Match[str]) -> tuple[str, bool] | None:
    """(format, has a year) for a calendar-valid date match, else None."""
    g = m.group
    if g("ad"):
        day, month = int(g("ad")), int(g("am"))
        if g("s1") == "." and len(g("ay")) != 4:
            return None  # 1.2.24 is far more often a version than a date
        if not _year_ok(g("ay")) or not (_day_month_ok(day, month) or _day_month_ok(month, day)):
            return None
        return "numeric date", True
    if g("by"):
        ok = _year_ok(g("by")) and _day_month_ok(int(g("bd")), int(g("bm")))
        return ("ISO date", True) if ok else None
    day_s, month_s, year = (g("cd"), g("cm"), g("cy")) if g("cd") else (g("dd"), g("dm"), g("dy"))
    if not _day_month_ok(int(day_s), pat.MONTHS[month_s[:3].lower()]) or not _year_ok(year):
        return None
    return "written date", year is not None



class PersonalInformationDetector(Detector):
    """Finds one entity of personal information, named by the rule's ``params.entity``."""

    name = "pii"
    description = (
        "Personal information: phone, email, TFN, Medicare, ABN, ACN, card, address, date of "
        "birth, driver licence, passport, bank account, IBAN, US SSN, UK NI number, IP address "
        "(check digits, context, near misses)."
    )
    Params = PIIParams

    def __init__(self, params: BaseModel, context: DetectorContext) -> None:
        super().__init__(params, context)
        assert isinstance(params, PIIParams)
        self.entity: str = params.entity
        default, weak = DEFAULT_SCORES[params.entity]
        self.score = default if params.score is None else params.score
        self.weak_score = weak if params.weak_score is None else params.weak_score
        self.public_values = tuple(v for v in map(_public_key, params.public_values) if v)
        self.ignore_local_parts = frozenset(p.lower() for p in params.ignore_local_parts)
        self.ignore_domains = tuple(d.lower().lstrip("@.") for d in params.ignore_domains)
        self.test_numbers = frozenset(_digits(n) for n in params.test_numbers)
        self.test_window = params.test_window
        finders: dict[str, Callable[[str, Clusters], list[Hit]]] = {
            "PHONE_NUMBER": self._phone,
            "AU_TFN": self._tfn,
            "AU_MEDICARE": self._medicare,
            "AU_ABN": self._abn,
            "AU_ACN": self._acn,
            "CREDIT_CARD": self._card,
            "STREET_ADDRESS": self._address,
            "DATE_OF_BIRTH": self._date_of_birth,
            "DRIVER_LICENCE": self._licence,
            "PASSPORT": self._passport,
            "BANK_ACCOUNT": self._bank_account,
            "IBAN": lambda text, _: self._readings(text, pii_world.iban(text)),
            "US_SSN": lambda text, c: self._readings(text, pii_world.ssn(text, c)),
            "UK_NINO": lambda text, c: self._readings(text, pii_world.nino(text, c)),
            "IP_ADDRESS": lambda text, _: self._readings(text, pii_world.ip(text)),
        }
        self._find = finders.get(params.entity)
        if params.entity == "PHONE_NUMBER":
            _au_phone_valid.__wrapped__("396136222")  # load the AU metadata now, not mid-run

    def detect(self, message: Message) -> list[Hit]:
        text = message.text
        if self._find is None:
            return self._email(text) if "@" in text else []
        clusters = scan(text)
        return self._find(text, clusters) if clusters else []

    # -- hit helpers ----------------------------------------------------------------------------
    def _hit(
        self, text: str, start: int, end: int, score: float, pattern: str, validation: str = ""
    ) -> Hit:
        if self.public_values:
            key = _public_key(text[start:end])
            if any(v in key for v in self.public_values):
                return self._near(
                    start, end, "a public contact detail of an organisation (the pack's "
                    "public_values), not a person's", pattern
                )
        explanation = Explanation(detector=self.name, pattern=pattern, validation=validation)
        return Hit(start, end, score, explanation, entity=self.entity)

    def _near(self, start: int, end: int, reason: str, pattern: str = "") -> Hit:
        explanation = Explanation(detector=self.name, pattern=pattern)
        return Hit(start, end, 0.0, explanation, entity=self.entity, near_miss=reason)

    def _reading(self, text: str, r: Reading) -> Hit:
        if r.near is not None:
            return self._near(r.start, r.end, r.near, r.pattern)
        score = self.weak_score if r.weak else self.score
        return self._hit(text, r.start, r.end, score, r.pattern, r.validation)

    def _readings(self, text: str, readings: list[Reading]) -> list[Hit]:
        return [self._reading(text, r) for r in readings]

    # -- Australian identifiers -----------------------------------------------------------------
    # The patterns refuse a neighbouring digit across a space or dash, so a match is always a
    # whole cluster: only clusters with the right number of digits are tried.
    def _tfn(self, text: str, clusters: Clusters) -> list[Hit]:
        out = []
        for start, _, nd in clusters:
            if nd not in (8, 9) or (m := pat.TFN.match(text, start)) is None:
                continue
            valid = checksums.is_tfn(_digits(m.group()))
            if nd == 9 and valid:
                out.append(self._hit(text, *m.span(), self.score, "9-digit TFN",
                                     "TFN check digit passed (weights 1,4,3,7,5,8,6,9,10 mod 11)"))
            elif nd == 9:
                out.append(self._near(*m.span(), "9-digit number shaped like a TFN but fails "
                                      "the TFN checksum", "9-digit TFN"))
            elif valid:
                out.append(self._hit(text, *m.span(), self.weak_score, "legacy 8-digit TFN",
                                     "TFN check digit passed (weights 10,7,8,4,6,3,5,1 mod 11)"))
        return out

    def _checked(
        self, text: str, clusters: Clusters, spec: tuple[re.Pattern[str], range, str, str],
        check: Callable[[str], bool],
    ) -> list[Hit]:
        pattern, lengths, what, validation = spec
        out = []
        for start, _, nd in clusters:
            if nd not in lengths or (m := pattern.match(text, start)) is None:
                continue
            if check(_digits(m.group())):
                out.append(self._hit(text, *m.span(), self.score, what, validation))
            else:
                out.append(self._near(*m.span(), f"{nd}-digit number shaped like {what} but "
                                      "fails its checksum", what))
        return out

    def _medicare(self, text: str, clusters: Clusters) -> list[Hit]:
        spec = (pat.MEDICARE, range(10, 12), "a Medicare number",
                "Medicare check digit passed (weights 1,3,7,9,1,3,7,9 mod 10)")
        return self._checked(text, clusters, spec, checksums.is_medicare)

    def _abn(self, text: str, clusters: Clusters) -> list[Hit]:
        spec = (pat.ABN, range(11, 12), "an ABN", "ABN check passed (mod 89)")
        return self._checked(text, clusters, spec, checksums.is_abn)

    def _acn(self, text: str, clusters: Clusters) -> list[Hit]:
        spec = (pat.ACN, range(9, 10), "an ACN",
                "ACN check digit passed (weights 8..1, complement mod 10)")
        return self._checked(text, clusters, spec, checksums.is_acn)

    def _card(self, text: str, clusters: Clusters) -> list[Hit]:
        out = []
        for start, _, nd in clusters:
            if not 13 <= nd <= 19 or (m := pat.CARD.match(text, start)) is None:
                continue
            digits = _digits(m.group())
            issuer = checksums.card_issuer(digits)
            luhn = checksums.luhn(digits)
            pattern = f"{nd}-digit card number"
            if issuer and luhn and digits in self.test_numbers and (
                word := TEST_WORDS.search(text, max(0, m.start() - self.test_window),
                                          m.end() + self.test_window)
            ):
                out.append(self._near(*m.span(), f"a published test card number ({issuer}), "
                                      f"with {word.group()!r} nearby", pattern))
            elif issuer and luhn:
                out.append(self._hit(text, *m.span(), self.score, f"{issuer} {pattern}",
                                     "Luhn check passed; issuer prefix and length fit"))
            elif issuer:
                out.append(self._near(*m.span(), f"{pattern} with a {issuer} prefix but fails "
                                      "the Luhn check", pattern))
            elif luhn:
                out.append(self._near(*m.span(), f"{nd}-digit number passes the Luhn check but "
                                      "no card issuer uses its prefix and length", pattern))
        return out

    # -- contact details ------------------------------------------------------------------------
    def _phone(self, text: str, clusters: Clusters) -> list[Hit]:
        out: list[Hit] = []
        done = 0
        for start, end, nd in clusters:
            if start < done:
                continue
            p = start
            if start and text[start - 1] in "+(":
                p = start - 1
            elif start > 1 and text[start - 2] == "+" and text[start - 1] == " ":
                p = start - 2
            elif text[end : end + 1] != "." and (
                nd < 3 or (nd == end - start and text[start] not in "01")
            ) and not (7 <= nd <= 13 and pii_world.phone_word(text, start, end)):
                continue  # a lone number that starts with neither 0 nor 1 is no phone number
            m = pat.PHONE.match(text, p) or (pat.PHONE.match(text, start) if p != start else None)
            if m is None:
                continue
            done = m.end()
            if m.group()[0] == "+":
                hit = self._international(text, m.start(), m.end())
                if hit is not None:
                    out.append(hit)
                continue
            groups = [(m.start() + g.start(), m.start() + g.end())
                      for g in pat.DIGIT_RUN.finditer(m.group())]
            # The run may hold neighbouring numbers ("room 5 0412 345 678"): try it whole,
            # then ever shorter runs of whole groups (at most six groups).
            i, n = 0, len(groups)
            while i < n:
                for j in range(n, i, -1):
                    hit = self._national(text, groups[i:j], whole=(i == 0 and j == n))
                    if hit is not None:
                        out.append(hit)
                        i = j
                        break
                else:
                    i += 1
        return out

    def _national(self, text: str, groups: list[tuple[int, int]], *, whole: bool) -> Hit | None:
        start, end = groups[0][0], groups[-1][1]
        digits = "".join(text[a:b] for a, b in groups)
        if start and text[start - 1] == "(" and end - start > 3 and text[groups[0][1]] == ")":
            start -= 1
        if digits in ("000", "112", "106"):
            dialled = pat.DIAL.search(text, max(0, start - 12), start) is not None
            if dialled or (whole and digits == "000"):
                return self._near(start, end, f"{digits} is an emergency line: a public service "
                                  "number, not personal", "emergency number")
            return None
        isbn = len(groups) > 1 and min(b - a for a, b in groups) == 1  # "0-306-40615-2"
        if not isbn and digits[0] == "0" and len(digits) == 10 and _au_phone_valid(digits[1:]):
            return self._hit(text, start, end, self.score, "Australian phone number",
                             "valid Australian number (phonenumbers)")
        if not isbn and _au_public(digits):
            return self._near(start, end, "a 13/1300/1800/1900 line: a public service number, "
                              "not personal", "Australian service number")
        reading = pii_world.national_phone(text, groups, whole=whole)
        return None if reading is None else self._reading(text, reading)

    def _international(self, text: str, start: int, end: int) -> Hit | None:
        digits = _digits(text[start:end])
        if digits.startswith("61"):
            national = digits[2:]
            national = national[1:] if national.startswith("0") else national
            if _au_public(national):
                return self._near(start, end, "a 13/1300/1800 line: a public service number, "
                                  "not personal", "Australian service number")
            if len(national) == 9 and _au_phone_valid(national):
                return self._hit(text, start, end, self.score, "Australian phone number (+61)",
                                 "valid Australian number (phonenumbers)")
            return None
        if 8 <= len(digits) <= 15 and _intl_phone_valid("+" + digits):
            if pii_world.public_line(digits, None):
                return self._near(start, end, "a toll-free or shared-cost line: an "
                                  "organisation's public number, not personal",
                                  "international phone number")
            return self._hit(text, start, end, self.weak_score, "international phone number",
                             "valid number for its country (phonenumbers)")
        return None

    def _email(self, text: str) -> list[Hit]:
        out = []
        n = len(text)
        at = text.find("@")
        while at != -1:
            lo = max(0, at - 64)
            # A local part holds no space: start the search after the last one (fewer tries).
            local_m = pat.LOCAL.search(text, text.rfind(" ", lo, at) + 1 or lo, at)
            domain_m = pat.DOMAIN.match(text, at + 1, min(n, at + 256)) if local_m else None
            if local_m is None or domain_m is None:
                at = text.find("@", at + 1)
                continue
            local = local_m.group().lstrip(".'")
            start, end = at - len(local), domain_m.end()
            domain = domain_m.group().lower()
            if local and local.lower().split("+")[0] in self.ignore_local_parts:
                out.append(self._near(start, end, f"{local.lower()}@ is an organisation's role "
                                      "mailbox, not a person's address", "email address"))
            elif any(domain == d or domain.endswith("." + d) for d in self.ignore_domains):
                out.append(self._near(start, end, f"{domain} is listed in the pack as an "
                                      "organisational domain", "email address"))
            elif local:
                out.append(self._hit(text, start, end, self.score, "email address"))
            at = text.find("@", end)
        return out

    def _address(self, text: str, clusters: Clusters) -> list[Hit]:
        out = []
        done = 0
        low = text.lower()
        boxes = "box" in low or "bag" in low
        foreign = pii_world.street_type_in(text)  # else no digit run can be Via Roma 3
        for c_start, c_end, nd in clusters:
            for q, run_end in _runs(text, c_start, c_end, nd):
                if q < done:
                    continue
                m = pat.ADDRESS.match(text, q) if pat.STREET_HINT.match(text, run_end) else None
                lo = max(0, q - 24)
                if (m or (boxes and ("ox" in low[lo:q] or "ag" in low[lo:q]))) and (
                    b := pat.ADDRESS_BEFORE.search(text, lo, q)
                ):
                    m = pat.ADDRESS.match(text, b.start()) or m  # "Unit 4/", "PO Box "
                if m is None:
                    if foreign and (reading := pii_world.address_after_number(text, q)):
                        done = reading.end
                        out.append(self._reading(text, reading))
                    continue
                if m.group("street") and pat.DATE_NOT_STREET.match(text, q):
                    done = m.end()
                    out.append(self._near(*m.span(), "a day and month, not a street number and "
                                          "name", "street address"))
                    continue
                start, end = m.span()
                located = bool(m.group("state") or m.group("pc") or m.group("pc2"))
                if not located:
                    if m.group("street") and (d := DIRECTION.match(text, end)):
                        end = d.end()  # 1600 Pennsylvania Avenue NW
                    if (where := pii_world.locality(text, end)) is not None:
                        end, located = where, True
                done = end
                kind = "street address" if m.group("street") else "PO box"
                pattern = kind + (" with state or postcode" if located else "")
                score = self.score if located else self.weak_score
                out.append(self._hit(text, start, end, score, pattern))
        return out

    def _date_of_birth(self, text: str, clusters: Clusters) -> list[Hit]:
        out = []
        n = len(text)
        done = 0
        low = text.lower()
        for c_start, c_end, nd in clusters:
            for q, run_end in _runs(text, c_start, c_end, nd):
                if q < done or run_end - q > 4:
                    continue
                m = None
                if q > 3 and low[q - 1] == " ":  # "April 3rd 1987": a month name just before
                    k = low.rfind(" ", max(0, q - 12), q - 1)
                    if low[k + 1 : k + 4] in pat.MONTHS:
                        m = pat.DATE.match(text, k + 1)
                if m is None and (
                    low[run_end : run_end + 1] in ("/", ".", "-")
                    or pat.MONTH_AFTER.match(low, run_end)
                ):
                    m = pat.DATE.match(text, q)
                if m is None or (reading := _date_reading(m)) is None:
                    continue
                done = m.end()
                kind, has_year = reading
                start, end = m.span()
                if not has_year and pat.NOT_A_DAY.match(text, end):
                    continue  # "born in May 3 years ago"
                birth = pat.BIRTH.search(text, max(0, start - 60), min(n, end + 30))
                if birth is not None:
                    score = self.score if has_year else self.weak_score
                    out.append(self._hit(text, start, end, score, kind,
                                         f"birth context {birth.group()!r} nearby"))
                elif has_year:
                    out.append(self._near(start, end, "a date, but no birth context ('born', "
                                          "'DOB', 'date of birth', 'birthday') nearby", kind))
        return out

    # -- identity documents and accounts --------------------------------------------------------
    def _letter_prefixed(self, text: str, start: int) -> int:
        """Back up over one or two capital letters glued to a number ("PA1234567")."""
        p = start
        while p > start - 2 and p and "A" <= text[p - 1] <= "Z":
            p -= 1
        return p

    def _licence(self, text: str, clusters: Clusters) -> list[Hit]:
        out = []
        for start, _, nd in clusters:
            if not 5 <= nd <= 10:
                continue
            m = pat.LICENCE_NO.match(text, self._letter_prefixed(text, start))
            if m is None:
                continue
            word = next(
                (
                    w
                    for w in pat.LICENCE_WORD.finditer(text, max(0, m.start() - 40), m.end() + 40)
                    # "ACN: 5213… Licence no. 8372…": a label after the number that has a
                    # number of its own is that number's label, not this one's.
                    if w.end() <= m.start() or not pat.OWN_NUMBER.match(text, w.end())
                ),
                None,
            )
            if word is not None:
                out.append(self._hit(text, *m.span(), self.score, "driver licence number",
                                     f"licence context {word.group()!r} nearby"))
        return out

    def _passport(self, text: str, clusters: Clusters) -> list[Hit]:
        out = []
        for start, _, nd in clusters:
            m = pat.PASSPORT.match(text, self._letter_prefixed(text, start)) if nd == 7 else None
            if m is None:
                continue
            word = pat.PASSPORT_WORD.search(text, max(0, m.start() - 60), m.end() + 40)
            if word is not None:
                out.append(self._hit(text, *m.span(), self.score, "Australian passport number",
                                     f"passport context {word.group()!r} nearby"))
            else:
                out.append(self._near(*m.span(), "shaped like an Australian passport number, "
                                      "but no 'passport' nearby", "Australian passport number"))
        return out

    def _bank_account(self, text: str, clusters: Clusters) -> list[Hit]:
        out = []
        n = len(text)
        for c_start, _, nd in clusters:
            if nd < 6:
                continue
            p = c_start
            if "bsb" in text[max(0, p - 8) : p].lower() and (
                w := pat.BSB_BEFORE.search(text, max(0, p - 8), p)
            ):
                p = w.start()
            b = pat.BSB.match(text, p)
            if b is None or (acct := pat.ACCOUNT_AFTER.match(text, b.end())) is None:
                continue
            start, end = b.start(), acct.end()
            if b.group("b1") or pat.BANK_WORD.search(text, max(0, start - 40), min(n, end + 20)):
                out.append(self._hit(text, start, end, self.score, "BSB and account number",
                                     "BSB ddd-ddd followed by a 6-10 digit account number"))
            else:
                out.append(self._near(start, end, "a BSB-shaped number and an account-shaped "
                                      "number, but no 'BSB', 'account' or 'bank' nearby",
                                      "BSB and account"))
        return out
