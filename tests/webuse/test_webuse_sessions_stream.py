"""Streaming sessions: whatever the chunking and the order chunks come in, the sessions are
exactly those of sorting every request per person and site and cutting at pauses over the gap.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from commsguard.webuse.config import load_config
from commsguard.webuse.readers.base import HIT_SCHEMA
from commsguard.webuse.sessions import Sessioniser
from commsguard.webuse.taxonomy import default_taxonomy

HOSTS = ["www.facebook.com", "m.facebook.com", "old.reddit.com", "x.com", "static.xx.fbcdn.net"]
T0 = 1709593200.0


def requests(n: int = 6000, seed: int = 3) -> pl.DataFrame:
    """Three days of requests by five people, with pauses around the idle gap."""
    rng = np.random.default_rng(seed)
    gap = load_config().sessions.idle_gap_seconds
    pauses = rng.choice([1.0, 30.0, gap - 0.001, gap, gap + 0.001, 4 * gap, 3600.0], n)
    t = T0 + np.cumsum(pauses) / 5  # five people's pauses interleaved
    return pl.DataFrame(
        {
            "t": t,
            "client": "10.0.0.1",
            "user": rng.choice(["ann", "bob", "cy", "dee", "eve"], n),
            "method": "GET",
            "host": rng.choice(HOSTS, n),
            "status": 200,
            "bytes": rng.integers(1, 1000, n),
        },
        schema=HIT_SCHEMA,
    )


def cut_by_hand(hits: pl.DataFrame, sessioniser: Sessioniser) -> set[tuple[object, ...]]:
    gap = sessioniser.gap
    times: dict[tuple[str, str], list[float]] = {}
    for user, host, t in hits.select("user", "host", "t").iter_rows():
        site = sessioniser.site_of(host)
        if site is not None:
            times.setdefault((user, site), []).append(t)
    out = set()
    for (user, site), seen in times.items():
        seen.sort()
        start = prev = seen[0]
        count = 1
        for t in seen[1:]:
            if t - prev > gap:
                out.add((user, site, start, prev, count))
                start, count = t, 0
            prev = t
            count += 1
        out.add((user, site, start, prev, count))
    return out


@pytest.mark.parametrize("order", ["in time", "reversed", "shuffled"])
@pytest.mark.parametrize("rows", [97, 1000])
def test_when_chunks_in_any_order_then_sessions_exact(order: str, rows: int) -> None:
    hits = requests()
    chunks = [hits.slice(i, rows) for i in range(0, hits.height, rows)]
    if order == "reversed":
        chunks.reverse()
    elif order == "shuffled":
        np.random.default_rng(1).shuffle(chunks)  # type: ignore[arg-type]
    sessioniser = Sessioniser(config=load_config(), taxonomy=default_taxonomy(), compact_rows=50)
    for chunk in chunks:
        sessioniser.add(chunk)
    got = sessioniser.result()
    assert got.height == len(set(got.select("person", "site", "start").rows()))
    assert set(got.select("person", "site", "start", "end", "hits").rows()) == cut_by_hand(
        hits, sessioniser
    )
