"""Data the gap pages' tests share: a scan with quarantined items, an older policy version,
people in a manager's team (one former), and sites queued for IT."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from commsguard.store import crud
from commsguard.store.tables import PackVersion, Person, QuarantineRow, Scan, SiteQuestion

#: Raw bytes that would run as script if a page ever rendered them as HTML.
HOSTILE = b"<script>alert('raw')</script>\xff\xfe broken line"
OLD_VERSION = "0.9.0-gaps"
CHANGED_CLAUSE_WORDS = "(earlier wording, gaps test)"


def seed(session: Session) -> dict[str, str]:
    """Idempotent: the second call (another test module) finds and returns the same rows."""
    found = session.scalars(select(Scan).where(Scan.paths == "/archive/gaps")).first()
    if found is not None:
        return _ids(session, found)
    scan = Scan(paths="/archive/gaps", reader="slack", status="done")
    other = Scan(paths="/archive/gaps-mbox", reader="mbox", status="done")
    session.add_all([scan, other])
    session.flush()
    items = [QuarantineRow(scan_id=scan.id, reader="slack", source_path=f"/archive/gaps/{i}.json",
                           position=f"line {i}", reason="not valid JSON", raw=HOSTILE)
             for i in range(60)]
    items.append(QuarantineRow(scan_id=other.id, reader="mbox", source_path="/archive/gaps.mbox",
                               position="offset 4096", reason="undecodable header", raw=None))
    session.add_all(items)

    current = crud.active_pack_version(session)
    assert current is not None
    old = session.scalars(select(PackVersion).where(PackVersion.version == OLD_VERSION)).first()
    if old is None:
        content = copy.deepcopy(current.content)
        content["clauses"][0]["text"] += " " + CHANGED_CLAUSE_WORDS
        content["policy"]["version"] = OLD_VERSION
        old = PackVersion(name=current.name, version=OLD_VERSION,
                          effective=current.effective - timedelta(days=365),
                          digest="gaps-old", content=content, source_path="", active=False)
        session.add(old)

    for username, name, manager, end in (
        ("gaps-boss", "Gaps Boss", None, None),
        ("gaps-ann", "Ann Gaps", "manager", None),
        ("gaps-old", "Olde Gaps", "manager", date(2025, 1, 31)),
        ("gaps-else", "Else Where", "gaps-boss", None),
    ):
        if session.scalars(select(Person).where(Person.username == username)).first() is None:
            session.add(Person(username=username, name=name, email=f"{username}@vo.example",
                               kind="employee", role="staff", manager=manager,
                               start_date=date(2024, 1, 1), end_date=end))
    questions = [SiteQuestion(domain=d, asked_by="staff", note="seen in a post",
                              status="pending", reason="")
                 for d in ("gaps-forum.example", "gaps-chat.example", "gaps-wiki.example")]
    session.add_all(questions)
    session.flush()
    return _ids(session, scan)


def _ids(session: Session, scan: Scan) -> dict[str, str]:
    def one(query: Any) -> int:
        value = session.scalars(query).first()
        assert value is not None
        return int(value)

    current = crud.active_pack_version(session)
    assert current is not None
    return {
        "scan": str(scan.id),
        "other_scan": str(one(select(Scan.id).where(Scan.paths == "/archive/gaps-mbox"))),
        "item": str(one(select(QuarantineRow.id).where(QuarantineRow.scan_id == scan.id)
                        .order_by(QuarantineRow.id))),
        "version": str(current.id),
        "old": str(one(select(PackVersion.id).where(PackVersion.version == OLD_VERSION))),
        "question": str(one(select(SiteQuestion.id)
                            .where(SiteQuestion.domain == "gaps-forum.example"))),
    }
