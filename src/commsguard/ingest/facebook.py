"""Facebook "Download your information" posts JSON (``your_posts_1.json`` and the like).

Facebook writes UTF-8 text as if each byte were a Latin-1 character (``"\\u00c3\\u00b8"`` for
"ø"). Every string is repaired by encoding it back to Latin-1 and decoding as UTF-8; a string
for which that fails was not mangled and is kept as it is.

The export does not name the account's owner in the posts file; the author is taken from the
post's ``title`` ("Jane Doe updated her status.") where there is one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from commsguard.ingest._common import (
    DEFAULT_LIMITS,
    Limits,
    as_dict,
    as_list,
    from_epoch,
    head,
    load_json_file,
    quarantine,
    source,
    text_of,
)
from commsguard.ingest.base import Item, Reader
from commsguard.models import Attachment, Message

_TITLE_AUTHOR = re.compile(
    r"^(.+?) (?:updated|shared|posted|wrote|added|was|is|created|changed|published|"
    r"commented|replied|feels|checked)\b"
)


def fix_mojibake(value: str) -> str:
    """Undo Facebook's UTF-8-as-Latin-1 encoding; leave strings that were not mangled."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def repair(value: Any) -> Any:
    """``fix_mojibake`` applied to every string in a JSON value."""
    if isinstance(value, str):
        return fix_mojibake(value)
    if isinstance(value, list):
        return [repair(v) for v in value]
    if isinstance(value, dict):
        return {fix_mojibake(k): repair(v) for k, v in value.items()}
    return value


class FacebookReader(Reader):
    name: ClassVar[str] = "facebook"
    description: ClassVar[str] = "Facebook 'Download your information' posts JSON"
    channel: ClassVar[str] = "facebook"

    def __init__(self, *, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits

    @classmethod
    def sniff(cls, path: Path) -> bool:
        if not path.is_file() or path.suffix.lower() != ".json":
            return False
        start = head(path, 4096)
        return b'"timestamp"' in start and (b'"post"' in start or b'"attachments"' in start)

    def read(self, path: Path) -> Iterator[Item]:
        try:
            data = load_json_file(path, self.limits)
        except (OSError, ValueError) as exc:
            yield quarantine(path, "", f"unreadable posts JSON: {exc}")
            return
        if isinstance(data, dict):
            # Older exports wrap the list: {"status_updates": [...]} and similar.
            data = next((v for v in data.values() if isinstance(v, list)), None)
        if not isinstance(data, list):
            yield quarantine(path, "", "posts JSON is not a list of posts")
            return
        for i, raw in enumerate(data):
            position = f"[{i}]"
            post = as_dict(repair(raw))
            if not post:
                yield quarantine(path, position, "post is not a JSON object")
                continue
            texts = [
                text_of(as_dict(d).get("post"))
                for d in as_list(post.get("data"))
                if as_dict(d).get("post")
            ]
            attachments: list[Attachment] = []
            for att in as_list(post.get("attachments")):
                for item in as_list(as_dict(att).get("data")):
                    item = as_dict(item)
                    media = as_dict(item.get("media"))
                    link = as_dict(item.get("external_context"))
                    if media:
                        uri = text_of(media.get("uri"))
                        attachments.append(Attachment(uri.rsplit("/", 1)[-1] or "(media)"))
                        if media.get("description"):
                            texts.append(text_of(media.get("description")))
                    if link.get("url"):
                        texts.append(text_of(link.get("url")))
            when = from_epoch(post.get("timestamp"))
            if when is None:
                yield quarantine(path, position, "post has no usable timestamp")
                continue
            title = text_of(post.get("title"))
            match = _TITLE_AUTHOR.match(title)
            yield Message(
                id=f"{path.name}:{position}:{int(when.timestamp())}",
                text="\n\n".join(texts),
                author=match.group(1) if match else "",
                channel=self.channel,
                time=when,
                source=source(path, position),
                attachments=tuple(attachments),
            )
