"""The SMS Backup & Restore reader on the real backups, including a truncated one."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_golden import extract, golden_for, load_golden


@pytest.mark.shared
def test_when_real_backups_are_read_then_they_match_the_golden_file(real_corpus: Path) -> None:
    assert golden_for("sms_backup", real_corpus) == load_golden("sms_backup")


@pytest.mark.shared
def test_when_backup_is_truncated_then_records_before_the_break_are_kept(
    real_corpus: Path,
) -> None:
    items = extract("sms_backup", real_corpus, "sms_backup/sms-backup-reader-2_sms_and_mms.xml")
    assert len([i for i in items if "id" in i]) == 49  # 41 sms + 8 complete mms
    assert items[-1]["quarantined"] == "line 136"
    assert "49 records before it were read" in items[-1]["reason"]


@pytest.mark.shared
def test_when_mms_has_image_then_it_is_listed(real_corpus: Path) -> None:
    items = extract("sms_backup", real_corpus, "sms_backup/sms-backup-reader-2_sms_and_mms.xml")
    assert ["image_8.png"] in [i.get("attachments") for i in items]


@pytest.mark.shared
def test_when_sms_was_sent_then_author_is_the_owner(real_corpus: Path) -> None:
    items = extract("sms_backup", real_corpus, "sms_backup/Memacs_smsxml.txt")
    assert [i["author"] for i in items] == ["+436812314123", "me", "me", "me"]


def test_when_xml_declares_an_unknown_encoding_then_the_file_is_quarantined(
    tmp_path: Path,
) -> None:
    from commsguard.ingest import Quarantined
    from commsguard.ingest.sms_backup import SmsBackupReader

    path = tmp_path / "sms.xml"
    path.write_bytes(b'<?xml version="1.0" encoding="TF-8"?><smses count="1">'
                     b'<sms address="1" date="1700000000000" type="1" body="hi" /></smses>')
    (item,) = SmsBackupReader().read(path)
    assert isinstance(item, Quarantined)
    assert "TF-8" in item.reason and item.source.position == "line 1"
