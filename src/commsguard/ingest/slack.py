"""Slack workspace exports, as a zip or an unpacked folder, and slackdump's JSON files.

An export holds ``users.json`` and ``channels.json`` (plus ``groups.json``, ``dms.json`` and
``mpims.json`` in newer ones) and one folder per conversation of ``YYYY-MM-DD.json`` files, each a
JSON array of that day's messages. Day files are small, so each is parsed whole; the archive
as a whole is never held in memory.

What the export says, and what we make of it:

- user ids (``U…``) become names from ``users.json``, or from the message's own
  ``user_profile``; ``<@U…>`` mentions in the text become ``@name``;
- ``thread_ts`` is the thread; replies and their parent share it;
- an edit appears either as ``edited`` on the final text (the original is not exported), or
  as a ``message_changed`` event whose new text is read as a message of its own;
- ``files`` / ``file`` become attachments; legacy ``attachments`` (bot and link cards) add
  their text, because that is what the channel saw;
- joins, leaves and deleted-message placeholders (``tombstone``) carry no one's words and are
  skipped.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar

from commsguard.errors import RefusedPathError
from commsguard.ingest._common import (
    DEFAULT_LIMITS,
    ZIP_ERRORS,
    Limits,
    ZipBudget,
    as_dict,
    as_list,
    from_epoch,
    head,
    parse_json_bounded,
    quarantine,
    read_inside,
    source,
    text_of,
)
from commsguard.ingest.base import Item, Quarantined, Reader
from commsguard.models import Attachment, Message

_METADATA = ("users.json", "channels.json", "groups.json", "dms.json", "mpims.json")
_DAY_FILE = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")
_SKIPPED_SUBTYPES = {
    "channel_join", "channel_leave", "group_join", "group_leave", "tombstone",
    "message_deleted", "bot_add", "bot_remove",
}  # fmt: skip
_LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")


@dataclass
class Workspace:
    """What the metadata files say: user names and a label for each conversation folder."""

    users: dict[str, str] = field(default_factory=dict)
    folders: dict[str, str] = field(default_factory=dict)

    def add_users(self, data: object) -> None:
        for user in as_list(data):
            user = as_dict(user)
            uid = text_of(user.get("id"))
            profile = as_dict(user.get("profile"))
            name = (
                text_of(profile.get("real_name"))
                or text_of(user.get("real_name"))
                or text_of(profile.get("display_name"))
                or text_of(user.get("name"))
            )
            if uid and name:
                self.users[uid] = name

    def add_conversations(self, data: object, kind: str) -> None:
        for conv in as_list(data):
            conv = as_dict(conv)
            cid, name = text_of(conv.get("id")), text_of(conv.get("name"))
            if kind == "dms":
                # DM folders are named by id; label them by the people in them.
                members = [self.user(text_of(m)) for m in as_list(conv.get("members"))]
                self.folders[cid] = "dm: " + ", ".join(members)
            elif name:
                self.folders[name] = ("#" if kind == "channels" else "") + name
                if cid:
                    self.folders.setdefault(cid, self.folders[name])

    def user(self, uid: str) -> str:
        return self.users.get(uid, uid)

    def render(self, text: str) -> str:
        """Slack's markup as plain text: mentions named, links shown, entities decoded."""

        def link(match: re.Match[str]) -> str:
            target, label = match.group(1), match.group(2)
            if target.startswith("@"):
                return "@" + (label or self.user(target[1:]))
            if target.startswith("#"):
                return "#" + (label or target[1:])
            if target.startswith("!"):
                return "@" + (label or target[1:].split("^")[0])
            return f"{label} ({target})" if label and label != target else target

        return html.unescape(_LINK.sub(link, text))


class SlackReader(Reader):
    name: ClassVar[str] = "slack"
    description: ClassVar[str] = "Slack workspace export (zip or folder) or a slackdump JSON file"
    channel: ClassVar[str] = "slack"

    def __init__(self, *, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits

    @classmethod
    def sniff(cls, path: Path) -> bool:
        if path.is_dir():
            return any((path / name).is_file() for name in ("channels.json", "users.json"))
        if path.suffix.lower() == ".zip":
            try:
                with zipfile.ZipFile(path) as zf:
                    names = {PurePosixPath(n).name for n in zf.namelist()[:10_000]}
            except ZIP_ERRORS:
                return False
            return "channels.json" in names or "users.json" in names
        if path.suffix.lower() == ".json":
            start = head(path, 4096)
            if start.lstrip().startswith(b"[") and (
                path.name in _METADATA or b'"members"' in start or b'"is_mpim"' in start
            ):
                return True  # a conversation list such as slackdump's dms.json / mpims.json
            return b'"ts"' in start and (b'"type": "message"' in start or b'"user"' in start)
        return False

    def read(self, path: Path) -> Iterator[Item]:
        if path.is_dir():
            yield from self._read_folder(path)
        elif path.suffix.lower() == ".zip":
            yield from self._read_zip(path)
        else:
            yield from self._read_json(path)

    # --- the three layouts -------------------------------------------------------------

    def _read_zip(self, path: Path) -> Iterator[Item]:
        try:
            zf = zipfile.ZipFile(path)
        except ZIP_ERRORS as exc:
            yield quarantine(path, "", f"not a readable zip: {exc}")
            return
        with zf:
            budget = ZipBudget(path, self.limits)
            days: list[zipfile.ZipInfo] = []
            meta: dict[str, zipfile.ZipInfo] = {}
            for info in budget.members_of(zf):
                if isinstance(info, Quarantined):
                    yield info
                    break
                p = PurePosixPath(info.filename)
                if info.is_dir():
                    continue
                if p.name in _METADATA and len(p.parts) <= 2:
                    meta.setdefault(p.name, info)
                elif _DAY_FILE.match(p.name) and len(p.parts) >= 2:
                    days.append(info)
            ws = Workspace()
            for name in _METADATA:
                if name in meta:
                    data = yield from self._load_zip_json(path, zf, budget, meta[name])
                    self._add_meta(ws, name, data)
            for info in sorted(days, key=lambda i: i.filename):
                p = PurePosixPath(info.filename)
                data = yield from self._load_zip_json(path, zf, budget, info)
                if data is not None:
                    yield from self._day(path, info.filename, p.parent.name, data, ws)

    def _load_zip_json(
        self, path: Path, zf: zipfile.ZipFile, budget: ZipBudget, info: zipfile.ZipInfo
    ) -> Generator[Item, None, Any]:
        try:
            raw = budget.read(zf, info, cap=self.limits.max_json_member_bytes)
            return parse_json_bounded(raw, self.limits)
        except ZIP_ERRORS as exc:
            yield quarantine(path, info.filename, f"unreadable JSON member: {exc}")
            return None

    def _read_folder(self, path: Path) -> Iterator[Item]:
        yield from self.read_days(path, day_files(path))

    def read_days(self, path: Path, days: Iterable[str]) -> Iterator[Item]:
        """Part of an export folder: its metadata, then only ``days`` (``folder/day.json``).

        Items have the sources a whole read gives them, so a large export can be checked in
        parts in parallel; :func:`day_files` lists an export's days in the order read.
        """
        ws = Workspace()
        for name in _METADATA:
            if (path / name).is_file() or (path / name).is_symlink():
                data = yield from self._load_file(path / name, name, root=path)
                self._add_meta(ws, name, data)
        for rel in days:
            day = path / rel
            data = yield from self._load_file(day, rel, root=path)
            if data is not None:
                yield from self._day(day, "", day.parent.name, data, ws)

    def _read_json(self, path: Path) -> Iterator[Item]:
        data = yield from self._load_file(path, "")
        if data is None:
            return
        if path.name in _METADATA or _is_metadata_list(data):
            return  # a conversation or user list on its own: no messages in it
        ws = Workspace()
        folder = path.parent.name
        if isinstance(data, dict):
            # slackdump's own dump: {"channel_id": ..., "messages": [...]}
            folder = text_of(data.get("name") or data.get("channel_id")) or folder
            data = data.get("messages")
        yield from self._day(path, "", folder, data, ws)

    def _load_file(
        self, file: Path, label: str, *, root: Path | None = None
    ) -> Generator[Item, None, Any]:
        """A JSON file; inside an export folder (``root``) only a regular file inside it.

        Without ``root`` the file is the one the operator named, read wherever it is.
        """
        target = file if root is not None else file.resolve()
        try:
            cap = min(self.limits.max_member_bytes, self.limits.max_json_member_bytes)
            raw = read_inside(root or target.parent, target, cap)
            return parse_json_bounded(raw, self.limits)
        except RefusedPathError as exc:
            yield quarantine(file, "", exc.reason)
            return None
        except (OSError, ValueError) as exc:
            yield quarantine(file, "", f"unreadable JSON ({label or file.name}): {exc}")
            return None

    @staticmethod
    def _add_meta(ws: Workspace, name: str, data: object) -> None:
        if data is None:
            return
        if name == "users.json":
            ws.add_users(data)
        else:
            ws.add_conversations(data, name.removesuffix(".json"))

    # --- messages ----------------------------------------------------------------------

    def _day(
        self, path: Path, member: str, folder: str, data: object, ws: Workspace
    ) -> Iterator[Item]:
        where = f"{member}" if member else ""
        if not isinstance(data, list):
            yield quarantine(path, where, "day file is not a JSON array of messages")
            return
        label = ws.folders.get(folder, folder)
        # Two passes over the parsed (bounded) array: a file with many bad elements is one
        # quarantined item with a count, never one row per element.
        made: list[tuple[str, Message | str]] = []
        for i, raw in enumerate(data):
            position = f"{where}[{i}]"
            try:
                made.append((position, self._message(path, position, raw, label, ws)))
            except (TypeError, ValueError, AttributeError) as exc:
                made.append((position, f"malformed message: {exc!r}"))
        bad = [(where_, why) for where_, why in made if isinstance(why, str) and why]
        many = len(bad) > self.limits.max_bad_elements
        if many:
            first, reason = bad[0]
            yield quarantine(
                path, where,
                f"{len(bad)} of {len(data)} elements are not messages (first, at {first}: "
                f"{reason}); the file's bad elements are not quarantined one by one",
            )
        for position, msg in made:
            if isinstance(msg, Message):
                yield msg
            elif msg and not many:
                yield quarantine(path, position, msg)

    def _message(
        self, path: Path, position: str, raw: object, label: str, ws: Workspace
    ) -> Message | str:
        """A Message, or a reason to quarantine (empty string: skip without a record)."""
        if not isinstance(raw, dict):
            return "message is not a JSON object"
        subtype = text_of(raw.get("subtype"))
        if subtype in _SKIPPED_SUBTYPES:
            return ""
        if subtype == "message_changed":
            # The edited version; keep the original's ts so it reads as the same message.
            new = dict(as_dict(raw.get("message")))
            new.setdefault("ts", raw.get("ts"))
            raw = new
        ts = text_of(raw.get("ts"))
        if not ts:
            return "message has no ts"
        when = from_epoch(ts)
        if when is None:
            return f"message ts {ts!r} is not a timestamp"
        parts = [ws.render(text_of(raw.get("text")))]
        if subtype == "file_comment":
            comment = as_dict(raw.get("comment"))
            parts.append(ws.render(text_of(comment.get("comment"))))
        for att in as_list(raw.get("attachments")):
            att = as_dict(att)
            for key in ("pretext", "title", "text"):
                value = ws.render(text_of(att.get(key)))
                if value and value not in parts:
                    parts.append(value)
        files = [as_dict(f) for f in as_list(raw.get("files"))]
        if isinstance(raw.get("file"), dict) and subtype != "file_comment":
            files.append(as_dict(raw.get("file")))
        attachments = tuple(_file(f) for f in files if f)
        profile = as_dict(raw.get("user_profile"))
        uid = text_of(raw.get("user"))
        if uid and uid in ws.users:
            author = ws.users[uid]
        else:
            bot = as_dict(raw.get("bot_profile"))
            author = (
                text_of(profile.get("real_name"))
                or text_of(raw.get("username"))
                or text_of(bot.get("name"))
                or uid
                or text_of(raw.get("bot_id"))
            )
        thread = text_of(raw.get("thread_ts")) or None
        return Message(
            id=f"slack:{label}:{ts}",
            text="\n".join(p for p in parts if p).strip(),
            author=author,
            channel=self.channel,
            time=when,
            thread=thread,
            source=source(path, position),
            attachments=attachments,
        )


def _file(f: dict[str, Any]) -> Attachment:
    size = f.get("size")
    return Attachment(
        name=text_of(f.get("name") or f.get("title") or f.get("id")),
        content_type=text_of(f.get("mimetype")),
        size=size if isinstance(size, int) and not isinstance(size, bool) else None,
    )


def day_files(path: Path) -> Iterator[str]:
    """An export folder's day files as ``folder/day.json``, in the order a whole read takes.

    Symbolic links are listed too (a linked folder's days, a linked day file), so that reading
    them quarantines them as links; they are never followed.
    """
    for folder in sorted(p for p in path.iterdir() if p.is_dir()):
        for day in sorted(folder.iterdir()):
            if _DAY_FILE.match(day.name) and (day.is_file() or day.is_symlink()):
                yield f"{folder.name}/{day.name}"


def _is_metadata_list(data: object) -> bool:
    """A list of conversations or users (slackdump's dms.json, mpims.json), not messages."""
    items = [as_dict(x) for x in as_list(data)]
    return bool(items) and all("id" in x and "ts" not in x for x in items)
