"""Governance workflows (migration 0005): people, cases, attestations, sites, approvals."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from commsguard.store.tables.base import Base, utcnow


class Person(Base):
    """Someone the policy binds: employee, student placement, contractor or consultant.

    Former staff are kept (``end_date`` in the past): their confidentiality duty outlasts
    their employment. ``username`` is the name they sign in and post under.
    """

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), default="")
    #: employee | student | contractor | consultant
    kind: Mapped[str] = mapped_column(String(20), default="employee")
    #: The pack role whose duties they carry (staff, manager, communications, …).
    role: Mapped[str] = mapped_column(String(20), default="staff")
    manager: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OathRecord(Base):
    """The oath or affirmation a person swore on commencement."""

    __tablename__ = "oaths"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # oath | affirmation
    taken_on: Mapped[date] = mapped_column(Date)
    witness: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Case(Base):
    """A report of inappropriate content or a discrimination/harassment complaint, tracked.

    ``excluded`` lists (space-separated, lower-case) the usernames of people named in it: they
    never see it, whatever their role. An anonymous reporter is known only by the sha256 of
    the report key they were given once.
    """

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_status", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # report | complaint
    title: Mapped[str] = mapped_column(String(300))
    #: open | investigating | awaiting-reporter | closed
    status: Mapped[str] = mapped_column(String(20), default="open")
    owner: Mapped[str | None] = mapped_column(String(200), nullable=True)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    outcome: Mapped[str] = mapped_column(Text, default="")
    reporter: Mapped[str | None] = mapped_column(String(200), nullable=True)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    key_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    excluded: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)


class ContentReport(Base):
    """What was reported: where it is online and what it is."""

    __tablename__ = "content_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    urls: Mapped[str] = mapped_column(Text, default="")  # one a line
    platform: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text)


class CaseFile(Base):
    """A screenshot or other file attached to a case, kept in the database."""

    __tablename__ = "case_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseMessage(Base):
    """A note, question or answer on a case. Notes are internal; questions reach the reporter."""

    __tablename__ = "case_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: note | question | answer | update
    kind: Mapped[str] = mapped_column(String(12))
    #: A username, or "reporter" for an anonymous reporter's answer.
    author: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Complaint(Base):
    """A discrimination or harassment complaint: investigated, never closed without an outcome."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    #: discrimination | harassment | sexual-harassment | bullying | victimisation
    conduct: Mapped[str] = mapped_column(String(30))
    platform: Mapped[str] = mapped_column(String(100), default="")
    urls: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text)
    related_policy: Mapped[str] = mapped_column(String(200), default="")
    investigator: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: substantiated | partly-substantiated | not-substantiated | withdrawn ('' until found)
    finding: Mapped[str] = mapped_column(String(30), default="")
    investigation: Mapped[str] = mapped_column(Text, default="")


class Attestation(Base):
    """A person's attestation that they know a version of the policy (with a quiz score)."""

    __tablename__ = "attestations"
    __table_args__ = (Index("ix_attestations_person", "person_id", "attested_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    pack_name: Mapped[str] = mapped_column(String(200))
    pack_version: Mapped[str] = mapped_column(String(50))
    attested_at: Mapped[datetime] = mapped_column(default=utcnow)
    quiz_score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    quiz_total: Mapped[int | None] = mapped_column(Integer, nullable=True)


class SiteQuestion(Base):
    """A site asked about ("is this social media?"), and the Manager IT Systems' answer.

    ``answer`` is a Definitions category id, ``internal-tool`` or ``not-social-media``; once
    given, the taxonomy consults it before the pack's own lists.
    """

    __tablename__ = "site_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    domain: Mapped[str] = mapped_column(String(300), unique=True)
    asked_by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending | answered
    answer: Mapped[str | None] = mapped_column(String(60), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    answered_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(nullable=True)


class PostApproval(Base):
    """A post drafted for an office account by a business-use holder who is not a spokesperson,
    waiting for a ``communications`` approver (never its own author)."""

    __tablename__ = "post_approvals"
    __table_args__ = (Index("ix_post_approvals_status", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    author: Mapped[str] = mapped_column(String(200), index=True)
    account: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(50), default="")
    text: Mapped[str] = mapped_column(Text)
    #: pending | approved | changes-requested | rejected
    status: Mapped[str] = mapped_column(String(20), default="pending")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    approver: Mapped[str | None] = mapped_column(String(200), nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(nullable=True)
