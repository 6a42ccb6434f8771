"""Requests to sessions, and sessions to minutes per person, day and site.

A *session* is a run of requests by one person to one site (the registered domain, or the
matched host for host entries such as ``groups.google.com``) with no pause longer than the idle
gap. Its time is from its first to its last request plus ``page_view_seconds`` for reading the
last page, so a one-request visit counts that much. Requests that would inflate time never
count: background and CDN domains (``fbcdn.net``, ``ytimg.com`` ...), refused requests
(``ignored_statuses``) and the duration of ``CONNECT`` tunnels (a tunnel is one request at its
start; see the Squid reader).

Sessionising streams: each chunk of requests is reduced to intervals per person, site and
idle-gap bucket, and intervals are merged whenever they pile up. Merging intervals whose gap is
at most the idle gap gives exactly the sessions of the whole log at once, whatever the chunking.

A session belongs to the day, week and working-hours side of its start, in the office's time
zone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import polars as pl

from commsguard.webuse.codes import CodeTable
from commsguard.webuse.config import WebUseConfig
from commsguard.webuse.taxonomy import BusinessUse, Taxonomy
from commsguard.webuse.users import UserMap, normalise_user

SESSION_SCHEMA: dict[str, pl.DataType] = {
    "person": pl.String(),
    "site": pl.String(),
    "start": pl.Float64(),
    "end": pl.Float64(),
    "hits": pl.Int64(),
    "bytes": pl.Int64(),
}

_LIMIT_20 = 1 << 20
_LIMIT_24 = 1 << 24

_AGG = (
    pl.col("start").min(),
    pl.col("end").max(),
    pl.col("hits").sum(),
    pl.col("bytes").sum(),
)


def empty_sessions() -> pl.DataFrame:
    return pl.DataFrame(schema=SESSION_SCHEMA)


def merge_sessions(sessions: pl.DataFrame, idle_gap_seconds: float) -> pl.DataFrame:
    """Merge intervals of one person and site that overlap or are within the idle gap."""
    if sessions.is_empty():
        return sessions.select(list(SESSION_SCHEMA))
    key = ["person", "site"]
    prev_end = pl.col("end").cum_max().shift(1).over(key)
    return (
        sessions.sort([*key, "start"])
        .with_columns(_new=prev_end.is_null() | ((pl.col("start") - prev_end) > idle_gap_seconds))
        .with_columns(_sid=pl.col("_new").cum_sum())
        .group_by("_sid", maintain_order=True)
        .agg(pl.col("person").first(), pl.col("site").first(), *_AGG)
        .select(list(SESSION_SCHEMA))
    )


class _Codes:
    """Strings to small integer codes and back, kept across chunks."""

    def __init__(self) -> None:
        self.code: dict[str, int] = {}
        self.names: list[str] = []

    def add(self, name: str) -> int:
        found = self.code.get(name)
        if found is None:
            found = self.code[name] = len(self.names)
            self.names.append(name)
        return found


class Sessioniser:
    """Streams frames of requests into sessions with bounded memory.

    Hosts, users and clients are turned into integer codes through tables that grow with the
    number of distinct values (not lines; see :mod:`commsguard.webuse.codes`), so each chunk
    costs a few hash probes per row and one integer group-by.
    """

    def __init__(
        self,
        *,
        config: WebUseConfig,
        taxonomy: Taxonomy,
        users: UserMap | None = None,
        compact_rows: int = 400_000,
    ) -> None:
        self.config = config
        self.taxonomy = taxonomy
        self.users = users or UserMap()
        self.gap = config.sessions.idle_gap_seconds
        self.compact_rows = compact_rows
        self._limit = compact_rows
        self._people = _Codes()
        self._sites = _Codes()
        self._host_site: dict[str, int] = {}  # host -> site code, -1 when it never counts
        self._user_person: dict[str, int] = {}
        self._hosts = CodeTable(self._host_code)
        self._users = CodeTable(self._user_code)
        self._named = CodeTable(self._people.add)  # people by name or address, as they are
        self._parts: list[pl.DataFrame] = []
        self._rows = 0
        self._frozen: list[pl.DataFrame] = []  # finished sessions, out of the merges
        self._frozen_upto = -math.inf  # no request before this may come without a re-merge
        self._latest_low = -math.inf  # the earliest request of the latest chunk
        self.counted = 0
        self.ignored = 0
        self._background = set(config.background_domains)

    def site_of(self, host: str) -> str | None:
        """The site ``host`` counts under, or None when it never counts (background)."""
        code = self._host_code(host)
        return None if code < 0 else self._sites.names[code]

    def _host_code(self, host: str) -> int:
        found = self._host_site.get(host)
        if found is None:
            c = self.taxonomy.classify(host)
            skip = c.background or not c.site or c.registered_domain in self._background
            found = self._host_site[host] = -1 if skip else self._sites.add(c.site)
        return found

    def _user_code(self, user: str) -> int:
        found = self._user_person.get(user)
        if found is None:
            person = self.users.aliases.get(normalise_user(user), normalise_user(user))
            found = self._user_person[user] = self._people.add(person)
        return found

    def add(self, hits: pl.DataFrame) -> None:
        """Take one frame of requests (the reader schema)."""
        site = self._hosts.codes(hits["host"])
        if self.users.leases:
            person = self._named.codes(self.users.resolve(hits)["person"])
        else:
            person = self._users.codes(hits["user"])
            if person.null_count():  # no proxy login: the client address is the person
                person = person.fill_null(self._named.codes(hits["client"]))
        keep = (pl.col("_s") >= 0) & pl.col("_p").is_not_null() & pl.col("t").is_not_null()
        if self.config.ignored_statuses:
            keep &= ~pl.col("status").is_in(list(self.config.ignored_statuses)).fill_null(False)
        frame = hits.select("t", "status", "bytes", _p=person, _s=site.fill_null(-1)).filter(keep)
        self.counted += frame.height
        self.ignored += hits.height - frame.height
        if frame.is_empty():
            return
        low = float(frame["t"].min())  # type: ignore[arg-type]
        if low <= self._frozen_upto:  # earlier than sessions taken as finished: merge them again
            self._parts.extend(self._frozen)
            self._rows += sum(f.height for f in self._frozen)
            self._frozen, self._frozen_upto = [], -math.inf
        self._latest_low = low
        part = self._buckets(frame)
        self._parts.append(part)
        self._rows += part.height
        if self._rows > self._limit:
            self._compact()

    def _buckets(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The chunk's sessions, as intervals per person and site.

        First one interval per person, site and idle-gap bucket: within a bucket no pause can
        be longer than the gap, so each interval lies inside one session. Then, sorted by one
        64-bit key (person, site, bucket), an interval continues the one before it when that
        is the same person and site in the bucket just before, at most the gap earlier: two
        buckets apart are always more than the gap apart. No window, no sort on three keys,
        and the merges of the whole log see a few intervals per session, not one per bucket.
        """
        aggs = (
            pl.col("_p").first(),
            pl.col("_s").first(),
            pl.col("t").min().alias("start"),
            pl.col("t").max().alias("end"),
            pl.len().cast(pl.Int64).alias("hits"),
            pl.col("bytes").fill_null(0).sum().alias("bytes"),
        )
        t0 = frame["t"].min()
        codes = frame.with_columns(_b=((pl.col("t") - t0) // self.gap).cast(pl.Int64))
        small = len(self._people.names) < _LIMIT_20 and len(self._sites.names) < _LIMIT_20
        if small and codes["_b"].max() < _LIMIT_24:  # type: ignore[operator]
            # one 64-bit key groups much faster than three columns
            key = (pl.col("_p") * (1 << 44)) | (pl.col("_s") * (1 << 24)) | pl.col("_b")
            out = codes.group_by(key.alias("_k")).agg(*aggs).sort("_k")
            pair, bucket = pl.col("_k") // (1 << 24), pl.col("_k") % (1 << 24)
            goes_on = (
                (pair == pair.shift(1))
                & (bucket == bucket.shift(1) + 1)
                & ((pl.col("start") - pl.col("end").shift(1)) <= self.gap)
            )
            out = (
                out.with_columns(_sid=(~goes_on.fill_null(False)).cum_sum())
                .group_by("_sid", maintain_order=True)
                .agg(pl.col("_p").first(), pl.col("_s").first(), *_AGG)
            )
        else:
            out = codes.group_by("_b", "_p", "_s").agg(*aggs[2:])
        return out.select(
            person=pl.col("_p").cast(pl.UInt32),
            site=pl.col("_s").cast(pl.UInt32),
            start="start",
            end="end",
            hits="hits",
            bytes="bytes",
        )

    def _compact(self) -> None:
        merged = merge_sessions(pl.concat(self._parts), self.gap)
        # A session that ended more than the idle gap before the latest chunk's first request
        # cannot grow while requests keep coming in time order (as a log is written): set it
        # aside so merges only touch the sessions still open. A chunk with an earlier request
        # brings them back (see ``add``), so the result is exact in any order.
        done = pl.col("end") < self._latest_low - self.gap
        finished = merged.filter(done)
        if finished.height:
            self._frozen.append(finished)
            self._frozen_upto = self._latest_low
            merged = merged.filter(~done)
        self._parts = [merged]
        self._rows = merged.height
        self._limit = max(self.compact_rows, 2 * merged.height)

    def result(self) -> pl.DataFrame:
        """All sessions so far, merged, with person and site names."""
        if not self._parts and not self._frozen:
            return empty_sessions()
        if self._parts:
            self._compact()
        people = pl.Series(self._people.names, dtype=pl.String)
        sites = pl.Series(self._sites.names, dtype=pl.String)
        merged = pl.concat([*self._frozen, *self._parts]).sort(["person", "site", "start"])
        return merged.with_columns(
            person=people.gather(merged["person"]), site=sites.gather(merged["site"])
        ).select(list(SESSION_SCHEMA))


def annotate(
    sessions: pl.DataFrame,
    *,
    config: WebUseConfig,
    taxonomy: Taxonomy,
    business_use: Sequence[BusinessUse] = (),
) -> pl.DataFrame:
    """One row per session with category, kind, minutes, local time, date, week, in-hours,
    business-use authorisation and whether it counts toward the thresholds."""
    wh = config.working_hours
    sites = sessions["site"].unique().to_list()
    cls = {s: taxonomy.classify(s) for s in sites}
    rules = (*taxonomy.business_use, *business_use)
    pairs = sessions.select("person", "site").unique().iter_rows()
    business = {
        f"{p}\x1f{s}": next((b.id for b in rules if b.covers(p, s, cls[s].category)), None)
        for p, s in pairs
    }
    local = (
        pl.from_epoch((pl.col("start") * 1_000_000).cast(pl.Int64), time_unit="us")
        .dt.replace_time_zone("UTC")
        .dt.convert_time_zone(wh.timezone)
    )
    clock = pl.col("local").dt.time()
    out = sessions.with_columns(
        category=pl.col("site").replace_strict(
            {s: c.category for s, c in cls.items()}, default=None, return_dtype=pl.String
        ),
        kind=pl.col("site").replace_strict(
            {s: c.kind for s, c in cls.items()}, default=None, return_dtype=pl.String
        ),
        minutes=(pl.col("end") - pl.col("start") + config.sessions.page_view_seconds) / 60.0,
        local=local,
        business=pl.concat_str("person", pl.lit("\x1f"), "site").replace_strict(
            business, default=None, return_dtype=pl.String
        ),
    ).with_columns(
        date=pl.col("local").dt.date(),
        week=pl.col("local").dt.strftime("%G-W%V"),
        in_hours=pl.col("local").dt.weekday().is_in(list(wh.weekday_numbers))
        & (clock >= wh.start)
        & (clock < wh.end),
    )
    counts = (pl.col("kind") == "social-media") & pl.col("business").is_null()
    if not wh.count_outside_hours:
        counts &= pl.col("in_hours")
    return out.with_columns(counts=counts)


def daily_rows(
    annotated: pl.DataFrame,
    *,
    person: str | None = None,
    week: str | None = None,
    all_sites: bool = False,
) -> pl.DataFrame:
    """Per person, date and site: category, sessions and minutes (social media only unless
    ``all_sites``), sorted by person, date and minutes (most first)."""
    frame = annotated
    if person is not None:
        frame = frame.filter(pl.col("person") == person)
    if week is not None:
        frame = frame.filter(pl.col("week") == week)
    if not all_sites:
        frame = frame.filter(pl.col("kind") == "social-media")
    return (
        frame.group_by("person", "date", "site")
        .agg(
            pl.col("category").first(),
            pl.col("kind").first(),
            sessions=pl.len().cast(pl.Int64),
            minutes=pl.col("minutes").sum().round(1),
            minutes_in_hours=pl.col("minutes").filter(pl.col("in_hours")).sum().round(1),
            business=pl.col("business").drop_nulls().first(),
        )
        .sort(["person", "date", "minutes"], descending=[False, False, True])
    )


def report_records(rows: pl.DataFrame) -> list[dict[str, object]]:
    """The JSON report: ``{"person","date","site","category","sessions","minutes"}`` rows."""
    return [
        {
            "person": r["person"],
            "date": r["date"].isoformat(),
            "site": r["site"],
            "category": r["category"],
            "sessions": r["sessions"],
            "minutes": r["minutes"],
        }
        for r in rows.iter_rows(named=True)
    ]


def concat_sessions(frames: Iterable[pl.DataFrame], idle_gap_seconds: float) -> pl.DataFrame:
    """Sessions from several ingests, merged as if read together."""
    parts = [f.select(list(SESSION_SCHEMA)) for f in frames if not f.is_empty()]
    return merge_sessions(pl.concat(parts), idle_gap_seconds) if parts else empty_sessions()


def unknown_sites(annotated: pl.DataFrame) -> pl.DataFrame:
    """Sites not in the taxonomy, with minutes, sessions and people, most used first: the list
    to queue for the Manager IT Systems (their answers go back through ``Taxonomy.extend``)."""
    return (
        annotated.filter(pl.col("kind") == "unknown")
        .group_by("site")
        .agg(
            minutes=pl.col("minutes").sum().round(1),
            sessions=pl.len().cast(pl.Int64),
            people=pl.col("person").n_unique().cast(pl.Int64),
        )
        .sort(["minutes", "site"], descending=[True, False])
    )
