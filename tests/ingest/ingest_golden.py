"""What the golden tests compare: a reader's output on a real corpus file, as plain JSON.

Shared by the tests and by ``regen_golden.py``, so both summarise in exactly the same way.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from commsguard.ingest import READERS, Quarantined
from commsguard.models import Message

GOLDEN = Path(__file__).parent / "golden"

# Which reader each real corpus file is for (paths relative to corpus/real). Files the readers
# do not handle (proxy logs, the Twitter account.js read beside tweets.js) map to None.
CORPUS: dict[str, str | None] = {
    "eml/flanker_attached-pdf.eml": "eml",
    "eml/flanker_enclosed.eml": "eml",
    "eml/flanker_from-encoding.eml": "eml",
    "eml/flanker_quoted-printable.eml": "eml",
    "eml/mail_attachment_with_encoded_name.eml": "eml",
    "eml/mail_japanese_iso_2022.eml": "eml",
    "eml/mail_japanese_shift_jis.eml": "eml",
    "eml/mail_ks_c_5601-1987.eml": "eml",
    "mbox/cpython_mailbox_01.mbox": "mbox",
    "mbox/Mail-MboxParser_testbox.mbox": "mbox",
    "mbox/Mail-MboxParser_qpname.mbox": "mbox",
    "msg/msg-extractor_strangeDate.msg": "msg",
    "msg/msgreader_attachAndInline.msg": "msg",
    "msg/msgreader_msgInMsg.msg": "msg",
    "msg/msgreader_nonUnicodeCP932.msg": "msg",
    "slack/slack-export-viewer_testarchive.zip": "slack",
    "slack/slackdump_source_export.zip": "slack",
    "slack/slackdump_export_dms.json": "slack",
    "slack/slackdump_export_mpims.json": "slack",
    "sms_backup/Memacs_smsxml.txt": "sms_backup",
    "sms_backup/sms-backup-reader-2_sms_small.xml": "sms_backup",
    "sms_backup/sms-backup-reader-2_sms_and_mms.xml": "sms_backup",
    "teams/pnpcore_AddChatMessageWithChannelAndUserMentionAsyncTest-0-00024.response.json": "teams",
    "teams/pnpcore_AddChatMessageWithChannelAndUserMentionAsyncTest-0-00024.graph-body.json": (
        "teams"
    ),
    "teams/pnpcore_AddChatMessageReplyWithAttachmentAsyncTest-0-00043.response.json": "teams",
    "teams/pnpcore_AddChatMessageReplyWithAttachmentAsyncTest-0-00043.graph-body.json": "teams",
    "twitter/community-archive_tweets.js": "twitter",
    "twitter/community-archive_account.js": None,
    "squid/plaso_squid_access.log": None,
    "squid/go.d.plugin_access.log": None,
    "zeek/lnav_logfile_bro_http.log.0": None,
    "w3c_iis/lnav_logfile_w3c.0": None,
    "w3c_iis/lnav_logfile_w3c.1": None,
    "w3c_iis/lnav_logfile_w3c.3": None,
    "w3c_iis/lnav_logfile_w3c.6": None,
    "w3c_iis/go.d.plugin_u_ex221107.log": None,
}


def summarise(item: Message | Quarantined) -> dict[str, Any]:
    """The fields a golden file pins down; paths are reduced to the position inside the file."""
    if isinstance(item, Quarantined):
        return {
            "quarantined": item.source.position,
            "file": Path(item.source.path).name,
            "reason": item.reason,
        }
    return {
        "id": item.id,
        "author": item.author,
        "channel": item.channel,
        "time": item.time.isoformat() if item.time else None,
        "thread": item.thread,
        "text": item.text[:80],
        "attachments": [a.name for a in item.attachments],
        "position": item.source.position if item.source else None,
    }


def extract(reader: str, corpus: Path, rel: str) -> list[dict[str, Any]]:
    return [summarise(item) for item in READERS[reader]().read(corpus / rel)]


def golden_for(reader: str, corpus: Path) -> dict[str, list[dict[str, Any]]]:
    return {rel: extract(reader, corpus, rel) for rel, name in CORPUS.items() if name == reader}


def load_golden(reader: str) -> dict[str, list[dict[str, Any]]]:
    data: dict[str, list[dict[str, Any]]] = json.loads(
        (GOLDEN / f"{reader}.json").read_text(encoding="utf-8")
    )
    return data
