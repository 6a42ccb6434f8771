"""The schema, as SQLAlchemy 2 declarative tables, one module per area. Migrations in
``migrations/`` mirror it.

Every module is imported here, so all tables register on the one ``Base.metadata`` that
Alembic (``migrations/env.py``) compares against.
"""

from __future__ import annotations

from commsguard.store.tables.accounts import ROLES, ApiToken, LoginAttempt, User, WebSession
from commsguard.store.tables.audit import AuditEntry
from commsguard.store.tables.base import Base, utcnow
from commsguard.store.tables.governance import (
    Attestation,
    Case,
    CaseFile,
    CaseMessage,
    Complaint,
    ContentReport,
    OathRecord,
    Person,
    PostApproval,
    SiteQuestion,
)
from commsguard.store.tables.messages import FindingRow, MessageRow, ReviewAction, Suppression
from commsguard.store.tables.packs import PackVersion
from commsguard.store.tables.registers import AuthorisationRow, RegisterEntry
from commsguard.store.tables.scans import QuarantineRow, Scan, ScanFile
from commsguard.store.tables.webuse import WebUseIngest, WebUseSession

__all__ = [
    "ApiToken",
    "Attestation",
    "AuditEntry",
    "AuthorisationRow",
    "Base",
    "Case",
    "CaseFile",
    "CaseMessage",
    "Complaint",
    "ContentReport",
    "FindingRow",
    "LoginAttempt",
    "MessageRow",
    "OathRecord",
    "PackVersion",
    "Person",
    "PostApproval",
    "QuarantineRow",
    "ROLES",
    "RegisterEntry",
    "ReviewAction",
    "Scan",
    "ScanFile",
    "SiteQuestion",
    "Suppression",
    "User",
    "WebSession",
    "WebUseIngest",
    "WebUseSession",
    "utcnow",
]
