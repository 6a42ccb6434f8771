"""The LinkedIn Shares.csv reader on a synthetic export."""

from __future__ import annotations

from pathlib import Path

from commsguard.ingest import detect_reader
from commsguard.ingest.linkedin import LinkedInReader
from commsguard.models import Message

SHARES = (
    "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"
    "2023-05-01 12:34:56,https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A7058%2F,"
    '"Proud of the team.\nNew ""policy"" live!",https://x.org/p,,MEMBER_NETWORK\n'
    "2023-05-02 08:00:00,,Second,,https://media.licdn.com/img/abc.jpg,CONNECTIONS\n"
)


def test_when_shares_csv_is_read_then_multiline_text_and_urn_ids(tmp_path: Path) -> None:
    f = tmp_path / "Shares.csv"
    f.write_text(SHARES, encoding="utf-8")
    assert detect_reader(f) == "linkedin"
    first, second = (i for i in LinkedInReader().read(f) if isinstance(i, Message))
    assert first.id == "urn:li:share:7058"
    assert first.text == 'Proud of the team.\nNew "policy" live!\nhttps://x.org/p'
    assert first.time is not None and first.time.isoformat() == "2023-05-01T12:34:56+00:00"
    assert first.channel == "linkedin"
    assert second.id == "Shares.csv:line 4"
    assert second.attachments[0].name == "abc.jpg"
