from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner
from webuse_helpers import at, squid

from commsguard.cli.webuse import social_media_app, webuse_app
from commsguard.store.db import get_engine, session_scope
from commsguard.store.tables import WebUseIngest, WebUseSession

Write = Callable[[str, list[str]], Path]
runner = CliRunner()


@pytest.fixture(autouse=True)
def _db(db: str) -> str:
    return db


def rows_of(url: str, table: type[Any]) -> list[Any]:
    with session_scope(get_engine(url)) as s:
        return list(s.scalars(select(table)))


def log(write: Write) -> Path:
    return write(
        "access.log",
        [
            squid(at(10, 0), "http://www.facebook.com/", user="alice"),
            squid(at(10, 3), "http://www.facebook.com/", user="alice"),
            squid(at(10, 0), "http://intranet.ombudsman.vic.gov.au/", user="alice"),
            squid(at(10, 0, day=(2024, 3, 12)), "http://www.reddit.com/", user="bob"),
            "not a log line",
        ],
    )


def test_when_ingest_then_summary_with_malformed_samples(write: Write, db: str) -> None:
    result = runner.invoke(webuse_app, ["ingest", str(log(write))])
    assert result.exit_code == 0, result.output
    assert "squid, 5 lines, 4 requests, 1 malformed" in result.output
    assert "line 5: time is not a number: not a log line" in result.output
    assert len(rows_of(db, WebUseSession)) == 3
    again = runner.invoke(webuse_app, ["ingest", str(log(write))])
    assert "already ingested" in again.output
    assert len(rows_of(db, WebUseSession)) == 3 and len(rows_of(db, WebUseIngest)) == 1


def test_when_reingested_with_force_then_minutes_unchanged(write: Write, db: str) -> None:
    path = log(write)
    runner.invoke(webuse_app, ["ingest", str(path)])
    before = runner.invoke(webuse_app, ["report", "--format", "json", "--all"]).output
    result = runner.invoke(webuse_app, ["ingest", "--force", str(path)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(webuse_app, ["report", "--format", "json", "--all"]).output == before
    assert len(rows_of(db, WebUseIngest)) == 1


def test_when_report_json_then_social_media_rows(write: Write) -> None:
    runner.invoke(webuse_app, ["ingest", "--format", "squid", str(log(write))])
    result = runner.invoke(webuse_app, ["report", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [
        {
            "person": "alice",
            "date": "2024-03-05",
            "site": "facebook.com",
            "category": "social-networking",
            "sessions": 1,
            "minutes": 4.0,
        },
        {
            "person": "bob",
            "date": "2024-03-12",
            "site": "reddit.com",
            "category": "forums",
            "sessions": 1,
            "minutes": 1.0,
        },
    ]


def test_when_report_filtered_all_csv_then_rows(write: Write) -> None:
    runner.invoke(webuse_app, ["ingest", str(log(write))])
    result = runner.invoke(
        webuse_app,
        ["report", "--person", "alice", "--week", "2024-W10", "--all", "--format", "csv"],
    )
    assert result.output.splitlines() == [
        "person,date,site,category,sessions,minutes",
        "alice,2024-03-05,facebook.com,social-networking,1,4.0",
        "alice,2024-03-05,ombudsman.vic.gov.au,,1,1.0",
    ]


def test_when_report_table_then_printed(write: Write) -> None:
    runner.invoke(webuse_app, ["ingest", str(log(write))])
    result = runner.invoke(webuse_app, ["report"])
    assert result.exit_code == 0
    assert "facebook.com" in result.output and "reddit.com" in result.output
    assert "1 malformed log lines were skipped in 1 files" in result.output
    assert "access.log:5: time is not a number" in result.output


def test_when_nothing_ingested_then_empty_report() -> None:
    assert json.loads(runner.invoke(webuse_app, ["report", "--format", "json"]).output) == []


def test_when_unknown_format_then_error(write: Write) -> None:
    result = runner.invoke(webuse_app, ["ingest", "--format", "syslog", str(log(write))])
    assert result.exit_code == 2
    assert "unknown format 'syslog'" in result.output


def test_when_users_mapping_then_people_resolved(write: Write, tmp_path: Path) -> None:
    path = write("ip.log", [squid(at(10, 0), "http://x.com/", client="10.9.9.9")])
    users = tmp_path / "users.csv"
    users.write_text("person,ip\nzoe,10.9.9.9\n", encoding="utf-8")
    runner.invoke(webuse_app, ["ingest", "--users", str(users), str(path)])
    rows = json.loads(runner.invoke(webuse_app, ["report", "--format", "json"]).output)
    assert [r["person"] for r in rows] == ["zoe"]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("https://m.facebook.com/groups", "social media, social-networking"),
        ("aus.social", "social media, social-networking"),
        ("fbcdn.net", "never counted as time"),
        ("www.google.com", "not in the taxonomy"),
        ("teams.microsoft.com", "internal-tool"),
    ],
)
def test_when_classify_then_category_and_clause(target: str, expected: str) -> None:
    result = runner.invoke(social_media_app, ["classify", target])
    assert result.exit_code == 0
    assert expected in result.output
    assert "clause: " in result.output


def test_when_classify_json_then_machine_readable() -> None:
    out = json.loads(
        runner.invoke(social_media_app, ["classify", "old.reddit.com", "--json"]).output
    )
    assert (out["category"], out["clause"], out["site"]) == ("forums", "definitions", "reddit.com")
