"""The review queue's functions over FindingRow, ReviewAction and Suppression."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from commsguard.models import Finding, Message, Result
from commsguard.store import crud
from commsguard.store.db import make_engine, migrate, session_scope
from commsguard.store.tables import FindingRow, ReviewAction
from commsguard.workflows import audit, review


@pytest.fixture
def review_db(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'review.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


def _finding(rule: str, evidence: str, start: int = 0) -> Finding:
    return Finding(clause=rule.split(".")[0], rule=rule, detector="phrases", severity="review",
                   confidence=0.7, start=start, end=start + len(evidence), evidence=evidence,
                   message="m", suggestion="s")


def _store(s: Session, author: str, text: str, findings: list[Finding],
           channel: str = "x") -> list[FindingRow]:
    msg = Message(id="m", text=text, author=author, channel=channel)
    _, rows, _ = crud.save_result(s, message=msg, result=Result("m", "review", tuple(findings)),
                                  pack_version="1", submitted_by=author)
    return rows


def test_when_filtered_then_only_matching_findings(review_db: Engine) -> None:
    with session_scope(review_db) as s:
        _store(s, "ann", "Vote Labor", [_finding("apolitical.party", "Vote Labor")])
        _store(s, "bob", "Vote Labor now", [_finding("apolitical.party", "Vote Labor")],
               channel="facebook")
        items, n = review.list_queue(s, filters=review.QueueFilter(person="ann"))
        assert n == 1 and items[0][1].author == "ann"
        items, n = review.list_queue(s, filters=review.QueueFilter(channel="facebook"))
        assert n == 1 and items[0][1].author == "bob"
        tomorrow = (datetime.now(UTC) + timedelta(days=1)).date()
        assert review.list_queue(s, filters=review.QueueFilter(date_from=tomorrow))[1] == 0
        assert review.list_queue(s, filters=review.QueueFilter(submitted_by="bob"))[1] == 1


def test_when_evidence_differs_only_in_case_space_digits_then_grouped(review_db: Engine) -> None:
    with session_scope(review_db) as s:
        _store(s, "a", "Call 0412 345 678", [_finding("pii.phone", "0412 345 678")])
        _store(s, "b", "call 0499  111 222", [_finding("pii.phone", "0499  111 222")])
        _store(s, "c", "Vote", [_finding("apolitical.party", "Vote")])
        items, _ = review.list_queue(s, filters=review.QueueFilter())
        groups = review.group_near_duplicates(items)
        assert sorted(len(g.items) for g in groups) == [1, 2]


def test_when_dismissed_with_suppression_then_recorded_and_audited(review_db: Engine) -> None:
    with session_scope(review_db) as s:
        row = _store(s, "ann", "Vote Labor", [_finding("apolitical.party", "Vote Labor")])[0]
        sup = review.dismiss(s, finding=row, actor="rita", reason="quoting", suppress="everyone")
        assert sup is not None and sup.person is None and sup.created_by == "rita"
        assert row.status == "dismissed"
        kept = review.unsuppressed(s, person="zed", findings=[_finding("apolitical.party",
                                                                       "vote  LABOR")])
        assert kept == []
        assert [e.action for e in audit.recent(s)] == ["finding.dismiss"]
        with pytest.raises(review.ReviewError, match="reason"):
            review.dismiss(s, finding=row, actor="rita", reason=" ")


def test_when_actions_are_taken_then_history_is_appended(review_db: Engine) -> None:
    with session_scope(review_db) as s:
        row = _store(s, "ann", "Vote Labor", [_finding("apolitical.party", "Vote Labor")])[0]
        review.assign(s, finding=row, actor="rita", assignee="coo")
        review.tag(s, finding=row, actor="rita", tags=["Urgent!", "urgent", "politics"])
        review.note(s, finding=row, actor="rita", text="looked at it")
        review.escalate(s, finding=row, actor="rita", reason="repeat")
        review.record_breach(s, finding=row, actor="coo", outcome="post removed")
        assert row.assignee == "coo" and row.tags == "urgent politics" and row.status == "breach"
        assert [a.action for a in review.history(s, finding_id=row.id)] == [
            "assign", "tag", "note", "escalate", "breach"]
        with pytest.raises(review.ReviewError, match="unknown action"):
            review.apply(s, finding=row, actor="rita", action="delete")
        assert audit.verify(s).ok and audit.verify(s).entries == 5
        assert s.query(ReviewAction).count() == 5


def test_dashboard_counts_by_clause_month_age_and_false_positive_rate(review_db: Engine) -> None:
    with session_scope(review_db) as s:
        rows = _store(s, "ann", "a b c d", [
            _finding("apolitical.party", "a", 0), _finding("apolitical.party", "b", 2),
            _finding("pii.phone", "c", 4), _finding("pii.phone", "d", 6),
        ])
        review.dismiss(s, finding=rows[0], actor="r", reason="fp")
        review.escalate(s, finding=rows[1], actor="r", reason="x")
        rows[2].created_at = datetime.now(UTC) - timedelta(days=10)
        s.flush()
        d = review.dashboard(s)
        month = datetime.now(UTC).strftime("%Y-%m")
        assert d.by_clause_month["apolitical"][month] == 2
        assert dict(d.backlog_by_age)["1–4 weeks"] == 1 and dict(d.backlog_by_age)["< 1 day"] == 1
        assert d.false_positive_rate == [("apolitical.party", 1, 2, 0.5)]
        assert len(d.months) == 12 and d.months[-1] == month


def test_pseudonyms_are_stable_and_keyed() -> None:
    a = review.pseudonym("Ann Smith", key=b"k1")
    assert a == review.pseudonym(" ann smith ", key=b"k1") and a.startswith("Person ")
    assert a != review.pseudonym("Ann Smith", key=b"k2")
