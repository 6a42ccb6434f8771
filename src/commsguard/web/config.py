"""Settings of the web service (``COMMSGUARD_*``), beside the installation's own settings."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """How the service behaves. Every field can be set as ``COMMSGUARD_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="COMMSGUARD_", extra="ignore")

    #: Show people in the review queue as pseudonyms until a reviewer records a reason to
    #: reveal the name (the reveal is audited).
    pseudonymise: bool = False
    #: How long a browser stays signed in.
    session_hours: int = Field(default=8, ge=1, le=24 * 30)
    #: Send cookies only over HTTPS (set when served behind TLS).
    cookie_secure: bool = False
    #: Failed sign-ins for one account from one address that cost nothing; after them, each
    #: next attempt from that address waits 1, 2, 4 … seconds (429 until then).
    login_max_failures: int = Field(default=5, ge=1)
    #: The longest wait between attempts, and how long failures are remembered.
    login_max_delay_seconds: int = Field(default=900, ge=1)
    login_window_seconds: int = Field(default=86400, ge=1)
    #: Follow-ups with a report key (page or API) allowed per address per hour (429 past it).
    report_follow_per_hour: int = Field(default=30, ge=1)
    #: Anonymous reports (filed without signing in) allowed per address per hour.
    anonymous_reports_per_hour: int = Field(default=5, ge=1)
    #: The largest request body accepted (413 over it); multipart uploads have their own.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    max_upload_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)
    #: Argon2 cost; the defaults follow OWASP's minimum for argon2id.
    argon2_time_cost: int = Field(default=2, ge=1)
    argon2_memory_kib: int = Field(default=19456, ge=1024)
