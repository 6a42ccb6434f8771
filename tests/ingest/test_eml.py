"""The .eml reader on the real corpus (golden) and on the awkward cases it must survive."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_golden import extract, golden_for, load_golden

from commsguard.ingest import Quarantined
from commsguard.ingest.eml import EmlReader
from commsguard.models import Message


@pytest.mark.shared
def test_when_real_eml_files_are_read_then_they_match_the_golden_file(real_corpus: Path) -> None:
    assert golden_for("eml", real_corpus) == load_golden("eml")


@pytest.mark.shared
@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("eml/mail_japanese_iso_2022.eml", "すみません。"),
        ("eml/mail_japanese_shift_jis.eml", "このメールはテスト用のメールです。"),
        ("eml/mail_ks_c_5601-1987.eml", "스티해"),
        ("eml/flanker_quoted-printable.eml", "u=http%3A%2F%2Fwww.horizont.at%2Fhome"),
        ("eml/flanker_enclosed.eml", "чтобы я без вас делал"),
    ],
)
def test_when_charset_is_exotic_then_text_decodes(
    real_corpus: Path, rel: str, expected: str
) -> None:
    (msg,) = [i for i in EmlReader().read(real_corpus / rel) if isinstance(i, Message)]
    assert expected in msg.text


@pytest.mark.shared
def test_when_header_has_raw_latin1_then_author_is_repaired(real_corpus: Path) -> None:
    (item,) = extract("eml", real_corpus, "eml/flanker_from-encoding.eml")
    assert item["author"] == "Ingo Lütkebohle <ingo@blank.pages.de>"


def test_when_html_only_then_text_is_reduced(tmp_path: Path) -> None:
    f = tmp_path / "a.eml"
    f.write_bytes(
        b"From: A <a@x.org>\r\nSubject: =?utf-8?q?Caf=C3=A9?=\r\nMessage-ID: <1@x>\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n"
        b"<html><head><style>p{}</style></head><body><p>Hello&nbsp;<b>world</b></p>"
        b"<script>x()</script></body></html>"
    )
    (msg,) = EmlReader().read(f)
    assert isinstance(msg, Message)
    assert msg.text == "Café\n\nHello world"
    assert msg.id == "1@x"


def test_when_declared_charset_is_wrong_then_part_is_quarantined_with_a_note(
    tmp_path: Path,
) -> None:
    f = tmp_path / "b.eml"
    f.write_bytes(
        b"From: a@x.org\r\nSubject: s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"caf\xe9 \xff\xfe"
    )
    items = list(EmlReader().read(f))
    assert isinstance(items[0], Message)
    assert "caf" in items[0].text
    assert isinstance(items[1], Quarantined)
    assert "not valid utf-8" in items[1].reason


def test_when_file_is_over_the_limit_then_quarantined(tmp_path: Path) -> None:
    from commsguard.ingest._common import Limits

    f = tmp_path / "big.eml"
    f.write_bytes(b"From: a@x.org\r\n\r\n" + b"x" * 2000)
    (item,) = EmlReader(limits=Limits(max_message_bytes=1000)).read(f)
    assert isinstance(item, Quarantined)
    assert "limit" in item.reason


def test_when_file_is_not_mail_then_quarantined(tmp_path: Path) -> None:
    f = tmp_path / "c.eml"
    f.write_bytes(b"just some words\nand more\n")
    (item,) = EmlReader().read(f)
    assert isinstance(item, Quarantined)
    assert item.reason == "no RFC 822 headers found"
