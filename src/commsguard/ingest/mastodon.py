"""Mastodon account exports: ``outbox.json`` (ActivityPub) with ``actor.json`` beside it.

Posts are ``Create`` activities whose ``object`` holds HTML ``content``; boosts are ``Announce``
activities pointing at someone else's post, kept as a message naming the boosted URL because
sharing is itself conduct the policy covers. The author is ``@preferredUsername`` from
actor.json, and the actor's ``summary`` (bio) is the profile. The thread is the object's
``conversation`` where the server records it, else the post replied to.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from commsguard.errors import RefusedPathError
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


class MastodonReader(Reader):
    name: ClassVar[str] = "mastodon"
    description: ClassVar[str] = "Mastodon account export: outbox.json (+ actor.json)"
    channel: ClassVar[str] = "mastodon"

    def __init__(self, *, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits

    @classmethod
    def sniff(cls, path: Path) -> bool:
        if path.is_dir():
            return (path / "outbox.json").is_file()
        start = head(path, 4096)
        return path.is_file() and b'"orderedItems"' in start and b"activitystreams" in start

    def read(self, path: Path) -> Iterator[Item]:
        # A folder is an export: only regular files inside it are read. A file named on its
        # own is read where it is, and the actor.json beside it must be a file there.
        root = path if path.is_dir() else None
        if root is not None:
            path = root / "outbox.json"
        try:
            outbox = as_dict(load_json_file(path, self.limits, root=root))
        except RefusedPathError as exc:
            yield quarantine(path, "", exc.reason)
            return
        except (OSError, ValueError) as exc:
            yield quarantine(path, "", f"unreadable outbox.json: {exc}")
            return
        beside = path.parent if root is not None else path.resolve().parent
        candidate = beside / "actor.json"
        actor: dict[str, Any] = {}
        try:
            if candidate.is_file() or candidate.is_symlink():
                actor = as_dict(load_json_file(candidate, self.limits, root=root or beside))
        except RefusedPathError as exc:
            yield quarantine(candidate, "", exc.reason)
        except (OSError, ValueError):
            pass
        author = f"@{text_of(actor.get('preferredUsername'))}" if actor else ""
        profile = html_to_text(text_of(actor.get("summary")))
        items = outbox.get("orderedItems")
        if not isinstance(items, list):
            yield quarantine(path, "", "outbox.json has no orderedItems list")
            return
        for i, activity in enumerate(items):
            position = f"orderedItems[{i}]"
            try:
                msg = self._message(path, position, as_dict(activity), author, profile)
            except (TypeError, ValueError) as exc:
                yield quarantine(path, position, f"malformed activity: {exc!r}")
                continue
            if isinstance(msg, str):
                yield quarantine(path, position, msg)
            else:
                yield msg

    def _message(
        self, path: Path, position: str, activity: dict[str, Any], author: str, profile: str
    ) -> Message | str:
        kind = text_of(activity.get("type"))
        obj = activity.get("object")
        when = parse_time(activity.get("published"))
        if kind == "Announce":
            target = text_of(obj if isinstance(obj, str) else as_dict(obj).get("id"))
            return Message(
                id=text_of(activity.get("id")) or f"{path.name}:{position}",
                text=f"Boosted: {target}",
                author=author,
                channel=self.channel,
                profile=profile,
                time=when,
                source=source(path, position),
            )
        if kind != "Create" or not isinstance(obj, dict):
            return f"activity type {kind or '(none)'!r} is not a post or a boost"
        content = html_to_text(text_of(obj.get("content")))
        warning = text_of(obj.get("summary"))
        attachments = tuple(
            Attachment(
                text_of(as_dict(a).get("url")).rsplit("/", 1)[-1]
                or text_of(as_dict(a).get("name")),
                text_of(as_dict(a).get("mediaType")),
            )
            for a in as_list(obj.get("attachment"))
        )
        return Message(
            id=text_of(obj.get("id")) or text_of(activity.get("id")) or f"{path.name}:{position}",
            text=f"{warning}\n\n{content}" if warning else content,
            author=author,
            channel=self.channel,
            profile=profile,
            time=parse_time(obj.get("published")) or when,
            thread=text_of(obj.get("conversation")) or text_of(obj.get("inReplyTo")) or None,
            source=source(path, position),
            attachments=attachments,
        )
