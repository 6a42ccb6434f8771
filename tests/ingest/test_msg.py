"""The Outlook .msg reader on the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_golden import extract, golden_for, load_golden

from commsguard.ingest import Quarantined
from commsguard.ingest.msg import MsgReader


@pytest.mark.shared
def test_when_real_msg_files_are_read_then_they_match_the_golden_file(real_corpus: Path) -> None:
    assert golden_for("msg", real_corpus) == load_golden("msg")


@pytest.mark.shared
def test_when_msg_is_ansi_cp932_then_japanese_decodes(real_corpus: Path) -> None:
    (item,) = extract("msg", real_corpus, "msg/msgreader_nonUnicodeCP932.msg")
    assert item["text"].startswith("日本語 Non Unicode タイトル")


@pytest.mark.shared
def test_when_msg_embeds_a_msg_then_it_is_listed_and_its_text_read(real_corpus: Path) -> None:
    (item,) = extract("msg", real_corpus, "msg/msgreader_msgInMsg.msg")
    assert item["attachments"] == ["Microsoft Outlook テスト メッセージ.msg", "green.png"]


def test_when_file_is_not_ole_then_quarantined(tmp_path: Path) -> None:
    f = tmp_path / "x.msg"
    f.write_bytes(b"not an OLE file")
    (item,) = MsgReader().read(f)
    assert isinstance(item, Quarantined)
    assert "not a readable .msg" in item.reason
