"""Helpers shared by the governance tests: a new policy version made from the stored one."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from commsguard.store import crud
from commsguard.store.tables import PackVersion


def official_only_rule(content: dict[str, Any]) -> dict[str, Any]:
    """The first rule that blocks on official accounts but only asks review on private ones."""
    return next(r for r in content["rules"]
                if r["severity"]["official"] == "block" and r["severity"]["private"] == "review")


def publish(session: Session, version: str, mutate: Callable[[dict[str, Any]], None],
            effective: date = date(2026, 7, 1)) -> PackVersion:
    """Store and activate a new version whose content is the active one, changed by ``mutate``."""
    current = crud.active_pack_version(session)
    assert current is not None
    content = copy.deepcopy(current.content)
    mutate(content)
    content["policy"]["version"] = version
    for other in session.query(PackVersion).filter(PackVersion.active.is_(True)):
        other.active = False
    row = PackVersion(name=current.name, version=version, effective=effective,
                      digest=f"test-{version}", content=content, source_path="", active=True)
    session.add(row)
    session.flush()
    return row


def soften_official(content: dict[str, Any]) -> None:
    """An official-account change only: a rule that blocked office posts now asks review."""
    official_only_rule(content)["severity"]["official"] = "review"


def reword_clause(clause_id: str) -> Callable[[dict[str, Any]], None]:
    def mutate(content: dict[str, Any]) -> None:
        clause = next(c for c in content["clauses"] if c["id"] == clause_id)
        clause["text"] += "\nManagers must remind their staff of this policy every year."
    return mutate
