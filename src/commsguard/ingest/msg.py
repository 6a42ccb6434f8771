"""Outlook ``.msg`` files (CFB/OLE2 compound files), read with the ``extract-msg`` package.

Older Outlook writes string properties in the sender's ANSI code page (``001E`` streams) and
often omits ``PR_MESSAGE_CODEPAGE``. extract-msg then guesses a Western code page and a
Japanese subject comes out as mojibake. We derive the ANSI code page from
``PR_INTERNET_CPID`` instead (ISO-2022-JP mail was written by a Japanese Outlook, so CP932),
and reopen the file with that encoding.

An embedded message (a .msg attached to a .msg) is listed as an attachment and its text is
checked with the outer message's, as a forwarded email's is.
"""

from __future__ import annotations

import email.utils
import mimetypes
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import extract_msg
import olefile

from commsguard.ingest._common import (
    DEFAULT_LIMITS,
    Limits,
    derived_id,
    head,
    quarantine,
    source,
    utc,
)
from commsguard.ingest.base import Item, Reader
from commsguard.ingest.mime import html_to_text
from commsguard.models import Attachment, Message

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Internet code page (PR_INTERNET_CPID) -> the Windows ANSI code page the strings are in.
_ANSI_FOR_INTERNET_CPID = {
    50220: "cp932", 50221: "cp932", 50222: "cp932", 51932: "cp932", 20932: "cp932",
    932: "cp932", 949: "cp949", 51949: "cp949", 50225: "cp949", 936: "gb18030",
    54936: "gb18030", 52936: "gb18030", 20936: "gb18030", 950: "cp950",
    20866: "cp1251", 21866: "cp1251", 28595: "cp1251", 1251: "cp1251",
    28597: "cp1253", 1253: "cp1253", 28599: "cp1254", 1254: "cp1254",
    28598: "cp1255", 1255: "cp1255", 28596: "cp1256", 1256: "cp1256",
    28592: "cp1250", 1250: "cp1250", 874: "cp874", 1258: "cp1258",
}  # fmt: skip

# Property tags, as extract-msg names them: type 0003 = int, 0040 = time.
_CODEPAGE = "3FFD0003"
_INTERNET_CPID = "3FDE0003"
_TIMES = ("00390040", "0E060040", "30070040")  # submitted, delivered, created


def _prop(msg: Any, tag: str) -> Any:
    try:
        prop = msg.props.get(tag)
        return getattr(prop, "value", None)
    except Exception:  # noqa: BLE001 - extract-msg raises its own kinds on odd properties
        return None


def _ansi_encoding(msg: Any) -> str | None:
    """The encoding of a non-Unicode .msg's strings, if its properties say enough."""
    if getattr(msg, "areStringsUnicode", True):
        return None
    codepage = _prop(msg, _CODEPAGE)
    if isinstance(codepage, int) and codepage not in (0, 1200, 65001):
        return f"cp{codepage}"
    cpid = _prop(msg, _INTERNET_CPID)
    return _ANSI_FOR_INTERNET_CPID.get(cpid) if isinstance(cpid, int) else None


def _safe(fn: Any, default: Any = None) -> Any:
    try:
        return fn()
    except Exception:  # noqa: BLE001 - one bad property must not lose the whole message
        return default


def _body(msg: Any) -> str:
    text = _safe(lambda: msg.body)
    if isinstance(text, str) and text.strip():
        return text.replace("\r\n", "\n").strip()
    html = _safe(lambda: msg.htmlBody)
    if isinstance(html, bytes):
        return html_to_text(html.decode("utf-8", "replace"))
    return ""


class MsgReader(Reader):
    name: ClassVar[str] = "msg"
    description: ClassVar[str] = "Outlook .msg message (CFB/OLE2), via extract-msg"
    channel: ClassVar[str] = "email"

    def __init__(self, *, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits

    @classmethod
    def sniff(cls, path: Path) -> bool:
        return path.is_file() and path.suffix.lower() == ".msg" and head(path, 8) == _OLE_MAGIC

    def read(self, path: Path) -> Iterator[Item]:
        try:
            size = path.stat().st_size
        except OSError as exc:
            yield quarantine(path, "", f"cannot read file: {exc.strerror or exc}")
            return
        if size > self.limits.max_message_bytes:
            yield quarantine(path, "", f"message is {size} bytes, over the size limit")
            return
        lie = _oversized_stream(path, size)
        if lie:
            yield quarantine(path, "", lie)
            return
        try:
            msg = extract_msg.openMsg(str(path), delayAttachments=False)
        except Exception as exc:  # noqa: BLE001 - olefile/extract-msg raise many kinds
            yield quarantine(path, "", f"not a readable .msg: {exc!r}")
            return
        try:
            encoding = _ansi_encoding(msg)
            if encoding:
                msg.close()
                msg = extract_msg.openMsg(str(path), overrideEncoding=encoding)
            yield self._message(path, msg)
        except Exception as exc:  # noqa: BLE001 - see above
            yield quarantine(path, "", f"unreadable .msg content: {exc!r}")
        finally:
            _safe(msg.close)

    def _message(self, path: Path, msg: Any) -> Message:
        src = source(path)
        texts, attachments = self._content(msg, depth=0)
        ids = re.findall(r"<([^<>\s]+)>", str(_safe(lambda: msg.messageId) or ""))
        reply = re.findall(r"<([^<>\s]+)>", str(_safe(lambda: msg.inReplyTo) or ""))
        return Message(
            id=ids[0] if ids else derived_id(src),
            text="\n\n".join(t for t in texts if t),
            author=_sender(msg),
            channel=self.channel,
            time=_time(msg),
            thread=reply[0] if reply else None,
            source=src,
            attachments=tuple(attachments),
        )

    def _content(self, msg: Any, depth: int) -> tuple[list[str], list[Attachment]]:
        subject = str(_safe(lambda: msg.subject) or "")
        texts = [subject, _body(msg)]
        attachments: list[Attachment] = []
        for att in _safe(lambda: msg.attachments, []) or []:
            data = _safe(lambda a=att: a.data)
            name = str(_safe(lambda a=att: a.getFilename()) or "(unnamed)")
            if isinstance(data, bytes):
                ctype = str(_safe(lambda a=att: a.mimetype) or "")
                ctype = ctype or mimetypes.guess_type(name)[0] or ""
                attachments.append(Attachment(name, ctype, len(data)))
            elif data is not None and depth < 5:
                attachments.append(Attachment(name, "application/vnd.ms-outlook", None))
                inner_texts, inner_atts = self._content(data, depth + 1)
                texts.append(f"---------- Attached message: {inner_texts[0]} ----------")
                texts.extend(inner_texts[1:])
                attachments.extend(inner_atts)
        return texts, attachments


def _oversized_stream(path: Path, size: int) -> str | None:
    """Why the file cannot be read whole, if a stream declares more bytes than the file holds.

    A compound file's directory states each stream's size; a stream cannot be larger than the
    file it is in. One that says so (the probe's declared 2–4 GB) is a forged or truncated
    file: extract-msg would give up on that stream quietly and store an empty message.
    """
    try:
        ole = olefile.OleFileIO(str(path))
    except Exception:  # noqa: BLE001 - not a compound file: extract-msg will say so
        return None
    try:
        for entry in ole.direntries:
            if entry is not None and entry.entry_type == olefile.STGTY_STREAM \
                    and entry.size > size:
                return (
                    f"stream {entry.name} declares {entry.size} bytes "
                    f"({entry.size / 2**30:.1f} GiB), more than the whole file's {size}: "
                    "forged or truncated"
                )
        return None
    finally:
        ole.close()


def _sender(msg: Any) -> str:
    sender = _safe(lambda: msg.sender)
    if sender:
        return str(sender)
    for stream in ("__substg1.0_0C1A", "__substg1.0_0042"):  # sender, sent-representing name
        name = _safe(lambda s=stream: msg.getStringStream(s))
        if name:
            return str(name)
    header = _safe(lambda: msg.header)
    raw = header.get("From") if header is not None else None
    if raw:
        name, addr = email.utils.parseaddr(str(raw))
        return f"{name} <{addr}>" if name and addr else addr or name
    return ""


def _time(msg: Any) -> datetime | None:
    for getter in (lambda: msg.date, lambda: msg.receivedTime):
        value = _safe(getter)
        if isinstance(value, datetime):
            return utc(value)
    for tag in _TIMES:
        value = _prop(msg, tag)
        if isinstance(value, datetime):
            return utc(value)
    return None
