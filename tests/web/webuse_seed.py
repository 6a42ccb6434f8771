"""Web use seeded into an installation for the web tests: two people over the limits."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import polars as pl
from sqlalchemy import select

from commsguard.store.tables import FindingRow, MessageRow, Person
from commsguard.webuse import store
from commsguard.webuse.config import load_config
from commsguard.webuse.findings import webuse_findings
from commsguard.webuse.sessions import SESSION_SCHEMA

MELBOURNE = ZoneInfo("Australia/Melbourne")
DAY = (2024, 3, 5)  # a Tuesday


def _at(hour: int, minute: int = 0) -> float:
    return datetime(*DAY, hour, minute, tzinfo=MELBOURNE).timestamp()


#: (person, site, start, end, hits): staff reports to "manager"; carol to "admin".
SESSIONS = [
    ("staff", "facebook.com", _at(10), _at(10, 40), 80),
    ("staff", "reddit.com", _at(14), _at(14, 5), 12),
    ("staff2", "x.com", _at(11), _at(11, 4), 6),
    ("carol", "tiktok.com", _at(9), _at(9, 50), 200),
]


def seed(session: object) -> dict[str, int]:
    """People, sessions and the findings they raise; returns finding id by person."""
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    for name, manager in (("staff", "manager"), ("staff2", "manager"), ("carol", "admin"),
                          ("manager", None), ("admin", None)):
        if session.scalars(select(Person).where(Person.username == name)).first() is None:
            session.add(Person(username=name, name=f"The {name}", email="", kind="employee",
                               role="staff", manager=manager, start_date=date(2024, 1, 1)))
    frame = pl.DataFrame(
        [(p, s, a, b, h, 1000) for p, s, a, b, h in SESSIONS], schema=SESSION_SCHEMA,
        orient="row")
    config = load_config()
    store.save_sessions(session, frame, config.sessions.idle_gap_seconds)
    found = webuse_findings(store.load_sessions(session), config=config)
    store.save_findings(session, findings=found)
    rows = session.execute(select(MessageRow.author, FindingRow.id).join(
        FindingRow, FindingRow.message_id == MessageRow.id).where(MessageRow.origin == "webuse"))
    return {author: fid for author, fid in rows.tuples()}
