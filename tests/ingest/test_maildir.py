"""The Maildir reader on a small synthetic folder."""

from __future__ import annotations

from pathlib import Path

from commsguard.ingest import Quarantined, detect_reader
from commsguard.ingest.maildir import MaildirReader
from commsguard.models import Message


def _maildir(tmp_path: Path) -> Path:
    root = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    (root / "cur" / "1700000000.1.host:2,S").write_bytes(
        b"From: Ann <ann@x.org>\nSubject: hi\nDate: Tue, 14 Nov 2023 22:13:20 +0100\n"
        b"Message-ID: <m1@x.org>\n\nhello\n"
    )
    (root / "new" / "1700000001.2.host").write_bytes(
        b"From: Bob <bob@x.org>\nSubject: re: hi\nIn-Reply-To: <m1@x.org>\n\nyes\n"
    )
    (root / "new" / "1700000002.3.host").write_bytes(b"")
    (root / "tmp" / "in-flight").write_bytes(b"From: c@x.org\n\nnot yet delivered\n")
    return root


def test_when_maildir_is_read_then_cur_and_new_are_messages_and_tmp_is_ignored(
    tmp_path: Path,
) -> None:
    root = _maildir(tmp_path)
    assert detect_reader(root) == "maildir"
    items = list(MaildirReader().read(root))
    messages = [i for i in items if isinstance(i, Message)]
    assert [m.author for m in messages] == ["Ann <ann@x.org>", "Bob <bob@x.org>"]
    assert messages[0].id == "m1@x.org"
    assert (
        messages[0].time is not None and messages[0].time.isoformat() == "2023-11-14T21:13:20+00:00"
    )
    assert messages[1].thread == "m1@x.org"
    assert messages[1].id == "1700000001.2.host"
    (empty,) = [i for i in items if isinstance(i, Quarantined)]
    assert empty.reason == "empty message"
