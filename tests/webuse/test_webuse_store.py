"""Sessions, findings and unknown sites in the database: idempotent, one queue each."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner
from webuse_helpers import at, squid

from commsguard.cli.webuse import webuse_app
from commsguard.store.db import get_engine, session_scope
from commsguard.store.tables import FindingRow, MessageRow, SiteQuestion, WebUseSession
from commsguard.webuse import store
from commsguard.webuse.config import load_config
from commsguard.webuse.pipeline import ingest_logs
from commsguard.workflows import social_media_lookup as lookup

Write = Callable[[str, list[str]], Path]
runner = CliRunner()


def heavy_morning(person: str = "dave") -> list[str]:
    """A 46-minute Facebook session and a visit to a site the taxonomy does not know."""
    fb = [squid(at(10, i), "http://www.facebook.com/", user=person) for i in range(46)]
    return [*fb, squid(at(11, 0), "http://www.gumtree.com.au/s-bikes", user=person)]


def test_when_sessions_saved_twice_then_nothing_changes(write: Write, db: str) -> None:
    sessions = ingest_logs([write("a.log", heavy_morning())]).sessions
    gap = load_config().sessions.idle_gap_seconds
    with session_scope(get_engine(db)) as s:
        first = store.save_sessions(s, sessions, gap)
        second = store.save_sessions(s, sessions.with_columns(hits=0), gap)
        assert (first.inserted, first.deleted) == (2, 0)
        assert (second.inserted, second.deleted) == (2, 2)  # hits changed, minutes did not
        assert store.load_sessions(s)["end"].to_list() == sessions.sort("site")["end"].to_list()


def test_when_later_log_continues_a_session_then_merged(write: Write, db: str) -> None:
    gap = load_config().sessions.idle_gap_seconds
    a = ingest_logs([write("a.log", heavy_morning()[:20])]).sessions
    b = ingest_logs([write("b.log", heavy_morning()[20:46])]).sessions
    with session_scope(get_engine(db)) as s:
        store.save_sessions(s, a, gap)
        report = store.save_sessions(s, b, gap)
        assert (report.inserted, report.deleted) == (1, 1)
        [row] = s.scalars(select(WebUseSession)).all()
        assert (row.end - row.start, row.hits) == (45 * 60, 46)


def test_when_ingested_then_finding_in_queue_once_and_site_asked(write: Write, db: str) -> None:
    log = write("a.log", heavy_morning())
    result = runner.invoke(webuse_app, ["ingest", str(log)])
    assert result.exit_code == 0, result.output
    assert "1 new findings in the review queue; 1 unknown sites queued" in result.output
    more = write("b.log", [squid(at(15, 0), "http://www.reddit.com/", user="dave")])
    result = runner.invoke(webuse_app, ["ingest", str(more), "--force", str(log)])
    assert "0 new findings in the review queue; 0 unknown sites queued" in result.output
    with session_scope(get_engine(db)) as s:
        [msg] = s.scalars(select(MessageRow)).all()
        [finding] = s.scalars(select(FindingRow)).all()
        assert (msg.origin, msg.author, msg.channel) == ("webuse", "dave", "web-proxy")
        assert "Tue 2024-03-05 10:00-10:45 facebook.com (social-networking): 46.0 min" in msg.text
        assert "reddit.com (forums)" in str(msg.text)  # evidence kept up to date while open
        assert (finding.severity, finding.status, finding.rule) == (
            "review", "open", "work-resources.occasional-and-brief")
        [question] = s.scalars(select(SiteQuestion)).all()
        assert (question.domain, question.status) == ("gumtree.com.au", "pending")
        assert "seen in proxy logs: 1 min, 1 sessions, 1 people" in question.note


def test_when_it_answers_then_report_uses_the_answer(write: Write, db: str) -> None:
    runner.invoke(webuse_app, ["ingest", str(write("a.log", heavy_morning()))])
    with session_scope(get_engine(db)) as s:
        [question] = lookup.pending(s)
        lookup.answer(s, question=question, actor="it", role="it", category="forums")
    out = runner.invoke(webuse_app, ["report", "--format", "csv"]).output.splitlines()
    assert "dave,2024-03-05,gumtree.com.au,forums,1,1.0" in out
