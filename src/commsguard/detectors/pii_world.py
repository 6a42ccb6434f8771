"""Readings of personal information beyond Australia, for :mod:`.pii`.

Each function finds candidates of one kind and returns :class:`Reading` values: a span, what it
looks like, how it was validated, whether the reading is weak, and, for a candidate that comes
close but fails (an IBAN that fails mod 97, an SSN in a range the SSA never issues, a private
IP address), the near-miss reason. :class:`~commsguard.detectors.pii.PersonalInformationDetector`
turns them into hits, so every entity keeps the one finding shape.

Decisions worth knowing:

* A bare national phone number of another country ("(415) 555-0132", "020 7946 0958") counts
  only with a phone word nearby (call, mobile, Handy, portable …), is tried against every region
  ``phonenumbers`` knows (the most common first) and must be valid there. International "+CC"
  numbers need no word (see :mod:`.pii`).
* IP addresses: a public (globally routed) address can identify a person's connection, so it is
  a finding. Private (RFC 1918), loopback, link-local, documentation and other reserved
  addresses identify no one outside their own network: near misses. A dotted quad after a
  version, section or build word ("version 1.2.3.4") is a near miss too.
* Published sample numbers (the Woolworth wallet SSN 078-05-1120, 123-45-6789, HMRC's
  QQ 12 34 56 C) are near misses.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from dataclasses import dataclass

import ahocorasick
import phonenumbers

from commsguard.detectors import checksums
from commsguard.detectors import pii_patterns as pat
from commsguard.detectors import pii_world_patterns as wp
from commsguard.detectors.pii_patterns import Clusters

_Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class Reading:
    """One candidate: a finding (``near`` is None) or a near miss with its reason."""

    start: int
    end: int
    pattern: str
    validation: str = ""
    weak: bool = False
    near: str | None = None


#: Regions tried first for a bare national number: the most populous and most written-about.
PRIORITY_REGIONS = (
    "US", "GB", "DE", "FR", "IT", "ES", "NL", "BE", "CH", "AT", "IE", "SE", "NO", "DK", "FI",
    "PT", "PL", "CZ", "HU", "GR", "RO", "IN", "CN", "JP", "KR", "SG", "HK", "NZ", "ZA", "BR",
    "MX", "AR", "CA", "RU", "TR", "IL", "AE", "PH", "ID", "MY", "TH", "VN", "NG", "KE", "EG",
)
_REGIONS = PRIORITY_REGIONS + tuple(
    sorted(r for r in phonenumbers.SUPPORTED_REGIONS if r not in PRIORITY_REGIONS and r != "AU")
)
#: Published sample numbers: never anyone's.
SAMPLE_SSNS = frozenset({"078051120", "219099999", "123456789"})


_PUBLIC_TYPES = frozenset({
    phonenumbers.PhoneNumberType.TOLL_FREE, phonenumbers.PhoneNumberType.SHARED_COST,
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
})


@functools.lru_cache(maxsize=4096)
def national_region(digits: str) -> tuple[str, bool] | None:
    """The first region (priority order) where ``digits``, written nationally, is valid, and
    whether it is a public line there. A region where it is a personal number is preferred:
    "090-1234-5678" is premium-rate in Germany but a mobile in Japan."""
    public: str | None = None
    for region in _REGIONS:
        try:
            number = phonenumbers.parse(digits, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number_for_region(number, region):
            personal = phonenumbers.number_type(number) not in _PUBLIC_TYPES
            if personal or region == "US":  # (877) 779-7724 is American before anything else
                return region, not personal
            public = public or region
    return None if public is None else (public, True)


@functools.lru_cache(maxsize=4096)
def public_line(digits: str, region: str | None) -> bool:
    """A toll-free, shared-cost or premium line (US 1-800, UK 0800): an organisation's."""
    try:
        number = phonenumbers.parse(digits if region else "+" + digits, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) in _PUBLIC_TYPES


def phone_word(text: str, start: int, end: int) -> str | None:
    """A phone word just before or after ``text[start:end]`` in its sentence, or None."""
    lo = max(0, start - wp.PHONE_WORD_BEFORE)
    for stop in wp.SENTENCE_END.finditer(text, lo, start):
        lo = stop.end()
    before = wp.PHONE_WORD.search(text, lo, start)
    if before is not None:
        return before.group()
    hi = min(len(text), end + wp.PHONE_WORD_AFTER)
    if (full_stop := wp.SENTENCE_END.search(text, end, hi)) is not None:
        hi = full_stop.start()
    after = wp.PHONE_WORD.search(text, end, hi)
    return None if after is None else after.group()


def national_phone(text: str, groups: list[tuple[int, int]], *, whole: bool) -> Reading | None:
    """A bare national number of another country, with a phone word nearby.

    Only a whole run of digit groups is read this way: part of a longer number (a card that
    fails Luhn, an order number) is not a phone number.
    """
    if not whole:
        return None
    start, end = groups[0][0], groups[-1][1]
    digits = "".join(text[a:b] for a, b in groups)
    if not 7 <= len(digits) <= 13 or (start > 1 and text[start - 1] == "-"):
        return None  # too short or long, or the tail of a code ("INV-2024-5285")
    seps = {text[b:c] for (_, b), (c, _) in zip(groups, groups[1:], strict=False)}
    if any(len(s.strip("() ")) > 1 for s in seps):
        return None
    nanp = len(groups) == 4 and text[start] == "1" and groups[0][1] - start == 1  # 1-800-…
    if (
        len(groups) > 1 and min(b - a for a, b in groups) == 1 and seps - {" ", ") ", ")"}
        and not nanp
    ):
        return None  # "1.2.3.4567", "0-306-40615-2": versions and ISBNs, not phone numbers
    if seps == {"."} and len(groups) == 4 and max(b - a for a, b in groups) <= 3:
        return None  # a dotted quad is an IP address
    if seps == {"-"} and [b - a for a, b in groups] == [3, 2, 4]:
        return None  # 3-2-4 is the shape of a US Social Security number
    if (d := pat.DATE.match(text, start)) is not None and d.end() >= end:
        return None
    word = phone_word(text, start, end)
    if word is None:
        return None
    found = national_region(digits)
    if found is None:
        return None
    region, public = found
    if start and text[start - 1] == "(" and text[groups[0][1] : groups[0][1] + 1] == ")":
        start -= 1
    if public:
        return Reading(start, end, f"national phone number ({region})", near="a toll-free or "
                       "shared-cost line: an organisation's public number, not personal")
    return Reading(start, end, f"national phone number ({region})",
                   f"valid number for {region} (phonenumbers); phone word {word!r} nearby",
                   weak=True)


# -- bank, tax and network identifiers ----------------------------------------------------------
def iban(text: str) -> list[Reading]:
    out = []
    n = len(text)
    for m in wp.IBAN_START.finditer(text):
        country = m.group()[:2]
        length = checksums.IBAN_LENGTHS.get(country)
        if length is None:
            continue
        i, count, chars = m.start(), 0, []
        while i < n and count < length:
            ch = text[i]
            if ch.isascii() and (ch.isdigit() or ch.isupper()):
                chars.append(ch)
                count += 1
                i += 1
            elif ch == " " and count >= 4 and i + 1 < n and text[i + 1].isalnum():
                i += 1
            else:
                break
        if count < length or (i < n and text[i].isalnum()):
            continue
        value = "".join(chars)
        what = f"{country} IBAN ({length} characters)"
        if checksums.iban_mod97(value) == 1:
            out.append(Reading(m.start(), i, what, "IBAN check passed (ISO 13616 mod 97 = 1)"))
        else:
            out.append(Reading(m.start(), i, what, near=f"shaped like a {what} but fails the "
                               "mod-97 check"))
    return out


def ssn(text: str, clusters: Clusters) -> list[Reading]:
    out = []
    for start, _, nd in clusters:
        if nd != 9:
            continue
        m = wp.SSN.match(text, start)
        word = wp.SSN_WORD.search(text, max(0, start - 40), start + 40)
        found = m or (wp.SSN_PLAIN.match(text, start) if word else None)
        if found is None:
            continue
        s, e = found.span()
        digits = "".join(ch for ch in text[s:e] if ch.isdigit())
        what = "US Social Security number" + ("" if m else " (undashed, with 'SSN' nearby)")
        if digits in SAMPLE_SSNS:
            out.append(Reading(s, e, what, near="a published sample Social Security number, "
                               "not anyone's"))
        elif checksums.is_ssn(digits):
            out.append(Reading(s, e, what, "area, group and serial in ranges the SSA issues",
                               weak=m is not None and word is None))
        elif m is not None:
            out.append(Reading(s, e, what, near="3-2-4 number in a range the SSA never issues "
                               "(area 000, 666 or 9xx, group 00 or serial 0000)"))
    return out


def nino(text: str, clusters: Clusters) -> list[Reading]:
    if not any(nd == 6 for _, _, nd in clusters):
        return []
    out = []
    for m in wp.NINO.finditer(text):
        prefix, suffix = m.group("prefix"), m.group("suffix")
        word = wp.NINO_WORD.search(text, max(0, m.start() - 40), m.end() + 30)
        if word is None and (suffix is None or not prefix.isupper() or not suffix.isupper()):
            continue
        value = (prefix + m.group("digits").replace(" ", "") + (suffix or "A")).upper()
        what = "UK National Insurance number"
        if value.startswith("QQ") or not checksums.is_nino(value):
            out.append(Reading(*m.span(), what, near=f"prefix {prefix.upper()} is never "
                               "allocated (QQ is HMRC's sample)"))
        else:
            out.append(Reading(*m.span(), what, "allocatable prefix, suffix A-D",
                               weak=suffix is None))
    return out


def _ip_reading(text: str, start: int, end: int, address: _Address) -> Reading:
    what = f"IPv{address.version} address"
    if address.is_global:
        return Reading(start, end, what, "a public, globally routed address")
    kind = next(
        (k for k, flag in (
            ("private", address.is_private and not address.is_loopback
             and not address.is_link_local and not _documentation(address)),
            ("loopback", address.is_loopback), ("link-local", address.is_link_local),
            ("multicast", address.is_multicast), ("unspecified", address.is_unspecified),
        ) if flag),
        "documentation or reserved",
    )
    return Reading(start, end, what, near=f"a {kind} address: it identifies no one outside "
                   "its own network")


def _documentation(address: _Address) -> bool:
    return any(address in ipaddress.ip_network(net) for net in _DOC_NETS[address.version])


_DOC_NETS = {4: ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"), 6: ("2001:db8::/32",)}


def ip(text: str) -> list[Reading]:
    out = []
    if "." in text:
        for m in wp.IPV4.finditer(text):
            word = wp.NOT_AN_IP.search(text, max(0, m.start() - 24), m.start())
            if word is not None:
                out.append(Reading(*m.span(), "IPv4 address", near=f"a version or section "
                                   f"number ({word.group().strip()!r} before it), not an address"))
                continue
            out.append(_ip_reading(text, *m.span(), ipaddress.ip_address(m.group())))
    if "::" in text or text.count(":") >= 7:
        for m in wp.IPV6.finditer(text):
            value = m.group()
            try:
                address = ipaddress.IPv6Address(value)
            except ValueError:
                continue
            if max(len(g) for g in value.split(":")) >= 3 or "::" in value:
                out.append(_ip_reading(text, *m.span(), address))
    return out


# -- street addresses -----------------------------------------------------------------------------
def locality(text: str, end: int) -> int | None:
    """Where a US, UK, Canadian or European locality after a street ends, or None."""
    m = wp.LOCALITY.match(text, end)
    return None if m is None else m.end()


_ENGLISH_COMPOUNDS = re.compile(r"(?i:\b(?:[a-z]{0,4}gade|[a-z]{0,4}tie)\b)")


def _street_types() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in wp.STREET_TYPE_WORDS:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


_STREET_TYPES = _street_types()


def street_type_in(text: str) -> bool:
    """Whether any street-type word of :func:`address_after_number`'s forms is in ``text``
    (one Aho-Corasick pass over the lower-cased text)."""
    return next(_STREET_TYPES.iter(text.lower()), None) is not None


def address_after_number(text: str, q: int) -> Reading | None:
    """A street whose house number comes after its name (Via Roma 3) or a French street whose
    number comes before a lower-case type (14 rue des Lilas), at the number starting at ``q``."""
    french = wp.FRENCH_STREET.match(text, q)
    if french is not None:
        end = locality(text, french.end())
        kind = "street address (number, then street type)"
        return Reading(q, end or french.end(), kind + (" with postcode" if end else ""),
                       weak=end is None)
    number = wp.HOUSE_NUMBER_AFTER.match(text, q)
    if number is None or not q:
        return None
    m = wp.NAME_FIRST.search(text, max(0, q - wp.NAME_FIRST_WINDOW), q)
    if m is None:
        return None
    if m.group("compound") and _ENGLISH_COMPOUNDS.fullmatch(m.group("compound")):
        return None  # Brigade 3, Cutie 2: English words that end like Danish or Finnish streets
    end = locality(text, number.end())
    kind = "street address (street, then number)"
    return Reading(m.start(), end or number.end(), kind + (" with postcode" if end else ""),
                   weak=end is None)
