"""Errors raised by commsguard.

Every error the library raises on purpose derives from :class:`CommsguardError`, so a caller can
catch them all in one place. The hierarchy::

    CommsguardError
    ├── PackError               a policy pack is invalid (carries file, line and field)
    │   └── PackErrors          several PackErrors collected at once (``pack lint``)
    ├── UnknownDetectorError    a rule names a detector that is not registered
    ├── UnknownReaderError      a reader name that is not registered
    ├── InputError              a message or input line is malformed
    ├── RegisterError           the confidential or authorisations register cannot be used
    ├── StoreError              the database cannot be reached or is not migrated
    └── ReaderError             a reader could not read an item (the item is quarantined)
        └── RefusedPathError    a path in an export is a symbolic link or leads outside it
"""

from __future__ import annotations

from dataclasses import dataclass


class CommsguardError(Exception):
    """Root of all commsguard errors."""


@dataclass(frozen=True, slots=True)
class PackLocation:
    """Where in a pack a problem is: file, line (1-based, if known) and the field's path."""

    path: str
    line: int | None = None
    field: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where} ({self.field})" if self.field else where


class PackError(CommsguardError):
    """A policy pack is invalid."""

    def __init__(self, message: str, location: PackLocation | None = None) -> None:
        self.message = message
        self.location = location
        super().__init__(f"{location}: {message}" if location else message)


class PackErrors(PackError):
    """Several pack errors reported together."""

    def __init__(self, errors: list[PackError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


class UnknownDetectorError(CommsguardError):
    """A rule names a detector that is not in the registry."""


class UnknownReaderError(CommsguardError):
    """A reader name is not in the registry."""


class InputError(CommsguardError):
    """A message or input line is malformed."""


class RegisterError(CommsguardError):
    """A register (confidential or authorisations) cannot be imported or used."""


class StoreError(CommsguardError):
    """The database cannot be reached or is not migrated."""


class ReaderError(CommsguardError):
    """A reader could not read one item; the item is quarantined and the batch goes on."""


class RefusedPathError(ReaderError):
    """A path in an export that is not read: a symbolic link, or one that leads outside it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
