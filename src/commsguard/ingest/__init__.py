"""Readers for archive and export formats, in an explicit registry.

Add a reader by writing its module and naming it in ``READERS``; an unknown name is an error.
"""

from __future__ import annotations

from pathlib import Path

from commsguard.errors import UnknownReaderError
from commsguard.ingest.base import LINK_REASON, OUTSIDE_REASON, Item, Quarantined, Reader
from commsguard.ingest.eml import EmlReader
from commsguard.ingest.facebook import FacebookReader
from commsguard.ingest.generic import CsvReader, JsonlReader
from commsguard.ingest.linkedin import LinkedInReader
from commsguard.ingest.maildir import MaildirReader
from commsguard.ingest.mastodon import MastodonReader
from commsguard.ingest.mbox import MboxReader
from commsguard.ingest.msg import MsgReader
from commsguard.ingest.slack import SlackReader
from commsguard.ingest.sms_backup import SmsBackupReader
from commsguard.ingest.teams import TeamsReader
from commsguard.ingest.twitter import TwitterReader

# Order matters to detect_reader: specific sniffers (content signatures, known file names) come
# before generic ones (any .json, .csv or header-looking text).
READERS: dict[str, type[Reader]] = {
    "msg": MsgReader,
    "sms_backup": SmsBackupReader,
    "twitter": TwitterReader,
    "teams": TeamsReader,
    "mastodon": MastodonReader,
    "slack": SlackReader,
    "facebook": FacebookReader,
    "linkedin": LinkedInReader,
    "maildir": MaildirReader,
    "eml": EmlReader,
    "mbox": MboxReader,
    "jsonl": JsonlReader,
    "csv": CsvReader,
}


def get_reader(name: str) -> Reader:
    try:
        return READERS[name]()
    except KeyError:
        known = ", ".join(sorted(READERS)) or "none"
        raise UnknownReaderError(f"unknown reader {name!r} (known readers: {known})") from None


def detect_reader(path: Path) -> str | None:
    """The name of the first reader whose ``sniff`` accepts ``path``, or None."""
    for name, cls in READERS.items():
        if cls.sniff(path):
            return name
    return None


__all__ = [
    "LINK_REASON",
    "OUTSIDE_REASON",
    "READERS",
    "Item",
    "Quarantined",
    "Reader",
    "detect_reader",
    "get_reader",
]
