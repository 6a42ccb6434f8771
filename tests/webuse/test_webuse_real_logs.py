"""Golden tests on the real proxy logs in ../shared/corpus/real (read in place, never copied)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from commsguard.webuse.config import load_config
from commsguard.webuse.pipeline import ingest_logs
from commsguard.webuse.readers import ReadStats, detect_format, get_reader
from commsguard.webuse.sessions import annotate, daily_rows, report_records
from commsguard.webuse.taxonomy import default_taxonomy

pytestmark = pytest.mark.shared


def read(path: Path) -> tuple[pl.DataFrame, ReadStats]:
    name = detect_format(path)
    assert name is not None, path
    stats = ReadStats(str(path))
    frames = list(get_reader(name).batches(path, stats))
    return (pl.concat(frames) if frames else pl.DataFrame()), stats


@pytest.mark.parametrize(
    ("relative", "fmt", "lines", "parsed", "malformed"),
    [
        ("squid/go.d.plugin_access.log", "squid", 500, 484, 16),
        ("squid/plaso_squid_access.log", "squid", 8, 8, 0),
        ("w3c_iis/go.d.plugin_u_ex221107.log", "w3c", 152, 152, 0),
        ("w3c_iis/lnav_logfile_w3c.0", "w3c", 1, 1, 0),
        ("w3c_iis/lnav_logfile_w3c.1", "w3c", 1, 0, 1),
        ("w3c_iis/lnav_logfile_w3c.3", "w3c", 3, 3, 0),
        ("w3c_iis/lnav_logfile_w3c.6", "w3c", 1, 1, 0),
        ("zeek/lnav_logfile_bro_http.log.0", "zeek", 197, 197, 0),
    ],
)
def test_when_real_log_read_then_counts_match(
    real_corpus: Path, relative: str, fmt: str, lines: int, parsed: int, malformed: int
) -> None:
    path = real_corpus / relative
    assert detect_format(path) == fmt
    hits, stats = read(path)
    assert (stats.lines, stats.parsed, stats.malformed) == (lines, parsed, malformed)
    assert hits.height == parsed


def test_when_squid_junk_lines_then_sampled_with_line_numbers(real_corpus: Path) -> None:
    _, stats = read(real_corpus / "squid/go.d.plugin_access.log")
    assert [s.line for s in stats.samples[:3]] == [1, 26, 45]
    assert stats.samples[0].reason == "time is not a number"
    assert stats.samples[0].text.startswith("Unmatched! The rat")


def test_when_plaso_squid_then_fields_and_connect_start(real_corpus: Path) -> None:
    hits, _ = read(real_corpus / "squid/plaso_squid_access.log")
    rows = hits.rows(named=True)
    assert rows[0]["method"] == "CONNECT"
    assert rows[0]["host"] == "domain.xyz"
    assert rows[0]["t"] == pytest.approx(1677971734.079 - 1.234)  # tunnel start, not end
    assert rows[2]["user"] == "user1" and rows[2]["host"] == "example.com"
    assert rows[4]["client"] == "2001:db8::1" and rows[4]["status"] == 404
    assert rows[5]["status"] == 403
    assert rows[7]["user"] == "user@domain.com"
    assert rows[7]["host"] == "secure.example.com"


def test_when_w3c_quoted_and_doubled_quotes_then_fields_align(real_corpus: Path) -> None:
    hits, _ = read(real_corpus / "w3c_iis/lnav_logfile_w3c.3")
    assert hits["host"].to_list() == ["xzy.example.com", "example.hello.com", "hello.example.com"]
    assert hits["status"].to_list() == [200, 301, 404]


def test_when_w3c_has_no_host_then_counted_malformed_with_reason(real_corpus: Path) -> None:
    _, stats = read(real_corpus / "w3c_iis/lnav_logfile_w3c.1")
    assert stats.samples[0].line == 7
    assert "no host" in stats.samples[0].reason


def test_when_zeek_log_then_social_media_minutes_per_site(real_corpus: Path) -> None:
    result = ingest_logs([real_corpus / "zeek/lnav_logfile_bro_http.log.0"])
    assert result.malformed == 0
    annotated = annotate(result.sessions, config=load_config(), taxonomy=default_taxonomy())
    rows = report_records(daily_rows(annotated))
    by_site = {r["site"]: r for r in rows}
    assert set(by_site) == {"twitter.com", "reddit.com", "facebook.com", "youtube.com"}
    assert all(r["person"] == "192.168.2.76" and r["date"] == "2011-11-03" for r in rows)
    assert all(r["sessions"] == 1 for r in rows)
    # redditmedia.com, fbcdn.net and ytimg.com requests are background: they add no time.
    assert by_site["reddit.com"]["minutes"] == 1.0
    assert by_site["facebook.com"]["minutes"] == 1.0
