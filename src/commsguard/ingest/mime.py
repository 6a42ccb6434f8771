"""MIME to text: the part of every email reader that turns RFC 822 bytes into a Message.

Handles multipart trees, quoted-printable and base64, any charset Python knows plus the aliases
mail clients really use (``ks_c_5601-1987`` is CP949, ``Shift_JIS`` is in practice CP932), RFC 2047
and RFC 2231 encoded names, and HTML reduced to text with the standard library's parser.

A part that cannot be decoded cleanly is still read, with replacement characters, and is also
reported as a :class:`Quarantined` item naming the part, so a reviewer knows the text is damaged.
"""

from __future__ import annotations

import codecs
import email.header
import email.message
import email.utils
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from html.parser import HTMLParser

from commsguard.ingest._common import derived_id, quarantine, utc
from commsguard.ingest.base import Item
from commsguard.models import Attachment, Message, Source

# Labels seen in real mail that Python does not know, or knows as a narrower charset.
_CHARSET_ALIASES = {
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "ks_c_5601-1989": "cp949",
    "euc-kr": "cp949",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "iso-2022-jp": "iso2022_jp_2",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "big5": "big5hkscs",
    # WHATWG practice: Latin-1 labels mean windows-1252 (curly quotes in the 0x80-0x9F range).
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "unicode-1-1-utf-7": "utf-7",
}

# Labels that say nothing useful: an 8-bit body under them is guessed, not reported.
_UNSPECIFIED = {"", "us-ascii", "ascii", "unknown-8bit", "x-unknown", "default", "none", "null"}


def python_codec(charset: str | None) -> str | None:
    """The Python codec for a MIME charset label, or None if there is none."""
    label = (charset or "").strip().strip("\"'").lower()
    if label in _UNSPECIFIED:
        return None
    label = _CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_bytes(data: bytes, charset: str | None) -> tuple[str, str | None]:
    """Decode ``data`` declared as ``charset``; return the text and a problem, if any.

    An unspecified charset is guessed (UTF-8, then windows-1252) without complaint, because
    that is what the senders meant. A declared charset that fails is a problem.
    """
    codec = python_codec(charset)
    label = (charset or "").strip() or "none"
    if codec is not None:
        try:
            return data.decode(codec), None
        except UnicodeDecodeError as exc:
            for fallback in ("utf-8", "cp1252"):
                try:
                    text = data.decode(fallback)
                except UnicodeDecodeError:
                    continue
                return text, f"not valid {label} at byte {exc.start}; decoded as {fallback}"
            return (
                data.decode(codec, errors="replace"),
                f"not valid {label} at byte {exc.start}; decoded with replacement characters",
            )
    if charset and (charset.strip().lower() not in _UNSPECIFIED):
        problem: str | None = f"unknown charset {label!r}; decoded as UTF-8/windows-1252"
    else:
        problem = None
    try:
        return data.decode("utf-8"), problem
    except UnicodeDecodeError:
        # windows-1252 leaves five bytes undefined; latin-1 maps every byte, so it never fails.
        try:
            return data.decode("cp1252"), problem
        except UnicodeDecodeError:
            return data.decode("latin-1"), problem


def _raw_header_bytes(value: str) -> bytes:
    # The compat32 parser keeps undecodable 8-bit header bytes as surrogate escapes.
    return value.encode("ascii", "surrogateescape")


def decode_header_value(value: object) -> str:
    """A header as text: RFC 2047 words decoded, raw 8-bit bytes guessed (UTF-8, then 1252)."""
    if value is None:
        return ""
    text = str(value)
    try:
        # A Header object (8-bit bytes the parser could not decode) is decoded from its chunks.
        header = value if isinstance(value, email.header.Header) else text
        parts = email.header.decode_header(header)
    except (ValueError, LookupError, AssertionError, TypeError):
        parts = [(text, None)]
    out: list[str] = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            raw = _raw_header_bytes(chunk) if _has_surrogates(chunk) else None
            out.append(decode_bytes(raw, None)[0] if raw is not None else chunk)
        else:
            out.append(decode_bytes(chunk, charset)[0])
    joined = "".join(out)
    return re.sub(r"\s*\r?\n\s+", " ", joined).strip()


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


class _HTMLText(HTMLParser):
    """Collects the visible text of an HTML document, with line breaks at block elements."""

    _SKIP = {"script", "style", "head", "title", "template", "noscript"}
    _BLOCK = {
        "p", "div", "br", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "pre", "hr", "ul", "ol", "section", "article", "header", "footer",
    }  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.pre = 0

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" or tag in self._BLOCK:
            self.parts.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self._BLOCK:
            self.pre += tag == "pre"
            self.parts.append("\n")
        elif tag == "at":
            # Teams mentions: <at id="0">Name</at> reads as @Name.
            self.parts.append("@")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._BLOCK:
            self.pre -= tag == "pre" and self.pre > 0
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            # Line breaks in HTML source are spaces, except inside <pre>.
            self.parts.append(data if self.pre else re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """Visible text of ``html``: tags dropped, entities decoded, whitespace tidied."""
    parser = _HTMLText()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):
        # html.parser is tolerant; this guards against its rare internal errors on junk.
        pass
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@dataclass
class _Extract:
    texts: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)


def _filename(part: email.message.Message) -> str:
    """The part's file name, RFC 2231 and RFC 2047 decoded, in the charset it declares."""
    for where, key in (("content-disposition", "filename"), ("content-type", "name")):
        param = part.get_param(key, header=where)
        if param is None:
            continue
        if isinstance(param, tuple):
            # RFC 2231: (charset, language, percent-decoded value as latin-1 code points).
            charset, _lang, value = param
            raw = value.encode("latin-1", "replace")
            return decode_bytes(raw, charset)[0] if charset else decode_bytes(raw, None)[0]
        return decode_header_value(email.utils.unquote(param))
    return ""


def _payload(part: email.message.Message) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _walk(part: email.message.Message, out: _Extract, where: str, depth: int = 0) -> None:
    ctype = part.get_content_type()
    if depth > 50:
        out.problems.append((where, "MIME nesting deeper than 50 levels; the rest is skipped"))
        return
    if ctype == "message/rfc822":
        inner = part.get_payload()
        name = _filename(part) or "message.eml"
        out.attachments.append(Attachment(name, ctype, None))
        if isinstance(inner, list) and inner and isinstance(inner[0], email.message.Message):
            # Forwarded mail is content the sender chose to pass on: its text is checked too.
            msg = inner[0]
            sub = _Extract()
            _walk(msg, sub, f"{where}.1", depth + 1)
            head = decode_header_value(msg.get("subject"))
            out.texts.append(f"---------- Forwarded message: {head} ----------")
            out.texts.extend(sub.texts)
            out.attachments.extend(sub.attachments)
            out.problems.extend(sub.problems)
        return
    if part.is_multipart():
        payload = part.get_payload()
        if not isinstance(payload, list):
            return
        children = [c for c in payload if isinstance(c, email.message.Message)]
        if ctype == "multipart/alternative":
            # One rendering is enough: the plain one if there is one, else the last (richest).
            plain = [c for c in children if c.get_content_type() == "text/plain"]
            chosen = plain[0] if plain else (children[-1] if children else None)
            for i, child in enumerate(children, 1):
                if child is chosen or _is_attachment(child):
                    _walk(child, out, f"{where}.{i}", depth + 1)
            return
        for i, child in enumerate(children, 1):
            _walk(child, out, f"{where}.{i}", depth + 1)
        return
    data = _payload(part)
    name = _filename(part)
    if _is_attachment(part) or not ctype.startswith("text/"):
        out.attachments.append(Attachment(name or "(unnamed)", ctype, len(data)))
        return
    if name:
        # An inline text file: listed as an attachment, and its text is checked with the body.
        out.attachments.append(Attachment(name, ctype, len(data)))
    text, problem = decode_bytes(data, part.get_content_charset())
    if problem:
        out.problems.append((where, f"part {where} ({ctype}): {problem}"))
    if ctype == "text/html" or (ctype == "text/plain" and _looks_like_html(text)):
        text = html_to_text(text)
    text = text.replace("\r\n", "\n").strip()
    if text:
        out.texts.append(text)


def _looks_like_html(text: str) -> bool:
    # Some senders label HTML as text/plain (the corpus has one from Gmail).
    start = text.lstrip()[:200].lower()
    return start.startswith(("<html", "<!doctype html", "<div", "<p>", "<body", "<table"))


def _is_attachment(part: email.message.Message) -> bool:
    disposition = (part.get("content-disposition") or "").split(";")[0].strip().lower()
    return disposition == "attachment"


def _author(msg: email.message.Message) -> str:
    raw = msg.get("from") or msg.get("sender") or ""
    text = decode_header_value(raw)
    name, addr = email.utils.parseaddr(text)
    if name and addr:
        return f"{name} <{addr}>"
    return addr or name or text


def _thread(msg: email.message.Message) -> str | None:
    # The conversation's first message: the first References id, else the In-Reply-To id.
    for header in ("references", "in-reply-to"):
        ids = re.findall(r"<([^<>\s]+)>", decode_header_value(msg.get(header)))
        if ids:
            return str(ids[0])
    return None


def strip_envelope(raw: bytes) -> bytes:
    """Drop leading blank lines and an mbox ``From `` envelope line before the headers."""
    start = 0
    while True:
        end = raw.find(b"\n", start)
        line = raw[start : end if end >= 0 else len(raw)]
        if end >= 0 and not line.strip():
            start = end + 1
            continue
        if line.startswith(b"From ") and end >= 0:
            start = end + 1
        return raw[start:]


def parse_email(raw: bytes, src: Source, *, channel: str = "email") -> Iterator[Item]:
    """Turn one RFC 822 message into a Message, plus a Quarantined per damaged part."""
    raw = strip_envelope(raw)
    if not raw.strip():
        yield quarantine(src.path, src.position, "empty message")
        return
    try:
        msg = BytesParser(policy=policy.compat32).parsebytes(raw)
        out = _Extract()
        _walk(msg, out, "1")
        subject = decode_header_value(msg.get("subject"))
        body = "\n\n".join(out.texts)
        # The subject is part of what the sender wrote, so it is checked with the body.
        text = f"{subject}\n\n{body}" if subject and body else subject or body
        date = msg.get("date")
        when = None
        if date:
            try:
                when = utc(email.utils.parsedate_to_datetime(decode_header_value(date)))
            except (TypeError, ValueError, IndexError, OverflowError):
                when = None
        ids = re.findall(r"<([^<>\s]+)>", decode_header_value(msg.get("message-id")))
        message = Message(
            id=ids[0] if ids else derived_id(src),
            text=text,
            author=_author(msg),
            channel=channel,
            time=when,
            thread=_thread(msg),
            source=src,
            attachments=tuple(out.attachments),
        )
    except Exception as exc:  # noqa: BLE001 - the email package raises many kinds on junk
        yield quarantine(src.path, src.position, f"unreadable message: {exc!r}", raw)
        return
    if not headers_present(msg):
        yield quarantine(src.path, src.position, "no RFC 822 headers found", raw)
        return
    yield message
    for where, reason in out.problems:
        yield quarantine(src.path, f"{src.position} part {where}".strip(), reason)


def headers_present(msg: email.message.Message) -> bool:
    return any(msg.get(h) for h in ("from", "date", "subject", "message-id", "to", "received"))
