"""Importing the registers from CSV into the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from commsguard.config import get_settings
from commsguard.registers import RowError, read_authorisations_csv, read_register_csv
from commsguard.secret import load_secret
from commsguard.store import crud
from commsguard.store.db import session_scope
from commsguard.workflows import audit
from commsguard.workflows.installation import database


@dataclass(frozen=True)
class ImportReport:
    added: int
    unchanged: int
    errors: list[RowError] = field(default_factory=list)


def import_register_file(path: Path, *, actor: str = "cli") -> ImportReport:
    """Hash and store a ``kind,value`` CSV; bad rows are reported, the rest imported."""
    settings = get_settings()
    db = database(settings)
    secret = load_secret(settings.secret_file, create=False)
    rows, errors = read_register_csv(str(path))
    with session_scope(db) as session:
        count = crud.import_register(session, secret=secret, rows=rows, actor=actor)
        # Counts only: the values themselves must never reach the audit log either.
        audit.append(
            session,
            actor=actor,
            action="register.import",
            target=f"file:{path.name}",
            detail={"added": count.added, "unchanged": count.unchanged, "skipped": len(errors)},
        )
    return ImportReport(count.added, count.unchanged, errors)


def import_authorisations_file(path: Path, *, actor: str = "cli") -> ImportReport:
    db = database()
    rows, errors = read_authorisations_csv(str(path))
    with session_scope(db) as session:
        count = crud.import_authorisations(session, rows=rows)
        audit.append(
            session,
            actor=actor,
            action="authorisations.import",
            target=f"file:{path.name}",
            detail={
                "added": count.added,
                "updated": count.unchanged,
                "skipped": len(errors),
                "people": sorted({a.person for a in rows}),
            },
        )
    return ImportReport(count.added, count.unchanged, errors)
