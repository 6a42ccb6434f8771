"""Keyword-only functions over the core tables: packs, registers, checked messages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from commsguard.models import Finding, Message, Result, explanation_dict
from commsguard.policy.loader import Pack
from commsguard.registers import (
    Authorisation,
    AuthorisationRegister,
    ConfidentialRegister,
    RegisterEntry,
    hash_entry,
)
from commsguard.store.tables import (
    AuthorisationRow,
    FindingRow,
    MessageRow,
    PackVersion,
)
from commsguard.store.tables import (
    RegisterEntry as RegisterEntryRow,
)


def store_pack_version(session: Session, *, pack: Pack, activate: bool = True) -> PackVersion:
    """Record a pack version (once per name and version) and make it the active one."""
    row = session.scalars(
        select(PackVersion).where(
            PackVersion.name == pack.name, PackVersion.version == pack.version
        )
    ).first()
    if row is None:
        row = PackVersion(
            name=pack.name,
            version=pack.version,
            effective=pack.meta.effective,
            digest=pack.digest,
            content=pack.to_dict(),
            source_path=str(pack.root),
        )
        session.add(row)
    elif row.digest != pack.digest:
        # Same version number, different content: keep the newest content, so what is stored
        # is what is enforced. Bumping the version is what makes a new attestable version.
        row.digest = pack.digest
        row.content = pack.to_dict()
        row.effective = pack.meta.effective
        row.source_path = str(pack.root)
    if activate:
        for other in session.scalars(select(PackVersion).where(PackVersion.active.is_(True))):
            other.active = False
        row.active = True
    session.flush()
    return row


def active_pack_version(session: Session) -> PackVersion | None:
    return session.scalars(select(PackVersion).where(PackVersion.active.is_(True))).first()


@dataclass(frozen=True, slots=True)
class ImportCount:
    added: int
    unchanged: int


def import_register(
    session: Session, *, secret: bytes, rows: Iterable[tuple[str, str]], actor: str = ""
) -> ImportCount:
    """Hash and store register values. Only keyed hashes are written, never the values."""
    existing = {(r.digest, r.kind) for r in session.scalars(select(RegisterEntryRow))}
    added = unchanged = 0
    for kind, value in rows:
        entry = hash_entry(secret, kind, value)
        if (entry.digest, kind) in existing:
            unchanged += 1
            continue
        existing.add((entry.digest, kind))
        session.add(
            RegisterEntryRow(
                kind=kind,
                digest=entry.digest,
                token_digests=b"".join(entry.token_digests),
                token_count=len(entry.token_digests),
                created_by=actor,
            )
        )
        added += 1
    session.flush()
    return ImportCount(added, unchanged)


def load_register(session: Session, *, secret: bytes) -> ConfidentialRegister:
    entries = (
        RegisterEntry(
            kind=row.kind,
            digest=row.digest,
            token_digests=tuple(
                row.token_digests[i : i + 32] for i in range(0, len(row.token_digests), 32)
            ),
        )
        for row in session.scalars(select(RegisterEntryRow))
    )
    return ConfidentialRegister.build(secret, entries)


def import_authorisations(session: Session, *, rows: Iterable[Authorisation]) -> ImportCount:
    """Insert or update (person, authority) authorisations."""
    added = unchanged = 0
    for a in rows:
        row = session.scalars(
            select(AuthorisationRow).where(
                AuthorisationRow.person == a.person, AuthorisationRow.authority == a.authority
            )
        ).first()
        if row is None:
            session.add(
                AuthorisationRow(
                    person=a.person,
                    authority=a.authority,
                    expires=a.expires,
                    accounts=a.accounts,
                    scope=a.scope,
                )
            )
            added += 1
        else:
            row.expires, row.accounts, row.scope = a.expires, a.accounts, a.scope
            unchanged += 1
    session.flush()
    return ImportCount(added, unchanged)


def load_authorisations(session: Session) -> AuthorisationRegister:
    return AuthorisationRegister(
        [
            Authorisation(r.person, r.authority, r.expires, r.accounts, r.scope)
            for r in session.scalars(select(AuthorisationRow))
        ]
    )


def finding_row(*, message_id: int, finding: Finding, pack_version: str) -> FindingRow:
    """A new review-queue row for ``finding`` (not yet added to a session)."""
    return FindingRow(
        **finding_values(message_id=message_id, finding=finding, pack_version=pack_version)
    )


def finding_values(*, message_id: int, finding: Finding, pack_version: str) -> dict[str, Any]:
    """The column values of a new review-queue row for ``finding`` (for bulk inserts)."""
    f = finding
    return dict(
        message_id=message_id,
        clause=f.clause,
        rule=f.rule,
        detector=f.detector,
        severity=f.severity,
        confidence=f.confidence,
        start=f.start,
        end=f.end,
        evidence=f.evidence,
        message=f.message,
        suggestion=f.suggestion,
        entity=f.entity,
        explanation=explanation_dict(f.explanation) if f.explanation else None,
        pack_version=pack_version,
    )


def save_result(
    session: Session,
    *,
    message: Message,
    result: Result,
    pack_version: str,
    origin: str = "check",
    reader: str = "",
    scan_id: int | None = None,
    submitted_by: str = "",
) -> tuple[MessageRow, list[FindingRow], bool]:
    """Store a checked message and its findings exactly once.

    Returns the message row, the finding rows added now, and whether the message is new.
    A message already stored (same content hash and source) only gains findings it lacks.
    """
    src_path = message.source.path if message.source else ""
    src_pos = message.source.position if message.source else ""
    key = message.content_hash
    row = session.scalars(
        select(MessageRow).where(
            MessageRow.content_hash == key,
            MessageRow.source_path == src_path,
            MessageRow.source_position == src_pos,
        )
    ).first()
    is_new = row is None
    if row is None:
        row = MessageRow(
            content_hash=key,
            source_path=src_path,
            source_position=src_pos,
            origin=origin,
            external_id=message.id,
            reader=reader,
            author=message.author,
            channel=message.channel,
            capacity=message.capacity,
            profile=message.profile,
            thread=message.thread,
            time=message.time,
            text=message.text,
            decision=result.decision,
            pack_version=pack_version,
            scan_id=scan_id,
            submitted_by=submitted_by,
            checked_at=datetime.now(UTC),
        )
        session.add(row)
        session.flush()
        have: set[tuple[str, int, int]] = set()
    else:
        row.decision = result.decision
        row.pack_version = pack_version
        have = {
            (f.rule, f.start, f.end)
            for f in session.scalars(select(FindingRow).where(FindingRow.message_id == row.id))
        }
    added: list[FindingRow] = []
    for f in result.findings:
        if (f.rule, f.start, f.end) in have:
            continue
        fr = finding_row(message_id=row.id, finding=f, pack_version=pack_version)
        session.add(fr)
        added.append(fr)
    session.flush()
    return row, added, is_new
