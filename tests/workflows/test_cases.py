"""Reports and complaints as cases: routing, anonymity by key, exclusion, closing rules."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from commsguard.policy.loader import Pack
from commsguard.store.db import session_scope
from commsguard.store.tables import AuditEntry, Case
from commsguard.workflows import cases, complaints
from commsguard.workflows.cases import CaseDenied, CaseError, Upload
from commsguard.workflows.notify import GovernanceSettings
from smtp_sink import SmtpSink

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def _report(s, mail: GovernanceSettings, **kw):  # type: ignore[no-untyped-def]
    args = dict(reporter="alex", urls="https://x.com/someone/status/1", platform="X",
                description="A post mocking a complainant in an open investigation",
                anonymous=True, named="sam", settings=mail,
                files=[Upload("shot.png", "image/png", PNG)])
    args.update(kw)
    return cases.report_content(s, **args)


def test_when_anonymous_report_then_reviewers_emailed_and_key_follows_it(
    db: Engine, sink: SmtpSink, mail: GovernanceSettings
) -> None:
    with session_scope(db) as s:
        opened = _report(s, mail)
        case_id, key = opened.case.id, opened.key
    assert key and key.startswith("RK-")
    assert sorted(r for m in sink.received for r in m.recipients) == [
        "coo@vo.example", "deputy@vo.example"]
    assert "alex" not in sink.received[0].data.decode()
    with session_scope(db) as s:
        case = s.get(Case, case_id)
        assert case is not None and case.reporter is None and case.key_hash != key
        assert cases.case_by_key(s, key).id == case_id
        cases.ask_reporter(s, case=case, actor="deputy", role="reviewer",
                           body="When was it posted?", settings=mail)
        assert case.status == "awaiting-reporter"
    with session_scope(db) as s:
        case = cases.case_by_key(s, key)
        cases.answer_as_reporter(s, case=case, body="Yesterday at 9pm", settings=mail)
        assert case.status == "investigating"
        seen = [(m.kind, m.author) for m in cases.messages(s, case, internal=False)]
        assert seen == [("question", "deputy"), ("answer", "reporter")]
        actors = {a.actor for a in s.scalars(select(AuditEntry))}
        assert "alex" not in actors  # anonymity holds in the audit log too
    with session_scope(db) as s, pytest.raises(CaseDenied):
        cases.case_by_key(s, "RK-0000-WRONG")


def test_when_named_in_report_then_excluded_even_as_reviewer(
    db: Engine, mail: GovernanceSettings, sink: SmtpSink
) -> None:
    with session_scope(db) as s:
        case_id = _report(s, mail, named="deputy, sam").case.id
    assert all("deputy@vo.example" not in m.recipients for m in sink.received)
    with session_scope(db) as s:
        assert [c.id for c in cases.visible_cases(s, username="coo", role="reviewer")] == [case_id]
        assert cases.visible_cases(s, username="deputy", role="reviewer") == []
        assert cases.visible_cases(s, username="sam", role="staff") == []
        assert cases.visible_cases(s, username="alex", role="staff") == []  # anonymous
        with pytest.raises(CaseDenied):
            cases.get_case(s, case_id, username="deputy", role="reviewer")
        case = cases.get_case(s, case_id, username="coo", role="reviewer")
        with pytest.raises(CaseError, match="cannot own"):
            cases.update_case(s, case=case, actor="coo", role="reviewer", owner="deputy")


def test_when_named_reporter_then_sees_own_report_without_notes(
    db: Engine, mail: GovernanceSettings
) -> None:
    with session_scope(db) as s:
        case = _report(s, mail, anonymous=False, named="").case
        assert case.reporter == "alex"
        cases.add_note(s, case=case, actor="coo", role="reviewer", body="internal")
        assert cases.can_view(case, username="alex", role="staff")
        assert not cases.can_handle(case, username="alex", role="staff")
        assert cases.messages(s, case, internal=False) == []
        with pytest.raises(CaseDenied):
            cases.add_note(s, case=case, actor="alex", role="staff", body="x")


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"description": " "}, "say what the content is"),
        ({"urls": "", "files": []}, "give the address"),
        ({"files": [Upload("x.exe", "application/x-msdownload", b"MZ")]}, "not accepted"),
    ],
)
def test_when_report_incomplete_then_refused(
    db: Engine, mail: GovernanceSettings, kw: dict[str, object], message: str
) -> None:
    with session_scope(db) as s, pytest.raises(CaseError, match=message):
        _report(s, mail, **kw)


def test_when_report_closed_then_outcome_required(db: Engine, mail: GovernanceSettings) -> None:
    with session_scope(db) as s:
        case = _report(s, mail).case
        with pytest.raises(CaseError, match="without an outcome"):
            cases.close_case(s, case=case, actor="coo", role="reviewer", outcome="")
        cases.close_case(s, case=case, actor="coo", role="reviewer", outcome="Taken down")
        assert case.status == "closed" and case.closed_at is not None


def test_when_complaint_closed_without_investigation_then_refused(
    pg_db: Engine, mail: GovernanceSettings, sink: SmtpSink, pack: Pack
) -> None:
    with session_scope(pg_db) as s:
        opened = complaints.lodge_complaint(
            s, pack=pack, complainant="alex", conduct="harassment", respondents="@sam",
            platform="Facebook", description="Repeated comments about my accent",
            settings=mail,
        )
        case = opened.case
        assert opened.key is None and case.excluded == "sam"
        complaint = complaints.complaint_of(s, case)
        assert complaint is not None and complaint.related_policy == "Valuing Staff Policy"
        assert sink.received and "complaint" in sink.received[0].subject.lower()
        with pytest.raises(CaseError, match="without an investigation outcome"):
            cases.close_case(s, case=case, actor="coo", role="reviewer", outcome="Resolved")
        with pytest.raises(CaseError, match="cannot investigate"):
            complaints.record_investigation(s, case=case, actor="coo", role="reviewer",
                                            finding="substantiated", summary="x",
                                            investigator="sam")
        complaints.record_investigation(s, case=case, actor="coo", role="reviewer",
                                        finding="substantiated", summary="Comments confirmed")
        cases.close_case(s, case=case, actor="coo", role="reviewer", outcome="Warning issued")
        assert case.status == "closed"
        assert not cases.can_view(case, username="sam", role="reviewer")


def test_when_smtp_down_then_report_still_recorded(db: Engine) -> None:
    down = GovernanceSettings(smtp_host="127.0.0.1", smtp_port=1, smtp_timeout=1)
    with session_scope(db) as s:
        opened = _report(s, down)
    assert opened.emailed == ()
    with session_scope(db) as s:
        assert s.get(Case, opened.case.id) is not None
