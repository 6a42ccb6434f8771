"""The tamper-evident audit log (migration 0002)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from commsguard.store.tables.base import Base, utcnow


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
