"""Reports of inappropriate content, tracked as cases, and the rules every case follows.

"If you notice inappropriate or unlawful content online relating to the Victorian Ombudsman
[...] you should alert the Deputy Ombudsman or Chief Operating Officer (COO)". A report opens a
case routed to the ``reviewer`` role (in the app, and by e-mail when SMTP is configured). An
anonymous reporter is given a report key once; only its sha256 is kept, and with the key they
can follow the case and answer the reviewer's questions, without signing in.

Visibility: people named in a case (``excluded``) never see it, whatever their role; reviewers
and administrators see the rest; a case's owner sees it; a reporter who gave their name sees
their own report (without internal notes). Complaints (``complaints.py``) are cases too.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from commsguard.store.tables import Case, CaseFile, CaseMessage, Complaint, ContentReport
from commsguard.workflows import audit
from commsguard.workflows.notify import GovernanceSettings, addresses_for, addresses_for_role
from commsguard.workflows.notify import send_mail as _send_mail

STATUSES: tuple[str, ...] = ("open", "investigating", "awaiting-reporter", "closed")
KINDS: tuple[str, ...] = ("report", "complaint")
#: Roles that handle every case they are not named in (the Deputy Ombudsman, the COO, admins).
HANDLERS: tuple[str, ...] = ("reviewer", "admin")
REPORTER = "reporter"
ALLOWED_FILES: dict[str, str] = {
    "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
    "application/pdf": ".pdf",
}
MAX_FILE_BYTES = 5 * 1024 * 1024
_NAME_SPLIT = re.compile(r"[\s,;]+")


class CaseError(ValueError):
    """A case cannot be changed as asked (closing without an outcome, a bad file, …)."""


class CaseDenied(CaseError):
    """The person may not see or act on this case."""


_NOT_KEY = re.compile(r"[^0-9A-Z]")


def canonical_key(key: str) -> str:
    """A report key as issued, from however it was typed or read aloud: any case, with or
    without its hyphens, with spaces, with or without the ``RK`` prefix."""
    raw = _NOT_KEY.sub("", key.upper())
    if len(raw) == 34 and raw.startswith("RK"):
        raw = raw[2:]
    if len(raw) != 32:
        return key.strip()  # not a key: hashed as typed, so it matches nothing
    return "RK-" + "-".join(raw[i:i + 4] for i in range(0, 32, 4))


def hash_key(key: str) -> str:
    return hashlib.sha256(canonical_key(key).encode("utf-8")).hexdigest()


def new_key() -> str:
    """A report key: 128 random bits, grouped for reading aloud or copying."""
    return canonical_key(secrets.token_hex(16))


def names(value: str | Iterable[str]) -> list[str]:
    """Usernames from a free list ("a.b, c.d" or a sequence), lower-cased, in order, once."""
    items = _NAME_SPLIT.split(value) if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        name = item.strip().lower().lstrip("@")
        if name and name not in out:
            out.append(name)
    return out


def excluded(case: Case) -> set[str]:
    return set(case.excluded.split())


def can_view(case: Case, *, username: str, role: str) -> bool:
    """Whether ``username`` may see ``case`` at all. Being named in it always excludes."""
    who = username.lower()
    if who in excluded(case):
        return False
    if role in HANDLERS or case.owner == who:
        return True
    return not case.anonymous and case.reporter == who


def can_handle(case: Case, *, username: str, role: str) -> bool:
    """Whether ``username`` may assign, note, question and close ``case``."""
    who = username.lower()
    return who not in excluded(case) and (role in HANDLERS or case.owner == who)


def visible_cases(
    session: Session, *, username: str, role: str, status: str | None = None,
    kind: str | None = None,
) -> list[Case]:
    query = select(Case).order_by(Case.created_at.desc(), Case.id.desc())
    if status:
        if status not in STATUSES:
            raise CaseError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        query = query.where(Case.status == status)
    if kind:
        query = query.where(Case.kind == kind)
    return [c for c in session.scalars(query) if can_view(c, username=username, role=role)]


def get_case(session: Session, case_id: int, *, username: str, role: str) -> Case:
    case = session.get(Case, case_id)
    if case is None or not can_view(case, username=username, role=role):
        # The same answer whether it does not exist or is hidden: no enumeration.
        raise CaseDenied(f"no case {case_id}")
    return case


def case_by_key(session: Session, key: str) -> Case:
    case = session.scalars(select(Case).where(Case.key_hash == hash_key(key))).first()
    if case is None:
        raise CaseDenied("no report has that key")
    return case


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Opened:
    case: Case
    #: The report key, shown once to an anonymous reporter (None for a named one).
    key: str | None
    emailed: tuple[str, ...] = ()


def open_case(
    session: Session, *, kind: str, title: str, reporter: str, anonymous: bool,
    named: Sequence[str], due_days: int,
) -> tuple[Case, str | None]:
    """The common part of opening a report or a complaint case."""
    if kind not in KINDS:
        raise CaseError(f"kind must be one of {', '.join(KINDS)}")
    title = title.strip()
    if not title:
        raise CaseError("give the case a short title")
    key = new_key() if anonymous else None
    case = Case(
        kind=kind, title=title[:300], status="open", reporter=None if anonymous else reporter,
        anonymous=anonymous, key_hash=hash_key(key) if key else None,
        excluded=" ".join(names(named)), due_date=date.today() + timedelta(days=due_days),
        outcome="",
    )
    session.add(case)
    session.flush()
    return case, key


def add_files(session: Session, *, case: Case, files: Iterable[Upload]) -> list[CaseFile]:
    rows = []
    for f in files:
        if not f.data:
            continue
        if f.content_type not in ALLOWED_FILES:
            raise CaseError(
                f"{f.filename}: {f.content_type or 'unknown type'} is not accepted; "
                "attach PNG, JPEG, GIF, WebP or PDF"
            )
        if len(f.data) > MAX_FILE_BYTES:
            raise CaseError(f"{f.filename}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        safe = re.sub(r"[^\w.\- ]", "_", f.filename)[-200:] or "screenshot"
        row = CaseFile(case_id=case.id, filename=safe, content_type=f.content_type,
                       size=len(f.data), sha256=hashlib.sha256(f.data).hexdigest(), data=f.data)
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def report_content(
    session: Session, *, reporter: str, urls: str, platform: str, description: str,
    anonymous: bool, named: str | Sequence[str] = "", files: Iterable[Upload] = (),
    settings: GovernanceSettings | None = None,
) -> Opened:
    """Report inappropriate content: opens a case routed to the reviewers."""
    settings = settings or GovernanceSettings()
    uploads = [f for f in files if f.data]
    description = description.strip()
    url_list = [u.strip() for u in urls.splitlines() if u.strip()]
    if not description:
        raise CaseError("say what the content is and why it is inappropriate")
    if not url_list and not uploads:
        raise CaseError("give the address (URL) of the content, or attach a screenshot")
    title = f"{platform.strip() or 'Online'} content: {description.splitlines()[0][:120]}"
    case, key = open_case(
        session, kind="report", title=title, reporter=reporter.lower(), anonymous=anonymous,
        named=names(named), due_days=settings.report_due_days,
    )
    session.add(ContentReport(case_id=case.id, urls="\n".join(url_list),
                              platform=platform.strip()[:100], description=description))
    add_files(session, case=case, files=uploads)
    audit.append(session, actor="anonymous" if anonymous else reporter, action="case.report",
                 target=f"case:{case.id}", detail={"anonymous": anonymous})
    to = addresses_for_role(session, "reviewer", exclude=excluded(case))
    sent = _send_mail(
        to=to, settings=settings, subject=f"[commsguard] New report #{case.id}: {case.title}",
        body=(f"A report of inappropriate content was received{' anonymously' if anonymous else ''}"
              f".\n\nPlatform: {platform or '-'}\nDue: {case.due_date}\n\n"
              f"Open it: {settings.base_url}/cases/{case.id}\n"),
    )
    return Opened(case, key, sent.recipients if sent.ok else ())


def report_anonymously(
    session: Session, *, urls: str, platform: str, description: str,
    named: str | Sequence[str] = "", files: Iterable[Upload] = (),
    settings: GovernanceSettings | None = None,
) -> Opened:
    """A report filed without signing in: no reporter at all, only the key handed back.

    The caller passes nothing about who filed it, so the case, its audit entry (actor
    ``anonymous``) and the reviewers' mail cannot hold it.
    """
    return report_content(
        session, reporter="", urls=urls, platform=platform, description=description,
        anonymous=True, named=named, files=files, settings=settings,
    )


def messages(session: Session, case: Case, *, internal: bool) -> list[CaseMessage]:
    """The case's messages; without ``internal``, only what the reporter may read."""
    query = select(CaseMessage).where(CaseMessage.case_id == case.id).order_by(CaseMessage.id)
    rows = list(session.scalars(query))
    return rows if internal else [m for m in rows if m.kind != "note"]


def files_of(session: Session, case: Case) -> list[CaseFile]:
    return list(session.scalars(select(CaseFile).where(CaseFile.case_id == case.id)
                                .order_by(CaseFile.id)))


def report_of(session: Session, case: Case) -> ContentReport | None:
    return session.scalars(select(ContentReport).where(ContentReport.case_id == case.id)).first()


def _require_handler(case: Case, actor: str, role: str) -> None:
    if not can_handle(case, username=actor, role=role):
        raise CaseDenied(f"{actor} may not act on case {case.id}")


def _post(session: Session, case: Case, *, kind: str, author: str, body: str) -> CaseMessage:
    body = body.strip()
    if not body:
        raise CaseError("the message is empty")
    row = CaseMessage(case_id=case.id, kind=kind, author=author, body=body)
    session.add(row)
    case.updated_at = datetime.now(UTC)
    session.flush()
    return row


def add_note(session: Session, *, case: Case, actor: str, role: str, body: str) -> CaseMessage:
    _require_handler(case, actor, role)
    row = _post(session, case, kind="note", author=actor, body=body)
    audit.append(session, actor=actor, action="case.note", target=f"case:{case.id}")
    return row


def ask_reporter(
    session: Session, *, case: Case, actor: str, role: str, body: str,
    settings: GovernanceSettings | None = None,
) -> CaseMessage:
    """Ask the reporter a question; the case waits for their answer."""
    _require_handler(case, actor, role)
    if case.status == "closed":
        raise CaseError("the case is closed")
    row = _post(session, case, kind="question", author=actor, body=body)
    case.status = "awaiting-reporter"
    audit.append(session, actor=actor, action="case.question", target=f"case:{case.id}")
    if case.reporter:
        settings = settings or GovernanceSettings()
        _send_mail(to=addresses_for(session, [case.reporter]), settings=settings,
                   subject=f"[commsguard] A question about your report #{case.id}",
                   body=f"Read and answer it: {settings.base_url}/cases/{case.id}\n")
    return row


def answer_as_reporter(
    session: Session, *, case: Case, body: str, username: str | None = None,
    settings: GovernanceSettings | None = None,
) -> CaseMessage:
    """The reporter's answer: by key (anonymous, ``username`` None) or as the named reporter."""
    if username is not None and (case.anonymous or case.reporter != username.lower()):
        raise CaseDenied("only the reporter may answer")
    if case.status == "closed":
        raise CaseError("the case is closed")
    author = REPORTER if case.anonymous else (case.reporter or REPORTER)
    row = _post(session, case, kind="answer", author=author, body=body)
    if case.status == "awaiting-reporter":
        case.status = "investigating"
    audit.append(session, actor="anonymous" if case.anonymous else author,
                 action="case.answer", target=f"case:{case.id}")
    settings = settings or GovernanceSettings()
    to = addresses_for(session, [case.owner]) if case.owner else addresses_for_role(
        session, "reviewer", exclude=excluded(case))
    _send_mail(to=to, settings=settings, subject=f"[commsguard] The reporter answered #{case.id}",
               body=f"Open the case: {settings.base_url}/cases/{case.id}\n")
    return row


def update_case(
    session: Session, *, case: Case, actor: str, role: str, owner: str | None = None,
    status: str | None = None, due_date: date | None = None, exclude: str = "",
) -> Case:
    """Assign, set the status (not ``closed``: see :func:`close_case`), due date, exclusions."""
    _require_handler(case, actor, role)
    changes: dict[str, object] = {}
    if exclude:
        more = [n for n in names(exclude) if n not in excluded(case)]
        if more:
            case.excluded = " ".join([*case.excluded.split(), *more])
            changes["excluded"] = len(more)
    if owner is not None:
        who = owner.strip().lower() or None
        if who and who in excluded(case):
            raise CaseError(f"{who} is named in this case and cannot own it")
        if who != case.owner:
            changes["owner"] = [case.owner, who]
            case.owner = who
    if status is not None and status != case.status:
        if status == "closed":
            raise CaseError("close a case with its outcome")
        if status not in STATUSES:
            raise CaseError(f"status must be one of {', '.join(STATUSES)}")
        changes["status"] = [case.status, status]
        case.status = status
        case.closed_at = None
    if due_date is not None and due_date != case.due_date:
        changes["due_date"] = [str(case.due_date), str(due_date)]
        case.due_date = due_date
    if changes:
        audit.append(session, actor=actor, action="case.update", target=f"case:{case.id}",
                     detail=changes)
    return case


def close_case(session: Session, *, case: Case, actor: str, role: str, outcome: str) -> Case:
    """Close with an outcome. A complaint also needs its investigation's finding first."""
    _require_handler(case, actor, role)
    outcome = outcome.strip()
    if not outcome:
        raise CaseError("a case cannot be closed without an outcome")
    if case.kind == "complaint":
        complaint = session.scalars(select(Complaint).where(Complaint.case_id == case.id)).first()
        if complaint is None or not complaint.finding or not complaint.investigation.strip():
            raise CaseError(
                "a complaint cannot be closed without an investigation outcome: record the "
                "investigation's finding and summary first"
            )
    case.status = "closed"
    case.outcome = outcome
    case.closed_at = datetime.now(UTC)
    _post(session, case, kind="update", author=actor, body=f"Closed: {outcome}")
    audit.append(session, actor=actor, action="case.close", target=f"case:{case.id}")
    return case


def view(session: Session, *, case: Case, actor: str) -> None:
    """Record that ``actor`` looked at ``case`` (every view is audited)."""
    audit.append(session, actor=actor, action="case.view", target=f"case:{case.id}")


def overdue(case: Case, today: date | None = None) -> bool:
    return case.status != "closed" and case.due_date is not None and case.due_date < (
        today or date.today())
