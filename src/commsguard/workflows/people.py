"""People the policy binds, their managers and oaths; CSV import with errors named by line.

The CSV has a header ``username,name,email,kind,manager,start_date,end_date`` (``role`` is
optional: the pack role whose duties they carry, ``staff`` by default). A row is added or,
when the username is known, updated; former staff (an ``end_date`` in the past) are kept.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from commsguard.registers import RowError
from commsguard.store.tables import ROLES, OathRecord, Person
from commsguard.workflows import audit

KINDS: tuple[str, ...] = ("employee", "student", "contractor", "consultant")
OATH_KINDS: tuple[str, ...] = ("oath", "affirmation")
REQUIRED = ("username", "name", "kind", "start_date")


class PeopleError(ValueError):
    """A person or oath cannot be recorded as asked."""


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)


def _date(raw: str, what: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise PeopleError(f"{what} {raw!r} is not a date (YYYY-MM-DD)") from None


def is_current(person: Person, on: date | None = None) -> bool:
    day = on or date.today()
    return person.start_date <= day and (person.end_date is None or person.end_date >= day)


def by_username(session: Session, username: str) -> Person | None:
    return session.scalars(
        select(Person).where(Person.username == username.strip().lower())
    ).first()


@dataclass(frozen=True)
class _Row:
    line: int
    username: str
    name: str
    email: str
    kind: str
    role: str
    start: date
    end: date | None
    manager: str


def _parse_row(row: dict[str, str | None], line: int) -> _Row:
    """One CSV row, checked field by field (the manager is resolved later, against the file)."""
    username = (row.get("username") or "").strip().lower()
    name = (row.get("name") or "").strip()
    kind = (row.get("kind") or "").strip().lower()
    role = (row.get("role") or "").strip().lower() or "staff"
    if not username:
        raise PeopleError("username is empty")
    if not name:
        raise PeopleError("name is empty")
    if kind not in KINDS:
        raise PeopleError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    if role not in ROLES:
        raise PeopleError(f"role {role!r} is not one of {', '.join(ROLES)}")
    start = _date(row.get("start_date") or "", "start_date")
    if start is None:
        raise PeopleError("start_date is empty")
    end = _date(row.get("end_date") or "", "end_date")
    if end is not None and end < start:
        raise PeopleError(f"end_date {end} is before start_date {start}")
    email = (row.get("email") or "").strip()
    if email and "@" not in email:
        raise PeopleError(f"email {email!r} is not an address")
    manager = (row.get("manager") or "").strip().lower()
    return _Row(line, username, name, email, kind, role, start, end, manager)


def import_people(session: Session, *, text: str, actor: str, source: str = "") -> ImportReport:
    """Add or update people from CSV text. Bad rows are reported by line and skipped."""
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = set(REQUIRED) - set(reader.fieldnames or [])
    if missing:
        raise PeopleError(
            f"{source or 'CSV'}:1: the header must have columns "
            f"username,name,email,kind,manager,start_date,end_date "
            f"(missing {', '.join(sorted(missing))})"
        )
    known = {p.username: p for p in session.scalars(select(Person))}
    rows: dict[str, _Row] = {}
    for row in reader:
        line = reader.line_num
        try:
            parsed = _parse_row(row, line)
            if parsed.username in rows:
                raise PeopleError(f"username {parsed.username!r} appears twice in the file")
        except PeopleError as exc:
            report.errors.append(RowError(line, str(exc)))
            continue
        rows[parsed.username] = parsed
    # A row naming a manager who is neither known nor a good row of the file is skipped like any
    # other bad row; skipping it can orphan rows that name *it* as manager, hence the loop.
    while True:
        bad = [r for r in rows.values() if r.manager and (
            r.manager == r.username or (r.manager not in rows and r.manager not in known))]
        if not bad:
            break
        for r in bad:
            del rows[r.username]
            reason = ("a person cannot be their own manager" if r.manager == r.username else
                      f"manager {r.manager!r} is neither a good row of the file nor already known")
            report.errors.append(RowError(r.line, reason))
    report.errors.sort(key=lambda e: e.line)
    for r in rows.values():
        person = known.get(r.username)
        if person is None:
            person = Person(username=r.username)
            session.add(person)
            report.added += 1
        else:
            report.updated += 1
        person.name, person.email, person.kind, person.role = r.name, r.email, r.kind, r.role
        person.start_date, person.end_date = r.start, r.end
        person.manager = r.manager or None
    session.flush()
    audit.append(
        session, actor=actor, action="people.import", target=source or "csv",
        detail={"added": report.added, "updated": report.updated, "errors": len(report.errors)},
    )
    return report


def import_people_file(session: Session, *, path: Path, actor: str) -> ImportReport:
    return import_people(session, text=path.read_text(encoding="utf-8"), actor=actor,
                         source=str(path))


def list_people(
    session: Session, *, manager: str | None = None, include_former: bool = True
) -> list[Person]:
    query = select(Person).order_by(Person.name)
    if manager:
        query = query.where(Person.manager == manager.strip().lower())
    people = list(session.scalars(query))
    return people if include_former else [p for p in people if is_current(p)]


def record_oath(
    session: Session, *, person: Person, kind: str, taken_on: date, actor: str, witness: str = ""
) -> OathRecord:
    """Record the oath or affirmation ``person`` swore on commencement."""
    if kind not in OATH_KINDS:
        raise PeopleError(f"kind must be oath or affirmation, not {kind!r}")
    if taken_on < person.start_date:
        raise PeopleError(
            f"{taken_on} is before {person.username}'s start date {person.start_date}")
    row = OathRecord(person_id=person.id, kind=kind, taken_on=taken_on, witness=witness.strip(),
                     recorded_by=actor)
    session.add(row)
    session.flush()
    audit.append(session, actor=actor, action="person.oath", target=f"person:{person.username}",
                 detail={"kind": kind, "taken_on": taken_on.isoformat()})
    return row


def oaths_of(session: Session, person: Person) -> list[OathRecord]:
    return list(session.scalars(
        select(OathRecord).where(OathRecord.person_id == person.id).order_by(OathRecord.taken_on)
    ))
