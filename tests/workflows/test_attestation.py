"""Policy versions, diffs and attestation: only people whose obligations changed re-attest."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from commsguard.registers import Authorisation
from commsguard.store import crud
from commsguard.store.db import session_scope
from commsguard.workflows import attestation as att
from commsguard.workflows import people
from commsguard.workflows.notify import GovernanceSettings
from gov_helpers import official_only_rule, publish, reword_clause, soften_official
from smtp_sink import SmtpSink

NO_QUIZ = GovernanceSettings(quiz_questions=0)


def _attest_all(db: Engine, settings: GovernanceSettings = NO_QUIZ) -> None:
    with session_scope(db) as s:
        for p in people.list_people(s):
            att.attest(s, person=p, settings=settings)


def _states(db: Engine) -> dict[str, str]:
    with session_scope(db) as s:
        return {st.person.username: st.state for st in att.team_status(s)}


def test_when_never_attested_then_everyone_due_until_they_attest(db: Engine) -> None:
    assert set(_states(db).values()) == {"never"}
    _attest_all(db)
    assert set(_states(db).values()) == {"current"}


def test_when_official_rule_changes_then_only_office_posters_reattest(db: Engine) -> None:
    with session_scope(db) as s:
        crud.import_authorisations(s, rows=[Authorisation("alex", "business-use")])
    _attest_all(db)
    with session_scope(db) as s:
        publish(s, "1.1.0", soften_official)
    states = _states(db)
    # alex holds business-use; casey is communications: both post for the office.
    assert {u for u, st in states.items() if st == "due"} == {"alex", "casey"}
    with session_scope(db) as s:
        alex = people.by_username(s, "alex")
        assert alex is not None
        st = att.StatusBook.open(s).status(alex)
        assert st.since == "1.0.0"
        [clause] = st.changes
        [rule] = clause.rules
        assert rule.changes[0].field == "severity" and rule.audiences == {att.OFFICIAL}


def test_when_clause_text_changes_then_everyone_reattests_and_sees_the_words(
    db: Engine,
) -> None:
    _attest_all(db)
    with session_scope(db) as s:
        publish(s, "1.1.0", reword_clause("responsibility"))
    assert set(_states(db).values()) == {"due"}
    with session_scope(db) as s:
        old = att.find_version(s, "victorian-ombudsman-social-media", "1.0.0")
        assert old is not None
        diff = att.diff_versions(old, att.current_version(s))
        [changed] = diff.changed
        assert changed.id == "responsibility"
        inserted = "".join(t for op, t in changed.text if op == "insert")
        assert "remind their staff" in inserted
        assert diff.to_dict()["clauses"][0]["audiences"] == ["all"]


def test_when_only_wording_changes_then_nobody_reattests(db: Engine) -> None:
    _attest_all(db)

    def reword(content: dict[str, object]) -> None:
        official_only_rule(content)["message"] = "Clearer words, same duty."  # type: ignore[arg-type]

    with session_scope(db) as s:
        publish(s, "1.0.1", reword)
        diff = att.diff_versions(
            att.find_version(s, "victorian-ombudsman-social-media", "1.0.0"),  # type: ignore[arg-type]
            att.current_version(s))
        assert len(diff.changed) == 1 and diff.changed[0].rules[0].wording_only
    assert set(_states(db).values()) == {"current"}


def test_when_former_staff_then_kept_but_not_asked(db: Engine) -> None:
    with session_scope(db) as s:
        sam = people.by_username(s, "sam")
        assert sam is not None
        sam.end_date = date(2025, 1, 31)
    states = _states(db)
    assert "sam" not in states
    with session_scope(db) as s:
        every = att.team_status(s, include_former=True)
        assert {st.person.username: st.state for st in every}["sam"] == "former"


def test_when_quiz_on_then_answers_required_and_scored(db: Engine) -> None:
    settings = GovernanceSettings(quiz_questions=4)
    with session_scope(db) as s:
        alex = people.by_username(s, "alex")
        assert alex is not None
        current = att.current_version(s)
        qs = att.quiz_for(current.content, username="alex", version=current.version, count=4)
        assert len(qs) == 4 and {q.breach for q in qs} == {True, False}
        assert qs == att.quiz_for(current.content, username="alex", version=current.version,
                                  count=4)
        with pytest.raises(att.AttestationError, match="answer every quiz question"):
            att.attest(s, person=alex, answers={}, settings=settings)
        answers = {q.id: "breach" if q.breach else "ok" for q in qs}
        answers[qs[0].id] = "ok" if qs[0].breach else "breach"
        row = att.attest(s, person=alex, answers=answers, settings=settings)
        assert (row.quiz_score, row.quiz_total) == (3, 4)


def test_when_manager_reminds_then_due_team_emailed(
    db: Engine, sink: SmtpSink, mail: GovernanceSettings
) -> None:
    with session_scope(db) as s:
        assert sorted(st.person.username for st in att.team_status(s, manager="morgan")) == [
            "alex", "sam"]
        reminded = att.remind(s, actor="morgan", manager="morgan", settings=mail)
    assert sorted(reminded) == ["alex", "sam"]
    assert sorted(r for m in sink.received for r in m.recipients) == [
        "alex@vo.example", "sam@vo.example"]
