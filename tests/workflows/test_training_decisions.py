"""Reviewers' decisions exported as training rows for the semantic tier."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from commsguard.models import Finding, Message, Result
from commsguard.store import crud
from commsguard.store.db import make_engine, migrate, session_scope
from commsguard.store.tables import FindingRow
from commsguard.workflows import review
from commsguard.workflows.training_decisions import export_decisions


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'decisions.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


def _store(s: Session, text: str, rule: str, detector: str = "semantic") -> FindingRow:
    f = Finding(clause=rule.split(".")[0], rule=rule, detector=detector, severity="review",
                confidence=0.8, start=0, end=len(text), evidence=text, message="m",
                suggestion="s")
    msg = Message(id=text[:8], text=text, author="ann")
    _, rows, _ = crud.save_result(s, message=msg, result=Result(msg.id, "review", (f,)),
                                  pack_version="1", submitted_by="ann")
    return rows[0]


def test_when_breach_and_dismissal_then_one_row_each_for_that_clause(
    db: Engine, tmp_path: Path
) -> None:
    out = tmp_path / "decisions.jsonl"
    with session_scope(db) as s:
        b = _store(s, "Off to hand out how-to-vote cards for my party", "apolitical.semantic")
        d = _store(s, "The party last night was brilliant", "apolitical.semantic")
        _store(s, "Still open, nobody decided", "apolitical.semantic")
        review.record_breach(s, finding=b, actor="rita", outcome="post removed")
        review.dismiss(s, finding=d, actor="rita", reason="a social party, not a political one")
        done = export_decisions(s, out)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert (done.positives, done.negatives, done.skipped) == (1, 1, 0)
    assert rows == [
        {"id": f"decision-{b.id}", "text": "Off to hand out how-to-vote cards for my party",
         "labels": ["apolitical"], "only_for": ["apolitical"],
         "note": "reviewer breach of apolitical.semantic"},
        {"id": f"decision-{d.id}", "text": "The party last night was brilliant",
         "labels": [], "only_for": ["apolitical"],
         "note": "reviewer dismissed of apolitical.semantic"},
    ]


def test_when_message_matched_the_register_then_it_never_reaches_the_pack(
    db: Engine, tmp_path: Path
) -> None:
    out = tmp_path / "decisions.jsonl"
    with session_scope(db) as s:
        f = _store(s, "Jane Citizen rang again about her complaint", "privacy-confidentiality.x",
                   detector="confidential-register")
        review.record_breach(s, finding=f, actor="rita", outcome="counselled")
        done = export_decisions(s, out)
    assert done.skipped == 1 and out.read_text(encoding="utf-8") == ""
