"""Rows as the API and pages show them, with people pseudonymised where the option is on."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from commsguard.store.tables import FindingRow, MessageRow
from commsguard.web.api.models import FindingPublic
from commsguard.web.deps import Principal
from commsguard.web.service import Service
from commsguard.workflows import review

#: A person filter no author equals (an invisible separator around words; not a name).
NO_ONE = "\u2063no one\u2063"


class PeopleView:
    """Decides, per finding, whether its author is shown by name or by pseudonym."""

    def __init__(
        self, service: Service, session: Session, principal: Principal, finding_ids: Iterable[int]
    ) -> None:
        self.on = service.options.pseudonymise and principal.role in ("reviewer", "admin")
        self.key = service.keys.pseudonym
        self.revealed = (
            review.revealed(session, actor=principal.username, finding_ids=finding_ids)
            if self.on else set()
        )

    def hidden(self, finding_id: int) -> bool:
        return self.on and finding_id not in self.revealed

    def name(self, finding_id: int, author: str) -> str:
        return review.pseudonym(author, key=self.key) if self.hidden(finding_id) else author

    def real_name(self, shown: str, candidates: Iterable[str]) -> str | None:
        """The real name behind a pseudonym typed into a filter (the name itself when names
        are shown). While pseudonymised, a real name matches no one (None): filtering by it
        would tell which pseudonym it hides behind."""
        if not self.on:
            return shown
        for c in candidates:
            if review.pseudonym(c, key=self.key) == shown:
                return c
        return None

    def actor(self, finding_id: int, actor: str, message: MessageRow) -> str:
        """An actor in a finding's history: the author (or who filed it) stays pseudonymised."""
        if self.hidden(finding_id) and actor in (message.author, message.submitted_by):
            return review.pseudonym(actor, key=self.key)
        return actor

    def message_hidden(self, message: MessageRow, finding_ids: Iterable[int]) -> bool:
        """Whether a whole check's author is hidden: yes unless a finding on it was revealed."""
        return self.on and not any(i in self.revealed for i in finding_ids)


def finding_public(f: FindingRow, m: MessageRow, people: PeopleView | None) -> FindingPublic:
    return FindingPublic(
        id=f.id, message_id=f.message_id, clause=f.clause, rule=f.rule, detector=f.detector,
        severity=f.severity, confidence=round(f.confidence, 3), start=f.start, end=f.end,
        evidence=f.evidence, message=f.message, suggestion=f.suggestion, entity=f.entity,
        status=f.status, assignee=f.assignee, tags=f.tags.split(), created_at=f.created_at,
        author=people.name(f.id, m.author) if people else m.author,
        author_pseudonymised=bool(people and people.hidden(f.id)),
        submitted_by=people.name(f.id, m.submitted_by) if people else m.submitted_by,
        channel=m.channel, capacity=m.capacity,
    )


def can_see_message(principal: Principal, message: MessageRow) -> bool:
    """Reviewers see every finding; everyone else only what they submitted themselves."""
    return principal.role == "reviewer" or message.submitted_by == principal.username


def load_finding(
    session: Session, principal: Principal, finding_id: int
) -> tuple[FindingRow, MessageRow]:
    """A finding its viewer may see, or 404 (the same answer whether absent or forbidden)."""
    from fastapi import HTTPException

    f = session.get(FindingRow, finding_id)
    m = session.get(MessageRow, f.message_id) if f is not None else None
    if f is None or m is None or not can_see_message(principal, m):
        raise HTTPException(404, "no such finding")
    return f, m
