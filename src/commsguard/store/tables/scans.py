"""Archive scans: each run, the files it finished and the items it could not read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from commsguard.store.tables.base import Base, utcnow


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
