"""Is this social media? Look a site or app up against the pack's Definitions.

"If in doubt about what constitutes social media, see the Manager, Information and Technology
Systems." A site the taxonomy does not know is queued for the ``it`` role; their answer (a
Definitions category, ``internal-tool`` or ``not-social-media``) is stored and extends the
taxonomy from then on, for lookups and for web-use classification alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from commsguard.store.tables import SiteQuestion
from commsguard.webuse.taxonomy import Classification, Taxonomy, default_taxonomy, host_of
from commsguard.workflows import audit

OTHER_ANSWERS: tuple[str, ...] = ("internal-tool", "not-social-media")
DECIDERS: tuple[str, ...] = ("it",)


class SiteLookupError(ValueError):
    """A site cannot be looked up or classified as asked."""


def answers(session: Session) -> dict[str, str]:
    """The Manager IT Systems' answers so far: domain -> category id (or other answer)."""
    rows = session.scalars(select(SiteQuestion).where(SiteQuestion.status == "answered"))
    return {r.domain: r.answer for r in rows if r.answer}


def taxonomy(session: Session, base: Taxonomy | None = None) -> Taxonomy:
    """The pack's taxonomy extended with every answer recorded."""
    return (base or default_taxonomy()).extend(answers(session))


def classify(session: Session, target: str) -> Classification:
    return taxonomy(session).classify(target)


def choices(base: Taxonomy | None = None) -> list[tuple[str, str]]:
    """(answer, label) pairs the ``it`` role chooses from."""
    tax = base or default_taxonomy()
    return [(c.id, c.title) for c in tax.categories] + [
        ("internal-tool", "Internal work tool (not social media)"),
        ("not-social-media", "Not social media"),
    ]


@dataclass(frozen=True)
class Lookup:
    classification: Classification
    #: The queued question, when the site was unknown.
    question: SiteQuestion | None = None


def lookup(session: Session, *, target: str, asked_by: str, note: str = "") -> Lookup:
    """Classify ``target``; an unknown site is queued for the Manager IT Systems."""
    if not host_of(target):
        raise SiteLookupError(f"{target!r} is not a site address or domain")
    found = classify(session, target)
    if found.kind != "unknown":
        return Lookup(found)
    domain = found.site
    question = session.scalars(select(SiteQuestion).where(SiteQuestion.domain == domain)).first()
    if question is None:
        question = SiteQuestion(domain=domain, asked_by=asked_by, note=note.strip(),
                                status="pending", reason="")
        session.add(question)
        session.flush()
        audit.append(session, actor=asked_by, action="site.ask", target=f"site:{domain}")
    return Lookup(found, question)


def pending(session: Session) -> list[SiteQuestion]:
    return list(session.scalars(select(SiteQuestion).where(SiteQuestion.status == "pending")
                                .order_by(SiteQuestion.created_at)))


def all_questions(session: Session) -> list[SiteQuestion]:
    return list(session.scalars(select(SiteQuestion).order_by(SiteQuestion.created_at.desc())))


def answer(
    session: Session, *, question: SiteQuestion, actor: str, role: str, category: str,
    reason: str = "",
) -> SiteQuestion:
    """The Manager IT Systems settles a queued site; the taxonomy knows it from now on."""
    if role not in DECIDERS:
        raise SiteLookupError("only the Manager, Information and Technology Systems decides")
    valid = {c for c, _ in choices()}
    if category not in valid:
        raise SiteLookupError(f"answer must be one of {', '.join(sorted(valid))}")
    question.answer = category
    question.reason = reason.strip()
    question.status = "answered"
    question.answered_by = actor
    question.answered_at = datetime.now(UTC)
    audit.append(session, actor=actor, action="site.classify", target=f"site:{question.domain}",
                 detail={"answer": category})
    return question


def queue_sites(
    session: Session, *, sites: Iterable[tuple[str, str]], asked_by: str
) -> list[SiteQuestion]:
    """Queue sites found unknown elsewhere (``(domain, note)``, e.g. from proxy logs) in the
    same queue as lookups; a site already asked about, or that the taxonomy now knows, is
    skipped. Returns the questions added."""
    tax = taxonomy(session)
    asked = {d for (d,) in session.execute(select(SiteQuestion.domain))}
    added: list[SiteQuestion] = []
    for domain, note in sites:
        if domain in asked or not host_of(domain) or tax.classify(domain).kind != "unknown":
            continue
        asked.add(domain)
        question = SiteQuestion(domain=domain, asked_by=asked_by, note=note.strip(),
                                status="pending", reason="")
        session.add(question)
        added.append(question)
    if added:
        session.flush()
        audit.append(session, actor=asked_by, action="site.ask",
                     target=f"sites:{len(added)}",
                     detail={"domains": [q.domain for q in added]})
    return added
