"""Hosts cut from proxy URLs, the fast (ASCII) way and the general way."""

from __future__ import annotations

import polars as pl
import pytest

from commsguard.webuse.readers.hosts import with_hosts

CASES = [
    ("http://www.facebook.com/home", "www.facebook.com"),
    ("www.youtube.com:443", "www.youtube.com"),
    ("https://b.example.com:8443/p?q=1", "b.example.com"),
    ("cache_object://localhost/counters", "localhost"),
    ("http://c.example.com", "c.example.com"),
    ("http://d.example.com:80", "d.example.com"),
    ("ftp://e.example.com/f", "e.example.com"),
    ("x.com/a:b", "x.com"),
    ("-", "-"),
    ("http://[2001:db8::1]:8080/a", "[2001:db8::1]"),
    ("[2001:db8::2]:443", "[2001:db8::2]"),
    (None, None),
]


@pytest.mark.parametrize("ascii", [True, False])
def test_when_ascii_urls_then_both_ways_cut_the_host(ascii: bool) -> None:
    frame = pl.DataFrame({"url": [u for u, _ in CASES]}, schema={"url": pl.String})
    hosts = with_hosts(frame, ascii=ascii)
    assert hosts.columns == ["url", "host"]
    assert hosts["host"].to_list() == [h for _, h in CASES]


def test_when_url_not_ascii_then_general_way_counts_characters() -> None:
    frame = pl.DataFrame({"url": ["http://café.example/x", "http://x.com/é", "ü.example:443"]})
    assert with_hosts(frame)["host"].to_list() == ["café.example", "x.com", "ü.example"]
