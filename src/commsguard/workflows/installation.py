"""Setting up an installation and building the engine it runs: pack, registers and database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine as DbEngine

from commsguard.config import Settings, get_settings
from commsguard.engine import Engine
from commsguard.policy.loader import Pack, load_pack
from commsguard.secret import load_secret
from commsguard.store import crud
from commsguard.store.db import get_engine, migrate, require_migrated, session_scope


@dataclass(frozen=True)
class InitReport:
    database: str
    pack_name: str
    pack_version: str
    secret_file: str


def current_pack(settings: Settings | None = None) -> Pack:
    settings = settings or get_settings()
    return load_pack(settings.pack)


def init_installation(settings: Settings | None = None) -> InitReport:
    """Create or migrate the database, create the secret, load the pack. Idempotent."""
    settings = settings or get_settings()
    db = get_engine(settings.database_url)
    migrate(db)
    load_secret(settings.secret_file, create=True)
    pack = current_pack(settings)
    with session_scope(db) as session:
        crud.store_pack_version(session, pack=pack)
    return InitReport(
        database=db.url.render_as_string(hide_password=True),
        pack_name=pack.name,
        pack_version=pack.version,
        secret_file=str(settings.secret_file),
    )


def database(settings: Settings | None = None) -> DbEngine:
    """The migrated database, or a clear error telling the user to run ``commsguard init``."""
    settings = settings or get_settings()
    db = get_engine(settings.database_url)
    require_migrated(db)
    return db


def build_engine(settings: Settings | None = None, *, with_registers: bool = True) -> Engine:
    """The engine over the current pack and, where the database is set up, its registers."""
    settings = settings or get_settings()
    pack = current_pack(settings)
    if not with_registers:
        return Engine(pack)
    db = database(settings)
    secret = load_secret(settings.secret_file, create=False)
    with session_scope(db) as session:
        register = crud.load_register(session, secret=secret)
        authorisations = crud.load_authorisations(session)
    return Engine(pack, register=register, authorisations=authorisations)
