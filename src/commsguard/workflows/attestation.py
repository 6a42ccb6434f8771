"""Policy versions, clause-by-clause diffs, attestation with a short quiz, and who must re-attest.

"Everyone at the Victorian Ombudsman has an obligation to know and comply with this policy, as
amended from time to time. Managers are responsible for ensuring all relevant staff are informed
of this policy."

Every loaded pack version is stored whole (``pack_versions``), so any two can be compared. A
person who attested to an earlier version is asked again only if a change between that version
and the current one touches their obligations:

- a clause's text added, removed or changed binds everyone (the policy applies to all staff);
- a rule added, removed, switched on or off, or with new parameters or severity binds those who
  post in the capacities where it is more than informational: ``private`` is everyone,
  ``official`` is the people authorised to post for the office (``business-use`` or
  ``spokesperson``) and the ``communications`` role;
- a rule's wording, examples or context words alone change no obligation: they appear in the
  diff as wording, and nobody is asked again for them.
"""

from __future__ import annotations

import difflib
import hashlib
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from commsguard.registers import AuthorisationRegister
from commsguard.store import crud
from commsguard.store.tables import Attestation, PackVersion, Person
from commsguard.workflows import audit
from commsguard.workflows.notify import GovernanceSettings, send_mail
from commsguard.workflows.people import is_current

EVERYONE = "all"
OFFICIAL = "official"
OBLIGATION_FIELDS = ("enabled", "severity", "params", "clause", "detector")
WORDING_FIELDS = ("title", "message", "suggestion", "context", "examples")
_WORDS = re.compile(r"\s+|[^\s]+")


class AttestationError(ValueError):
    """An attestation cannot be recorded as asked."""


# --- diff -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RuleDiff:
    id: str
    title: str
    status: str  # added | removed | changed
    changes: tuple[FieldChange, ...] = ()
    audiences: frozenset[str] = frozenset()

    @property
    def wording_only(self) -> bool:
        return not self.audiences


@dataclass(frozen=True)
class ClauseDiff:
    id: str
    title: str
    status: str  # added | removed | changed | unchanged
    #: The clause text as (op, words) runs: op is equal, insert or delete.
    text: tuple[tuple[str, str], ...] = ()
    rules: tuple[RuleDiff, ...] = ()
    audiences: frozenset[str] = frozenset()

    @property
    def text_changed(self) -> bool:
        return any(op != "equal" for op, _ in self.text)


@dataclass(frozen=True)
class PackDiff:
    old_version: str
    new_version: str
    clauses: tuple[ClauseDiff, ...]

    @property
    def changed(self) -> tuple[ClauseDiff, ...]:
        return tuple(c for c in self.clauses if c.status != "unchanged")

    def affecting(self, audiences: set[str]) -> tuple[ClauseDiff, ...]:
        """The changed clauses that change the obligations of someone in ``audiences``."""
        return tuple(c for c in self.changed if c.audiences & audiences)

    def to_dict(self) -> dict[str, Any]:
        return {
            "old_version": self.old_version,
            "new_version": self.new_version,
            "clauses": [
                {
                    "id": c.id, "title": c.title, "status": c.status,
                    "text": [list(t) for t in c.text] if c.text_changed else [],
                    "audiences": sorted(c.audiences),
                    "rules": [
                        {"id": r.id, "title": r.title, "status": r.status,
                         "audiences": sorted(r.audiences),
                         "changes": [{"field": f.field, "old": f.old, "new": f.new}
                                     for f in r.changes]}
                        for r in c.rules
                    ],
                }
                for c in self.changed
            ],
        }


def word_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    runs: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            runs.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            runs.append(("insert", "".join(b[j1:j2])))
        if op == "equal":
            runs.append(("equal", "".join(a[i1:i2])))
    return tuple(runs)


def _capacities_bound(rule: Mapping[str, Any]) -> set[str]:
    if not rule.get("enabled", True):
        return set()
    sev = rule.get("severity") or {}
    return {cap for cap in ("official", "private") if sev.get(cap, "info") != "info"}


def _audiences(capacities: set[str]) -> frozenset[str]:
    return frozenset(EVERYONE if c == "private" else OFFICIAL for c in capacities)


def _rule_diff(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> RuleDiff | None:
    if old is None and new is None:
        return None
    if old is None or new is None:
        rule = new if new is not None else old
        assert rule is not None
        return RuleDiff(rule["id"], rule.get("title", ""), "added" if old is None else "removed",
                        audiences=_audiences(_capacities_bound(rule)))
    changes = tuple(
        FieldChange(f, old.get(f), new.get(f))
        for f in (*OBLIGATION_FIELDS, *WORDING_FIELDS) if old.get(f) != new.get(f)
    )
    if not changes:
        return None
    caps: set[str] = set()
    names = {c.field for c in changes}
    if names & {"enabled", "params", "clause", "detector"}:
        caps = _capacities_bound(old) | _capacities_bound(new)
    if "severity" in names:
        o, n = old.get("severity") or {}, new.get("severity") or {}
        caps |= {c for c in ("official", "private") if o.get(c) != n.get(c)}
    return RuleDiff(new["id"], new.get("title", ""), "changed", changes, _audiences(caps))


def diff_contents(
    old: Mapping[str, Any], new: Mapping[str, Any], *, old_version: str = "",
    new_version: str = "",
) -> PackDiff:
    """Clause by clause: text changes and, under each clause, its rules' changes."""
    old_clauses = {c["id"]: c for c in old.get("clauses", [])}
    new_clauses = {c["id"]: c for c in new.get("clauses", [])}
    old_rules = {r["id"]: r for r in old.get("rules", [])}
    new_rules = {r["id"]: r for r in new.get("rules", [])}
    by_clause: dict[str, list[RuleDiff]] = {}
    for rid in [*old_rules, *(r for r in new_rules if r not in old_rules)]:
        d = _rule_diff(old_rules.get(rid), new_rules.get(rid))
        if d is not None:
            clause = (new_rules.get(rid) or old_rules[rid])["clause"]
            by_clause.setdefault(clause, []).append(d)
    out = []
    for cid in [*new_clauses, *(c for c in old_clauses if c not in new_clauses)]:
        o, n = old_clauses.get(cid), new_clauses.get(cid)
        rules = tuple(by_clause.get(cid, ()))
        aud: set[str] = set().union(*(r.audiences for r in rules)) if rules else set()
        if o is None or n is None:
            status, text = ("added", word_diff("", n["text"])) if n else (
                "removed", word_diff(o["text"] if o else "", ""))
            aud.add(EVERYONE)
        else:
            text = word_diff(o["text"], n["text"])
            changed = o["text"] != n["text"] or o.get("title") != n.get("title")
            if o["text"] != n["text"]:
                aud.add(EVERYONE)
            status = "changed" if changed or rules else "unchanged"
        title = (n or o or {}).get("title", cid)
        out.append(ClauseDiff(cid, title, status, text, rules, frozenset(aud)))
    return PackDiff(old_version, new_version, tuple(out))


# --- versions -------------------------------------------------------------------------------


def versions(session: Session) -> list[PackVersion]:
    return list(session.scalars(
        select(PackVersion).order_by(PackVersion.effective.desc(), PackVersion.id.desc())))


def current_version(session: Session) -> PackVersion:
    row = crud.active_pack_version(session)
    if row is None:
        raise AttestationError("no policy version is loaded: run `commsguard init`")
    return row


def find_version(session: Session, name: str, version: str) -> PackVersion | None:
    return session.scalars(select(PackVersion).where(
        PackVersion.name == name, PackVersion.version == version)).first()


def diff_versions(old: PackVersion, new: PackVersion) -> PackDiff:
    return diff_contents(old.content, new.content, old_version=old.version,
                         new_version=new.version)


# --- who must attest ------------------------------------------------------------------------


def audiences_of(
    person: Person, authorisations: AuthorisationRegister, on: date | None = None
) -> set[str]:
    """The audiences whose obligations bind ``person``: everyone, and official posting."""
    out = {EVERYONE}
    if person.role == "communications" or any(
        authorisations.holds(who, authority, on)
        for who in (person.username, person.name)
        for authority in ("business-use", "spokesperson")
    ):
        out.add(OFFICIAL)
    return out


@dataclass(frozen=True)
class Status:
    person: Person
    #: current | due | never | former
    state: str
    version: str = ""
    attested_at: datetime | None = None
    quiz_score: int | None = None
    quiz_total: int | None = None
    #: For ``due``: the changed clauses that touch this person's obligations.
    changes: tuple[ClauseDiff, ...] = ()
    #: The version whose changes they must read (their last attested one).
    since: str = ""


@dataclass
class StatusBook:
    """Computes statuses against the current version, caching diffs per pair of versions."""

    session: Session
    current: PackVersion
    authorisations: AuthorisationRegister
    _diffs: dict[str, PackDiff | None] = field(default_factory=dict)

    @classmethod
    def open(cls, session: Session) -> StatusBook:
        return cls(session, current_version(session), crud.load_authorisations(session))

    def diff_from(self, version: str) -> PackDiff | None:
        if version not in self._diffs:
            old = find_version(self.session, self.current.name, version)
            self._diffs[version] = None if old is None else diff_versions(old, self.current)
        return self._diffs[version]

    def status(self, person: Person) -> Status:
        last = latest_attestation(self.session, person, self.current.name)
        if not is_current(person):
            return _status(person, "former", last)
        if last is None:
            return Status(person, "never")
        if last.pack_version == self.current.version:
            return _status(person, "current", last)
        diff = self.diff_from(last.pack_version)
        if diff is None:  # the attested version is gone: everything is new to them
            return _status(person, "due", last, since=last.pack_version)
        touching = diff.affecting(audiences_of(person, self.authorisations))
        return _status(person, "due" if touching else "current", last, touching,
                       since=last.pack_version)


def _status(person: Person, state: str, last: Attestation | None,
            changes: tuple[ClauseDiff, ...] = (), since: str = "") -> Status:
    if last is None:
        return Status(person, state)
    return Status(person, state, last.pack_version, last.attested_at, last.quiz_score,
                  last.quiz_total, changes, since)


def latest_attestation(session: Session, person: Person, pack_name: str) -> Attestation | None:
    return session.scalars(
        select(Attestation).where(Attestation.person_id == person.id,
                                  Attestation.pack_name == pack_name)
        .order_by(Attestation.attested_at.desc(), Attestation.id.desc()).limit(1)
    ).first()


def team_status(session: Session, *, manager: str | None = None,
                include_former: bool = False) -> list[Status]:
    book = StatusBook.open(session)
    query = select(Person).order_by(Person.name)
    if manager:
        query = query.where(Person.manager == manager.strip().lower())
    out = [book.status(p) for p in session.scalars(query)]
    return out if include_former else [s for s in out if s.state != "former"]


# --- the quiz and attesting -----------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    id: str
    rule: str
    clause: str
    text: str
    capacity: str
    #: True when the post breaches the policy (a ``flag`` example).
    breach: bool


def quiz_for(content: Mapping[str, Any], *, username: str, version: str,
             count: int) -> list[Question]:
    """``count`` questions drawn from the pack's rule examples, the same for a person and
    version (so a reload does not reshuffle), mixing breaches and fine posts."""
    pool: list[Question] = []
    for rule in content.get("rules", []):
        if not rule.get("enabled", True):
            continue
        examples = rule.get("examples") or {}
        for kind, breach in (("flag", True), ("pass", False)):
            for i, ex in enumerate(examples.get(kind) or []):
                if ex.get("author") or ex.get("profile") or len(ex.get("text", "")) > 280:
                    continue  # depends on who posts it: not a fair question
                pool.append(Question(f"{rule['id']}:{kind}:{i}", rule["id"], rule["clause"],
                                     ex["text"], ex.get("capacity", "private"), breach))
    seed = int.from_bytes(hashlib.sha256(f"{username}|{version}".encode()).digest()[:8], "big")
    rng = random.Random(seed)
    rng.shuffle(pool)
    breaches = [q for q in pool if q.breach]
    fine = [q for q in pool if not q.breach]
    picked = [q for pair in zip(breaches, fine, strict=False) for q in pair][:count]
    return sorted(picked, key=lambda q: q.id)


def grade(questions: Sequence[Question], answers: Mapping[str, str]) -> int:
    """Correct answers; ``answers`` maps a question id to ``breach`` or ``ok``."""
    return sum(1 for q in questions if answers.get(q.id) == ("breach" if q.breach else "ok"))


def attest(
    session: Session, *, person: Person, answers: Mapping[str, str] | None = None,
    settings: GovernanceSettings | None = None,
) -> Attestation:
    """``person`` attests to the current version; the quiz (if any) must be answered."""
    settings = settings or GovernanceSettings()
    current = current_version(session)
    if not is_current(person):
        raise AttestationError(f"{person.username} is not current staff")
    questions = quiz_for(current.content, username=person.username, version=current.version,
                         count=settings.quiz_questions)
    score: int | None = None
    if questions:
        answers = answers or {}
        unanswered = [q.id for q in questions if q.id not in answers]
        if unanswered:
            raise AttestationError(f"answer every quiz question ({len(unanswered)} left)")
        score = grade(questions, answers)
    row = Attestation(person_id=person.id, pack_name=current.name, pack_version=current.version,
                      attested_at=datetime.now(UTC), quiz_score=score,
                      quiz_total=len(questions) if questions else None)
    session.add(row)
    session.flush()
    audit.append(session, actor=person.username, action="policy.attest",
                 target=f"pack:{current.name}@{current.version}",
                 detail={"score": score, "of": len(questions)})
    return row


def remind(
    session: Session, *, actor: str, manager: str | None,
    settings: GovernanceSettings | None = None,
) -> list[str]:
    """E-mail a reminder to everyone (in ``manager``'s team) who must attest; returns who."""
    settings = settings or GovernanceSettings()
    due = [s for s in team_status(session, manager=manager) if s.state in ("due", "never")]
    reminded = []
    for s in due:
        if not s.person.email:
            continue
        what = ("these clauses changed: " + ", ".join(c.title for c in s.changes)) if s.changes \
            else "please read the policy and attest that you know it"
        send_mail(to=[s.person.email], settings=settings,
                  subject="[commsguard] Please attest to the social media policy",
                  body=f"Hello {s.person.name},\n\nThe policy was updated; {what}.\n\n"
                       f"{settings.base_url}/attest\n")
        reminded.append(s.person.username)
    audit.append(session, actor=actor, action="policy.remind", target=f"team:{manager or '*'}",
                 detail={"reminded": len(reminded)})
    return reminded
