"""Property-based: mutated and truncated inputs never crash a reader.

Each reader gets a valid input of its format, then hypothesis flips, inserts, deletes and cuts
bytes. Whatever comes out must be Messages and Quarantined items with a reason; no exception
may escape. Examples are bounded so the whole ingest suite stays fast.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commsguard.ingest import READERS, Quarantined
from commsguard.models import Message

# Derandomised so CI is repeatable; COMMSGUARD_EXPLORE=1 draws new cases (how the unknown
# XML encoding that crashed the SMS reader was found) — add what it finds as a fixed example.
SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=not os.environ.get("COMMSGUARD_EXPLORE"),
)

EML = (
    b"From: =?utf-8?q?Ann_=C3=85s?= <ann@x.org>\r\nSubject: hi\r\nMessage-ID: <1@x>\r\n"
    b"Date: Tue, 14 Nov 2023 22:13:20 +0000\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\n'
    b"Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable"
    b"\r\n\r\ncaf=E9 =\r\nsoft\r\n--B\r\nContent-Type: text/html; charset=shift_jis\r\n\r\n"
    b'<p>\x82\xa0</p>\r\n--B\r\nContent-Type: application/pdf; name="a.pdf"\r\n'
    b"Content-Disposition: attachment; filename*=utf-8''%C3%A5.pdf\r\n"
    b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjMK\r\n--B--\r\n"
)
MBOX = (
    b"From a@x Mon Jan  1 00:00:00 2024\n"
    + EML.replace(b"\r\n", b"\n")
    + (b"\nFrom b@x Mon Jan  1 00:00:01 2024\nSubject: two\n\n>From body\n")
)
SMS = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"2\">\n"
    b'<sms address="+1555" date="1512226167463" type="1" body="hi &amp; bye" '
    b'contact_name="A" />\n<mms date="1720997593000" msg_box="1" address="+1555"><parts>'
    b'<part ct="text/plain" text="mms body" /><part ct="image/png" cl="i.png" data="iVBO" />'
    b'</parts><addrs><addr address="+1555" type="137" /></addrs></mms>\n</smses>\n'
)
TEAMS = json.dumps({"value": [
    {"id": "1", "messageType": "message", "createdDateTime": "2024-01-02T03:04:05Z",
     "from": {"user": {"displayName": "Ann"}},
     "body": {"contentType": "html", "content": "<p>Hi <at id=\"0\">Bob</at></p>"},
     "attachments": [{"id": "a", "contentType": "application/vnd.microsoft.card.thumbnail",
                      "content": "{\"title\": \"t\"}"}],
     "replies": [{"id": "2", "replyToId": "1", "body": {"content": "r"}}]}]}).encode()  # fmt: skip
TWEETS = b"window.YTD.tweets.part0 = " + json.dumps([
    {"tweet": {"id_str": "2", "full_text": "a &amp; b https://t.co/x",
               "created_at": "Sat Feb 18 19:45:15 +0000 2023", "in_reply_to_status_id_str": "1",
               "entities": {"urls": [{"url": "https://t.co/x", "expanded_url": "https://x.org"}]},
               "extended_entities": {"media": [{"media_url_https": "https://p/a.jpg"}]}}},
    {"tweet": {"id_str": "1", "full_text": "root", "created_at": "bad"}}]).encode()  # fmt: skip
OUTBOX = json.dumps({"@context": "https://www.w3.org/ns/activitystreams", "orderedItems": [
    {"type": "Create", "object": {"id": "u1", "content": "<p>x</p>", "published": "2024-01-01"}},
    {"type": "Announce", "object": "https://o/1"}]}).encode()  # fmt: skip
FACEBOOK = json.dumps([{"timestamp": 1700000000, "title": "A B updated his status.",
    "data": [{"post": "S\u00c3\u00b8ren"}],
    "attachments": [{"data": [{"media": {"uri": "p/a.jpg"}}]}]}]).encode()  # fmt: skip
SHARES = (
    b"Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"
    b'2023-05-01 12:34:56,https://l/urn%3Ali%3Ashare%3A7,"two\nlines ""q""",,,MEMBER\n'
)
CSV = b"id,text,author,time,capacity\n1,hello,ann,2024-01-02T03:04:05Z,official\n2,b,c,17,\n"
JSONL = b'{"text": "a", "time": 1700000000}\n{"text": "b", "capacity": "official"}\n'


def _slack_zip(day: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("users.json", json.dumps([{"id": "U1", "real_name": "Ann"}]))
        zf.writestr("channels.json", json.dumps([{"id": "C1", "name": "general"}]))
        zf.writestr("general/2024-01-01.json", day)
    return buf.getvalue()


SLACK_DAY = json.dumps([
    {"type": "message", "user": "U1", "text": "hi <@U1>", "ts": "1700000000.1", "thread_ts": "1"},
    {"type": "message", "subtype": "message_changed", "ts": "1700000001.0",
     "message": {"user": "U1", "text": "e"}},
    {"type": "message", "subtype": "file_comment", "comment": {"comment": "c"}, "ts": "1.0",
     "file": {"name": "f"}, "attachments": [{"pretext": "p", "text": "t"}]}]).encode()  # fmt: skip


# reader -> (file name, valid bytes)
SAMPLES: dict[str, tuple[str, bytes]] = {
    "eml": ("m.eml", EML),
    "mbox": ("m.mbox", MBOX),
    "sms_backup": ("sms.xml", SMS),
    "teams": ("t.json", TEAMS),
    "twitter": ("tweets.js", TWEETS),
    "mastodon": ("outbox.json", OUTBOX),
    "facebook": ("your_posts_1.json", FACEBOOK),
    "linkedin": ("Shares.csv", SHARES),
    "csv": ("m.csv", CSV),
    "jsonl": ("m.jsonl", JSONL),
    "slack": ("export.zip", _slack_zip(SLACK_DAY)),
}


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` cut short, or with a few bytes flipped, inserted or deleted."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["truncate", "flip", "insert", "delete"]))
        at = draw(st.integers(0, max(0, len(out) - 1)))
        if op == "truncate":
            del out[at:]
        elif op == "flip" and out:
            out[at] = draw(st.integers(0, 255))
        elif op == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=8))
        else:
            del out[at : at + draw(st.integers(1, 16))]
    return bytes(out)


def check(reader: str, write: Callable[[Path], Path]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp))
        for item in READERS[reader]().read(path):
            assert isinstance(item, Message | Quarantined)
            if isinstance(item, Quarantined):
                assert item.reason.strip(), f"empty reason at {item.source}"


def test_when_samples_are_valid_then_they_read_without_quarantine() -> None:
    for reader, (name, data) in SAMPLES.items():
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / name
            path.write_bytes(data)
            items = list(READERS[reader]().read(path))
            assert items and any(isinstance(i, Message) for i in items), reader
            if reader != "mastodon":  # its sample has no actor.json beside it, which is fine
                assert not [i for i in items if isinstance(i, Quarantined)], reader


@pytest.mark.parametrize("reader", sorted(SAMPLES))
def test_when_input_is_mutated_then_reader_never_crashes(reader: str) -> None:
    name, data = SAMPLES[reader]

    @SETTINGS
    @given(mutated(data))
    def run(blob: bytes) -> None:
        def write(tmp: Path) -> Path:
            (tmp / name).write_bytes(blob)
            return tmp / name

        check(reader, write)

    run()


@SETTINGS
@given(mutated(SLACK_DAY))
def test_when_slack_day_file_is_mutated_then_reader_never_crashes(day: bytes) -> None:
    def write(tmp: Path) -> Path:
        (tmp / "e.zip").write_bytes(_slack_zip(day))
        return tmp / "e.zip"

    check("slack", write)


@SETTINGS
@given(mutated(EML))
def test_when_maildir_message_is_mutated_then_reader_never_crashes(blob: bytes) -> None:
    def write(tmp: Path) -> Path:
        for sub in ("cur", "new", "tmp"):
            (tmp / sub).mkdir()
        (tmp / "cur" / "1.x:2,S").write_bytes(blob)
        return tmp

    check("maildir", write)


@pytest.mark.shared
def test_when_msg_is_mutated_then_reader_never_crashes(real_corpus: Path) -> None:
    data = (real_corpus / "msg" / "msgreader_attachAndInline.msg").read_bytes()

    @settings(max_examples=25, deadline=None)
    @given(mutated(data))
    def run(blob: bytes) -> None:
        def write(tmp: Path) -> Path:
            (tmp / "m.msg").write_bytes(blob)
            return tmp / "m.msg"

        check("msg", write)

    run()


def test_when_zip_is_a_bomb_then_members_over_the_limit_are_quarantined(tmp_path: Path) -> None:
    from commsguard.ingest._common import Limits
    from commsguard.ingest.slack import SlackReader

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("users.json", b"[" + b" " * 5_000_000 + b"]")
        zf.writestr("channels.json", "[]")
        for i in range(5):
            zf.writestr(f"general/2024-01-0{i + 1}.json", SLACK_DAY)
    path = tmp_path / "bomb.zip"
    path.write_bytes(buf.getvalue())
    limits = Limits(max_member_bytes=1_000_000, max_members=4)
    items = list(SlackReader(limits=limits).read(path))
    reasons = [i.reason for i in items if isinstance(i, Quarantined)]
    assert any("more than 4 members" in r for r in reasons)
    assert any("over the limit" in r for r in reasons)
