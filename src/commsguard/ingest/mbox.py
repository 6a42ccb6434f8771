"""Unix mbox files (mboxo and mboxrd, as written by mail servers, Thunderbird and Google Takeout).

Read line by line: a message is held in memory only until the next ``From `` separator, and a
message over the size limit is quarantined rather than accumulated. :meth:`MboxReader.read_range`
reads part of a file (a byte range starting at a separator) with the positions a whole read
gives, so a large mbox can be checked in chunks in parallel.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, ClassVar

from commsguard.ingest._common import DEFAULT_LIMITS, Limits, head, quarantine, source
from commsguard.ingest.base import Item, Reader
from commsguard.ingest.mime import parse_email

# A separator is "From " + sender + a date with a time in it. Requiring the time keeps an
# unescaped body line such as "From time to time" (mboxo) from splitting a message.
_SEPARATOR = re.compile(rb"^From \S*\s+.*\b\d{1,2}:\d{2}(:\d{2})?\b")
_ESCAPED_FROM = re.compile(rb"^>+From ")


def is_separator(line: bytes, previous_blank: bool) -> bool:
    return previous_blank and line.startswith(b"From ") and bool(_SEPARATOR.match(line))


class MboxReader(Reader):
    name: ClassVar[str] = "mbox"
    description: ClassVar[str] = "Unix mailbox (mbox): many messages, each after a 'From ' line"
    channel: ClassVar[str] = "email"

    def __init__(self, *, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits

    @classmethod
    def sniff(cls, path: Path) -> bool:
        if not path.is_file():
            return False
        if path.suffix.lower() in {".mbox", ".mbx"}:
            return True
        first = head(path, 1024).lstrip(b"\r\n")
        return first.startswith(b"From ") and bool(_SEPARATOR.match(first.split(b"\n")[0]))

    def read(self, path: Path) -> Iterator[Item]:
        return self._read(path, None)

    def read_range(self, path: Path, start: int, end: int, first_line: int) -> Iterator[Item]:
        """The items of bytes ``start`` to ``end``, which must begin at a separator line.

        ``first_line`` is the line number at ``start``, so items have the positions (and hence
        the ids and store keys) that reading the whole file gives them.
        """
        return self._read(path, (start, end, first_line))

    def _read(self, path: Path, span: tuple[int, int, int] | None) -> Iterator[Item]:
        """The whole file, or ``span`` = (start, end, first line) of it."""
        try:
            fh = path.open("rb")
        except OSError as exc:
            yield quarantine(path, "", f"cannot open file: {exc.strerror or exc}")
            return
        with fh:
            if span is None:
                yield from self._split(path, fh)
            else:
                start, end, first_line = span
                fh.seek(start)
                yield from self._split(path, _lines_until(fh, end - start), first_line - 1)

    def _split(self, path: Path, lines: Iterable[bytes], lineno: int = 0) -> Iterator[Item]:
        limit = self.limits.max_message_bytes
        buf: list[bytes] = []
        size = 0
        start_line = 0  # line of the current message's separator; 0 = before any separator
        oversize = False
        previous_blank = True  # the start of a file or range counts as after a blank line
        preamble: list[bytes] = []

        def flush() -> Iterator[Item]:
            position = f"line {start_line}"
            if oversize:
                yield quarantine(path, position, f"message is over the {limit}-byte limit; skipped")
            elif buf:
                yield from parse_email(b"".join(buf), source(path, position))

        for line in lines:
            lineno += 1
            if is_separator(line, previous_blank):
                if start_line:
                    yield from flush()
                elif any(x.strip() for x in preamble):
                    yield quarantine(
                        path, "line 1", "text before the first 'From ' line", b"".join(preamble)
                    )
                buf, size, oversize, start_line = [], 0, False, lineno
            elif start_line:
                if not oversize:
                    size += len(line)
                    if size > limit:
                        oversize, buf = True, []
                    else:
                        # mboxrd escapes body lines starting "From " as ">From "; undo one level.
                        buf.append(line[1:] if _ESCAPED_FROM.match(line) else line)
            elif len(preamble) < 100:
                preamble.append(line)
            previous_blank = not line.strip()
        if start_line:
            yield from flush()
        elif any(x.strip() for x in preamble):
            yield quarantine(path, "line 1", "no 'From ' separator line: not an mbox")


def _lines_until(fh: BinaryIO, size: int) -> Iterator[bytes]:
    """The lines of the next ``size`` bytes (a range ends at a line's start, so none is cut)."""
    while size > 0:
        line = fh.readline()
        if not line:
            return
        size -= len(line)
        yield line
