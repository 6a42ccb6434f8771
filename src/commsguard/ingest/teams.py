"""Microsoft Teams messages as Microsoft Graph returns them (``chatMessage`` JSON).

Accepts one message, a list, a page ``{"value": [...]}``, a ``$batch`` response
``{"responses": [{"body": ...}]}``, and a recording envelope whose ``Response`` field holds the
Graph body as a JSON string (as test suites and some export tools save it). Replies expanded
under a message (``replies``) are read too. Graph pages are small, so a file is parsed whole
(up to the JSON file limit).

HTML bodies become text; ``<at id="0">Name</at>`` mentions read ``@Name``; card attachments add
their title and text, file attachments are listed. The thread is the parent's id for a reply,
and a message's own id when it has replies.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from commsguard.ingest._common import (
    DEFAULT_LIMITS,
    Limits,
    as_dict,
    as_list,
    head,
    load_json_file,
    parse_time,
    quarantine,
    source,
    text_of,
)
from commsguard.ingest.base import Item, Reader
from commsguard.ingest.mime import html_to_text
from commsguard.models import Attachment, Message

_SIGNS = (b'"messageType"', b"chatMessage", b'"replyToId"')


class TeamsReader(Reader):
    name: ClassVar[str] = "teams"
    description: ClassVar[str] = "Microsoft Teams / Graph chatMessage JSON (one, a list or a page)"
    channel: ClassVar[str] = "teams"

    def __init__(self, *, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits

    @classmethod
    def sniff(cls, path: Path) -> bool:
        if not path.is_file() or path.suffix.lower() != ".json":
            return False
        start = head(path, 8192)
        # A recording envelope escapes the body's quotes: look for the bare words as well.
        return any(s in start for s in _SIGNS) or (
            b'"Response"' in start and (b"messageType" in start or b"/messages" in start)
        )

    def read(self, path: Path) -> Iterator[Item]:
        try:
            data = load_json_file(path, self.limits)
        except (OSError, ValueError) as exc:
            yield quarantine(path, "", f"unreadable JSON: {exc}")
            return
        yield from self._walk(path, data, "")

    def _walk(self, path: Path, data: object, where: str) -> Iterator[Item]:
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from self._walk(path, item, f"{where}[{i}]")
            return
        if not isinstance(data, dict):
            yield quarantine(path, where or "/", "expected a chatMessage object or a list")
            return
        if isinstance(data.get("Response"), str):
            try:
                inner = json.loads(data["Response"])
            except ValueError as exc:
                yield quarantine(path, f"{where}/Response", f"Response is not JSON: {exc}")
                return
            yield from self._walk(path, inner, f"{where}/Response")
            return
        if isinstance(data.get("responses"), list):
            for i, resp in enumerate(data["responses"]):
                body = as_dict(resp).get("body")
                if body is not None:
                    yield from self._walk(path, body, f"{where}/responses[{i}]")
            return
        if isinstance(data.get("value"), list):
            yield from self._walk(path, data["value"], f"{where}/value")
            return
        if "body" in data or "messageType" in data:
            yield from self._message(path, data, where or "/")
            return
        if "error" in data:
            error = as_dict(data.get("error"))
            reason = f"Graph error: {text_of(error.get('code'))} {text_of(error.get('message'))}"
            yield quarantine(path, where or "/", reason.strip())
            return
        yield quarantine(path, where or "/", "object is not a chatMessage (no body)")

    def _message(self, path: Path, raw: dict[str, Any], where: str) -> Iterator[Item]:
        mid = text_of(raw.get("id"))
        if not mid:
            yield quarantine(path, where, "chatMessage has no id")
            return
        body = as_dict(raw.get("body"))
        content = text_of(body.get("content"))
        is_html = text_of(body.get("contentType")).lower() == "html"
        text = html_to_text(content) if is_html else content
        subject = text_of(raw.get("subject"))
        parts = [subject, text] if subject else [text]
        attachments: list[Attachment] = []
        for att in as_list(raw.get("attachments")):
            att = as_dict(att)
            ctype = text_of(att.get("contentType"))
            name = text_of(att.get("name")) or text_of(att.get("id"))
            attachments.append(Attachment(name, ctype, None))
            card = _card_text(att.get("content"))
            if card:
                parts.append(card)
        sender = as_dict(raw.get("from"))
        who = (
            as_dict(sender.get("user"))
            or as_dict(sender.get("application"))
            or as_dict(sender.get("device"))
        )
        replies = as_list(raw.get("replies"))
        parent = text_of(raw.get("replyToId"))
        yield Message(
            id=mid,
            text="\n".join(p for p in parts if p).strip(),
            author=text_of(who.get("displayName")) or text_of(who.get("id")),
            channel=self.channel,
            time=parse_time(raw.get("createdDateTime")),
            thread=parent or (mid if replies else None),
            source=source(path, where),
            attachments=tuple(attachments),
        )
        for i, reply in enumerate(replies):
            yield from self._walk(path, reply, f"{where}/replies[{i}]".replace("//", "/"))


def _card_text(content: object) -> str:
    """The readable text of an adaptive or hero/thumbnail card (a JSON string or object)."""
    if isinstance(content, str):
        try:
            content = json.loads(content)
        except ValueError:
            return ""
    card = as_dict(content)
    out = []
    for key in ("title", "subtitle", "text"):
        value = card.get(key)
        if isinstance(value, str) and value:
            out.append(html_to_text(value))
    for block in as_list(card.get("body")):
        value = as_dict(block).get("text")
        if isinstance(value, str) and value:
            out.append(value)
    return "\n".join(out)
