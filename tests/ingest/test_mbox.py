"""The mbox reader: golden on the real corpus, and separator handling."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_golden import golden_for, load_golden

from commsguard.ingest import Quarantined
from commsguard.ingest._common import Limits
from commsguard.ingest.mbox import MboxReader
from commsguard.models import Message


@pytest.mark.shared
def test_when_real_mbox_files_are_read_then_they_match_the_golden_file(real_corpus: Path) -> None:
    assert golden_for("mbox", real_corpus) == load_golden("mbox")


@pytest.mark.shared
def test_when_body_has_unescaped_from_line_then_message_is_not_split(real_corpus: Path) -> None:
    (msg,) = MboxReader().read(real_corpus / "mbox/cpython_mailbox_01.mbox")
    assert isinstance(msg, Message)
    assert msg.text.endswith("From time to time")


def _mbox(tmp_path: Path, body: bytes) -> Path:
    f = tmp_path / "box.mbox"
    f.write_bytes(body)
    return f


def test_when_mboxrd_escapes_from_then_one_level_is_removed(tmp_path: Path) -> None:
    f = _mbox(
        tmp_path,
        b"From a@x Mon Jan  1 00:00:00 2024\nSubject: one\n\n>From here\n\n"
        b"From b@x Mon Jan  1 00:00:01 2024\nSubject: two\n\nbody\n",
    )
    items = list(MboxReader().read(f))
    assert [i.text for i in items if isinstance(i, Message)] == ["one\n\nFrom here", "two\n\nbody"]
    assert [i.source.position for i in items if i.source] == ["line 1", "line 6"]


def test_when_message_is_over_the_limit_then_it_alone_is_quarantined(tmp_path: Path) -> None:
    f = _mbox(
        tmp_path,
        b"From a@x Mon Jan  1 00:00:00 2024\nSubject: big\n\n" + b"x" * 500 + b"\n\n"
        b"From b@x Mon Jan  1 00:00:01 2024\nSubject: small\n\nok\n",
    )
    items = list(MboxReader(limits=Limits(max_message_bytes=200)).read(f))
    assert isinstance(items[0], Quarantined) and "limit" in items[0].reason
    assert isinstance(items[1], Message) and items[1].text == "small\n\nok"


def test_when_text_precedes_first_separator_then_it_is_quarantined(tmp_path: Path) -> None:
    f = _mbox(tmp_path, b"junk\n\nFrom a@x Mon Jan  1 00:00:00 2024\nSubject: s\n\nb\n")
    items = list(MboxReader().read(f))
    assert isinstance(items[0], Quarantined)
    assert items[0].reason == "text before the first 'From ' line"
    assert isinstance(items[1], Message)
