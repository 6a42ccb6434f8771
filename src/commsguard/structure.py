"""E-mail structure: which parts of a message's text the author wrote.

A reply carries other people's words (the quoted message under "-----Original Message-----",
"On … wrote:" or a Lotus Notes "Name / date" header, and "> " lines), forwarded messages,
the header lines that introduce them, and boilerplate of the author's own: a signature block
and a confidentiality footer. :func:`parse` labels the whole text as consecutive typed parts:

* ``own``: the author's words.
* ``quoted`` / ``forwarded``: someone else's message, with its ``sender`` where a header
  names one.
* ``header``: header and attribution lines ("From: … Sent: … To: … Subject:", "On Mon, Jo
  wrote:", "---------- Forwarded message ---------", "To:/Cc:" address lines).
* ``signature``: the author's sign-off: a "-- " delimiter and what follows, or a closing
  ("Regards,", "Thanks,") with the name, title, company, address and phone lines under it, or
  a trailing block of contact lines.
* ``disclaimer``: a confidentiality footer ("This e-mail and any attachments are
  confidential…") at the end of the author's part.

Everything after the first reply or forward boundary belongs to the quoted message; before it,
"> " lines are inline quotes and the author's text resumes after them. Pure and linear: one
pass over the lines, each matched against anchored patterns.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Literal

PartKind = Literal["own", "quoted", "forwarded", "signature", "disclaimer", "header"]

#: Kinds the author did not write (someone else's message, or the lines that introduce it).
NOT_AUTHORS: frozenset[PartKind] = frozenset({"quoted", "forwarded", "header"})


@dataclass(frozen=True, slots=True)
class Part:
    """A run of text of one kind; ``sender`` is who wrote quoted or forwarded text, if known."""

    kind: PartKind
    start: int
    end: int
    sender: str = ""


@dataclass(frozen=True, slots=True)
class Structure:
    """A text's parts, in order, covering it without gaps."""

    parts: tuple[Part, ...]
    starts: tuple[int, ...] = ()

    @property
    def structured(self) -> bool:
        """True when the text quotes, forwards or carries header lines (not just own text)."""
        return any(p.kind in NOT_AUTHORS for p in self.parts)

    def part_of(self, start: int, end: int) -> Part | None:
        """The part holding all of ``[start, end)``, else None (a span across two parts)."""
        i = bisect.bisect_right(self.starts, start) - 1
        if i < 0:
            return None
        part = self.parts[i]
        return part if end <= part.end else None


# -- line patterns ------------------------------------------------------------------------------

_ORIGINAL = re.compile(r"^\s*-{2,}\s*(?:original message|original)\s*-{2,}\s*$", re.I)
_FORWARDED = re.compile(
    r"^\s*(?:-{2,}\s*(?:forwarded message|forwarded by\s+(?P<by>.*?)(?:\s+on\s+.*?)?)\s*-*"
    r"|begin forwarded message:)\s*$",
    re.I,
)
_FIELD = re.compile(r"^\s*(?P<name>from|sent|date|to|cc|bcc|subject|reply-to)\s*:(?P<value>.*)$",
                    re.I)
_WROTE = re.compile(r"^\s*(?:on\b.{0,200},\s*)?(?P<who>[^\n]{1,120}?)\s+(?:wrote|writes):\s*$",
                    re.I)
_ON_START = re.compile(r"^\s*on\s+\S", re.I)
_FORWARD_SUBJECT = re.compile(r"\s*(?:fw|fwd)\s*:", re.I)
_QUOTE = re.compile(r"^[ \t]*>")
_MBOX_FROM = re.compile(r"^>From\b")
_DATE_TIME = (r"\d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*[AP]M")
#: Lotus Notes: "   Hector Campos        02/20/2001 03:07 PM", or the name a line above.
_NOTES_SAME_LINE = re.compile(rf"^\s*(?P<who>\S[^\n]{{1,80}}?)\s{{2,}}{_DATE_TIME}\s*$")
_NOTES_DATE_LINE = re.compile(rf"^\s*{_DATE_TIME}\s*$")
_NOTES_NAME = re.compile(r"^\s*(?P<who>[^\s:][^:\n]{1,80}?)\s*$")
#: More Lotus Notes header lines: "Sent by: …", "Please respond to …", a repeated date.
_NOTES_MORE = re.compile(rf"^\s*(?:sent by:|please respond to\b|{_DATE_TIME}\s*$)", re.I)

_CLOSING = re.compile(
    r"^\s*(?:(?:kind|best|warm|warmest|many|with)\s+)?(?:regards|thanks|thank\s+you|"
    r"thanks\s+again|cheers|sincerely|cordially|best(?:\s+wishes)?|yours(?:\s+(?:truly|"
    r"sincerely|faithfully))?|respectfully|take\s+care|ta|rgds|thx)"
    r"(?:\s+(?:very\s+much|so\s+much|a\s+lot|all|again))?\s*[,.!\-–]*"
    r"(?-i:\s*[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2})?\s*$",
    re.I,
)
_DELIMITER = re.compile(r"^--\s?$")
_CONTACT = re.compile(
    r"(?:\b(?:phone|ph|tel|telephone|mobile|mob|cell|fax|direct|office|wk|hm|email|e-mail|"
    r"web|www)\b\s*[:.]?\s*\S"
    r"|\S+@\S+\.\w"
    r"|\(?\+?\d[\d ().-]{6,}\d"
    r"|^\s*\d+[A-Za-z]?\s+\w+.*\b(?:st|street|rd|road|ave|avenue|blvd|boulevard|dr|drive|ct|"
    r"court|ln|lane|way|pde|parade|hwy|highway|pl|place|tce|terrace)\b"
    r"|\b(?:suite|level|floor|p\.?o\.? box|gpo box)\b"
    r"|(?-i:\b[A-Z]{2,3},?\s+\d{4,5}(?:-\d{4})?\b))",
    re.I,
)
_DISCLAIMER = re.compile(
    r"\b(?:this|the)\s+(?:e-?mail|message|communication|transmission|electronic\s+mail)\b"
    r"[^\n]{0,120}?\b(?:confidential|privileged|intended\s+(?:solely\s+|only\s+)?for)"
    r"|\bintended\s+(?:solely|only|exclusively)\s+for\s+the\s+(?:use\s+of\s+the\s+)?"
    r"(?:addressee|recipient|individual|person|entity|named)"
    r"|\bif\s+you\s+(?:are\s+not|have\s+received\s+this)\b[^\n]{0,80}?"
    r"\b(?:intended\s+recipient|in\s+error)"
    r"|\b(?:unauthori[sz]ed|any)\s+(?:use|review|disclosure|distribution|copying|"
    r"dissemination)\b[^\n]{0,80}?\b(?:prohibited|strictly)"
    r"|\bviews\s+expressed\b[^\n]{0,100}?\bnot\s+necessarily",
    re.I,
)
_BANNER = re.compile(r"^\s*[-=*_~]{5,}\s*$")

#: Lines of a signature block are short; a longer one is a sentence, not a sign-off.
_SIGNATURE_LINE = 80
#: A closing this many non-blank lines from the end at most still starts a signature.
_SIGNATURE_LINES = 10


@dataclass(slots=True)
class _Line:
    start: int
    end: int  # without the line break
    text: str


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        out.append(_Line(pos, pos + len(body), body))
        pos += len(raw)
    return out


def _clean_sender(who: str) -> str:
    who = who.strip().strip('"').strip()
    who = re.sub(r"\s*(?:<[^>]*>|\[mailto:[^\]]*\])\s*$", "", who).strip().strip('"').strip()
    return who or ""


def _header_block_at(lines: list[_Line], i: int) -> bool:
    """A "From:" line with another header field within the next four lines."""
    m = _FIELD.match(lines[i].text)
    if m is None or m["name"].lower() != "from":
        return False
    return any(
        (f := _FIELD.match(line.text)) is not None and f["name"].lower() != "from"
        for line in lines[i + 1 : i + 5]
    )


def _notes_header(lines: list[_Line], i: int) -> tuple[int, str] | None:
    """A Lotus Notes attribution at line ``i``: (first line of it, sender)."""
    if (m := _NOTES_SAME_LINE.match(lines[i].text)) is not None:
        return i, _clean_sender(m["who"])
    if _NOTES_DATE_LINE.match(lines[i].text):
        # The name is on the line above, or (in some exports) the line below.
        for j in (i - 1, i + 1):
            if 0 <= j < len(lines):
                name = _NOTES_NAME.match(lines[j].text)
                if name is not None and len(name["who"].split()) <= 8:
                    return min(i, j), _clean_sender(name["who"])
    return None


def _boundary(lines: list[_Line], i: int) -> tuple[PartKind, str, int] | None:
    """A reply or forward starting at line ``i``: (kind, sender, first header line)."""
    text = lines[i].text
    if _ORIGINAL.match(text):
        return "quoted", "", i
    if (m := _FORWARDED.match(text)) is not None:
        return "forwarded", _clean_sender(m["by"] or ""), i
    if _header_block_at(lines, i):
        f = _FIELD.match(text)
        return "quoted", _clean_sender(f["value"]) if f else "", i
    if (m := _WROTE.match(text)) is not None and (_ON_START.match(text) or "@" in text):
        # "On <date>, Jo <jo@x.com> wrote:"; a bare "As Jo wrote:" quotes only "> " lines.
        return "quoted", _clean_sender(m["who"]), i
    if (notes := _notes_header(lines, i)) is not None:
        return "quoted", notes[1], notes[0]
    f = _FIELD.match(text)
    if f is not None and f["name"].lower() == "subject" and (
        "\t" in text or _FORWARD_SUBJECT.match(f["value"])
    ):
        return "forwarded", "", i
    return None


def _wrapped_wrote(lines: list[_Line], i: int) -> str | None:
    """"On Mon, 3 Jun 2024 at 10:02, Jo Bloggs <jo@x.com>" + next line "wrote:"."""
    if i + 1 < len(lines) and _ON_START.match(lines[i].text):
        nxt = lines[i + 1].text.strip().lower()
        if nxt in ("wrote:", "writes:") or (len(nxt) < 60 and nxt.endswith(" wrote:")):
            joined = f"{lines[i].text} {lines[i + 1].text.strip()}"
            if (m := _WROTE.match(joined)) is not None:
                return _clean_sender(m["who"])
    return None


def parse(text: str) -> Structure:
    """The typed parts of ``text`` (see the module docstring)."""
    lines = _lines(text)
    n = len(lines)
    kinds: list[PartKind] = ["own"] * n
    senders = [""] * n
    boundary = n  # first line of the quoted or forwarded remainder
    inline_sender = ""
    i = _own_header(lines, kinds)
    while i < n:
        line = lines[i].text
        mbox = _MBOX_FROM.match(line) and not (i > 0 and kinds[i - 1] == "quoted")
        if _QUOTE.match(line) and not mbox:
            kinds[i], senders[i] = "quoted", inline_sender
            i += 1
            continue
        wrapped = _wrapped_wrote(lines, i)
        if wrapped is not None and _next_is_quote(lines, i + 2):
            kinds[i] = kinds[i + 1] = "header"
            inline_sender = wrapped
            i += 2
            continue
        if (m := _WROTE.match(line)) is not None and _next_is_quote(lines, i + 1):
            kinds[i], inline_sender = "header", _clean_sender(m["who"])
            i += 1
            continue
        found = _boundary(lines, i)
        if found is None and wrapped is not None:
            found = ("quoted", wrapped, i)
        if found is not None:
            boundary = found[2]
            _remainder(lines, kinds, senders, found)
            break
        i += 1
    tail = _disclaimer(lines, kinds, boundary)
    _signature(lines, kinds, tail)
    parts = _parts(text, lines, kinds, senders)
    return Structure(parts, tuple(p.start for p in parts))


def _next_is_quote(lines: list[_Line], i: int) -> bool:
    while i < len(lines) and not lines[i].text.strip():
        i += 1
    return i < len(lines) and _QUOTE.match(lines[i].text) is not None


def _remainder(
    lines: list[_Line], kinds: list[PartKind], senders: list[str],
    found: tuple[PartKind, str, int],
) -> None:
    """Label everything from the boundary on: header lines, and the quoted or forwarded text."""
    kind, sender, first = found
    in_header = True
    for i in range(first, len(lines)):
        line = lines[i].text
        nested = _boundary(lines, i) if i > first else None
        if nested is not None:
            kind = "forwarded" if nested[0] == "forwarded" else kind
            sender = nested[1] or sender
            for j in range(nested[2], i + 1):
                kinds[j], senders[j] = "header", sender
            in_header = True
            continue
        field = _FIELD.match(line)
        if field is not None and field["name"].lower() == "from":
            sender = _clean_sender(field["value"]) or sender
        if i == first or (
            in_header and (field is not None or not line.strip() or _NOTES_MORE.match(line))
        ):
            kinds[i], senders[i] = "header", sender
        else:
            in_header = False
            kinds[i], senders[i] = kind, sender


def _own_header(lines: list[_Line], kinds: list[PartKind]) -> int:
    """Header fields at the very top ("From: … To: … Subject: …") head the message itself
    unless its subject says it is forwarded; returns the first line after them."""
    i = 0
    while i < len(lines) and (f := _FIELD.match(lines[i].text)) is not None:
        if f["name"].lower() == "subject" and _FORWARD_SUBJECT.match(f["value"]):
            return 0
        i += 1
    if i < 2:
        return 0
    for j in range(i):
        kinds[j] = "header"
    return i


def _paragraphs(lines: list[_Line], kinds: list[PartKind], end: int) -> list[tuple[int, int]]:
    """(first, last+1) line ranges of the own paragraphs before line ``end``."""
    out: list[tuple[int, int]] = []
    start: int | None = None
    for i in range(end):
        if kinds[i] == "own" and lines[i].text.strip():
            if start is None:
                start = i
        elif start is not None:
            out.append((start, i))
            start = None
    if start is not None:
        out.append((start, end))
    return out


def _disclaimer(lines: list[_Line], kinds: list[PartKind], boundary: int) -> int:
    """Mark trailing confidentiality footers of the author's part; return where they begin."""
    tail = boundary
    for first, last in reversed(_paragraphs(lines, kinds, boundary)):
        block = "\n".join(lines[j].text for j in range(first, last))
        banner = all(_BANNER.match(lines[j].text) for j in range(first, last))
        if not banner and not _DISCLAIMER.search(block):
            break
        for j in range(first, last):
            kinds[j] = "disclaimer"
        tail = first
    return tail


def _signature(lines: list[_Line], kinds: list[PartKind], tail: int) -> None:
    """Mark the author's sign-off, which ends at line ``tail``."""
    own = [i for i in range(tail) if kinds[i] == "own" and lines[i].text.strip()]
    if len(own) < 2:
        return
    start: int | None = None
    for i in reversed(own[1:]):
        if _DELIMITER.match(lines[i].text):
            start = i
            break
    if start is None:
        for k, i in enumerate(reversed(own[1:])):
            if k > _SIGNATURE_LINES or len(lines[i].text.strip()) > _SIGNATURE_LINE:
                break
            if _CLOSING.match(lines[i].text) and _signs_off(lines, own, i):
                start = i
                break
    if start is None:
        start = _contact_block(lines, kinds, own)
    if start is None:
        return
    for j in range(start, tail):
        if kinds[j] == "own":
            kinds[j] = "signature"


def _signs_off(lines: list[_Line], own: list[int], closing: int) -> bool:
    """A closing starts a sign-off when a name (or nothing) follows it, not more message."""
    after = [i for i in own if i > closing]
    if not after:
        return True
    first = lines[after[0]].text.strip()
    return len(first) <= 40 and len(first.split()) <= 5 and not first.endswith(("?", ":"))


def _contact_block(lines: list[_Line], kinds: list[PartKind], own: list[int]) -> int | None:
    """A last paragraph of short contact lines (name, company, address, phone, e-mail)."""
    last = own[-1]
    first = last
    while first - 1 >= 0 and kinds[first - 1] == "own" and lines[first - 1].text.strip():
        first -= 1
    block = range(first, last + 1)
    if first == own[0] or len(block) > _SIGNATURE_LINES:
        return None
    if any(len(lines[j].text.strip()) > _SIGNATURE_LINE for j in block):
        return None
    before = max(i for i in own if i < first)
    if lines[before].text.rstrip().endswith(":"):
        return None  # "My details:" introduces what follows; it is the message, not a sign-off
    contacts = sum(1 for j in block if _CONTACT.search(lines[j].text))
    return first if contacts >= 2 else None


def _parts(
    text: str, lines: list[_Line], kinds: list[PartKind], senders: list[str]
) -> tuple[Part, ...]:
    """Merge line labels into parts; a blank line joins the part before it."""
    parts: list[Part] = []
    for i, line in enumerate(lines):
        kind, sender = kinds[i], senders[i]
        if not line.text.strip() and parts:
            kind, sender = parts[-1].kind, parts[-1].sender
        end = lines[i + 1].start if i + 1 < len(lines) else len(text)
        if parts and (parts[-1].kind, parts[-1].sender) == (kind, sender):
            parts[-1] = Part(kind, parts[-1].start, end, sender)
        else:
            parts.append(Part(kind, line.start, end, sender))
    if not parts:
        parts.append(Part("own", 0, len(text)))
    return tuple(parts)
