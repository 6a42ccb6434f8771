"""Squid native lines made fit for a CSV parser: whole-line blocks with the padding made zeros.

Squid writes ``%ts.%03tu %6tr``: a 14-character time, a space, then the elapsed time
right-aligned in 6 characters, so a variable run of spaces follows the time and a CSV parser
splitting on single spaces would see empty fields. :func:`pad_in_place` turns that padding
into zeros (``"   340"`` becomes ``"000340"``).

:func:`padded_blocks` reads the file straight into one reused numpy buffer, finds the line ends
once (they give the line count, the last whole line and the line starts the padding needs) and
pads in place, so each block costs one copy out of the kernel and one into the ``bytes`` polars
reads: no joining of leftovers, no slicing copies, no separate count of newlines.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from commsguard.webuse.readers.base import Progress

Bytes = npt.NDArray[np.uint8]
Index = npt.NDArray[np.intp]

_ELAPSED = tuple(range(15, 22))  # the columns of "%6tr" and the space after it
_NEWLINE, _SPACE, _DOT, _ZERO = 10, 32, 46, 48


@dataclass(frozen=True, slots=True)
class Block:
    """Whole lines of a log, padded: ``data`` starts at line ``first_line`` and byte
    ``offset`` of the file and holds ``lines`` lines (``size`` bytes before any final newline
    was added)."""

    data: bytes
    first_line: int
    lines: int
    offset: int
    size: int

    def original(self, path: Path) -> bytes:
        """The block's bytes as they are in the file (for samples of malformed lines)."""
        with path.open("rb") as f:
            f.seek(self.offset)
            raw = f.read(self.size)
        return raw if raw.endswith(b"\n") else raw + b"\n"


def padded_blocks(
    path: Path, *, chunk_bytes: int, progress: Progress | None = None
) -> Iterator[Block]:
    """Yield :class:`Block` pieces of ``path`` of about ``chunk_bytes``, ending on line ends.

    A line longer than the buffer grows it; a last line without a newline gets one.
    """
    buf = np.empty(max(chunk_bytes, 64), dtype=np.uint8)
    held = 0  # bytes of an unfinished line carried to the front of buf
    offset = 0
    line = 1
    with path.open("rb", buffering=0) as f:
        while True:
            got = _fill(f, buf, held)
            filled = held + got
            if got == 0:  # end of file: a last line without its newline
                if held:
                    tail = np.append(buf[:held], np.uint8(_NEWLINE))
                    ends = np.array([held], dtype=np.intp)
                    yield _block(tail, ends, line, offset, held)
                    offset += held
                    if progress is not None:
                        progress(offset)
                return
            ends = np.flatnonzero(buf[held:filled] == _NEWLINE)
            if not ends.size:  # no line end yet: a longer line than the buffer
                if filled == buf.size:
                    buf = np.concatenate([buf, np.empty_like(buf)])
                held = filled
                continue
            ends += held  # the carried part holds no line end: it was searched before
            cut = int(ends[-1]) + 1
            yield _block(buf[:cut], ends, line, offset, cut)
            line += ends.size
            offset += cut
            if progress is not None:
                progress(offset)
            held = filled - cut
            buf[:held] = buf[cut:filled].copy()


def _fill(f: io.RawIOBase, buf: Bytes, start: int) -> int:
    """Read into ``buf[start:]`` until it is full or the file ends; the bytes read."""
    view = memoryview(buf)[start:]  # type: ignore[arg-type]
    total = 0
    while total < len(view):
        got = f.readinto(view[total:])
        if not got:
            break
        total += got
    return total


def _block(arr: Bytes, ends: Index, first_line: int, offset: int, size: int) -> Block:
    pad_in_place(arr, ends)
    return Block(arr.tobytes(), first_line, int(ends.size), offset, size)


def pad_spaces(chunk: bytes) -> bytes:
    """``chunk`` (whole lines) with the padding of the right-aligned elapsed field made ``0``."""
    arr = np.frombuffer(chunk, np.uint8).copy()
    pad_in_place(arr, np.flatnonzero(arr == _NEWLINE))
    return arr.tobytes()


def pad_in_place(arr: Bytes, ends: Index) -> None:
    """Turn the padding of the elapsed field into ``0`` in ``arr``, whose lines end at ``ends``.

    When every line has the ``%ts.%03tu %6tr`` shape, only characters 15 to 20 of each line
    are looked at. Otherwise every space that follows a space becomes ``0``, whole block at
    once (runs of spaces elsewhere then read as fields starting with zeros, not as empty ones).
    """
    if not _pad_fixed(arr, ends):
        sp = arr == _SPACE
        twice = sp[1:] & sp[:-1]
        bump = twice.view(np.uint8)
        bump <<= 4  # ' ' (32) + 16 is '0' (48)
        arr[1:] += bump


def _pad_fixed(arr: Bytes, ends: Index) -> bool:
    """Pad characters 15-20 of each line in place; False (nothing changed) if any line does not
    have the ``%ts.%03tu %6tr`` shape.

    Works column by column on the line starts (a handful of gathers of one byte per line)
    rather than on a lines-by-characters matrix, which costs twice as much.
    """
    starts = np.empty_like(ends)
    starts[0:1] = 0
    starts[1:] = ends[:-1]
    starts[1:] += 1
    if starts.size and int((ends - starts).min()) < 22:
        starts = starts[ends - starts >= 22]  # short lines are left to the parser to refuse
    if not starts.size:
        return True
    if not (np.all(arr[starts + 10] == _DOT) and np.all(arr[starts + 14] == _SPACE)):
        return False
    space = [arr[starts + at] == _SPACE for at in _ELAPSED]
    # padding is leading: a space after a digit means the field is not right-aligned in 6
    inner = np.zeros(starts.size, dtype=bool)
    some = space[0].copy()
    for k in range(1, 6):
        inner |= space[k] & ~space[k - 1]
        some |= space[k]
    # a padded field ends with the space at 21; seven or more digits have no space at all
    if np.any(inner | (some & ~space[6])):
        return False
    for k in range(6):
        arr[starts[space[k]] + _ELAPSED[k]] = _ZERO
    return True
