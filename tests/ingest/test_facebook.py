"""The Facebook posts reader, mojibake repair included, on a synthetic export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commsguard.ingest import Quarantined, detect_reader
from commsguard.ingest.facebook import FacebookReader, fix_mojibake
from commsguard.models import Message


def _mangle(text: str) -> str:
    # What Facebook does: UTF-8 bytes written out as Latin-1 code points.
    return text.encode("utf-8").decode("latin-1")


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [(_mangle("Søren"), "Søren"), (_mangle("日本 😀"), "日本 😀"), ("plain", "plain"),
     ("already ø fine", "already ø fine")],
)  # fmt: skip
def test_when_string_is_mojibake_then_it_is_repaired(raw: str, fixed: str) -> None:
    assert fix_mojibake(raw) == fixed


def test_when_posts_file_is_read_then_text_author_and_attachments_are_repaired(
    tmp_path: Path,
) -> None:
    f = tmp_path / "your_posts_1.json"
    f.write_text(json.dumps([
        {"timestamp": 1700000000, "title": _mangle("Søren Ås updated his status."),
         "data": [{"post": _mangle("Hej fra Århus ☕")}, {"update_timestamp": 1700000001}],
         "attachments": [{"data": [{"external_context": {"url": "https://x.org/a"}},
                                   {"media": {"uri": "photos/p1.jpg", "description": "pic"}}]}]},
        {"title": "no time"},
        "junk",
    ]))  # fmt: skip
    assert detect_reader(f) == "facebook"
    items = list(FacebookReader().read(f))
    msg = items[0]
    assert isinstance(msg, Message)
    assert msg.text == "Hej fra Århus ☕\n\nhttps://x.org/a\n\npic"
    assert msg.author == "Søren Ås"
    assert msg.attachments[0].name == "p1.jpg"
    assert msg.time is not None and msg.time.isoformat() == "2023-11-14T22:13:20+00:00"
    reasons = [i.reason for i in items if isinstance(i, Quarantined)]
    assert reasons == ["post has no usable timestamp", "post is not a JSON object"]
