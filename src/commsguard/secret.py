"""The per-installation secret that keys the confidential register's hashes.

It lives in a file outside the database (``COMMSGUARD_SECRET_FILE``), readable by its owner only,
so that a copy of the database alone cannot be used to test guesses of complainants' names.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from commsguard.errors import RegisterError

SECRET_BYTES = 32


def load_secret(path: Path, *, create: bool = True) -> bytes:
    """Read the secret, creating it (mode 0600) on first use if ``create``."""
    if path.exists():
        data = path.read_bytes()
        try:
            raw = bytes.fromhex(data.decode("ascii").strip())
        except ValueError:
            raise RegisterError(
                f"{path}: the secret file is not hex; restore it from backup"
            ) from None
        if len(raw) < 16:
            raise RegisterError(f"{path}: the secret is too short ({len(raw)} bytes)")
        return raw
    if not create:
        raise RegisterError(f"{path}: no installation secret; run `commsguard init`")
    raw = secrets.token_bytes(SECRET_BYTES)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(raw.hex() + "\n")
    return raw
