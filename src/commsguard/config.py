"""Settings from the environment (``COMMSGUARD_*``), validated with pydantic."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Installation settings. Every field can be set as ``COMMSGUARD_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="COMMSGUARD_", extra="ignore")

    #: SQLAlchemy URL; a SQLite file in the working directory unless set.
    database_url: str = "sqlite:///commsguard.db"
    #: The per-installation secret that keys the confidential register's hashes. It is kept
    #: outside the database on purpose: a copy of the database alone reveals nothing.
    secret_file: Path = Path("commsguard.secret")
    #: A policy pack directory to use instead of the default pack.
    pack: Path | None = None
    #: Days after which stored message bodies are purged (findings are kept).
    retention_days: int = Field(default=365, ge=1)
    host: str = "127.0.0.1"
    port: int = 8000


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
