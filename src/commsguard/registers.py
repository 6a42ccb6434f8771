"""The registers the engine consults, held in memory: pure data, loaded by the store.

The confidential register holds only keyed hashes (HMAC-SHA256 under the installation's secret)
of normalised values: the plaintext of a complainant's name never reaches the database, the
logs or the output. Matching hashes the message's normalised n-grams the same way.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

REGISTER_KINDS = ("complainant", "case_ref", "investigation", "staff", "other")
AUTHORITIES = ("spokesperson", "business-use")

# A token is a run of letters or digits; everything else (case, whitespace, punctuation) folds.
TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded token) for each token of ``text``: the offsets stay true."""
    return [(m.start(), m.end(), m.group().casefold()) for m in TOKEN.finditer(text)]


def normalise(value: str) -> str:
    """The form a value is hashed in: tokens, case-folded, joined by one space."""
    return " ".join(t for _, _, t in tokens(value))


def keyed_hash(secret: bytes, normalised: str) -> bytes:
    return hmac.digest(secret, normalised.encode("utf-8"), "sha256")


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """One hashed value: its kind, its digest and, per token, the token's own digest."""

    kind: str
    digest: bytes
    token_digests: tuple[bytes, ...]


def hash_entry(secret: bytes, kind: str, value: str) -> RegisterEntry:
    norm = normalise(value)
    if not norm:
        raise ValueError("value has no letters or digits")
    if kind not in REGISTER_KINDS:
        raise ValueError(f"kind must be one of {', '.join(REGISTER_KINDS)}, not {kind!r}")
    return RegisterEntry(
        kind=kind,
        digest=keyed_hash(secret, norm),
        token_digests=tuple(keyed_hash(secret, t) for t in norm.split(" ")),
    )


@dataclass
class ConfidentialRegister:
    """Hashed register values, ready to match: built once, then read-only."""

    secret: bytes
    entries: dict[bytes, str] = field(default_factory=dict)  # digest -> kind
    #: token digest -> (kind, number of tokens in the entry) for partial-match explanations.
    token_index: dict[bytes, tuple[str, int]] = field(default_factory=dict)
    #: digests of the first token of every entry: an n-gram is hashed only if its first token
    #: is one of these, so a message costs one (cached) hash per token, not one per n-gram.
    first_tokens: set[bytes] = field(default_factory=set)
    max_tokens: int = 0

    @classmethod
    def build(cls, secret: bytes, entries: Iterable[RegisterEntry]) -> ConfidentialRegister:
        reg = cls(secret=secret)
        for entry in entries:
            reg.add(entry)
        return reg

    def add(self, entry: RegisterEntry) -> None:
        n = len(entry.token_digests)
        self.entries[entry.digest] = entry.kind
        self.first_tokens.add(entry.token_digests[0])
        self.max_tokens = max(self.max_tokens, n)
        if n > 1:
            for td in entry.token_digests:
                self.token_index.setdefault(td, (entry.kind, n))

    def __len__(self) -> int:
        return len(self.entries)


@dataclass(frozen=True, slots=True)
class Authorisation:
    person: str
    authority: str
    expires: date | None = None
    accounts: str = ""
    scope: str = ""


@dataclass
class AuthorisationRegister:
    """Who may speak for the office (``spokesperson``) or use social media for business."""

    entries: list[Authorisation] = field(default_factory=list)

    def holds(self, person: str, authority: str, on: date | None = None) -> bool:
        """Whether ``person`` holds a current ``authority`` on the day ``on`` (default today)."""
        day = on or date.today()
        who = person.strip().casefold()
        return any(
            a.person.strip().casefold() == who
            and a.authority == authority
            and (a.expires is None or a.expires >= day)
            for a in self.entries
        )


@dataclass(frozen=True, slots=True)
class RowError:
    """A CSV row that could not be imported: where it is and why."""

    line: int
    reason: str


def read_register_csv(path: str) -> tuple[list[tuple[str, str]], list[RowError]]:
    """``kind,value`` rows of a register CSV, and the rows that are wrong (never fatal)."""
    import csv

    rows: list[tuple[str, str]] = []
    errors: list[RowError] = []
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = {"kind", "value"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(
                f"{path}:1: the header must have columns kind,value "
                f"(missing {', '.join(sorted(missing))})"
            )
        for row in reader:
            line = reader.line_num
            kind = (row.get("kind") or "").strip().lower()
            value = row.get("value") or ""
            if kind not in REGISTER_KINDS:
                errors.append(
                    RowError(line, f"kind {kind!r} is not one of {', '.join(REGISTER_KINDS)}")
                )
            elif not normalise(value):
                errors.append(RowError(line, "value is empty or has no letters or digits"))
            else:
                rows.append((kind, value))
    return rows, errors


def read_authorisations_csv(path: str) -> tuple[list[Authorisation], list[RowError]]:
    """``person,authority,expires`` rows (expires ISO date or empty), and the wrong rows."""
    import csv

    rows: list[Authorisation] = []
    errors: list[RowError] = []
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = {"person", "authority", "expires"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(
                f"{path}:1: the header must have columns person,authority,expires "
                f"(missing {', '.join(sorted(missing))})"
            )
        for row in reader:
            line = reader.line_num
            person = (row.get("person") or "").strip()
            authority = (row.get("authority") or "").strip().lower()
            raw_expires = (row.get("expires") or "").strip()
            if not person:
                errors.append(RowError(line, "person is empty"))
                continue
            if authority not in AUTHORITIES:
                errors.append(
                    RowError(
                        line, f"authority {authority!r} is not one of {', '.join(AUTHORITIES)}"
                    )
                )
                continue
            try:
                expires = date.fromisoformat(raw_expires) if raw_expires else None
            except ValueError:
                errors.append(RowError(line, f"expires {raw_expires!r} is not a date (YYYY-MM-DD)"))
                continue
            rows.append(
                Authorisation(
                    person=person,
                    authority=authority,
                    expires=expires,
                    accounts=(row.get("accounts") or "").strip(),
                    scope=(row.get("scope") or "").strip(),
                )
            )
    return rows, errors
