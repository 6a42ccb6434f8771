"""The schema, as SQLAlchemy 2 declarative tables. Migrations in ``migrations/`` mirror it.

Sections follow the flow: policy and registers; messages, findings and the review queue;
scans and quarantine. The service, web-use and governance tables are added by their own
migrations (0002 and later) and sections below.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(timezone=True), dict[str, Any]: JSON}


# --- policy and registers -------------------------------------------------------------------


class PackVersion(Base):
    """Each version of a pack ever loaded, with its whole content (for diffs and rescans)."""

    __tablename__ = "pack_versions"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(50))
    effective: Mapped[date] = mapped_column(Date)
    digest: Mapped[str] = mapped_column(String(64))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    source_path: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class RegisterEntry(Base):
    """A confidential register value: only its keyed hash is stored, never the plaintext."""

    __tablename__ = "register_entries"
    __table_args__ = (UniqueConstraint("digest", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    digest: Mapped[bytes] = mapped_column(LargeBinary(32))
    #: The keyed hash of each token, in order, for explaining partial matches.
    token_digests: Mapped[bytes] = mapped_column(LargeBinary)
    token_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200), default="")


class AuthorisationRow(Base):
    """Who may speak for the office or use social media for business, until when."""

    __tablename__ = "authorisations"
    __table_args__ = (UniqueConstraint("person", "authority"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person: Mapped[str] = mapped_column(String(200), index=True)
    authority: Mapped[str] = mapped_column(String(30))
    expires: Mapped[date | None] = mapped_column(Date, nullable=True)
    accounts: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# --- messages, findings and the review queue ------------------------------------------------


class MessageRow(Base):
    """A checked message. Keyed by content hash and source, so a rescan never stores it twice.

    ``text`` is purged after the retention period (``purged_at`` set); findings stay.
    """

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("content_hash", "source_path", "source_position", name="uq_message_key"),
        Index("ix_messages_time", "time"),
        Index("ix_messages_author", "author"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    source_path: Mapped[str] = mapped_column(Text, default="")
    source_position: Mapped[str] = mapped_column(String(200), default="")
    origin: Mapped[str] = mapped_column(String(20), default="scan")  # scan | check | api
    external_id: Mapped[str] = mapped_column(Text, default="")
    reader: Mapped[str] = mapped_column(String(50), default="")
    author: Mapped[str] = mapped_column(String(300), default="")
    channel: Mapped[str] = mapped_column(String(50), default="")
    capacity: Mapped[str] = mapped_column(String(10), default="private")
    profile: Mapped[str] = mapped_column(Text, default="")
    thread: Mapped[str | None] = mapped_column(Text, nullable=True)
    time: Mapped[datetime | None] = mapped_column(nullable=True)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    decision: Mapped[str] = mapped_column(String(10), default="ok")
    pack_version: Mapped[str] = mapped_column(String(50), default="")
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("scans.id"), nullable=True)
    submitted_by: Mapped[str] = mapped_column(String(200), default="")
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    purged_at: Mapped[datetime | None] = mapped_column(nullable=True)


class FindingRow(Base):
    """A finding in the review queue. One per (message, rule, span): exactly once."""

    __tablename__ = "findings"
    __table_args__ = (
        UniqueConstraint("message_id", "rule", "start", "end", name="uq_finding_key"),
        Index("ix_findings_status", "status"),
        Index("ix_findings_clause", "clause"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    clause: Mapped[str] = mapped_column(String(60))
    rule: Mapped[str] = mapped_column(String(120))
    detector: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(10))
    confidence: Mapped[float] = mapped_column(Float)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    suggestion: Mapped[str] = mapped_column(Text)
    entity: Mapped[str | None] = mapped_column(String(40), nullable=True)
    explanation: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    pack_version: Mapped[str] = mapped_column(String(50), default="")
    #: open | dismissed | escalated | breach | retired (no longer raised by the pack)
    status: Mapped[str] = mapped_column(String(20), default="open")
    assignee: Mapped[str | None] = mapped_column(String(200), nullable=True)
    tags: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(nullable=True)


class ReviewAction(Base):
    """A reviewer's decision or note on a finding; never edited, only appended."""

    __tablename__ = "review_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(30))  # note|assign|tag|dismiss|escalate|breach|…
    reason: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Suppression(Base):
    """A false-positive pattern to stop raising: a rule and evidence, for one person or all."""

    __tablename__ = "suppressions"

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(120))
    evidence_digest: Mapped[str] = mapped_column(String(64))
    person: Mapped[str | None] = mapped_column(String(300), nullable=True)
    created_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- scans and quarantine ------------------------------------------------------------------


class Scan(Base):
    __tablename__ = "scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    paths: Mapped[str] = mapped_column(Text)
    reader: Mapped[str] = mapped_column(String(50), default="")
    status: Mapped[str] = mapped_column(String(20), default="running")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)
    messages: Mapped[int] = mapped_column(Integer, default=0)
    new_messages: Mapped[int] = mapped_column(Integer, default=0)
    findings: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[int] = mapped_column(Integer, default=0)
    pack_version: Mapped[str] = mapped_column(String(50), default="")


class QuarantineRow(Base):
    """An item a reader could not read: kept with where it was and why, so nothing is lost."""

    __tablename__ = "quarantine"
    __table_args__ = (UniqueConstraint("source_path", "position", "reason", name="uq_quarantine"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("scans.id"), nullable=True)
    reader: Mapped[str] = mapped_column(String(50), default="")
    source_path: Mapped[str] = mapped_column(Text)
    position: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- service (issue: REST API and web app) — added by migration 0002 -----------------------


#: The roles of the service, from least to most privileged in administration (not a hierarchy).
ROLES: tuple[str, ...] = ("staff", "manager", "reviewer", "communications", "it", "admin")


class User(Base):
    """A person who signs in. ``username`` is also the author name their checks are stored as."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(200), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Set for a generated password (the first administrator's): change it after signing in.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(nullable=True)


class WebSession(Base):
    """A signed-in browser. The cookie carries a signed random id; only its hash is stored."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    user_agent: Mapped[str] = mapped_column(String(300), default="")


class ApiToken(Base):
    """A token for tools: sha256 of the random token at rest, scoped, revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters of the token, so its owner can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    #: Space-separated scopes: check, read, review, admin.
    scopes: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)


class AuditEntry(Base):
    """One entry of the tamper-evident audit log: each row's hash covers the previous one."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 1, 2, 3 … with no gaps: a deleted row leaves a gap or a broken link.
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60), index=True)
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    #: 1: SHA-256 (entries from before keyed hashes); 2: HMAC-SHA256 under the installation key.
    scheme: Mapped[int] = mapped_column(SmallInteger, default=1, server_default="1")


class LoginAttempt(Base):
    """A sign-in attempt, for rate limiting by username and by address."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(200), index=True)
    address: Mapped[str] = mapped_column(String(100), index=True)
    success: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(default=utcnow)


# --- scans bookkeeping (issue: archives) — migration 0003 -----------------------------------


class ScanFile(Base):
    """One input file (or folder) a scan finished, so a rerun can skip it without reading it.

    A file counts as unchanged while its size and modification time are; a rerun with an
    earlier ``--since`` (or none) reads it again, because it would find more messages.
    """

    __tablename__ = "scan_files"
    __table_args__ = (UniqueConstraint("path", "reader", name="uq_scan_file"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    reader: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(BigInteger)
    mtime_ns: Mapped[int] = mapped_column(BigInteger)
    since: Mapped[datetime | None] = mapped_column(nullable=True)
    messages: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[int] = mapped_column(Integer, default=0)
    pack_version: Mapped[str] = mapped_column(String(50), default="")
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("scans.id"), nullable=True)
    finished_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- web use (issue: work resources) — migration 0004 ---------------------------------------


class WebUseIngest(Base):
    """A proxy log read by ``webuse ingest``: keyed by the file's digest, so it is read once.

    ``samples`` holds a few malformed lines (line, reason, text) for the report.
    """

    __tablename__ = "webuse_ingests"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(20))
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    lines: Mapped[int] = mapped_column(BigInteger, default=0)
    parsed: Mapped[int] = mapped_column(BigInteger, default=0)
    malformed: Mapped[int] = mapped_column(BigInteger, default=0)
    samples: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    ingested_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebUseSession(Base):
    """A run of requests by one person to one site with no pause longer than the idle gap.

    ``start`` and ``end`` are epoch seconds (UTC) of the first and last request; sessions from
    later logs are merged in, so a (person, site, start) is stored once.
    """

    __tablename__ = "webuse_sessions"
    __table_args__ = (
        UniqueConstraint("person", "site", "start", name="uq_webuse_session"),
        Index("ix_webuse_sessions_start", "start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person: Mapped[str] = mapped_column(String(300))
    site: Mapped[str] = mapped_column(String(300))
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    hits: Mapped[int] = mapped_column(BigInteger, default=0)
    bytes: Mapped[int] = mapped_column(BigInteger, default=0)


# --- governance (issue: workflows) — migration 0005 -----------------------------------------


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
