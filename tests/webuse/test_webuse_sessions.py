"""Generated logs with known answers: exact minutes and sessions per person."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from webuse_helpers import at, squid

from commsguard.webuse.config import load_config
from commsguard.webuse.pipeline import ingest_logs
from commsguard.webuse.readers import ReadStats
from commsguard.webuse.readers.squid import SquidReader
from commsguard.webuse.sessions import (
    Sessioniser,
    annotate,
    daily_rows,
    merge_sessions,
    report_records,
)
from commsguard.webuse.taxonomy import default_taxonomy
from commsguard.webuse.users import UserMap

Write = Callable[[str, list[str]], Path]


def office_log() -> list[str]:
    fb = "http://www.facebook.com/home"
    return [
        # alice: facebook 10:00, 10:02, 10:04 -> 4 min + 1 min last page = 5 min
        squid(at(10, 0), fb, user="alice"),
        squid(at(10, 2), "https://m.facebook.com/x", user="ALICE"),
        squid(at(10, 4), fb, user="alice"),
        # 16 minutes later: a new one-request session, 1 min
        squid(at(10, 20), fb, user="alice"),
        # CDN requests every minute for 20 minutes: no time at all
        *(
            squid(at(10, 30 + i), "http://static.xx.fbcdn.net/a.jpg", user="alice")
            for i in range(20)
        ),
        # a CONNECT tunnel open for an hour, logged when it closed at 12:00: one request at
        # 11:00, so 1 minute, not 60
        squid(
            at(12, 0),
            "www.youtube.com:443",
            user="alice",
            method="CONNECT",
            code="TCP_TUNNEL/200",
            elapsed=3_600_000,
        ),
        # refused: no time
        squid(at(11, 30), "http://www.reddit.com/", user="alice", code="TCP_DENIED/403"),
        # work: counted apart, only with --all
        squid(at(9, 0), "http://intranet.ombudsman.vic.gov.au/", user="alice"),
        # bob has no proxy login; 10.0.0.7 is his until 12:00. Gap of exactly 5 min is the
        # same session; 5.5 min is a new one: 5 + 1 and 1 -> 7 min in 2 sessions
        squid(at(10, 0), "http://x.com/home", client="10.0.0.7"),
        squid(at(10, 5), "http://x.com/home", client="10.0.0.7"),
        squid(at(10, 10, 30), "http://x.com/home", client="10.0.0.7"),
        # after 12:00 10.0.0.7 is carol's
        squid(at(13, 0), "http://old.reddit.com/r/melbourne", client="10.0.0.7"),
    ]


def leases(tmp_path: Path) -> UserMap:
    path = tmp_path / "users.csv"
    path.write_text(
        "person,username,ip,start,end\n"
        "bob,,10.0.0.7,2024-03-05T09:00:00+11:00,2024-03-05T12:00:00+11:00\n"
        "carol,,10.0.0.7,2024-03-05T12:00:00+11:00,\n"
        "alice,CORP\\alice,,,\n",
        encoding="utf-8",
    )
    return UserMap.load(path)


def report(paths: list[Path], users: UserMap | None, **kw: object) -> list[dict[str, object]]:
    result = ingest_logs(paths, users=users)
    annotated = annotate(result.sessions, config=load_config(), taxonomy=default_taxonomy())
    return report_records(daily_rows(annotated, **kw))  # type: ignore[arg-type]


def test_when_generated_log_then_exact_minutes_per_person(write: Write, tmp_path: Path) -> None:
    rows = report([write("access.log", office_log())], leases(tmp_path))
    assert rows == [
        {
            "person": "alice",
            "date": "2024-03-05",
            "site": "facebook.com",
            "category": "social-networking",
            "sessions": 2,
            "minutes": 6.0,
        },
        {
            "person": "alice",
            "date": "2024-03-05",
            "site": "youtube.com",
            "category": "video-photo-sharing",
            "sessions": 1,
            "minutes": 1.0,
        },
        {
            "person": "bob",
            "date": "2024-03-05",
            "site": "x.com",
            "category": "micro-blogging",
            "sessions": 2,
            "minutes": 7.0,
        },
        {
            "person": "carol",
            "date": "2024-03-05",
            "site": "reddit.com",
            "category": "forums",
            "sessions": 1,
            "minutes": 1.0,
        },
    ]


def test_when_all_sites_then_work_tools_are_listed_apart(write: Write, tmp_path: Path) -> None:
    rows = report([write("access.log", office_log())], leases(tmp_path), all_sites=True)
    work = [r for r in rows if r["site"] == "ombudsman.vic.gov.au"]
    assert work == [
        {
            "person": "alice",
            "date": "2024-03-05",
            "site": "ombudsman.vic.gov.au",
            "category": None,
            "sessions": 1,
            "minutes": 1.0,
        }
    ]


def test_when_filtered_by_person_and_week_then_only_those_rows(
    write: Write, tmp_path: Path
) -> None:
    log = [write("access.log", office_log())]
    assert {r["person"] for r in report(log, leases(tmp_path), person="bob")} == {"bob"}
    assert report(log, leases(tmp_path), week="2024-W10") == report(log, leases(tmp_path))
    assert report(log, leases(tmp_path), week="2024-W11") == []


def test_when_no_mapping_then_ip_is_the_person(write: Write) -> None:
    rows = report([write("access.log", office_log())], None, person="10.0.0.7")
    assert [(r["site"], r["sessions"], r["minutes"]) for r in rows] == [
        ("x.com", 2, 7.0),
        ("reddit.com", 1, 1.0),
    ]


def test_when_only_cdn_and_connect_then_no_inflated_time(write: Write) -> None:
    lines = [
        squid(at(9, 0) + 30 * i, "http://i.ytimg.com/vi/x.jpg", user="dan") for i in range(200)
    ] + [
        squid(
            at(9, 0) + 600 * i,
            "www.youtube.com:443",
            user="dan",
            method="CONNECT",
            code="TCP_TUNNEL/200",
            elapsed=7_200_000,
        )
        for i in range(1, 4)
    ]
    rows = report([write("cdn.log", lines)], None)
    # the three tunnels opened at 7:10, 7:20 and 7:30: minutes 10 apart, three 1-minute visits
    assert rows == [
        {
            "person": "dan",
            "date": "2024-03-05",
            "site": "youtube.com",
            "category": "video-photo-sharing",
            "sessions": 3,
            "minutes": 3.0,
        }
    ]


@pytest.mark.parametrize("chunk", [64, 200, 1 << 20])
def test_when_read_in_small_chunks_then_same_sessions(write: Write, chunk: int) -> None:
    path = write("access.log", office_log() * 3)
    config, tax = load_config(), default_taxonomy()
    whole = Sessioniser(config=config, taxonomy=tax)
    pieces = Sessioniser(config=config, taxonomy=tax, compact_rows=1)
    for frame in SquidReader().batches(path, ReadStats(str(path))):
        whole.add(frame)
    for frame in SquidReader(chunk_bytes=chunk).batches(path, ReadStats(str(path))):
        pieces.add(frame)
    key = ["person", "site", "start"]
    assert whole.result().sort(key).equals(pieces.result().sort(key))


def test_when_intervals_overlap_or_touch_then_merged() -> None:
    frame = pl.DataFrame(
        {
            "person": ["a", "a", "a", "a", "b"],
            "site": ["s", "s", "s", "s", "s"],
            "start": [0.0, 100.0, 50.0, 1000.0, 10.0],
            "end": [900.0, 200.0, 60.0, 1100.0, 20.0],
            "hits": [2, 2, 2, 2, 1],
            "bytes": [1, 1, 1, 1, 1],
        }
    )
    out = merge_sessions(frame, 300.0).sort("person", "start")
    assert out.select("person", "start", "end", "hits").rows() == [
        ("a", 0.0, 1100.0, 8),  # 1000 - 900 = 100 s apart: one session
        ("b", 10.0, 20.0, 1),
    ]


def test_when_session_after_hours_then_reported_but_not_counted(write: Write) -> None:
    lines = [squid(at(20, 0), "http://www.facebook.com/", user="erin")]
    result = ingest_logs([write("late.log", lines)])
    annotated = annotate(result.sessions, config=load_config(), taxonomy=default_taxonomy())
    row = annotated.row(0, named=True)
    assert (row["in_hours"], row["counts"], row["minutes"]) == (False, False, 1.0)


def test_when_unknown_sites_then_listed_for_the_manager(write: Write) -> None:
    from commsguard.webuse.sessions import unknown_sites

    lines = [squid(at(10, i), "http://www.newsite.com.au/", user="ivy") for i in range(3)]
    result = ingest_logs([write("a.log", lines + office_log())])
    annotated = annotate(result.sessions, config=load_config(), taxonomy=default_taxonomy())
    assert unknown_sites(annotated).rows() == [("newsite.com.au", 3.0, 1, 1)]


def test_public_api_is_sorted_and_complete() -> None:
    import commsguard.webuse as webuse

    assert webuse.__all__ == sorted(webuse.__all__, key=lambda n: (not n.isupper(), n))
    assert all(hasattr(webuse, name) for name in webuse.__all__)
