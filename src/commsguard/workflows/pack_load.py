"""Loading a policy pack as a new stored version, and who must then re-attest.

Shared by ``commsguard pack load`` and the web app's "Policy versions" page: the pack is stored
(``store.crud.store_pack_version``) and made active; everyone whose obligations the change
touches (:mod:`commsguard.workflows.attestation`) is then due, and is sent a reminder.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from commsguard.policy.loader import Pack
from commsguard.store import crud
from commsguard.store.tables import PackVersion
from commsguard.workflows import attestation as att
from commsguard.workflows import audit
from commsguard.workflows.notify import GovernanceSettings


@dataclass(frozen=True)
class Loaded:
    version: PackVersion
    #: The version that was active before (None on a fresh installation).
    previous: str | None
    #: True when this name and version were not stored before.
    new: bool
    #: Usernames who must (re-)attest to the now-active version.
    must_attest: tuple[str, ...]
    #: Of those, the ones e-mailed a reminder.
    reminded: tuple[str, ...]


def load_pack_version(
    session: Session, *, pack: Pack, actor: str, remind: bool = True,
    settings: GovernanceSettings | None = None,
) -> Loaded:
    """Store ``pack`` as the active version and ask the people it affects to re-attest."""
    before = crud.active_pack_version(session)
    previous = before.version if before is not None else None
    new = att.find_version(session, pack.name, pack.version) is None
    row = crud.store_pack_version(session, pack=pack)
    due = tuple(s.person.username for s in att.team_status(session)
                if s.state in ("due", "never"))
    reminded: tuple[str, ...] = ()
    if remind and due:
        reminded = tuple(att.remind(session, actor=actor, manager=None, settings=settings))
    audit.append(session, actor=actor, action="policy.load",
                 target=f"pack:{row.name}@{row.version}",
                 detail={"previous": previous, "new": new, "must_attest": len(due),
                         "reminded": len(reminded)})
    return Loaded(row, previous, new, due, reminded)
