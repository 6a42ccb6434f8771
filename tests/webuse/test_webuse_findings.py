from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from webuse_helpers import at, squid

from commsguard.models import Finding
from commsguard.webuse.config import load_config
from commsguard.webuse.findings import webuse_findings
from commsguard.webuse.pipeline import ingest_logs
from commsguard.webuse.taxonomy import BusinessUse

Write = Callable[[str, list[str]], Path]


def heavy_day(person: str = "dave") -> list[str]:
    # one 45-minute Facebook session (46 min with the last page) and a 1-minute YouTube visit
    fb = [squid(at(10, i), "http://www.facebook.com/", user=person) for i in range(46)]
    return [*fb, squid(at(14, 0), "http://www.youtube.com/watch", user=person)]


def test_when_over_minutes_and_longest_session_then_review_finding(write: Write) -> None:
    sessions = ingest_logs([write("a.log", heavy_day())]).sessions
    [found] = webuse_findings(sessions)
    assert (found.person, found.date, found.period) == ("dave", date(2024, 3, 5), "day")
    assert found.site == "facebook.com"
    assert found.sites == ("facebook.com", "youtube.com")
    assert (found.session_count, found.minutes, found.longest_minutes) == (2, 47.0, 46.0)
    assert found.exceeded == (
        "47 minutes in the day (limit 30)",
        "a 46-minute session (limit 15)",
    )
    f = found.finding
    assert isinstance(f, Finding)
    assert (f.clause, f.rule, f.detector, f.severity) == (
        "work-resources",
        "work-resources.occasional-and-brief",
        "webuse",
        "review",
    )
    assert "facebook.com 46 min (1), youtube.com 1 min (1)" in f.evidence
    assert "not a sanction" in f.suggestion
    assert [s.site for s in found.sessions] == ["facebook.com", "youtube.com"]
    assert found.sessions[0].start.isoformat() == "2024-03-05T10:00:00+11:00"
    assert found.sessions[0].end.isoformat() == "2024-03-05T10:45:00+11:00"
    assert found.to_dict()["finding"]["rule"] == "work-resources.occasional-and-brief"  # type: ignore[index]


def test_when_within_thresholds_then_no_finding(write: Write) -> None:
    lines = [squid(at(10, i), "http://www.facebook.com/", user="eve") for i in range(10)]
    assert webuse_findings(ingest_logs([write("a.log", lines)]).sessions) == []


def test_when_many_short_visits_then_occasional_is_exceeded(write: Write) -> None:
    lines = [squid(at(9 + i // 2, 30 * (i % 2)), "http://x.com/", user="fay") for i in range(12)]
    [found] = webuse_findings(ingest_logs([write("a.log", lines)]).sessions)
    assert found.exceeded == ("12 sessions in the day (limit 10)",)


def test_when_business_use_authorised_then_counted_apart(write: Write) -> None:
    sessions = ingest_logs([write("a.log", heavy_day())]).sessions
    comms = BusinessUse(id="comms", people=("dave",), domains=("facebook.com",))
    assert webuse_findings(sessions, business_use=[comms]) == []
    other = BusinessUse(id="comms", people=("someone-else",), categories=("social-networking",))
    assert len(webuse_findings(sessions, business_use=[other])) == 1


def test_when_use_is_after_hours_then_not_counted_unless_configured(write: Write) -> None:
    late = [squid(at(19, i), "http://www.facebook.com/", user="gus") for i in range(46)]
    sessions = ingest_logs([write("a.log", late)]).sessions
    assert webuse_findings(sessions) == []
    config = load_config()
    all_hours = config.model_copy(
        update={
            "working_hours": config.working_hours.model_copy(update={"count_outside_hours": True})
        }
    )
    assert len(webuse_findings(sessions, config=all_hours)) == 1


def test_when_week_over_limit_then_weekly_finding_dated_monday(write: Write) -> None:
    lines = [
        squid(at(10, m, day=(2024, 3, d)), "http://www.reddit.com/", user="hal")
        for d in (4, 5, 6, 7, 8)
        for m in range(0, 50, 2)
    ]
    found = webuse_findings(ingest_logs([write("a.log", lines)]).sessions)
    weekly = [f for f in found if f.period == "week"]
    assert [(f.date, round(f.minutes, 6)) for f in weekly] == [(date(2024, 3, 4), 245.0)]
    assert len([f for f in found if f.period == "day"]) == 5


def test_when_no_sessions_then_no_findings() -> None:
    from commsguard.webuse.sessions import empty_sessions

    assert webuse_findings(empty_sessions()) == []


def test_when_register_authorises_business_use_then_counted_apart(write: Write) -> None:
    from commsguard.registers import Authorisation, AuthorisationRegister
    from commsguard.webuse.taxonomy import business_use_from_register

    register = AuthorisationRegister(
        [
            Authorisation("Dave", "business-use", scope="facebook.com"),
            Authorisation("Dave", "business-use", expires=date(2020, 1, 1)),
            Authorisation("Dave", "spokesperson"),
        ]
    )
    rules = business_use_from_register(register, date(2024, 3, 5))
    assert [(r.people, r.domains, r.categories) for r in rules] == [
        (("dave",), ("facebook.com",), ())
    ]
    sessions = ingest_logs([write("a.log", heavy_day())]).sessions
    assert webuse_findings(sessions, business_use=rules) == []
