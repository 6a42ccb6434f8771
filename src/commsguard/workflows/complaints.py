"""Discrimination and harassment complaints in a social-media context.

"Victorian Ombudsman management will investigate and respond to all complaints of
discrimination and harassment, including those that have occurred in the context of social
media usage. For further information, please refer to the Valuing Staff Policy."

Each complaint is a case (kind ``complaint``) that :func:`cases.close_case` refuses to close
until an investigation's finding and summary are recorded. The respondents are named in the
case, so they never see it. The related policy's name comes from the pack
(``related_policies: {valuing-staff: Valuing Staff Policy}``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from commsguard.policy.loader import Pack
from commsguard.store.tables import Case, Complaint
from commsguard.workflows import audit
from commsguard.workflows.cases import (
    CaseError,
    Opened,
    Upload,
    _require_handler,
    add_files,
    excluded,
    names,
    open_case,
)
from commsguard.workflows.notify import GovernanceSettings, addresses_for_role, send_mail

CONDUCT: tuple[str, ...] = (
    "discrimination", "harassment", "sexual-harassment", "bullying", "victimisation",
)
FINDINGS: tuple[str, ...] = (
    "substantiated", "partly-substantiated", "not-substantiated", "withdrawn",
)
RELATED_POLICY_ID = "valuing-staff"
CLAUSE = "equity-diversity"


@dataclass(frozen=True)
class RelatedPolicy:
    name: str
    url: str = ""


def related_policy(pack: Pack, settings: GovernanceSettings | None = None) -> RelatedPolicy:
    """The policy the pack names for complaints ("Valuing Staff Policy"), with its link."""
    settings = settings or GovernanceSettings()
    name = pack.meta.related_policies.get(RELATED_POLICY_ID, "Valuing Staff Policy")
    return RelatedPolicy(name=name, url=settings.valuing_staff_url)


def lodge_complaint(
    session: Session, *, pack: Pack, complainant: str, conduct: str, description: str,
    respondents: str | Sequence[str] = "", platform: str = "", urls: str = "",
    anonymous: bool = False, files: Iterable[Upload] = (),
    settings: GovernanceSettings | None = None,
) -> Opened:
    """Lodge a complaint: a case the reviewers must investigate; respondents never see it."""
    settings = settings or GovernanceSettings()
    if conduct not in CONDUCT:
        raise CaseError(f"conduct must be one of {', '.join(CONDUCT)}, not {conduct!r}")
    description = description.strip()
    if not description:
        raise CaseError("describe what happened")
    title = f"{conduct.replace('-', ' ').capitalize()} complaint" + (
        f" ({platform.strip()})" if platform.strip() else "")
    named = [n for n in names(respondents) if n != complainant.lower()]
    case, key = open_case(
        session, kind="complaint", title=title, reporter=complainant.lower(),
        anonymous=anonymous, named=named, due_days=settings.complaint_due_days,
    )
    session.add(Complaint(
        case_id=case.id, conduct=conduct, platform=platform.strip()[:100],
        urls="\n".join(u.strip() for u in urls.splitlines() if u.strip()),
        description=description, related_policy=related_policy(pack, settings).name,
        finding="", investigation="",
    ))
    add_files(session, case=case, files=files)
    audit.append(session, actor="anonymous" if anonymous else complainant,
                 action="case.complaint", target=f"case:{case.id}", detail={"conduct": conduct})
    to = addresses_for_role(session, "reviewer", exclude=excluded(case))
    sent = send_mail(
        to=to, settings=settings, subject=f"[commsguard] New complaint #{case.id}: {title}",
        body=(f"A complaint of {conduct} was lodged. Management must investigate and respond."
              f"\nDue: {case.due_date}\n\nOpen it: {settings.base_url}/cases/{case.id}\n"),
    )
    return Opened(case, key, sent.recipients if sent.ok else ())


def complaint_of(session: Session, case: Case) -> Complaint | None:
    return session.scalars(select(Complaint).where(Complaint.case_id == case.id)).first()


def record_investigation(
    session: Session, *, case: Case, actor: str, role: str, finding: str, summary: str,
    investigator: str | None = None,
) -> Complaint:
    """Record the investigation's finding and summary (required before the case can close)."""
    _require_handler(case, actor, role)
    complaint = complaint_of(session, case)
    if complaint is None:
        raise CaseError(f"case {case.id} is not a complaint")
    if finding not in FINDINGS:
        raise CaseError(f"finding must be one of {', '.join(FINDINGS)}")
    if not summary.strip():
        raise CaseError("summarise the investigation")
    who = (investigator or actor).strip().lower()
    if who in excluded(case):
        raise CaseError(f"{who} is named in this complaint and cannot investigate it")
    complaint.finding = finding
    complaint.investigation = summary.strip()
    complaint.investigator = who
    if case.status == "open":
        case.status = "investigating"
    audit.append(session, actor=actor, action="case.investigation", target=f"case:{case.id}",
                 detail={"finding": finding})
    return complaint
