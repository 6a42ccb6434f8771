"""The tamper-evident audit log: append-only, each entry's hash covering the one before.

``append`` adds an entry inside the caller's transaction, so an action and its audit entry are
committed together or not at all. Each entry's hash covers the previous entry's hash and the
canonical JSON of (seq, at, actor, action, target, detail). ``verify`` recomputes the chain and
reports the first entry that was edited, and any gap or broken link left by a deleted one.

Two hash schemes, recorded per entry (``scheme``):

1. SHA-256 — entries written before the log was keyed; still verified as they were.
2. HMAC-SHA256 under a key derived from the installation secret (:func:`seal`): someone with
   the database but not the secret cannot rewrite entries and recompute the chain. A scheme-1
   entry after a scheme-2 one is reported as a rewrite.

A chain alone cannot show that its newest entries were deleted (or all of them). So the head —
``COUNT:HASH``, the number of entries and the last one's hash — is also kept outside the
database: each commit that appends entries appends the new head to a checkpoint file beside the
secret (:func:`checkpoint_path`), and ``verify`` checks the chain against the largest head
recorded there and against any head the operator kept elsewhere (``--expect-head``).

Appends are serialised: PostgreSQL takes a transaction-scoped advisory lock; SQLite takes its
write lock before the chain's tail is read. ``seq`` is unique as a last line of defence.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, select, text, update
from sqlalchemy.orm import Session

from commsguard.errors import StoreError
from commsguard.store.tables import AuditEntry

GENESIS = "0" * 64
SCHEME_SHA256 = 1
SCHEME_HMAC = 2
#: An arbitrary key for PostgreSQL's advisory lock that serialises appends.
_PG_LOCK_KEY = 0x636F6D6D73  # "comms"


def _canonical_time(at: datetime) -> str:
    if at.tzinfo is None:  # SQLite returns naive datetimes for timezone-aware columns
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(
    *,
    prev_hash: str,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    target: str,
    detail: dict[str, Any],
    key: bytes | None = None,
) -> str:
    """The entry's hash: HMAC-SHA256 under ``key`` (scheme 2), or SHA-256 without (scheme 1)."""
    payload = json.dumps(
        [seq, _canonical_time(at), actor, action, target, detail],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    data = (prev_hash + payload).encode("utf-8")
    if key is None:
        return hashlib.sha256(data).hexdigest()
    return hmac.new(key, data, hashlib.sha256).hexdigest()


# --- the key and the checkpoint ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Head:
    """The chain's head: how many entries, and the last one's hash (``COUNT:HASH``)."""

    count: int
    hash: str

    def __str__(self) -> str:
        return f"{self.count}:{self.hash}"

    @classmethod
    def parse(cls, value: str) -> Head:
        count, sep, digest = value.strip().partition(":")
        if not sep or not count.isdigit() or len(digest) != 64:
            raise ValueError(f"{value!r} is not a head: give COUNT:HASH (64 hex digits)")
        try:
            int(digest, 16)
        except ValueError:
            raise ValueError(f"{value!r} is not a head: the hash is not hex") from None
        return cls(int(count), digest.lower())


@dataclass(frozen=True, slots=True)
class Seal:
    """What keys one database's chain: the key, and the checkpoint file its heads go to."""

    key: bytes
    checkpoint: Path | None


_SEALS: dict[str, Seal] = {}


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def checkpoint_path(secret_file: Path) -> Path:
    """The checkpoint file beside the installation secret (``commsguard.audit-head``)."""
    return secret_file.with_name(secret_file.stem + ".audit-head")


def audit_key(secret: bytes) -> bytes:
    return hmac.new(secret, b"commsguard-audit:v2", hashlib.sha256).digest()


def seal(engine: Engine, *, secret: bytes, checkpoint: Path | None) -> None:
    """Key the audit chain of ``engine``'s database with the installation secret, and keep
    its head in ``checkpoint``. Every process that appends entries must do this (the service,
    the CLI); :func:`append` refuses to add an unkeyed entry to a keyed chain."""
    _SEALS[_url(engine)] = Seal(audit_key(secret), checkpoint)


def _seal_of(session: Session) -> Seal | None:
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    return _SEALS.get(_url(engine))


def read_checkpoint(path: Path) -> tuple[Head | None, list[str]]:
    """The largest head recorded in ``path`` (None if none), and any unreadable lines."""
    best: Head | None = None
    bad: list[str] = []
    try:
        lines = path.read_text("ascii", errors="replace").splitlines()
    except FileNotFoundError:
        return None, []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            head = Head.parse(line)
        except ValueError:
            bad.append(f"{path}:{n}: unreadable head")
            continue
        if best is None or head.count > best.count:
            best = head
    return best, bad


def write_checkpoint(path: Path, head: Head) -> None:
    """Append ``head`` to the checkpoint file (created 0600; appends only, never rewritten)."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{head}\n".encode("ascii"))
    finally:
        os.close(fd)


_PENDING = "commsguard.audit.head"


@event.listens_for(Session, "after_commit")
def _checkpoint_after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is not None:
        path, head = pending
        write_checkpoint(path, head)


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def record_head(session: Session) -> Head | None:
    """Write the current head to the checkpoint if it is ahead of what is recorded there.

    ``commsguard init`` does this, so a database whose entries predate the checkpoint has its
    head anchored before anything else is appended. A head behind the recorded one is not
    written: verification must keep seeing the larger one.
    """
    found = _seal_of(session)
    if found is None or found.checkpoint is None:
        return None
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).first()
    if last is None:
        return None
    head = Head(last.seq, last.hash)
    recorded, _ = read_checkpoint(found.checkpoint)
    if recorded is None or head.count > recorded.count:
        write_checkpoint(found.checkpoint, head)
    return head


def _lock_tail(session: Session) -> None:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    elif dialect == "sqlite":
        # A write that changes nothing takes SQLite's write lock before the tail is read.
        session.execute(update(AuditEntry).where(AuditEntry.id < 0).values(seq=AuditEntry.seq))


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry (flushed, not committed: it commits with the caller's transaction).

    ``action`` is a dotted verb such as ``auth.sign_in``, ``finding.view``, ``finding.dismiss``
    or ``register.import``; ``target`` names what it concerns (``finding:12``, ``user:alice``).
    ``detail`` must be JSON-serialisable; keep personal data out of it where a reference will do.
    """
    _lock_tail(session)
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).first()
    sealed = _seal_of(session)
    if sealed is None and last is not None and last.scheme == SCHEME_HMAC:
        raise StoreError(
            "the audit log is keyed with the installation secret, and this process has not "
            "loaded it (audit.seal); refusing to append an unkeyed entry"
        )
    seq = last.seq + 1 if last else 1
    prev = last.hash if last else GENESIS
    at = datetime.now(UTC)
    clean = json.loads(json.dumps(detail or {}, default=str))
    row = AuditEntry(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        target=target,
        detail=clean,
        prev_hash=prev,
        hash=entry_hash(
            prev_hash=prev, seq=seq, at=at, actor=actor, action=action, target=target,
            detail=clean, key=sealed.key if sealed else None,
        ),
        scheme=SCHEME_HMAC if sealed else SCHEME_SHA256,
    )
    session.add(row)
    session.flush()
    if sealed is not None and sealed.checkpoint is not None:
        session.info[_PENDING] = (sealed.checkpoint, Head(seq, row.hash))
    return row


@dataclass(frozen=True, slots=True)
class Problem:
    seq: int
    reason: str


@dataclass(frozen=True)
class Verification:
    entries: int
    problems: list[Problem] = field(default_factory=list)
    head: str = GENESIS
    #: The last entry's seq (the COUNT of ``COUNT:HASH``).
    count: int = 0
    #: The head recorded in the checkpoint file, if there is one.
    checkpoint: Head | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def head_line(self) -> str:
        """The head as ``COUNT:HASH``, to keep elsewhere and give to ``--expect-head``."""
        return str(Head(self.count, self.head))


def _rows(session: Session, batch: int = 1000) -> Iterator[AuditEntry]:
    after = 0
    while True:
        rows = list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq)
                .limit(batch)
            )
        )
        if not rows:
            return
        yield from rows
        after = rows[-1].seq


def verify(
    session: Session, *, expected_head: str | None = None, expect: Head | None = None
) -> Verification:
    """Recompute the chain. Reports edited entries, deleted ones (gaps, broken links), unkeyed
    entries after keyed ones, and a truncated tail: against the checkpoint file, ``expect``
    (a head kept elsewhere: that entry must still be there with that hash) and
    ``expected_head`` (the hash the chain must end with)."""
    sealed = _seal_of(session)
    key = sealed.key if sealed else None
    recorded: Head | None = None
    problems: list[Problem] = []
    if sealed is not None and sealed.checkpoint is not None:
        recorded, unreadable = read_checkpoint(sealed.checkpoint)
        problems += [Problem(0, reason) for reason in unreadable]
    heads = [(h, label) for h, label in ((recorded, "the checkpoint file"),
                                          (expect, "the expected head")) if h is not None]
    seen_at: dict[int, str] = {}
    prev = GENESIS
    expected_seq = 1
    count = 0
    keyed = False
    cannot_check = False
    for row in _rows(session):
        count += 1
        if row.seq != expected_seq:
            problems.append(
                Problem(row.seq, f"entries {expected_seq}–{row.seq - 1} are missing (deleted)")
            )
        if row.prev_hash != prev:
            problems.append(Problem(row.seq, "does not link to the entry before it"))
        if row.scheme == SCHEME_HMAC:
            keyed = True
        elif keyed:
            problems.append(Problem(row.seq, "is unkeyed but follows keyed entries: rewritten"))
        if row.scheme == SCHEME_HMAC and key is None:
            cannot_check = True
        else:
            recomputed = entry_hash(
                prev_hash=row.prev_hash, seq=row.seq, at=row.at, actor=row.actor,
                action=row.action, target=row.target, detail=row.detail,
                key=key if row.scheme == SCHEME_HMAC else None,
            )
            if recomputed != row.hash:
                problems.append(
                    Problem(row.seq, "was edited: its content does not match its hash")
                )
        if any(h.count == row.seq for h, _ in heads):
            seen_at[row.seq] = row.hash
        prev = row.hash
        expected_seq = row.seq + 1
    last = expected_seq - 1
    if cannot_check:
        problems.append(Problem(0, "keyed entries cannot be checked without the installation "
                                   "secret"))
    for h, label in heads:
        if h.count > last:
            problems.append(Problem(
                last + 1,
                f"entries {last + 1}–{h.count} are missing: {label} records {h.count} "
                f"entries and the log ends at {last} (its newest entries were deleted)",
            ))
        elif h.count > 0 and seen_at.get(h.count) != h.hash:
            problems.append(Problem(h.count, f"does not have the hash {label} records for it: "
                                             "the log was rewritten"))
    if expected_head is not None and expected_head != prev:
        problems.append(Problem(expected_seq, "the chain's head is not the one recorded"))
    return Verification(entries=count, problems=problems, head=prev, count=last,
                        checkpoint=recorded)


def recent(
    session: Session,
    *,
    limit: int = 100,
    before: int | None = None,
    action: str | None = None,
    actor: str | None = None,
) -> list[AuditEntry]:
    """The newest entries first, optionally filtered by action prefix and actor."""
    query = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
    if before is not None:
        query = query.where(AuditEntry.seq < before)
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    if actor:
        query = query.where(AuditEntry.actor == actor)
    return list(session.scalars(query))
