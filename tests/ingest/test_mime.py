"""The MIME helpers every email reader uses."""

from __future__ import annotations

import pytest

from commsguard.ingest.mime import decode_bytes, decode_header_value, html_to_text, python_codec


@pytest.mark.parametrize(
    ("label", "codec"),
    [("ks_c_5601-1987", "cp949"), ("Shift_JIS", "cp932"), ("ISO-8859-1", "cp1252"),
     ("us-ascii", None), ("no-such-charset", None)],
)  # fmt: skip
def test_when_label_is_an_alias_then_codec_is_the_real_one(label: str, codec: str | None) -> None:
    assert python_codec(label) == codec


def test_when_unspecified_charset_has_8bit_then_guessed_without_problem() -> None:
    assert decode_bytes("café".encode(), None) == ("café", None)
    assert decode_bytes(b"caf\xe9", "us-ascii") == ("café", None)


def test_when_unknown_charset_then_problem_is_reported() -> None:
    text, problem = decode_bytes(b"abc", "x-martian")
    assert text == "abc"
    assert problem is not None and "unknown charset" in problem


def test_when_header_is_rfc2047_then_decoded() -> None:
    assert decode_header_value("=?UTF-8?B?44G+44G/44KA44KB44KC?=") == "まみむめも"


def test_when_html_has_mentions_and_blocks_then_text_reads_naturally() -> None:
    html = 'Hi <at id="0">Ann</at><br>\nline<div>block</div><script>no()</script>&amp;'
    assert html_to_text(html) == "Hi @Ann\nline\nblock\n&"
