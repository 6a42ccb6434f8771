"""The Slack reader: golden on the real exports, and the folder form on a synthetic export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_golden import extract, golden_for, load_golden

from commsguard.ingest import Quarantined, detect_reader
from commsguard.ingest.slack import SlackReader
from commsguard.models import Message


@pytest.mark.shared
def test_when_real_slack_exports_are_read_then_they_match_the_golden_file(
    real_corpus: Path,
) -> None:
    assert golden_for("slack", real_corpus) == load_golden("slack")


@pytest.mark.shared
def test_when_slackdump_threads_then_replies_share_the_parent_ts(real_corpus: Path) -> None:
    items = extract("slack", real_corpus, "slack/slackdump_source_export.zip")
    threads = [i["thread"] for i in items if i.get("thread") == "1736478630.905399"]
    assert len(threads) == 3  # the parent and its two replies


def _export(root: Path) -> Path:
    root.mkdir()
    (root / "users.json").write_text(
        json.dumps([{"id": "U1", "name": "ann", "profile": {"real_name": "Ann Lee"}},
                    {"id": "U2", "name": "bob", "real_name": "Bob Roe"}])
    )  # fmt: skip
    (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]))
    (root / "general").mkdir()
    day = [
        {"type": "message", "user": "U1", "text": "hi <@U2> see <https://x.org|x>",
         "ts": "1700000000.000100", "thread_ts": "1700000000.000100"},
        {"type": "message", "user": "U2", "text": "reply &amp; more", "ts": "1700000001.000200",
         "thread_ts": "1700000000.000100", "edited": {"user": "U2", "ts": "1700000009.0"}},
        {"type": "message", "subtype": "channel_join", "user": "U2", "text": "joined",
         "ts": "1700000002.0"},
        {"type": "message", "subtype": "message_changed", "ts": "1700000003.0",
         "message": {"user": "U1", "text": "edited text", "ts": "1700000000.000100"}},
        {"type": "message", "user": "U1", "text": "file", "ts": "1700000004.0",
         "files": [{"id": "F1", "name": "plan.pdf", "mimetype": "application/pdf", "size": 12}]},
        {"type": "message", "user": "U1", "text": "no ts"},
    ]  # fmt: skip
    (root / "general" / "2023-11-14.json").write_text(json.dumps(day))
    (root / "general" / "2023-11-15.json").write_text("[{broken")
    return root


def test_when_export_is_a_folder_then_users_threads_edits_and_files_are_read(
    tmp_path: Path,
) -> None:
    root = _export(tmp_path / "export")
    assert detect_reader(root) == "slack"
    items = list(SlackReader().read(root))
    messages = [i for i in items if isinstance(i, Message)]
    assert [m.author for m in messages] == ["Ann Lee", "Bob Roe", "Ann Lee", "Ann Lee"]
    assert messages[0].text == "hi @Bob Roe see x (https://x.org)"
    assert messages[0].id == "slack:#general:1700000000.000100"
    assert messages[1].text == "reply & more"
    assert messages[1].thread == "1700000000.000100"
    assert messages[2].text == "edited text"  # message_changed: the new version
    assert messages[3].attachments[0].name == "plan.pdf"
    reasons = [i.reason for i in items if isinstance(i, Quarantined)]
    assert reasons[0] == "message has no ts"
    assert reasons[1].startswith("unreadable JSON (general/2023-11-15.json)")


def test_when_zip_needs_a_newer_zip_version_then_quarantined_not_raised(tmp_path: Path) -> None:
    # zipfile raises NotImplementedError (not BadZipFile) for a "version needed to extract" it
    # does not support; hypothesis found this by mutating an export.
    import io
    import zipfile

    from commsguard.ingest.base import Quarantined
    from commsguard.ingest.slack import SlackReader

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("channels.json", "[]")
    raw = bytearray(buf.getvalue())
    central = raw.index(b"PK\x01\x02")
    raw[central + 6] = 64  # version needed to extract: 6.4
    path = tmp_path / "export.zip"
    path.write_bytes(bytes(raw))
    items = list(SlackReader().read(path))
    assert items and all(isinstance(i, Quarantined) for i in items)
    assert "zip file version 6.4" in items[0].reason
