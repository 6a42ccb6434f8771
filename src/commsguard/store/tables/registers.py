"""Confidential registers (hashed values only) and who is authorised to speak or post."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from commsguard.store.tables.base import Base, utcnow


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
