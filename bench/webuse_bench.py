"""Benchmark: parse and sessionise a Squid native access.log on one core.

    .venv/bin/python bench/webuse_bench.py [LINES] [--naive-lines N] [--chunk-mib M]

Generates a realistic log once (LINES, default 20,000,000, 400 people; a quarter of the visits
go to a long tail of --tail-hosts other sites; cached in --dir by line and host count), then in
a fresh process parses and sessionises it with the vectorised reader (polars limited to one
thread) and prints lines per CPU second and per wall second, and peak RSS. In the same run, a
naive pure-Python parser and sessioniser works through a smaller slice, and the vectorised path
runs on that same slice too, so the two can be compared side by side (and their sessions
checked equal); --baseline-src runs another version of the code on the same log (the
before/after figures in docs/webuse.md come from that). The target is >= 1,000,000 lines/s on
one core with memory bounded by the chunk size, not the log.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ["POLARS_MAX_THREADS"] = "1"  # one core: set before polars is imported
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import numpy as np  # noqa: E402
import polars as pl  # noqa: E402

HOSTS = [
    # (host, weight, https)
    ("www.facebook.com", 6, True),
    ("static.xx.fbcdn.net", 10, True),
    ("www.youtube.com", 5, True),
    ("i.ytimg.com", 8, True),
    ("old.reddit.com", 3, False),
    ("www.instagram.com", 3, True),
    ("web.whatsapp.com", 2, True),
    ("aus.social", 1, True),
    ("x.com", 2, True),
    ("pbs.twimg.com", 3, True),
    ("www.linkedin.com", 2, True),
    ("www.tiktok.com", 2, True),
    ("intranet.ombudsman.vic.gov.au", 12, False),
    ("outlook.office.com", 10, True),
    ("www.google.com", 8, True),
    ("www.abc.net.au", 5, False),
    ("www.theage.com.au", 4, False),
    ("ajax.googleapis.com", 6, False),
    ("d1.cloudfront.net", 4, False),
    ("legislation.vic.gov.au", 4, False),
]
CODES = ["TCP_MISS/200", "TCP_HIT/200", "TCP_REFRESH_HIT/304", "TCP_MISS/404", "TCP_DENIED/403"]
CODE_P = [0.6, 0.2, 0.12, 0.05, 0.03]
START = 1_706_050_800.0  # Wed 24 Jan 2024 10:00 in Melbourne


def generate(
    path: Path, lines: int, *, people: int = 400, tail: int = 0, block: int = 1_000_000
) -> None:
    """Write ``lines`` Squid native lines to ``path``, a block at a time (bounded memory).

    With ``tail`` > 0, a quarter of the visits go to that many other sites with Zipf-like
    popularity (``www.site123.com.au``, ``cdn7.site123.net`` ...), as a real office's log has
    tens of thousands of distinct hosts a day; with 0, only the twenty hosts of ``HOSTS``.
    """
    rng = np.random.default_rng(7)
    names = np.array([h for h, _, _ in HOSTS])
    https = np.array([s for _, _, s in HOSTS])
    weights = np.array([w for _, w, _ in HOSTS], dtype=float)
    weights /= weights.sum()
    if tail:
        rank = np.arange(1, tail + 1)
        kinds = ("www.site{}.com.au", "cdn{}.site{}.net", "site{}.org", "api.site{}.io")
        extra = [kinds[k % 4].format(k, k // 7) for k in rank]
        names = np.concatenate([names, np.array(extra)])
        https = np.concatenate([https, rank % 3 != 0])
        zipf = 1.0 / rank
        weights = np.concatenate([weights * 0.75, 0.25 * zipf / zipf.sum()])
    t = START
    tmp = path.with_suffix(".part")
    with tmp.open("wb") as f:
        for done in range(0, lines, block):
            n = min(block, lines - done)
            # Bursts: a person on one site for a while (geometric, mean 40 requests a few
            # seconds apart), bursts starting at random across the block's time span.
            span = n * 0.035  # ~28 lines/s across the office
            sizes = rng.geometric(1 / 40, n // 20 + 10)
            sizes = sizes[: int(np.searchsorted(np.cumsum(sizes), n)) + 1]
            burst = np.repeat(np.arange(len(sizes)), sizes)[:n]
            b_start = t + rng.uniform(0, span, len(sizes))
            b_host = rng.choice(len(names), len(sizes), p=weights)
            b_person = rng.integers(0, people, len(sizes))
            offset = rng.exponential(6.0, len(burst))
            first = np.r_[0, np.cumsum(sizes)[:-1]][burst]
            within = np.cumsum(offset) - np.r_[0, np.cumsum(offset)][first]
            ts = b_start[burst] + within
            order = np.argsort(ts, kind="stable")
            ts, host, person = ts[order], b_host[burst][order], b_person[burst][order]
            t = t + span
            connect = https[host]
            frame = pl.DataFrame(
                {
                    "ts": ts,
                    "elapsed": np.where(
                        connect, rng.integers(50, 3_000_000, n), rng.integers(1, 5000, n)
                    ),
                    "client": [f"10.1.{p // 250}.{p % 250 + 1}" for p in person],
                    "code": rng.choice(CODES, n, p=CODE_P),
                    "bytes": rng.integers(200, 90_000, n),
                    "host": names[host],
                    "connect": connect,
                    "path": rng.integers(0, 10**9, n),
                    "user": [f"staff{p:04d}" for p in person],
                }
            )
            line = pl.concat_str(
                pl.col("ts").round(3).cast(pl.String).str.pad_end(14, "0"),
                pl.lit(" "),
                pl.col("elapsed").cast(pl.String).str.pad_start(6, " "),
                pl.lit(" "),
                pl.col("client"),
                pl.lit(" "),
                pl.col("code"),
                pl.lit(" "),
                pl.col("bytes").cast(pl.String),
                pl.when(pl.col("connect"))
                .then(pl.concat_str(pl.lit(" CONNECT "), pl.col("host"), pl.lit(":443")))
                .otherwise(
                    pl.concat_str(
                        pl.lit(" GET http://"),
                        pl.col("host"),
                        pl.lit("/p/"),
                        pl.col("path").cast(pl.String),
                    )
                ),
                pl.lit(" "),
                pl.col("user"),
                pl.when(pl.col("code").str.starts_with("TCP_DENIED"))
                .then(pl.lit(" HIER_NONE/- text/html"))
                .when(pl.col("connect"))
                .then(pl.lit(" HIER_DIRECT/203.0.113.9 -"))
                .otherwise(pl.lit(" HIER_DIRECT/203.0.113.9 text/html")),
            )
            text = frame.select(line.alias("l"))["l"]
            f.write(("\n".join(text.to_list()) + "\n").encode())
            if done == 0:
                f.write(b"Unmatched! a junk line to be counted, sampled and skipped\n")
    tmp.replace(path)


def naive(path: Path, limit: int) -> tuple[int, float, int]:
    """A straightforward pure-Python parser and sessioniser: (lines, seconds, sessions)."""
    from commsguard.webuse.config import load_config
    from commsguard.webuse.taxonomy import default_taxonomy

    config = load_config()
    tax = default_taxonomy()
    gap = config.sessions.idle_gap_seconds
    ignored = set(config.ignored_statuses)
    times: dict[tuple[str, str], list[float]] = {}
    lines = 0
    began = time.process_time()
    with path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            lines += 1
            if lines > limit:
                lines -= 1
                break
            parts = line.split()
            if len(parts) < 10:
                continue
            try:
                ts = float(parts[0])
                elapsed = int(parts[1])
                status = int(parts[3].split("/")[1])
            except (ValueError, IndexError):
                continue
            method, url, user = parts[5], parts[6], parts[7]
            if status in ignored:
                continue
            if method == "CONNECT":
                ts -= elapsed / 1000
            c = tax.classify(url)
            if c.background or not c.site:
                continue
            key = (user.lower() if user != "-" else parts[2], c.site)
            times.setdefault(key, []).append(ts)
    sessions = 0
    for seen in times.values():
        seen.sort()
        sessions += 1 + sum(1 for a, b in zip(seen, seen[1:], strict=False) if b - a > gap)
    return lines, time.process_time() - began, sessions


def _peak_rss_mib() -> float:
    """This process's peak resident set (VmHWM; unlike ru_maxrss it is not inherited)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(path: Path, chunk_mib: int) -> dict[str, float]:
    """Vectorised parse + sessionise of ``path`` in this process."""
    from commsguard.webuse.config import load_config
    from commsguard.webuse.readers import ReadStats
    from commsguard.webuse.readers.squid import SquidReader
    from commsguard.webuse.sessions import Sessioniser
    from commsguard.webuse.taxonomy import default_taxonomy

    config, tax = load_config(), default_taxonomy()
    tax.classify("warm.up.example")
    base = _peak_rss_mib()
    began, cpu = time.perf_counter(), time.process_time()
    stats = ReadStats(str(path))
    sess = Sessioniser(config=config, taxonomy=tax)
    for frame in SquidReader(chunk_bytes=chunk_mib << 20).batches(path, stats):
        sess.add(frame)
    result = sess.result()
    seconds = time.perf_counter() - began
    return {
        "cpu": time.process_time() - cpu,
        "lines": stats.lines,
        "malformed": stats.malformed,
        "seconds": seconds,
        "sessions": result.height,
        "rss_mib": _peak_rss_mib(),
        "rss_base_mib": base,
        "threads": pl.thread_pool_size(),
    }


def measure_duckdb(path: Path) -> dict[str, float]:
    """The same work in DuckDB on one thread: lines read whole (``read_csv`` with one VARCHAR
    column, fixed schema), fields cut by the native format's fixed columns and single spaces,
    hosts classified once each in Python, sessions by a window over (person, site)."""
    import duckdb

    from commsguard.webuse.config import load_config
    from commsguard.webuse.taxonomy import default_taxonomy

    config, tax = load_config(), default_taxonomy()
    tax.classify("warm.up.example")
    base = _peak_rss_mib()
    began, cpu = time.perf_counter(), time.process_time()
    con = duckdb.connect()
    con.execute("SET threads=1")
    con.execute("SET preserve_insertion_order=false")
    src = (
        f"read_csv('{path}', delim='\\x01', quote='', escape='', header=false, "
        "auto_detect=false, columns={'l': 'VARCHAR'})"
    )
    ignored = ",".join(str(s) for s in config.ignored_statuses) or "-1"
    con.execute(f"""
        CREATE TEMP TABLE hits AS
        WITH raw AS (
            SELECT try_cast(l[1:14] AS DOUBLE) AS ts, try_cast(trim(l[15:21]) AS BIGINT) AS el,
                   string_split(l[23:], ' ') AS p
            FROM {src})
        SELECT CASE WHEN p[4] = 'CONNECT' THEN ts - el / 1000.0 ELSE ts END AS t,
               lower(coalesce(nullif(p[6], '-'), p[1])) AS who,
               split_part(split_part(regexp_replace(p[5], '^[a-z]+://', ''), '/', 1), ':', 1)
                   AS host
        FROM raw
        WHERE ts IS NOT NULL AND len(p) >= 7
          AND try_cast(right(p[2], 3) AS INTEGER) NOT IN ({ignored})""")
    lines = int(con.execute(f"SELECT count(*) FROM {src} WHERE trim(l) <> ''").fetchone()[0])
    hosts = [h for (h,) in con.execute("SELECT DISTINCT host FROM hits").fetchall()]
    background = set(config.background_domains)
    sites = []
    for h in hosts:
        c = tax.classify(h)
        if not (c.background or not c.site or c.registered_domain in background):
            sites.append((h, c.site))
    con.execute("CREATE TEMP TABLE site_of(host VARCHAR, site VARCHAR)")
    con.executemany("INSERT INTO site_of VALUES (?, ?)", sites)
    gap = config.sessions.idle_gap_seconds
    sessions = int(
        con.execute(f"""
        WITH s AS (SELECT who, site, t FROM hits JOIN site_of USING (host)),
        g AS (SELECT who, site, t,
                     CASE WHEN t - max(t) OVER w > {gap} OR max(t) OVER w IS NULL
                          THEN 1 ELSE 0 END AS new
              FROM s WINDOW w AS (PARTITION BY who, site ORDER BY t
                                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
        SELECT sum(new) FROM g""").fetchone()[0]
        or 0
    )
    return {
        "cpu": time.process_time() - cpu,
        "lines": lines,
        "malformed": 0,
        "seconds": time.perf_counter() - began,
        "sessions": sessions,
        "rss_mib": _peak_rss_mib(),
        "rss_base_mib": base,
        "threads": 1,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lines", nargs="?", type=int, default=20_000_000)
    parser.add_argument("--naive-lines", type=int, default=300_000)
    parser.add_argument(
        "--tail-hosts",
        type=int,
        default=20_000,
        help="distinct other hosts taking a quarter of the visits (0: only the twenty)",
    )
    parser.add_argument("--chunk-mib", type=int, default=8)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "webuse-bench")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="polars", help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="Keep the generated log.")
    parser.add_argument(
        "--baseline-src",
        type=Path,
        help="a src/ directory of another version (e.g. from `git archive`) to run side by side",
    )
    args = parser.parse_args()
    if args.measure:  # child process: a clean peak RSS
        if args.engine == "duckdb":
            print(json.dumps(measure_duckdb(args.measure)))
        else:
            print(json.dumps(measure(args.measure, args.chunk_mib)))
        return
    args.dir.mkdir(parents=True, exist_ok=True)
    log = args.dir / f"squid-{args.lines}-tail-{args.tail_hosts}.log"
    if not log.exists():
        began = time.perf_counter()
        generate(log, args.lines, tail=args.tail_hosts)
        print(
            f"generated {log} ({log.stat().st_size / 2**20:,.0f} MiB) "
            f"in {time.perf_counter() - began:.1f} s"
        )
    else:
        print(f"reusing {log} ({log.stat().st_size / 2**20:,.0f} MiB)")
    small = log.with_name(f"{log.stem}-head-{args.naive_lines}.log")
    if not small.exists():
        with log.open("rb") as src, small.open("wb") as dst:
            for _, line in zip(range(args.naive_lines), src, strict=False):
                dst.write(line)

    def child(path: Path, engine: str = "polars", src: Path | None = None) -> dict[str, float]:
        cmd = [
            sys.executable,
            __file__,
            "--measure",
            str(path),
            "--chunk-mib",
            str(args.chunk_mib),
            "--engine",
            engine,
        ]
        env = dict(os.environ)
        if src is not None:  # another version of the code: the same log, the same harness
            env["PYTHONPATH"] = os.pathsep.join([str(src), env.get("PYTHONPATH", "")])
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
        return dict(json.loads(out.strip().splitlines()[-1]))

    full = child(log)
    base = child(log, src=args.baseline_src) if args.baseline_src else None
    same = child(small)
    try:
        import duckdb  # noqa: F401

        duck: dict[str, float] | None = child(log, "duckdb")
    except ImportError:
        duck = None
    wall = time.perf_counter()
    n_lines, n_seconds, n_sessions = naive(small, args.naive_lines)
    n_wall = time.perf_counter() - wall
    print(f"\nSquid native, parse + sessionise, polars threads: {int(full['threads'])}")
    print("(CPU seconds of the one process: wall time is also shown, and is longer when other")
    print(
        " work shares the machine; load average now: "
        + Path("/proc/loadavg").read_text()[:14]
        + ")"
    )
    head = f"{'':24}{'lines':>12}{'CPU s':>9}{'lines/CPU s':>13}{'wall s':>9}{'lines/s':>12}"
    print(head + f"{'sessions':>10}{'peak RSS':>11}")
    rows = [
        (
            "vectorised (full log)",
            full["lines"],
            full["cpu"],
            full["seconds"],
            full["sessions"],
            f"{full['rss_mib']:,.0f} MiB",
        ),
        (
            "vectorised (slice)",
            same["lines"],
            same["cpu"],
            same["seconds"],
            same["sessions"],
            f"{same['rss_mib']:,.0f} MiB",
        ),
        ("naive Python (slice)", n_lines, n_seconds, n_wall, n_sessions, "-"),
    ]
    if base is not None:
        rows.insert(
            1,
            (
                "baseline (full log)",
                base["lines"],
                base["cpu"],
                base["seconds"],
                base["sessions"],
                f"{base['rss_mib']:,.0f} MiB",
            ),
        )
    if duck is not None:
        rows.insert(
            1,
            (
                "duckdb (full log)",
                duck["lines"],
                duck["cpu"],
                duck["seconds"],
                duck["sessions"],
                f"{duck['rss_mib']:,.0f} MiB",
            ),
        )
    for name, lines, cpu, wall, sessions, rss in rows:
        print(
            f"{name:24}{int(lines):>12,}{cpu:>9.2f}{lines / cpu:>13,.0f}{wall:>9.2f}"
            f"{lines / wall:>12,.0f}{int(sessions):>10,}{rss:>11}"
        )
    speed = (same["lines"] / same["cpu"]) / (n_lines / n_seconds)
    print(
        f"\nspeed-up on the slice: {speed:.1f}x; sessions equal: "
        f"{int(same['sessions']) == n_sessions}"
    )
    print(
        f"RSS after imports {full['rss_base_mib']:,.0f} MiB; malformed lines counted: "
        f"{int(full['malformed'])}"
    )
    rate = full["lines"] / full["cpu"]
    verdict = "meets" if rate >= 1_000_000 else "misses"
    print(
        f"target >= 1,000,000 lines/s on one core: {verdict} ({rate:,.0f} lines per CPU "
        f"second, {full['lines'] / full['seconds']:,.0f} lines per wall second)"
    )
    if not args.keep:
        for path in (log, small):
            path.unlink(missing_ok=True)
        print(f"deleted {log} and its slice (--keep keeps them)")


if __name__ == "__main__":
    main()
