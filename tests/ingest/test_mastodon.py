"""The Mastodon reader on a small synthetic export (no licensed real one exists)."""

from __future__ import annotations

import json
from pathlib import Path

from commsguard.ingest import Quarantined, detect_reader
from commsguard.ingest.mastodon import MastodonReader
from commsguard.models import Message

CTX = "https://www.w3.org/ns/activitystreams"


def _export(root: Path) -> Path:
    root.mkdir()
    (root / "actor.json").write_text(json.dumps({
        "@context": CTX, "type": "Person", "preferredUsername": "ann",
        "summary": "<p>Press officer at Example Council</p>",
    }))  # fmt: skip
    (root / "outbox.json").write_text(json.dumps({
        "@context": CTX, "type": "OrderedCollection", "totalItems": 4, "orderedItems": [
            {"type": "Create", "published": "2024-01-02T03:04:05Z", "object": {
                "id": "https://m.x/users/ann/statuses/1",
                "content": "<p>Hello &amp; <b>bye</b></p>",
                "published": "2024-01-02T03:04:05Z", "conversation": "tag:m.x,2024:c1",
                "attachment": [{"url": "https://m.x/media/a.png", "mediaType": "image/png"}]}},
            {"type": "Announce", "id": "https://m.x/b/2", "published": "2024-01-03T00:00:00Z",
             "object": "https://other.x/@bob/9"},
            {"type": "Create", "object": {"id": "https://m.x/users/ann/statuses/3",
             "summary": "CW: politics", "content": "<p>spoiler</p>",
             "inReplyTo": "https://m.x/users/ann/statuses/1"}},
            {"type": "Like", "object": "https://x"},
        ]}))  # fmt: skip
    return root


def test_when_export_is_read_then_posts_boosts_and_profile_are_messages(tmp_path: Path) -> None:
    root = _export(tmp_path / "masto")
    assert detect_reader(root) == "mastodon"
    assert detect_reader(root / "outbox.json") == "mastodon"
    items = list(MastodonReader().read(root))
    first, boost, cw = (i for i in items if isinstance(i, Message))
    assert first.text == "Hello & bye"
    assert first.author == "@ann"
    assert first.profile == "Press officer at Example Council"
    assert first.thread == "tag:m.x,2024:c1"
    assert first.time is not None and first.time.isoformat() == "2024-01-02T03:04:05+00:00"
    assert first.attachments[0].name == "a.png"
    assert boost.text == "Boosted: https://other.x/@bob/9"
    assert cw.text == "CW: politics\n\nspoiler"
    assert cw.thread == "https://m.x/users/ann/statuses/1"
    (like,) = [i for i in items if isinstance(i, Quarantined)]
    assert like.reason == "activity type 'Like' is not a post or a boost"
    assert like.source.position == "orderedItems[3]"
