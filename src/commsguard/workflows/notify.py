"""E-mail notifications through a configurable SMTP server, and the governance settings.

Nothing is sent when ``COMMSGUARD_SMTP_HOST`` is unset: the in-app queues are the record and
e-mail is a courtesy. A failure to send is returned (and logged by the caller), never raised
into the workflow that triggered it, so a report is never lost because a mail server is down.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from commsguard.store.tables import Person, User

log = logging.getLogger(__name__)


class GovernanceSettings(BaseSettings):
    """Every field can be set as ``COMMSGUARD_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="COMMSGUARD_", extra="ignore")

    smtp_host: str = ""
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_from: str = "commsguard@localhost"
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_timeout: float = Field(default=10.0, gt=0)
    #: The address of the web app, for links in e-mails.
    base_url: str = "http://127.0.0.1:8000"
    #: Days a report case / complaint case is due after it is opened.
    report_due_days: int = Field(default=14, ge=1)
    complaint_due_days: int = Field(default=28, ge=1)
    #: Authorisations expiring within this many days are shown as expiring soon.
    expiring_days: int = Field(default=30, ge=1)
    #: Quiz questions drawn from the pack's rule examples on attestation (0: no quiz).
    quiz_questions: int = Field(default=3, ge=0, le=20)
    #: Where the Valuing Staff Policy lives on the intranet (linked from complaints).
    valuing_staff_url: str = ""


def get_governance_settings() -> GovernanceSettings:
    return GovernanceSettings()


@dataclass(frozen=True, slots=True)
class Sent:
    recipients: tuple[str, ...]
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def send_mail(
    *, to: Iterable[str], subject: str, body: str, settings: GovernanceSettings | None = None
) -> Sent:
    """Send one plain-text message to ``to``; returns whom it went to, or why it did not."""
    settings = settings or get_governance_settings()
    recipients = tuple(sorted({a.strip() for a in to if a and "@" in a}))
    if not settings.smtp_host or not recipients:
        return Sent(recipients=(), error="" if not settings.smtp_host else "no recipients")
    msg = EmailMessage()
    msg["From"] = settings.smtp_from
    msg["To"] = ", ".join(recipients)
    msg["Subject"] = subject
    msg.set_content(body)
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("could not send %r to %s: %s", subject, recipients, exc)
        return Sent(recipients=recipients, error=str(exc) or type(exc).__name__)
    return Sent(recipients=recipients)


def addresses_for_role(session: Session, role: str, *, exclude: Iterable[str] = ()) -> list[str]:
    """E-mail addresses of the active users holding ``role`` (from their person record, or a
    username that is itself an address), leaving out ``exclude``d usernames."""
    skip = {u.lower() for u in exclude}
    users = [
        u.username
        for u in session.scalars(select(User).where(User.role == role, User.active.is_(True)))
        if u.username.lower() not in skip
    ]
    return addresses_for(session, users)


def addresses_for(session: Session, usernames: Iterable[str]) -> list[str]:
    names = [u.lower() for u in usernames]
    if not names:
        return []
    people = {
        p.username: p.email
        for p in session.scalars(select(Person).where(Person.username.in_(names)))
    }
    out = []
    for name in names:
        email = people.get(name) or (name if "@" in name else "")
        if email:
            out.append(email)
    return out
