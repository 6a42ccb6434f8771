"""The review queue: filter, group, and decide on findings; keyword-only functions.

Every decision appends a :class:`~commsguard.store.tables.ReviewAction` (never edited) and an
audit entry, in the caller's transaction. Dismissing a false positive can suppress its pattern
(the rule and the normalised evidence) for that person or for everyone, recorded with who and
why; :func:`unsuppressed` drops suppressed findings from later checks.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from commsguard.models import Finding
from commsguard.store.tables import FindingRow, MessageRow, ReviewAction, Suppression
from commsguard.workflows import audit

Status = Literal["open", "dismissed", "escalated", "breach", "retired"]
STATUSES: tuple[str, ...] = ("open", "dismissed", "escalated", "breach", "retired")
Suppress = Literal["none", "person", "everyone"]
#: Actions a reviewer may take, in bulk or one at a time.
ACTIONS: tuple[str, ...] = ("assign", "tag", "note", "dismiss", "escalate", "breach", "reopen")


class ReviewError(ValueError):
    """A review action that cannot be taken as asked (missing reason, unknown action)."""


@dataclass(frozen=True)
class QueueFilter:
    clause: str | None = None
    severity: str | None = None
    channel: str | None = None
    person: str | None = None
    status: str | None = "open"
    assignee: str | None = None
    tag: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    #: Only findings on messages submitted by this user (staff see their own checks only).
    submitted_by: str | None = None


def _query(f: QueueFilter) -> Select[FindingRow, MessageRow]:
    q = select(FindingRow, MessageRow).join(MessageRow, FindingRow.message_id == MessageRow.id)
    if f.clause:
        q = q.where(FindingRow.clause == f.clause)
    if f.severity:
        q = q.where(FindingRow.severity == f.severity)
    if f.channel:
        q = q.where(MessageRow.channel == f.channel)
    if f.person:
        q = q.where(MessageRow.author == f.person)
    if f.status:
        q = q.where(FindingRow.status == f.status)
    if f.assignee:
        q = q.where(FindingRow.assignee == f.assignee)
    if f.tag:
        q = q.where((" " + FindingRow.tags + " ").contains(f" {f.tag} "))
    if f.date_from:
        q = q.where(FindingRow.created_at >= datetime.combine(f.date_from, time(), UTC))
    if f.date_to:
        end = datetime.combine(f.date_to + timedelta(days=1), time(), UTC)
        q = q.where(FindingRow.created_at < end)
    if f.submitted_by is not None:
        q = q.where(MessageRow.submitted_by == f.submitted_by)
    return q


def list_queue(
    session: Session, *, filters: QueueFilter, limit: int = 100, offset: int = 0
) -> tuple[list[tuple[FindingRow, MessageRow]], int]:
    """Findings matching ``filters``, most severe and newest first, and how many match."""
    q = _query(filters)
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    severity_order = case({"block": 0, "review": 1, "info": 2}, value=FindingRow.severity,
                          else_=3)
    rows = session.execute(
        q.order_by(severity_order, FindingRow.created_at.desc(), FindingRow.id.desc())
        .limit(limit)
        .offset(offset)
    ).tuples()
    return list(rows), total


def facets(session: Session) -> dict[str, list[str]]:
    """The values present, for the queue's filter menus."""
    def distinct(col: object) -> list[str]:
        return sorted(v for v in session.scalars(select(col).distinct()) if v)  # type: ignore[call-overload]

    return {
        "clause": distinct(FindingRow.clause),
        "severity": distinct(FindingRow.severity),
        "channel": distinct(MessageRow.channel),
        "person": distinct(MessageRow.author),
    }


_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d")


def normalise_evidence(evidence: str) -> str:
    """Evidence as compared for near-duplicates and suppressions: case, spacing, digits."""
    return _DIGITS.sub("9", _SPACE.sub(" ", evidence.strip().lower()))


def evidence_digest(rule: str, evidence: str) -> str:
    return hashlib.sha256(f"{rule}\x1f{normalise_evidence(evidence)}".encode()).hexdigest()


@dataclass
class Group:
    """Near-duplicate findings: the same rule on the same normalised evidence."""

    key: str
    rule: str
    evidence: str
    items: list[tuple[FindingRow, MessageRow]] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return [f.id for f, _ in self.items]


def group_near_duplicates(items: Iterable[tuple[FindingRow, MessageRow]]) -> list[Group]:
    groups: dict[str, Group] = {}
    for f, m in items:
        key = evidence_digest(f.rule, f.evidence)
        g = groups.setdefault(key, Group(key=key[:12], rule=f.rule, evidence=f.evidence))
        g.items.append((f, m))
    return list(groups.values())


def pseudonym(name: str, *, key: bytes) -> str:
    """A stable stand-in for a person's name, keyed so it cannot be reversed by guessing."""
    if not name:
        return ""
    digest = hmac.new(key, name.strip().lower().encode(), hashlib.sha256).hexdigest()
    return f"Person {digest[:6].upper()}"


def _act(
    session: Session, *, finding: FindingRow, actor: str, action: str, reason: str = "",
    outcome: str = "", detail: dict[str, object] | None = None,
) -> ReviewAction:
    row = ReviewAction(
        finding_id=finding.id, actor=actor, action=action, reason=reason, outcome=outcome
    )
    session.add(row)
    audit.append(
        session, actor=actor, action=f"finding.{action}", target=f"finding:{finding.id}",
        detail={"reason": reason, "outcome": outcome, **(detail or {})},
    )
    return row


def _need(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise ReviewError(f"{what} is required")
    return value


def assign(session: Session, *, finding: FindingRow, actor: str, assignee: str) -> None:
    finding.assignee = assignee.strip() or None
    _act(session, finding=finding, actor=actor, action="assign", reason=assignee.strip())


def tag(session: Session, *, finding: FindingRow, actor: str, tags: Sequence[str]) -> None:
    current = finding.tags.split()
    for t in tags:
        t = re.sub(r"[^\w.-]", "", t.strip().lower())
        if t and t not in current:
            current.append(t)
    finding.tags = " ".join(current)
    _act(session, finding=finding, actor=actor, action="tag", reason=" ".join(tags))


def note(session: Session, *, finding: FindingRow, actor: str, text: str) -> None:
    _act(session, finding=finding, actor=actor, action="note", reason=_need(text, "a note"))


def dismiss(
    session: Session, *, finding: FindingRow, actor: str, reason: str,
    suppress: Suppress = "none", person: str = "",
) -> Suppression | None:
    """Dismiss as a false positive; optionally stop raising the pattern for a person or all."""
    reason = _need(reason, "a reason for dismissing")
    finding.status = "dismissed"
    created: Suppression | None = None
    if suppress != "none":
        if suppress == "person" and not person:
            raise ReviewError("cannot suppress for the person: the message has no author")
        created = Suppression(
            rule=finding.rule,
            evidence_digest=evidence_digest(finding.rule, finding.evidence),
            person=person if suppress == "person" else None,
            created_by=actor,
            reason=reason,
        )
        session.add(created)
    _act(session, finding=finding, actor=actor, action="dismiss", reason=reason,
         detail={"suppress": suppress})
    return created


def escalate(session: Session, *, finding: FindingRow, actor: str, reason: str) -> None:
    finding.status = "escalated"
    _act(session, finding=finding, actor=actor, action="escalate",
         reason=_need(reason, "a reason for escalating"))


def record_breach(
    session: Session, *, finding: FindingRow, actor: str, outcome: str, reason: str = ""
) -> None:
    finding.status = "breach"
    _act(session, finding=finding, actor=actor, action="breach", reason=reason.strip(),
         outcome=_need(outcome, "the breach's outcome"))


def reopen(session: Session, *, finding: FindingRow, actor: str, reason: str = "") -> None:
    finding.status = "open"
    _act(session, finding=finding, actor=actor, action="reopen", reason=reason.strip())


def feedback(session: Session, *, finding: FindingRow, actor: str, justification: str) -> None:
    """The author says "this is wrong": the finding is tagged and waits for a reviewer."""
    text = _need(justification, "a justification")
    if "feedback" not in finding.tags.split():
        finding.tags = (finding.tags + " feedback").strip()
    _act(session, finding=finding, actor=actor, action="feedback", reason=text)


#: The least a reason to reveal a name must say, in visible characters.
MIN_REVEAL_REASON = 20


def visible_length(text: str) -> int:
    """Characters that show: not spaces, not format or control characters (zero-width space,
    joiners, direction marks), not combining marks stacked on others."""
    return sum(
        1 for c in text
        if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf", "Cn", "Co", "Cs",
                                                                 "Mn", "Me", "Zs", "Zl", "Zp")
    )


def reveal(session: Session, *, finding: FindingRow, actor: str, reason: str) -> None:
    """Record a reviewer's reason to see the real name behind a pseudonym (audited).

    The reason must say something: at least :data:`MIN_REVEAL_REASON` visible characters.
    """
    if visible_length(reason) < MIN_REVEAL_REASON:
        raise ReviewError(
            f"a reason to reveal the name must say why, in at least {MIN_REVEAL_REASON} "
            "visible characters"
        )
    _act(session, finding=finding, actor=actor, action="reveal",
         reason=_need(reason, "a reason to reveal the name"))


def revealed(session: Session, *, actor: str, finding_ids: Iterable[int]) -> set[int]:
    ids = list(finding_ids)
    if not ids:
        return set()
    return set(
        session.scalars(
            select(ReviewAction.finding_id).where(
                ReviewAction.actor == actor,
                ReviewAction.action == "reveal",
                ReviewAction.finding_id.in_(ids),
            )
        )
    )


def history(session: Session, *, finding_id: int) -> list[ReviewAction]:
    return list(
        session.scalars(
            select(ReviewAction).where(ReviewAction.finding_id == finding_id)
            .order_by(ReviewAction.id)
        )
    )


def apply(
    session: Session, *, finding: FindingRow, actor: str, action: str, reason: str = "",
    outcome: str = "", assignee: str = "", tags: Sequence[str] = (),
    suppress: Suppress = "none", person: str = "",
) -> None:
    """One named action; what the bulk form and the API call."""
    if action == "assign":
        assign(session, finding=finding, actor=actor, assignee=assignee)
    elif action == "tag":
        tag(session, finding=finding, actor=actor, tags=tags)
    elif action == "note":
        note(session, finding=finding, actor=actor, text=reason)
    elif action == "dismiss":
        dismiss(session, finding=finding, actor=actor, reason=reason, suppress=suppress,
                person=person)
    elif action == "escalate":
        escalate(session, finding=finding, actor=actor, reason=reason)
    elif action == "breach":
        record_breach(session, finding=finding, actor=actor, outcome=outcome, reason=reason)
    elif action == "reopen":
        reopen(session, finding=finding, actor=actor, reason=reason)
    else:
        raise ReviewError(f"unknown action {action!r}; use one of {', '.join(ACTIONS)}")


def unsuppressed(session: Session, *, person: str, findings: Sequence[Finding]) -> list[Finding]:
    """``findings`` less those whose pattern is suppressed for ``person`` or for everyone."""
    if not findings:
        return []
    rules = {f.rule for f in findings}
    active = {
        (s.rule, s.evidence_digest)
        for s in session.scalars(
            select(Suppression).where(
                Suppression.rule.in_(rules),
                (Suppression.person.is_(None)) | (Suppression.person == person),
            )
        )
    }
    if not active:
        return list(findings)
    return [f for f in findings if (f.rule, evidence_digest(f.rule, f.evidence)) not in active]


# --- dashboard figures --------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    by_clause_month: dict[str, dict[str, int]]
    months: list[str]
    backlog_by_age: list[tuple[str, int]]
    false_positive_rate: list[tuple[str, int, int, float]]  # rule, dismissed, decided, rate
    totals: dict[str, int]


_AGE_BUCKETS: tuple[tuple[str, int], ...] = (
    ("< 1 day", 1), ("1–7 days", 7), ("1–4 weeks", 28), ("1–3 months", 91), ("older", 10**6)
)


def _aware(d: datetime) -> datetime:
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def dashboard(session: Session, *, now: datetime | None = None, months: int = 12) -> Dashboard:
    """Findings by clause and month, open backlog by age, false-positive rate per rule."""
    now = now or datetime.now(UTC)
    rows = session.execute(
        select(FindingRow.clause, FindingRow.rule, FindingRow.status, FindingRow.created_at)
    ).tuples().all()
    by: dict[str, Counter[str]] = defaultdict(Counter)
    month_keys = []
    y, m = now.year, now.month
    for _ in range(months):
        month_keys.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    month_keys.reverse()
    backlog = Counter[str]()
    decided: Counter[str] = Counter()
    dismissed: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for clause, rule, status, created in rows:
        created = _aware(created)
        totals[status] += 1
        key = f"{created.year:04d}-{created.month:02d}"
        if key in month_keys:
            by[clause][key] += 1
        if status == "open":
            age = (now - created).days
            for label, limit in _AGE_BUCKETS:
                if age < limit:
                    backlog[label] += 1
                    break
        elif status in ("dismissed", "escalated", "breach"):
            decided[rule] += 1
            if status == "dismissed":
                dismissed[rule] += 1
    fp = sorted(
        ((r, dismissed[r], n, dismissed[r] / n) for r, n in decided.items()),
        key=lambda t: (-t[3], t[0]),
    )
    return Dashboard(
        by_clause_month={c: {k: cnt[k] for k in month_keys} for c, cnt in sorted(by.items())},
        months=month_keys,
        backlog_by_age=[(label, backlog[label]) for label, _ in _AGE_BUCKETS],
        false_positive_rate=fp,
        totals=dict(totals),
    )
