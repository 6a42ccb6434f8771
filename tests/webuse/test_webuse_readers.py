"""Every reader on small generated logs, including malformed lines (counted, never fatal)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from commsguard.errors import InputError, UnknownReaderError
from commsguard.webuse.readers import (
    READERS,
    CsvMapping,
    ReadStats,
    detect_format,
    get_reader,
)
from commsguard.webuse.readers.base import HIT_SCHEMA
from commsguard.webuse.readers.csvlog import CsvReader

Write = Callable[[str, list[str]], Path]

T0 = 1709593200.0  # 2024-03-05 10:00 Melbourne


def read(path: Path, name: str | None = None, **kw: object) -> tuple[pl.DataFrame, ReadStats]:
    name = name or detect_format(path)
    assert name is not None
    reader = CsvReader(kw["mapping"]) if "mapping" in kw else get_reader(name)  # type: ignore[arg-type]
    stats = ReadStats(str(path))
    frames = list(reader.batches(path, stats))
    hits = pl.concat(frames) if frames else pl.DataFrame(schema=HIT_SCHEMA)
    assert hits.schema == pl.Schema(HIT_SCHEMA)
    return hits, stats


def test_when_common_log_then_proxy_urls_read_and_paths_refused(write: Write) -> None:
    path = write(
        "access.log",
        [
            "10.0.0.5 - alice [05/Mar/2024:10:00:00 +1100] "
            '"GET http://www.facebook.com/ HTTP/1.1" 200 512',
            "10.0.0.5 - - [05/Mar/2024:10:01:00 +1100] "
            '"CONNECT web.whatsapp.com:443 HTTP/1.1" 200 0',
            '10.0.0.5 - - [05/Mar/2024:10:02:00 +1100] "GET /local/path HTTP/1.1" 200 10',
            "garbage line",
        ],
    )
    assert detect_format(path) == "common"
    hits, stats = read(path)
    assert hits["host"].to_list() == ["www.facebook.com", "web.whatsapp.com"]
    assert hits["t"].to_list() == [T0, T0 + 60]
    assert hits["user"].to_list() == ["alice", None]
    assert (stats.lines, stats.parsed, stats.malformed) == (4, 2, 2)
    assert [(s.line, s.reason) for s in stats.samples] == [
        (3, "request names a path but no host (not a proxy log)"),
        (4, "not the common log format"),
    ]


def test_when_combined_log_then_detected_as_combined(write: Write) -> None:
    path = write(
        "combined.log",
        [
            '10.0.0.5 - bob [05/Mar/2024:10:00:00 +1100] "GET http://x.com/home HTTP/1.1" 200 5 '
            '"-" "Mozilla/5.0 (X11)"',
            '10.0.0.5 - bob [32/Mar/2024:10:00:00 +1100] "GET http://x.com/ HTTP/1.1" 200 5 '
            '"-" "Mozilla/5.0"',
        ],
    )
    assert detect_format(path) == "combined"
    hits, stats = read(path)
    assert hits.select("user", "host", "status").rows() == [("bob", "x.com", 200)]
    assert stats.samples[0].reason == "bad time"


def test_when_w3c_repeats_headers_and_changes_fields_then_rows_follow_them(write: Write) -> None:
    path = write(
        "u_ex.log",
        [
            "#Software: Proxy",
            "#Fields: date time c-ip cs-username cs-method cs-uri sc-status",
            "2024-03-04 23:00:00 10.0.0.5 CORP\\alice GET http://www.reddit.com/r/x 200",
            "2024-03-04 23:00:01 10.0.0.5 - GET",
            "#Fields: date time c-ip cs-method cs(Host) sc-status sc-bytes",
            '2024-03-04 23:01:00 10.0.0.6 GET "www.youtube.com" 200 999',
        ],
    )
    hits, stats = read(path, "w3c")
    assert hits.select("user", "host", "bytes").rows() == [
        ("CORP\\alice", "www.reddit.com", None),
        (None, "www.youtube.com", 999),
    ]
    assert hits["t"].to_list() == [T0, T0 + 60]
    assert stats.samples[0].line == 4 and "fields" in stats.samples[0].reason


def test_when_zeek_json_lines_then_read(write: Write) -> None:
    rows = [
        {
            "ts": T0,
            "id.orig_h": "10.0.0.9",
            "host": "www.tiktok.com",
            "uri": "/",
            "method": "GET",
            "status_code": 200,
            "response_body_len": 10,
        },
        {
            "ts": "2024-03-04T23:00:30Z",
            "id.orig_h": "10.0.0.9",
            "host": None,
            "uri": "http://bsky.app/profile/x",
            "method": "GET",
        },
    ]
    path = write("http.log", [json.dumps(r) for r in rows] + ["{not json", "[1, 2]"])
    assert detect_format(path) == "zeek"
    hits, stats = read(path)
    assert hits.select("client", "host", "t").rows() == [
        ("10.0.0.9", "www.tiktok.com", T0),
        ("10.0.0.9", "bsky.app", T0 + 30),
    ]
    assert [s.line for s in stats.samples] == [3, 4]


def test_when_zeek_tsv_row_short_then_malformed(write: Write) -> None:
    path = write(
        "http.log",
        [
            "#separator \\x09",
            "#unset_field\t-",
            "#fields\tts\tid.orig_h\thost\turi\tmethod\tstatus_code",
            f"{T0}\t10.0.0.1\twww.strava.com\t/\tGET\t200",
            f"{T0}\t10.0.0.1\twww.strava.com",
        ],
    )
    hits, stats = read(path)
    assert hits["host"].to_list() == ["www.strava.com"]
    assert stats.samples[0].line == 5


def test_when_csv_with_default_headers_then_guessed(write: Write) -> None:
    path = write(
        "gateway.csv",
        [
            "timestamp,username,client_ip,url,status",
            "2024-03-05T10:00:00+11:00,alice,10.0.0.5,https://www.instagram.com/p/1,200",
            "yesterday,alice,10.0.0.5,https://www.instagram.com/,200",
            "2024-03-05T10:00:00+11:00,alice",
        ],
    )
    assert detect_format(path) == "csv"
    hits, stats = read(path)
    assert hits.select("t", "user", "host").rows() == [(T0, "alice", "www.instagram.com")]
    assert [(s.line, s.reason) for s in stats.samples] == [
        (3, "bad time"),
        (4, "2 cells, fewer than the header"),
    ]


def test_when_csv_mapping_names_columns_then_used(write: Write) -> None:
    path = write("fw.csv", ["When;Who;Dest", f"{T0 * 1000:.0f};bob;discord.com"])
    mapping = CsvMapping(time="When", user="Who", host="Dest", delimiter=";")
    hits, _ = read(path, "csv", mapping=mapping)
    assert hits.select("t", "user", "host").rows() == [(T0, "bob", "discord.com")]


def test_when_csv_mapping_names_missing_column_then_error(write: Write) -> None:
    path = write("fw.csv", ["a,b", "1,2"])
    with pytest.raises(InputError, match="no column 'When'"):
        read(path, "csv", mapping=CsvMapping(time="When", host="b"))


def test_when_squid_has_wrong_field_counts_then_counted_not_fatal(write: Write) -> None:
    good = f"{T0:.3f}    120 10.0.0.1 TCP_MISS/200 10 GET http://x.com/ - HIER_DIRECT/1.2.3.4 -"
    path = write(
        "access.log",
        [
            good,
            f"{T0:.3f} 120 10.0.0.1 TCP_MISS/200 10 GET",
            good + " extra more",
            f"{T0:.3f} 120 10.0.0.1 TCP_MISS 10 GET http://x.com/ - HIER_DIRECT/1.2.3.4 -",
            "",
            "\x00\x01 binary junk",
            good,
        ],
    )
    hits, stats = read(path, "squid")
    assert hits.height == 2
    assert [(s.line, s.reason) for s in stats.samples] == [
        (2, "too few fields"),
        (3, "too many fields"),
        (4, "no code/status field"),
        (6, "time is not a number"),
    ]
    assert (stats.lines, stats.malformed) == (6, 4)


def test_when_more_malformed_than_samples_then_all_counted(write: Write) -> None:
    path = write("access.log", ["junk"] * 50)
    _, stats = read(path, "squid")
    assert stats.malformed == 50
    assert len(stats.samples) == stats.max_samples


def test_when_unknown_reader_then_clear_error() -> None:
    with pytest.raises(UnknownReaderError, match="known: combined, common, csv, squid, w3c, zeek"):
        get_reader("syslog")


def test_every_registered_reader_has_a_test_here() -> None:
    text = Path(__file__).read_text(encoding="utf-8")
    for name in READERS:
        assert f'"{name}"' in text or f'== "{name}"' in text, name


def test_when_squid_edge_lines_then_read_or_counted_with_reason(tmp_path: Path) -> None:
    def line(client: str, url: str, user: str = "-", method: str = "GET") -> bytes:
        text = f"{T0:.3f}   5000 {client} TCP_MISS/200 10 {method} {url} {user} HIER_DIRECT/- -"
        return text.encode("latin-1")

    path = tmp_path / "access.log"
    path.write_bytes(
        b"\n".join(
            [
                line("2001:db8::7", "http://[2001:db8::1]:8080/a", user="alice"),
                line("10.0.0.1", "http://x.com/a b"),  # a space in the URL
                line("10.0.0.1", "www.facebook.com:443", user="bob", method="CONNECT"),
                line("10.0.0.1", "http://caf\xe9.example/", user="j\xf6rg"),  # Latin-1 bytes
                line("10.0.0.1", "http://x.com/") + b"\r",  # CRLF line end
                f"{T0:.3f}    120 10.0.0.1 TCP_MI".encode(),  # truncated
            ]
        )
    )
    hits, stats = read(path, "squid")
    assert (stats.lines, stats.parsed, stats.malformed) == (6, 4, 2)
    assert [(s.line, s.reason) for s in stats.samples] == [
        (2, "too many fields"),
        (6, "too few fields"),
    ]
    assert stats.samples[1].text.endswith("TCP_MI")
    rows = hits.rows(named=True)
    assert (rows[0]["client"], rows[0]["host"], rows[0]["user"]) == (
        "2001:db8::7",
        "[2001:db8::1]",
        "alice",
    )
    assert (rows[1]["host"], rows[1]["user"], rows[1]["t"]) == ("www.facebook.com", "bob", T0 - 5)
    assert rows[2]["host"] == "caf\ufffd.example" and rows[2]["user"] == "j\ufffdrg"
    assert (rows[3]["host"], rows[3]["user"], rows[3]["t"]) == ("x.com", None, T0)
