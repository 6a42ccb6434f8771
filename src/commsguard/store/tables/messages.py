"""Checked messages, their findings and the review queue built on them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from commsguard.store.tables.base import Base, utcnow


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
