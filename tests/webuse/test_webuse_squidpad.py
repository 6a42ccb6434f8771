"""Padding Squid's right-aligned elapsed field, and reading a log in whole-line blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from commsguard.webuse.readers.squidpad import pad_spaces, padded_blocks

T = "1709593200.000"
REST = "10.0.0.1 TCP_MISS/200 10 GET http://x.com/ - HIER_DIRECT/1.2.3.4 -"


def line(elapsed: str) -> bytes:
    return f"{T} {elapsed} {REST}\n".encode()


@pytest.mark.parametrize(
    ("elapsed", "padded"),
    [
        ("   120", "000120"),
        ("     1", "000001"),
        ("123456", "123456"),
        ("1234567", "1234567"),  # seven digits: no padding, left alone
    ],
)
def test_when_every_line_fixed_width_then_only_the_padding_becomes_zeros(
    elapsed: str, padded: str
) -> None:
    assert pad_spaces(line(elapsed) + line("    42")) == line(padded) + line("000042")


def test_when_a_line_is_not_right_aligned_then_every_doubled_space_becomes_zero() -> None:
    # "  1234 " is padded to 7, not 6 (plaso's sample): the whole-block rule applies
    chunk = f"{T}  1234 {REST}\n{T}    120 {REST}  x\n".encode()
    assert pad_spaces(chunk) == f"{T} 01234 {REST}\n{T} 000120 {REST} 0x\n".encode()


def test_when_lines_are_short_or_blank_then_left_for_the_parser() -> None:
    chunk = b"\n" + b"junk  junk\n" + line("   120")
    assert pad_spaces(chunk) == b"\n" + b"junk  junk\n" + line("000120")


def test_when_text_in_the_elapsed_columns_then_not_treated_as_padding() -> None:
    chunk = f"{T}   12 3 {REST}\n".encode()  # a space after a digit inside the six columns
    assert pad_spaces(chunk) == f"{T} 0012 3 {REST}\n".encode()  # the block rule


def test_when_read_in_small_blocks_then_lines_numbers_and_originals_are_whole(
    tmp_path: Path,
) -> None:
    lines = [line(f"{n:6d}") for n in range(1, 40)]
    lines[7] = b"x" * 300 + b"\n"  # longer than a block: the buffer grows
    raw = b"".join(lines) + b"no newline at the end"
    path = tmp_path / "access.log"
    path.write_bytes(raw)
    done: list[int] = []
    blocks = list(padded_blocks(path, chunk_bytes=256, progress=done.append))
    assert len(blocks) > 5
    assert b"".join(b.data for b in blocks) == pad_spaces(raw + b"\n")
    assert [b.first_line for b in blocks] == [
        1 + sum(b.lines for b in blocks[:i]) for i in range(len(blocks))
    ]
    assert sum(b.lines for b in blocks) == 40
    assert b"".join(b.original(path) for b in blocks) == raw + b"\n"
    assert all(b.data.endswith(b"\n") for b in blocks)
    assert done[-1] == len(raw) and done == sorted(done)


def test_when_file_empty_then_no_blocks(tmp_path: Path) -> None:
    path = tmp_path / "empty.log"
    path.write_bytes(b"")
    assert list(padded_blocks(path, chunk_bytes=1 << 10)) == []
