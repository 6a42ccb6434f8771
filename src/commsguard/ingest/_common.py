"""Helpers the readers share: limits against archive bombs, time parsing, safe zip access.

Private to the ingest package: readers import from here, nothing outside does.
"""

from __future__ import annotations

import json
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from commsguard.errors import RefusedPathError
from commsguard.ingest.base import LINK_REASON, OUTSIDE_REASON, Quarantined
from commsguard.models import Source

# Everything zipfile raises on a damaged or unusual archive: a bad header (BadZipFile), a newer
# format version or compression method (NotImplementedError), encryption (RuntimeError), a
# corrupt deflate stream (zlib.error), a short read (EOFError).
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    zipfile.BadZipFile,
    NotImplementedError,
    RuntimeError,
    EOFError,
    ValueError,
    zlib.error,
)

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Ceilings that stop a hostile or broken archive from exhausting memory or disk.

    Anything over a limit is quarantined with the limit named, never silently dropped.
    """

    max_members: int = 200_000
    max_member_bytes: int = 256 * MiB
    max_total_bytes: int = 8 * 1024 * MiB
    max_message_bytes: int = 50 * MiB
    #: Whole-file JSON formats (tweets.js, a Graph page) are parsed in one go; cap them.
    max_json_file_bytes: int = 512 * MiB
    #: A JSON file of an export made of many small ones (a Slack day file, users.json) is
    #: parsed whole after inflating: cap its bytes, and the values in it (counted before
    #: parsing, so ``[[],[],…]`` cannot turn 200 MB into 5 GB of Python objects), and the
    #: elements of its array of messages.
    max_json_member_bytes: int = 64 * MiB
    max_json_values: int = 4_000_000
    max_json_elements: int = 200_000
    #: Bad elements of one file quarantined one by one; past this the file is quarantined as
    #: one item with a count.
    max_bad_elements: int = 20


DEFAULT_LIMITS = Limits()


def source(path: Path | str, position: str = "") -> Source:
    return Source(path=str(path), position=position)


def derived_id(src: Source) -> str:
    """An id for items whose format has none: the file's name and the position in it.

    The name rather than the full path, so the id survives the archive being moved or mounted
    elsewhere; the store keys messages by content hash and source as well, so two files of the
    same name elsewhere do not collide there.
    """
    name = Path(src.path).name
    return f"{name}:{src.position}" if src.position else name


def quarantine(path: Path | str, position: str, reason: str, raw: bytes = b"") -> Quarantined:
    # Keep only a bounded sample of the raw bytes: the quarantine table is not an archive copy.
    return Quarantined(source(path, position), reason, raw[:4096])


def utc(dt: datetime) -> datetime:
    """Aware UTC; a naive datetime is taken to be UTC already (the formats we read say so)."""
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def from_epoch(value: object, *, millis: bool = False) -> datetime | None:
    """Seconds (or milliseconds) since the epoch, as int, float or string; None if unusable."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    if millis:
        number /= 1000.0
    try:
        return datetime.fromtimestamp(number, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


_EPOCH = re.compile(r"^\d{9,13}(\.\d+)?$")


def parse_time(value: object) -> datetime | None:
    """ISO 8601 (with ``Z``), ``YYYY-MM-DD HH:MM:SS`` or epoch seconds/millis; None otherwise."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return from_epoch(value, millis=value > 1e11)
    text = str(value).strip()
    if not text:
        return None
    if _EPOCH.match(text):
        return from_epoch(text, millis=len(text.split(".")[0]) > 11)
    try:
        return utc(datetime.fromisoformat(text))
    except ValueError:
        return None


def text_of(value: object) -> str:
    """A JSON value as text: None is empty, everything else is its string form."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def as_dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def head(path: Path, size: int = 4096) -> bytes:
    """The first bytes of a file for sniffing; empty if it cannot be read."""
    try:
        with path.open("rb") as fh:
            return fh.read(size)
    except OSError:
        return b""


def refuse_path(root: Path, file: Path) -> str | None:
    """Why ``file`` must not be read as part of the export at ``root``; None if it may be.

    An export is untrusted: a symbolic link in it (``new/1.x -> /etc/passwd``, a day file
    pointing at the installation secret) would make a scan copy another file into the
    quarantine or the queue. So a link anywhere between ``root`` and ``file`` is refused, and
    so is a path that resolves outside ``root``. ``root`` itself is what the operator named
    and may be a link.
    """
    try:
        rel = file.relative_to(root)
    except ValueError:
        return OUTSIDE_REASON
    current = root
    for part in rel.parts:
        if part in ("", ".", ".."):
            return OUTSIDE_REASON
        current = current / part
        if current.is_symlink():
            return LINK_REASON
    try:
        inside = file.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return OUTSIDE_REASON
    return None if inside else OUTSIDE_REASON


def read_inside(root: Path, file: Path, max_bytes: int) -> bytes:
    """The bytes of ``file``, a regular file inside the export at ``root``, at most ``max_bytes``.

    Raises :class:`~commsguard.errors.RefusedPathError` (nothing is read) for a link or a path
    outside ``root``, ``ValueError`` for a file over ``max_bytes`` or not a regular file,
    ``OSError`` if it cannot be read. The file is opened without following a final link
    (``O_NOFOLLOW``), so a file swapped for a link after the check is not followed either.
    """
    reason = refuse_path(root, file)
    if reason is not None:
        raise RefusedPathError(reason)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(file, flags)
    except OSError as exc:
        if file.is_symlink():
            raise RefusedPathError(LINK_REASON) from exc
        raise
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise ValueError("not a regular file")
        if st.st_size > max_bytes:
            raise ValueError(f"file is {st.st_size} bytes, over the {max_bytes}-byte limit")
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(f"file grew past the {max_bytes}-byte limit while read")
    return data


def load_json_file(path: Path, limits: Limits, *, root: Path | None = None) -> Any:
    """Parse a whole JSON file, refusing files over the limit.

    ``root``: the export folder ``path`` was found in; the file must then be a regular file
    inside it (:func:`read_inside`). Without it, ``path`` is the file the operator named.
    Raises ``ValueError`` (with the reason) for oversize or malformed files, ``OSError`` if the
    file cannot be read, :class:`~commsguard.errors.RefusedPathError` for a link.
    """
    if root is None:
        path = path.resolve()
        root = path.parent
    try:
        data = read_inside(root, path, limits.max_json_file_bytes)
    except ValueError as exc:
        raise ValueError(f"{exc} (the limit for JSON)") from None
    return json.loads(data.decode("utf-8-sig"))


def parse_json_bounded(data: bytes, limits: Limits) -> Any:
    """Parse one small JSON file of an export with memory bounded by ``limits``.

    The bytes are already capped (``max_json_member_bytes``). Before parsing, the values they
    can hold are counted from the separators (``,``, ``[``, ``{``; an upper bound, as strings
    may contain them): a file over ``max_json_values`` is refused unparsed. An array (or an
    object's array, as slackdump writes) over ``max_json_elements`` is refused as well. Raises
    ``ValueError`` naming the limit.
    """
    values = data.count(b",") + data.count(b"[") + data.count(b"{")
    if values > limits.max_json_values:
        raise ValueError(
            f"holds up to {values} JSON values, over the limit of {limits.max_json_values} "
            "per file; not parsed"
        )
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except RecursionError:
        raise ValueError("JSON is nested too deeply") from None
    arrays = [parsed] if isinstance(parsed, list) else []
    if isinstance(parsed, dict):
        arrays = [v for v in parsed.values() if isinstance(v, list)]
    for array in arrays:
        if len(array) > limits.max_json_elements:
            raise ValueError(
                f"array has {len(array)} elements, over the limit of "
                f"{limits.max_json_elements} per file; not read"
            )
    return parsed


class ZipBudget:
    """Checks zip members against the limits as they are read, so a bomb is stopped early."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.members = 0
        self.total = 0

    def members_of(self, zf: zipfile.ZipFile) -> Iterator[zipfile.ZipInfo | Quarantined]:
        for info in zf.infolist():
            self.members += 1
            if self.members > self.limits.max_members:
                yield quarantine(
                    self.path,
                    info.filename,
                    f"zip has more than {self.limits.max_members} members; the rest is skipped",
                )
                return
            yield info

    def read(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, *, cap: int | None = None) -> bytes:
        """Read one member, stopping as soon as it passes the per-member or total limit.

        The sizes in the zip directory can lie, so the check is on the bytes actually
        inflated. ``cap``: a lower limit for this member (a JSON file). Raises ``ValueError``
        naming the limit.
        """
        cap = min(
            self.limits.max_member_bytes if cap is None else cap,
            self.limits.max_member_bytes,
            self.limits.max_total_bytes - self.total,
        )
        if info.file_size > cap:
            raise ValueError(
                f"member declares {info.file_size} bytes, over the limit of {cap} bytes"
            )
        chunks: list[bytes] = []
        got = 0
        with zf.open(info) as fh:
            while chunk := fh.read(1024 * 1024):
                got += len(chunk)
                if got > cap:
                    raise ValueError(f"member inflates past the limit of {cap} bytes")
                chunks.append(chunk)
        self.total += got
        return b"".join(chunks)
