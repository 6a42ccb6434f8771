"""The patterns of the personal-information detector, and the shared digit-cluster scan.

Kept apart from :mod:`.pii` so the detector reads as logic and this file as data. Every pattern
is made of bounded or non-overlapping pieces, and look-around windows are fixed in size, so the
work is linear in the length of the text.
"""

from __future__ import annotations

import functools
import re

from commsguard import text

# -- patterns -----------------------------------------------------------------------------------
# A number must stand alone: not glued to a word, a currency sign, a "+", or another number by
# a decimal point, slash, colon or dash (versions, prices, times, dates, ranges), nor be one
# group of a longer spaced-out number.
LB = r"(?<![\w$£€+@])(?<!\d[.,/:-])(?<!\d[ -])"
RB = r"(?!\w)(?![.,/:-]\d)(?![ -]\d)"
#: A cluster: digit runs joined by single spaces or dashes ("0412 345 678", "123-456-782").
CLUSTER = re.compile(r"\d+(?:[ -]\d+)*")
DIGIT_RUN = re.compile(r"\d+")
TFN = re.compile(rf"{LB}\d{{3}}[ -]?\d{{3}}[ -]?\d{{2,3}}{RB}")
ACN = re.compile(rf"{LB}\d{{3}}[ -]?\d{{3}}[ -]?\d{{3}}{RB}")
MEDICARE = re.compile(rf"{LB}[2-6]\d{{3}}[ -]?\d{{5}}[ -]?\d(?:[ /-]?\d)?{RB}")
ABN = re.compile(rf"{LB}\d{{2}}[ -]?\d{{3}}[ -]?\d{{3}}[ -]?\d{{3}}{RB}")
CARD = re.compile(rf"{LB}\d(?:[ -]?\d){{12,18}}{RB}")

PHONE = re.compile(
    r"(?<![\w$£€+@])(?<!\d[.,/:-])"
    r"(?:\+\s?\d{1,3}[ .-]?(?:\((?:0|\d{1,4})\)[ .-]?)?|\(\d{1,5}\)[ .-]?)?"
    r"\d+(?:[ .-]\d+){0,5}"
    r"(?!\w)(?![.,/:-]\d)"
)
DIAL = re.compile(r"(?i:\b(?:call|dial|ring|phone|ph)\b)\W{0,3}\Z")

LOCAL = re.compile(r"(?<![A-Za-z0-9._%+'-])[A-Za-z0-9._%+'-]{1,64}\Z")
DOMAIN = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])"
)

STATES = (
    r"(?:VIC|Vic|NSW|QLD|Qld|SA|WA|TAS|Tas|NT|ACT|Victoria|New South Wales|Queensland"
    r"|South Australia|Western Australia|Tasmania|Northern Territory)"
)
STREET_TYPES = (
    "Street|St|Road|Rd|Avenue|Ave|Crescent|Cres|Court|Ct|Parade|Pde|Highway|Hwy|Lane|Ln"
    "|Place|Pl|Drive|Dr|Boulevard|Boulevarde|Blvd|Bvd|Terrace|Tce|Way|Grove|Gr|Gve|Close|Cl"
    "|Circuit|Cct|Esplanade|Esp|Square|Sq|Mews|Rise|Walk|Parkway|Pkwy|Freeway|Fwy|Alley|Arcade"
    "|Bend|Chase|Loop|Row|Vista|Gardens|Gdns|Heights|Hts|Mall|Promenade|Quay|Ridge|Track"
    "|Trail|Circle|Glade|Grange|Link|Outlook|Retreat"
)
ADDRESS_BEFORE = re.compile(
    r"(?i:\b(?:unit|apt|apartment|flat|suite|shop|level|lvl)\s?(?:\d{1,4}[A-Za-z]?\s{0,2}[,/]?\s{0,2})?"
    r"|\b(?:P\.?\s?O\.?\s?Box|GPO\s?Box|Locked\s+Bag|Post\s+Office\s+Box)\s{0,2})\Z"
)
#: A capitalised word of a street name, in any Latin script ("Élysée", "Ørsted"), or an
#: ordinal ("5th Avenue", "W 34th St").
WORD = (
    "(?:[A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
    + r"](?:[^\W\d_]|['’-])*|\d{1,3}(?:st|nd|rd|th))"
)
#: The only words of a street name that may end in a full stop ("12 St. Kilda Rd"): any other
#: full stop ends a sentence, so "closes 12 May. Great place to work" is not an address.
NAME_ABBREVIATIONS = r"St|Mt|Ste|Pt|Nth|Sth|Upr|Lwr|Gt|Lt"
#: A day of the month then a month name then more capitalised words: a date, not a street
#: number ("on 3 March Beach Road trip"), unless the month word is the street's whole name.
DATE_NOT_STREET = re.compile(
    r"(?:[1-9]|[12]\d|3[01])\s{1,3}(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may"
    r"|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b"
    rf"(?!\s{{1,3}}(?i:{STREET_TYPES})\b)"
)
SUBURB = rf"(?!{STATES}\b){WORD}(?:\s(?!{STATES}\b){WORD}){{0,2}}"
ADDRESS = re.compile(
    r"(?<![\w$/.-])(?:"
    r"(?P<street>(?:(?i:unit|apt|apartment|flat|suite|shop|level|lvl)\s?\d{1,4}[A-Za-z]?"
    r"\s{0,2}[,/]?\s{0,2})?"
    r"\d{1,5}[A-Za-z]?(?:\s?[/-]\s?\d{1,5}[A-Za-z]?)?\s{1,3}"
    rf"(?:(?:{NAME_ABBREVIATIONS})\.\s{{1,3}}|{WORD}\s{{1,3}}){{1,3}}(?i:{STREET_TYPES})\b\.?)"
    r"|(?P<box>(?i:P\.?\s?O\.?\s?Box|GPO\s?Box|Locked\s+Bag|Post\s+Office\s+Box)\s{0,2}\d{1,6})"
    r")(?:"
    rf"(?:,?\s{{1,3}}{SUBURB})?,?\s{{1,3}}(?P<state>{STATES})\b(?:,?\s{{1,3}}(?P<pc>\d{{4}})(?!\w))?"
    rf"|(?:,?\s{{1,3}}{SUBURB})?,?\s{{1,3}}(?P<pc2>\d{{4}})(?!\w)"
    r")?"
)

MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
DATE = re.compile(
    r"(?<![\w/.:-])(?:"
    r"(?P<ad>\d{1,2})(?P<s1>[/.-])(?P<am>\d{1,2})(?P=s1)(?P<ay>\d{4}|\d{2})"
    r"|(?P<by>(?:19|20)\d{2})(?P<s2>[/.-])(?P<bm>\d{1,2})(?P=s2)(?P<bd>\d{1,2})"
    rf"|(?P<cd>\d{{1,2}})(?:st|nd|rd|th)?(?:\s{{1,3}}of)?\s{{1,3}}(?P<cm>{MONTH})\b\.?"
    r"(?:,?\s{1,3}(?P<cy>\d{4}))?"
    rf"|(?P<dm>{MONTH})\b\.?\s{{1,3}}(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s{{1,3}}(?P<dy>\d{{4}}))?"
    r")(?![\w/]|[.:-]\d)",
    re.IGNORECASE,
)
BIRTH = re.compile(
    r"\b(?:born|birth|birthday|birthdate|b[-']?day|dob|d\.o\.b)\b|date of birth", re.IGNORECASE
)
#: Cheap tests run on the lower-cased text before the full date pattern.
MONTH_AFTER = re.compile(
    r"(?:st|nd|rd|th)?,?\s{1,3}(?:of\s{1,3})?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
)
STREET_HINT = re.compile(
    r"[A-Za-z]?(?:\s?[/-]\s?\d{1,5}[A-Za-z]?)?\s{1,3}(?:[A-Z\u00c0-\u024f]|\d{1,3}(?:st|nd|rd|th)\b)"
)
NOT_A_DAY = re.compile(r"\s{0,3}(?:years?|yrs?|days?|weeks?|months?|hours?|mins?|times|%)\b",
                        re.IGNORECASE)

OWN_NUMBER = text.OWN_NUMBER
LICENCE_WORD = re.compile(r"(?i:\blicen[cs]e\b)|\bD/?L\b")
LICENCE_NO = re.compile(rf"{LB}(?:\d{{6,10}}|[A-Z]{{1,2}}\d{{5,8}}){RB}")
PASSPORT = re.compile(rf"{LB}[A-Z]{{1,2}}\d{{7}}{RB}")
PASSPORT_WORD = re.compile(r"(?i:passport|travel document)")
BSB = re.compile(
    r"(?i:\bBSB\b)[\s:#.-]{0,3}(?P<b1>\d{3}[- ]?\d{3})(?!\w)(?![.,/:-]\d)"
    r"|(?<![\w$£€+@])(?<!\d[.,/:-])(?P<b2>\d{3}-\d{3})(?![\w-])(?![.,/:]\d)"
)
#: After a BSB: an optional "acc no" label, then the account number.
ACCOUNT_AFTER = re.compile(
    r"[\s,;:#/-]{0,4}(?:(?i:acc(?:oun)?t?|a/c)\.?(?:\s{0,2}(?i:no|number|num|#)\.?)?"
    r"[\s:#.-]{0,3})?\d(?:[ -]?\d){5,9}(?!\w)(?![ .,/:-]?\d)"
)
BSB_BEFORE = re.compile(r"(?i:\bBSB\b)[\s:#.-]{0,3}\Z")
BANK_WORD = re.compile(r"(?i:\b(?:bsb|acc|acct|account|a/c|bank|banking)\b)")

#: (start, end, number of digits) of each cluster in a text.
Clusters = tuple[tuple[int, int, int], ...]


def _scan_text(text: str) -> Clusters:
    out = []
    for m in CLUSTER.finditer(text):
        g = m.group()
        out.append((m.start(), m.end(), len(g) - g.count(" ") - g.count("-")))
    return tuple(out)


_scan_cached = functools.lru_cache(maxsize=2048)(_scan_text)


_last_long: list[tuple[str, Clusters]] = []


def scan(text: str) -> Clusters:
    """The text's digit clusters, found once per text and shared by every PII rule.

    The engine runs each rule over a batch in turn, so the twelve PII rules see the same text
    twelve times: one regex pass serves them all. Short texts are memoised in a bounded, pure
    cache; for long ones only the last text is kept (compared by identity), so memory stays small.
    """
    if len(text) <= 8192:
        return _scan_cached(text)
    last = _last_long[0] if _last_long else None
    if last is not None and last[0] is text:
        return last[1]
    clusters = _scan_text(text)
    _last_long[:] = [(text, clusters)]
    return clusters
