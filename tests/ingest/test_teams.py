"""The Teams/Graph reader on the recorded Graph responses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_golden import extract, golden_for, load_golden

from commsguard.ingest import Quarantined
from commsguard.ingest.teams import TeamsReader
from commsguard.models import Message

BODY = "teams/pnpcore_AddChatMessageWithChannelAndUserMentionAsyncTest-0-00024"


@pytest.mark.shared
def test_when_real_graph_files_are_read_then_they_match_the_golden_file(
    real_corpus: Path,
) -> None:
    assert golden_for("teams", real_corpus) == load_golden("teams")


@pytest.mark.shared
def test_when_envelope_wraps_the_body_then_same_messages_as_the_body(real_corpus: Path) -> None:
    wrapped = extract("teams", real_corpus, f"{BODY}.response.json")
    bare = extract("teams", real_corpus, f"{BODY}.graph-body.json")
    drop = ("position",)
    assert [{k: v for k, v in i.items() if k not in drop} for i in wrapped] == [
        {k: v for k, v in i.items() if k not in drop} for i in bare
    ]
    assert "Mention 1: @Channel" in bare[0]["text"]


def test_when_single_message_with_reply_then_thread_links_them(tmp_path: Path) -> None:
    f = tmp_path / "m.json"
    f.write_text(json.dumps({
        "id": "1", "messageType": "message", "createdDateTime": "2024-01-02T03:04:05Z",
        "from": {"user": {"displayName": "Ann"}}, "body": {"contentType": "text", "content": "a"},
        "replies": [{"id": "2", "replyToId": "1", "body": {"content": "b"},
                     "from": {"user": {"displayName": "Bob"}}}],
    }))  # fmt: skip
    items = list(TeamsReader().read(f))
    assert [(m.id, m.thread, m.author) for m in items if isinstance(m, Message)] == [
        ("1", "1", "Ann"),
        ("2", "1", "Bob"),
    ]


def test_when_graph_error_then_quarantined(tmp_path: Path) -> None:
    f = tmp_path / "e.json"
    f.write_text(json.dumps({"error": {"code": "Forbidden", "message": "no"}}))
    (item,) = TeamsReader().read(f)
    assert isinstance(item, Quarantined) and item.reason == "Graph error: Forbidden no"
