"""What the app holds for its lifetime: settings, database, engine, pack, keys.

Built once by :func:`commsguard.web.app.create_app` and reached from a route through the
``ServiceDep`` dependency. :meth:`Service.check` is the one place checks run for the web: the
check page, its htmx preview and ``POST /api/v1/check`` all call it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import Engine as DbEngine
from sqlalchemy.orm import Session

from commsguard.config import Settings
from commsguard.engine import Engine
from commsguard.message_input import MessageIn
from commsguard.models import Message, Result
from commsguard.policy.loader import Pack
from commsguard.registers import AuthorisationRegister, ConfidentialRegister
from commsguard.secret import load_secret
from commsguard.store import crud
from commsguard.store.db import get_engine, session_scope
from commsguard.store.tables import MessageRow, User
from commsguard.web.config import ServiceSettings
from commsguard.web.security import Keys, Passwords, SessionSigner
from commsguard.web.throttle import Throttle
from commsguard.workflows import review
from commsguard.workflows.installation import current_pack, seal_audit
from commsguard.workflows.masking import RegisterMask


@dataclass(frozen=True)
class Checked:
    message: Message
    result: Result
    row: MessageRow | None


class Service:
    def __init__(self, settings: Settings, service: ServiceSettings) -> None:
        self.settings = settings
        self.options = service
        self.db: DbEngine = get_engine(settings.database_url)
        secret = load_secret(settings.secret_file, create=False)
        self.keys = Keys.derive(secret)
        seal_audit(self.db, settings, secret)
        self.pack: Pack = current_pack(settings)
        self.passwords = Passwords(
            time_cost=service.argon2_time_cost, memory_kib=service.argon2_memory_kib,
            context=(self.pack.meta.organisation,),
        )
        self.signer = SessionSigner(self.keys, max_age_seconds=service.session_hours * 3600)
        #: Per-address limits of the routes anyone may call without signing in.
        self.follow_throttle = Throttle(limit=service.report_follow_per_hour,
                                        window_seconds=3600, key=self.keys.throttle)
        self.report_throttle = Throttle(limit=service.anonymous_reports_per_hour,
                                        window_seconds=3600, key=self.keys.throttle)
        #: The clock sign-in delays are measured by (tests set it; nothing else does).
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self._lock = threading.Lock()
        self.engine: Engine = self._build_engine()
        self._mask: RegisterMask | None = None

    def _build_engine(self) -> Engine:
        register, authorisations = self._registers()
        # Warmed here, so the first post a person checks is as fast as the rest.
        return Engine(self.pack, register=register, authorisations=authorisations).warm()

    def _registers(self) -> tuple[ConfidentialRegister, AuthorisationRegister]:
        with session_scope(self.db) as session:
            register = crud.load_register(
                session, secret=load_secret(self.settings.secret_file, create=False)
            )
            return register, crud.load_authorisations(session)

    @property
    def register_mask(self) -> RegisterMask:
        """Hides the current register's values in stored text (see ``workflows/masking.py``)."""
        register = self.engine.context.register
        current = self._mask
        if current is None or current.register is not register:
            current = self._mask = RegisterMask(register)
        return current

    def reload(self) -> None:
        """Rebuild the engine after a register or pack change (called by those routes).

        Only a new pack recompiles the patterns; new registers reuse the current engine's."""
        current = self.engine
        if current.pack is self.pack:
            register, authorisations = self._registers()
            engine = current.with_registers(register=register, authorisations=authorisations)
        else:
            engine = self._build_engine()
        with self._lock:
            self.engine = engine

    def check(
        self,
        session: Session,
        *,
        user: User,
        messages: Sequence[MessageIn],
        record: bool,
        origin: str = "check",
        on_behalf: bool = False,
    ) -> list[Checked]:
        """Check messages as ``user``; with ``record``, store them and their findings.

        The author is the user, whatever the message says, unless ``on_behalf`` (a token with
        the ``check:on-behalf`` scope) lets the message name another; either way the user is
        stored as the one who submitted it. Findings whose pattern a reviewer has suppressed
        for that author (or for everyone) are left out.
        """
        engine = self.engine
        prepared = [
            m.to_message(default_id=f"msg-{i}")
            if on_behalf and m.author
            else m.model_copy(update={"author": user.username}).to_message(
                default_id=f"msg-{i}"
            )
            for i, m in enumerate(messages, start=1)
        ]
        results = engine.check_many(prepared)
        out: list[Checked] = []
        for message, result in zip(prepared, results, strict=True):
            kept = review.unsuppressed(session, person=message.author, findings=result.findings)
            if len(kept) != len(result.findings):
                result = replace(result, findings=tuple(kept), decision=engine.decide(kept))
            row = None
            if record:
                row, _, _ = crud.save_result(
                    session, message=message, result=result, pack_version=self.pack.version,
                    origin=origin, submitted_by=user.username,
                )
            out.append(Checked(message, result, row))
        return out
