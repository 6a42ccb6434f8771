"""Authorisations expiring soon, the office post approval round, and "is this social media?"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine

from commsguard.registers import Authorisation
from commsguard.store import crud
from commsguard.store.db import session_scope
from commsguard.workflows import authorisations as auth
from commsguard.workflows import social_media_lookup as sites
from commsguard.workflows.notify import GovernanceSettings
from smtp_sink import SmtpSink

TODAY = date.today()


@pytest.fixture
def registered(db: Engine) -> Engine:
    with session_scope(db) as s:
        crud.import_authorisations(s, rows=[
            Authorisation("alex", "business-use", TODAY + timedelta(days=10), "@VicOmbudsman"),
            Authorisation("casey", "spokesperson", None),
            Authorisation("casey", "business-use", TODAY + timedelta(days=200)),
            Authorisation("sam", "business-use", TODAY - timedelta(days=1)),
        ])
    return db


def test_when_expiring_within_window_then_listed(registered: Engine) -> None:
    with session_scope(registered) as s:
        soon = auth.expiring_soon(s, days=30)
        assert [(a.person, a.authority) for a in soon] == [("alex", "business-use")]
        states = {(x.row.person, x.row.authority): x.state
                  for x in auth.standings(s, soon_days=30)}
    assert states == {("alex", "business-use"): "expiring soon",
                      ("casey", "spokesperson"): "no expiry",
                      ("casey", "business-use"): "current", ("sam", "business-use"): "expired"}


def test_when_business_user_drafts_then_communications_decides(
    registered: Engine, sink: SmtpSink, mail: GovernanceSettings
) -> None:
    with session_scope(registered) as s:
        post = auth.submit_post(s, author="alex", account="@VicOmbudsman",
                                text="Our annual report is out today.", settings=mail)
        assert sink.received[-1].recipients == ["casey@vo.example"]
        with pytest.raises(auth.ApprovalDenied, match="only a communications"):
            auth.decide(s, post=post, actor="deputy", role="reviewer", decision="approve")
        with pytest.raises(auth.ApprovalError, match="say what should change"):
            auth.decide(s, post=post, actor="casey", role="communications",
                        decision="request-changes")
        auth.decide(s, post=post, actor="casey", role="communications",
                    decision="request-changes", comment="Add the link", settings=mail)
        assert post.status == "changes-requested"
        assert sink.received[-1].recipients == ["alex@vo.example"]
        auth.revise(s, post=post, actor="alex", text="Our annual report: https://vo.example/ar")
        assert (post.status, post.revision) == ("pending", 2)
        auth.decide(s, post=post, actor="casey", role="communications", decision="approve",
                    settings=mail)
        assert post.status == "approved" and post.approver == "casey"


def test_when_approver_drafts_then_no_self_approval(registered: Engine) -> None:
    with session_scope(registered) as s:
        crud.import_authorisations(s, rows=[Authorisation("ita", "business-use")])
        post = auth.submit_post(s, author="ita", account="@VO", text="Server maintenance tonight")
        with pytest.raises(auth.ApprovalDenied, match="your own post"):
            auth.decide(s, post=post, actor="ita", role="communications", decision="approve")


@pytest.mark.parametrize(
    ("author", "error"),
    [("casey", "spokesperson"), ("sam", "no current business-use"),
     ("morgan", "no current business-use")],
)
def test_when_not_business_use_only_then_cannot_submit(
    registered: Engine, author: str, error: str
) -> None:
    with session_scope(registered) as s, pytest.raises(auth.ApprovalError, match=error):
        auth.submit_post(s, author=author, account="@VO", text="hello")


def test_when_unknown_site_then_queued_and_it_answer_extends_taxonomy(db: Engine) -> None:
    with session_scope(db) as s:
        known = sites.lookup(s, target="https://m.facebook.com/x", asked_by="alex")
        assert known.classification.is_social_media and known.question is None
        found = sites.lookup(s, target="https://forum.obscure-hobby.example.net/t/1",
                             asked_by="alex", note="a hobby forum")
        assert found.classification.kind == "unknown" and found.question is not None
        assert [q.domain for q in sites.pending(s)] == [found.question.domain]
        with pytest.raises(sites.SiteLookupError, match="Manager, Information"):
            sites.answer(s, question=found.question, actor="root", role="admin",
                         category="forums")
        ids = [c for c, _ in sites.choices()]
        forum = next(c for c in ids if "forum" in c)
        sites.answer(s, question=found.question, actor="ita", role="it", category=forum,
                     reason="A discussion board")
    with session_scope(db) as s:
        again = sites.lookup(s, target="forum.obscure-hobby.example.net", asked_by="sam")
        assert again.classification.category == forum and again.question is None
        assert sites.pending(s) == []
