"""Setting up an installation and building the engine it runs: pack, registers and database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine as DbEngine

from commsguard.config import Settings, get_settings
from commsguard.engine import Engine
from commsguard.errors import RegisterError
from commsguard.policy.loader import Pack, load_pack
from commsguard.secret import load_secret
from commsguard.store import crud
from commsguard.store.db import get_engine, migrate, require_migrated, session_scope
from commsguard.workflows import audit


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
    secret = load_secret(settings.secret_file, create=True)
    seal_audit(db, settings, secret)
    pack = current_pack(settings)
    with session_scope(db) as session:
        # Anchor the head of any entries written before the checkpoint existed.
        audit.record_head(session)
        crud.store_pack_version(session, pack=pack)
    return InitReport(
        database=db.url.render_as_string(hide_password=True),
        pack_name=pack.name,
        pack_version=pack.version,
        secret_file=str(settings.secret_file),
    )


def seal_audit(db: DbEngine, settings: Settings, secret: bytes) -> None:
    """Key the database's audit log with the secret; its head goes beside the secret."""
    audit.seal(db, secret=secret, checkpoint=audit.checkpoint_path(settings.secret_file))


def database(settings: Settings | None = None) -> DbEngine:
    """The migrated database, or a clear error telling the user to run ``commsguard init``.

    Its audit log is keyed with the installation secret where the secret can be read.
    """
    settings = settings or get_settings()
    db = get_engine(settings.database_url)
    require_migrated(db)
    try:
        seal_audit(db, settings, load_secret(settings.secret_file, create=False))
    except RegisterError:
        pass  # no secret here: reading works; appending to a keyed log will say why not
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
