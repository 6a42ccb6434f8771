"""Attacks by path: an export whose files are symbolic links to secrets on the host.

An export is untrusted input. A link inside it (a Maildir's ``new/1.x -> commsguard.secret``,
a Slack day file pointing at ``/etc/passwd``) must be quarantined with the reason and without a
byte of what it points at; it must never become a message either.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from commsguard import Engine, load_pack
from commsguard.ingest import LINK_REASON, Quarantined, get_reader
from commsguard.models import Message
from commsguard.store.db import get_engine, session_scope
from commsguard.store.tables import QuarantineRow
from commsguard.workflows.scan import scan
from web.conftest import Installation

SECRET = b"installation-secret-7f3a9c-do-not-leak"
EMAIL = b"From: a@example.org\nSubject: hi\nDate: Mon, 05 Jan 2026 10:00:00 +0000\n\nhello\n"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "host" / "commsguard.secret"
    path.parent.mkdir()
    path.write_bytes(SECRET)
    return path


def maildir(root: Path) -> Path:
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    (root / "cur" / "1.ok").write_bytes(EMAIL)
    return root


def slack_folder(root: Path) -> Path:
    root.mkdir()
    (root / "users.json").write_text(json.dumps([{"id": "U1", "name": "jo"}]))
    (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general"}]))
    (root / "general").mkdir()
    day = [{"type": "message", "user": "U1", "ts": "1767607200.000100", "text": "hello"}]
    (root / "general" / "2026-01-05.json").write_text(json.dumps(day))
    return root


def refused(items: list[Message | Quarantined]) -> list[Quarantined]:
    return [i for i in items if isinstance(i, Quarantined)]


def leaked(items: list[Message | Quarantined], needle: bytes) -> bool:
    return any(
        needle in (i.raw if isinstance(i, Quarantined) else i.text.encode()) for i in items
    )


def test_maildir_message_linked_to_the_installation_secret_is_quarantined_empty(
    tmp_path: Path, secret: Path
) -> None:
    box = maildir(tmp_path / "Maildir")
    (box / "new" / "1.x").symlink_to(secret)
    items = list(get_reader("maildir").read(box))
    assert not leaked(items, SECRET)
    [q] = refused(items)
    assert q.source.path.endswith("1.x") and q.reason == LINK_REASON and q.raw == b""
    assert [m.text.split()[-1] for m in items if isinstance(m, Message)] == ["hello"]


def test_maildir_message_linked_to_etc_passwd_is_quarantined_empty(tmp_path: Path) -> None:
    box = maildir(tmp_path / "Maildir")
    (box / "cur" / "2.x").symlink_to("/etc/passwd")
    items = list(get_reader("maildir").read(box))
    assert not leaked(items, b"root:")
    assert [(q.reason, q.raw) for q in refused(items)] == [(LINK_REASON, b"")]


def test_maildir_whose_new_folder_is_a_link_outside_is_not_read(
    tmp_path: Path, secret: Path
) -> None:
    box = maildir(tmp_path / "Maildir")
    (box / "new").rmdir()
    (box / "new").symlink_to(secret.parent, target_is_directory=True)
    items = list(get_reader("maildir").read(box))
    assert not leaked(items, SECRET)
    assert [q.reason for q in refused(items)] == [LINK_REASON]


def test_slack_folder_day_file_linked_to_the_secret_is_not_ingested(
    tmp_path: Path, secret: Path
) -> None:
    export = slack_folder(tmp_path / "slack")
    (export / "general" / "2026-01-06.json").symlink_to(secret)
    (export / "general" / "2026-01-07.json").symlink_to("/etc/passwd")
    items = list(get_reader("slack").read(export))
    assert not leaked(items, SECRET) and not leaked(items, b"root:")
    assert sorted((Path(q.source.path).name, q.reason, q.raw) for q in refused(items)) == [
        ("2026-01-06.json", LINK_REASON, b""),
        ("2026-01-07.json", LINK_REASON, b""),
    ]
    assert [m.text for m in items if isinstance(m, Message)] == ["hello"]


def test_slack_folder_with_a_linked_conversation_folder_is_not_ingested(
    tmp_path: Path,
) -> None:
    elsewhere = slack_folder(tmp_path / "other")
    day = [{"type": "message", "user": "U1", "ts": "1767607200.000200", "text": "private"}]
    (elsewhere / "general" / "2026-01-05.json").write_text(json.dumps(day))
    export = slack_folder(tmp_path / "slack")
    (export / "random").symlink_to(elsewhere / "general", target_is_directory=True)
    items = list(get_reader("slack").read(export))
    assert "private" not in [m.text for m in items if isinstance(m, Message)]
    assert [q.reason for q in refused(items)] == [LINK_REASON]


def test_slack_folder_metadata_linked_outside_is_quarantined(
    tmp_path: Path, secret: Path
) -> None:
    export = slack_folder(tmp_path / "slack")
    (export / "users.json").unlink()
    (export / "users.json").symlink_to(secret)
    items = list(get_reader("slack").read(export))
    assert not leaked(items, SECRET)
    assert [(Path(q.source.path).name, q.reason) for q in refused(items)] == [
        ("users.json", LINK_REASON)
    ]


@pytest.mark.parametrize("reader, layout", [
    ("mastodon", "outbox.json"),
    ("twitter", "data/tweets.js"),
])
def test_account_export_whose_main_file_is_a_link_is_not_read(
    tmp_path: Path, secret: Path, reader: str, layout: str
) -> None:
    export = tmp_path / "export"
    (export / layout).parent.mkdir(parents=True)
    (export / layout).symlink_to(secret)
    items = list(get_reader(reader).read(export))
    assert not leaked(items, SECRET)
    assert [(q.reason, q.raw) for q in refused(items)] == [(LINK_REASON, b"")]


def test_scanned_folder_with_a_linked_file_never_stores_its_bytes(
    tmp_path: Path, secret: Path
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "note.eml").symlink_to(secret)
    (folder / "passwd.eml").symlink_to("/etc/passwd")
    db = get_engine(f"sqlite:///{tmp_path / 'scan.db'}")
    from commsguard.store.db import migrate

    migrate(db)
    summary = scan([folder], engine=Engine(load_pack(), only_rules=[]), db=db)
    assert summary.messages == 0
    with session_scope(db) as s:
        rows = s.execute(select(QuarantineRow.source_path, QuarantineRow.reason,
                                QuarantineRow.raw)).all()
    assert sorted((Path(p).name, r, raw) for p, r, raw in rows) == [
        ("note.eml", LINK_REASON, None),
        ("passwd.eml", LINK_REASON, None),
    ]


def test_quarantined_link_offers_no_raw_bytes_over_the_api(
    inst: Installation, api: Callable[[str], TestClient], tmp_path: Path
) -> None:
    box = maildir(tmp_path / "Maildir")
    (box / "new" / "1.x").symlink_to(inst.settings.secret_file)
    db = get_engine(inst.settings.database_url)
    scan([box], engine=Engine(load_pack(), only_rules=[]), db=db)
    admin = api("admin")
    listed = admin.get("/api/v1/quarantine", params={"limit": 500}).json()["data"]
    [item] = [q for q in listed if q["file"].endswith(os.path.join("new", "1.x"))]
    assert item["reason"] == LINK_REASON and item["raw_bytes"] == 0
    raw = admin.get(f"/api/v1/quarantine/{item['id']}/raw")
    assert raw.status_code == 200 and raw.content == b""
