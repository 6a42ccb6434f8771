"""X/Twitter account archives: ``data/tweets.js`` (``window.YTD.tweets.part0 = [...]``).

The file is JavaScript that assigns one JSON array; it is parsed whole after the prefix, because
the format offers no way to stream it. That costs memory in proportion to the file (a large
account's tweets.js is some hundreds of MB), so files over the JSON limit are quarantined.

The author's handle comes from ``account.js`` beside the file (also with the same prefix as a
renamed ``…tweets.js``). Every number in the archive is a string. The thread is the first tweet
of the reply chain as far as it is in the archive, else the tweet replied to; a tweet that
others in the archive reply to is the start of its own thread.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from commsguard.errors import RefusedPathError
from commsguard.ingest._common import (
    DEFAULT_LIMITS,
    Limits,
    as_dict,
    as_list,
    head,
    quarantine,
    read_inside,
    source,
    text_of,
    utc,
)
from commsguard.ingest.base import Item, Quarantined, Reader
from commsguard.models import Attachment, Message

_PREFIX = re.compile(rb"^\s*window\.YTD\.[A-Za-z0-9_]+\.part\d+\s*=\s*")


def _parse_js(raw: bytes) -> Any:
    match = _PREFIX.match(raw)
    if not match:
        raise ValueError("no 'window.YTD.<name>.partN =' prefix")
    return json.loads(raw[match.end() :].decode("utf-8-sig").rstrip().rstrip(";"))


def _time(value: str) -> datetime | None:
    try:
        return utc(datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y"))
    except ValueError:
        return None


class TwitterReader(Reader):
    name: ClassVar[str] = "twitter"
    description: ClassVar[str] = "X/Twitter account archive: data/tweets.js"
    channel: ClassVar[str] = "twitter"

    def __init__(self, *, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits

    @classmethod
    def sniff(cls, path: Path) -> bool:
        if path.is_dir():
            return (path / "data" / "tweets.js").is_file()
        start = head(path, 256)
        return path.is_file() and bool(re.match(rb"\s*window\.YTD\.(tweets|tweet)\.part", start))

    def read(self, path: Path) -> Iterator[Item]:
        # A folder is an archive: only regular files inside it are read. A file named on its
        # own is read where it is, and the account.js beside it must be a file there.
        if path.is_dir():
            root = path
            path = named = path / "data" / "tweets.js"
        else:
            named = path.resolve()
            root = named.parent
        try:
            raw = read_inside(root, named, self.limits.max_json_file_bytes)
            data = _parse_js(raw)
        except RefusedPathError as exc:
            yield quarantine(path, "", exc.reason)
            return
        except (OSError, ValueError) as exc:
            yield quarantine(path, "", f"unreadable tweets.js: {exc}")
            return
        if not isinstance(data, list):
            yield quarantine(path, "", "tweets.js does not assign an array")
            return
        author, refused = self._handle(root, named)
        if refused is not None:
            yield refused
        tweets = [as_dict(as_dict(item).get("tweet") or item) for item in data]
        parents = {
            text_of(t.get("id_str")): text_of(t.get("in_reply_to_status_id_str"))
            for t in tweets
            if t.get("id_str")
        }
        replied_to = set(parents.values())
        for i, tweet in enumerate(tweets):
            position = f"[{i}]"
            tid = text_of(tweet.get("id_str") or tweet.get("id"))
            text = tweet.get("full_text", tweet.get("text"))
            if not tid or not isinstance(text, str):
                yield quarantine(path, position, "tweet has no id or no text")
                continue
            yield Message(
                id=tid,
                text=_expand(html.unescape(text), tweet),
                author=author,
                channel=self.channel,
                time=_time(text_of(tweet.get("created_at"))),
                thread=_root(tid, parents) if parents.get(tid) or tid in replied_to else None,
                source=source(path, position),
                attachments=_media(tweet),
            )

    def _handle(self, root: Path, path: Path) -> tuple[str, Quarantined | None]:
        """``@username`` from the account.js beside ``path`` (empty if there is none), and a
        quarantined item if that file is a link."""
        prefix = path.name[: -len("tweets.js")] if path.name.endswith("tweets.js") else ""
        for name in (f"{prefix}account.js", "account.js"):
            candidate = path.with_name(name)
            try:
                if candidate.is_file() or candidate.is_symlink():
                    raw = read_inside(root, candidate, 1024 * 1024)
                    account = as_dict(as_dict(as_list(_parse_js(raw))[0]))
                    username = text_of(as_dict(account.get("account")).get("username"))
                    if username:
                        return f"@{username}", None
            except RefusedPathError as exc:
                return "", quarantine(candidate, "", exc.reason)
            except (OSError, ValueError, IndexError):
                continue
        return "", None


def _root(tid: str, parents: dict[str, str]) -> str:
    seen = {tid}
    current = tid
    while parents.get(current) and parents[current] not in seen:
        current = parents[current]
        seen.add(current)
        if current not in parents:
            break  # the parent is not in the archive: it is as far back as we can see
    return current


def _expand(text: str, tweet: dict[str, Any]) -> str:
    # t.co links hide where they go; the archive records the real URL, which is what counts.
    for url in as_list(as_dict(tweet.get("entities")).get("urls")):
        url = as_dict(url)
        short, full = text_of(url.get("url")), text_of(url.get("expanded_url"))
        if short and full:
            text = text.replace(short, full)
    return text


def _media(tweet: dict[str, Any]) -> tuple[Attachment, ...]:
    entities = as_dict(tweet.get("extended_entities")) or as_dict(tweet.get("entities"))
    out = []
    for media in as_list(entities.get("media")):
        media = as_dict(media)
        url = text_of(media.get("media_url_https") or media.get("media_url"))
        kind = text_of(media.get("type")) or "photo"
        ctype = {"photo": "image", "video": "video", "animated_gif": "image/gif"}.get(kind, kind)
        out.append(Attachment(url.rsplit("/", 1)[-1] or text_of(media.get("id_str")), ctype))
    return tuple(out)
