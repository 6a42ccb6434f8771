"""Web use of work resources (migration 0004): ingested proxy logs and browsing sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from commsguard.store.tables.base import Base, utcnow


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
