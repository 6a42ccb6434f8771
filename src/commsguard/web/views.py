"""Rows as the API and pages show them: people pseudonymised where the option is on, and
confidential-register values masked in message text and evidence until revealed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from commsguard.store.tables import FindingRow, MessageRow, ReviewAction
from commsguard.web.api.models import FindingPublic
from commsguard.web.deps import Principal
from commsguard.web.service import Service
from commsguard.workflows import masking, review
from commsguard.workflows.masking import REGISTER_DETECTOR

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


class TextView:
    """Stored message text and evidence as a viewer may see them: confidential-register values
    masked, unless this viewer (a reviewer) revealed a finding on that message with a reason.

    The spans come from the register's matching now and from the register detector's stored
    findings (``workflows/masking.py``); the reveal is the pseudonym reveal, audited.
    """

    def __init__(
        self, service: Service, session: Session, principal: Principal,
        messages: Iterable[MessageRow],
    ) -> None:
        self.mask = service.register_mask
        ids = {m.id for m in messages}
        self.stored: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self.revealed: set[int] = set()
        self._spans: dict[int, list[tuple[int, int]]] = {}
        if not ids:
            return
        for mid, start, end in session.execute(
            select(FindingRow.message_id, FindingRow.start, FindingRow.end).where(
                FindingRow.message_id.in_(ids), FindingRow.detector == REGISTER_DETECTOR)
        ).tuples():
            self.stored[mid].append((start, end))
        if principal.role == "reviewer":
            self.revealed = set(session.scalars(
                select(FindingRow.message_id).join(
                    ReviewAction, ReviewAction.finding_id == FindingRow.id
                ).where(ReviewAction.actor == principal.username,
                        ReviewAction.action == "reveal", FindingRow.message_id.in_(ids))
            ))

    def spans(self, m: MessageRow) -> list[tuple[int, int]]:
        if m.id in self.revealed:
            return []
        if m.id not in self._spans:
            found = self.mask.spans(m.text) if m.text else []
            self._spans[m.id] = masking.merge([*self.stored.get(m.id, ()), *found],
                                              len(m.text or ""))
        return self._spans[m.id]

    def hidden(self, m: MessageRow) -> bool:
        """Whether anything in this message is masked for this viewer."""
        return bool(self.spans(m)) or (m.id not in self.revealed and bool(self.stored.get(m.id)))

    def text(self, m: MessageRow) -> str | None:
        return None if m.text is None else masking.masked(m.text, self.spans(m))

    def evidence(self, f: FindingRow, m: MessageRow) -> str:
        if m.id in self.revealed:
            return f.evidence
        return masking.masked_evidence(f.evidence, start=f.start, end=f.end, text=m.text,
                                       spans=self.spans(m), register_mask=self.mask)


def finding_public(
    f: FindingRow, m: MessageRow, people: PeopleView | None, texts: TextView | None = None
) -> FindingPublic:
    return FindingPublic(
        id=f.id, message_id=f.message_id, clause=f.clause, rule=f.rule, detector=f.detector,
        severity=f.severity, confidence=round(f.confidence, 3), start=f.start, end=f.end,
        evidence=texts.evidence(f, m) if texts else f.evidence, message=f.message,
        suggestion=f.suggestion, entity=f.entity,
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
