"""Android "SMS Backup & Restore" XML: ``<smses>`` holding ``<sms>`` and ``<mms>`` records.

Streamed with ``iterparse``; each record is cleared once read, so a backup of any size runs in
constant memory. Backups are often cut short (the app was killed, the copy failed): everything
before the break is read, and the break itself is quarantined with the line it is on.

SMS ``type`` and MMS ``msg_box`` say the direction: 1 received, 2 sent (3-6 drafts, outbox,
failed, queued: also written by the phone's owner). The owner has no number in the file, so
their messages carry the author ``me``; the thread is the other party's address.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from commsguard.ingest._common import (
    DEFAULT_LIMITS,
    Limits,
    derived_id,
    from_epoch,
    head,
    quarantine,
    source,
)
from commsguard.ingest.base import Item, Reader
from commsguard.models import Attachment, Message

OWNER = "me"
_NULLS = {"", "null", "(Unknown)"}
_FROM = "137"  # PduHeaders.FROM in an <addr type=...>


def _attr(elem: ET.Element, key: str) -> str:
    value = elem.get(key, "")
    return "" if value in _NULLS else value


def _who(address: str, contact: str) -> str:
    return f"{contact} <{address}>" if contact and contact != address else address


class SmsBackupReader(Reader):
    name: ClassVar[str] = "sms_backup"
    description: ClassVar[str] = "Android SMS Backup & Restore XML (<smses> with sms and mms)"
    channel: ClassVar[str] = "sms"

    def __init__(self, *, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits

    @classmethod
    def sniff(cls, path: Path) -> bool:
        return path.is_file() and b"<smses" in head(path, 4096)

    def read(self, path: Path) -> Iterator[Item]:
        counts = {"sms": 0, "mms": 0}
        depth = 0
        root: ET.Element | None = None
        try:
            events = ET.iterparse(str(path), events=("start", "end"))
            for event, elem in events:
                if event == "start":
                    depth += 1
                    if root is None:
                        root = elem
                    continue
                depth -= 1
                if elem.tag not in counts or depth != 1:
                    continue
                counts[elem.tag] += 1
                position = f"{elem.tag} {counts[elem.tag]}"
                try:
                    if elem.tag == "sms":
                        yield self._sms(path, position, elem)
                    else:
                        yield self._mms(path, position, elem)
                except (ValueError, TypeError) as exc:
                    yield quarantine(path, position, f"malformed {elem.tag}: {exc}")
                # Free the record; without this iterparse keeps the whole tree.
                elem.clear()
                if root is not None:
                    root.clear()
        except ET.ParseError as exc:
            line, column = exc.position
            done = counts["sms"] + counts["mms"]
            yield quarantine(
                path,
                f"line {line}",
                f"XML breaks off or is malformed at line {line}, column {column} ({exc.msg}); "
                f"{done} records before it were read, the rest is lost",
            )
        except LookupError as exc:
            # expat raises this, not ParseError, for an XML declaration naming an unknown
            # encoding: the file cannot be decoded at all.
            yield quarantine(path, "line 1", f"XML declares an encoding Python lacks: {exc}")
        except OSError as exc:
            yield quarantine(path, "", f"cannot read file: {exc.strerror or exc}")

    def _sms(self, path: Path, position: str, elem: ET.Element) -> Message:
        src = source(path, position)
        address = _attr(elem, "address")
        sent = _attr(elem, "type") not in {"", "1"}
        when = from_epoch(_attr(elem, "date"), millis=True)
        if when is None:
            raise ValueError(f"date {elem.get('date')!r} is not epoch milliseconds")
        return Message(
            id=derived_id(src),
            text=_attr(elem, "body"),
            author=OWNER if sent else _who(address, _attr(elem, "contact_name")),
            channel=self.channel,
            time=when,
            thread=address or None,
            source=src,
        )

    def _mms(self, path: Path, position: str, elem: ET.Element) -> Message:
        src = source(path, position)
        address = _attr(elem, "address")
        sent = _attr(elem, "msg_box") not in {"", "1"}
        when = from_epoch(_attr(elem, "date"), millis=True)
        if when is None:
            raise ValueError(f"date {elem.get('date')!r} is not epoch milliseconds")
        texts: list[str] = []
        subject = _attr(elem, "sub")
        if subject:
            texts.append(subject)
        attachments: list[Attachment] = []
        for part in elem.iter("part"):
            ctype = _attr(part, "ct")
            if ctype == "application/smil":
                continue  # layout only
            if ctype.startswith("text/plain") and _attr(part, "text"):
                texts.append(_attr(part, "text"))
                continue
            data = part.get("data", "")
            name = _attr(part, "cl") or _attr(part, "fn") or _attr(part, "name") or "(unnamed)"
            # base64 is 4 chars per 3 bytes; an estimate is enough to list the attachment.
            size = len(data) * 3 // 4 - data.count("=") if data else None
            attachments.append(Attachment(name, ctype, size))
        sender = next(
            (_attr(a, "address") for a in elem.iter("addr") if a.get("type") == _FROM), ""
        )
        contact = _attr(elem, "contact_name")
        author = OWNER if sent else _who(sender or address, contact if sender == address else "")
        return Message(
            id=_attr(elem, "m_id") or derived_id(src),
            text="\n".join(texts),
            author=author,
            channel=self.channel,
            time=when,
            thread=address or None,
            source=src,
            attachments=tuple(attachments),
        )
