"""Bounded load test of ``POST /api/v1/check`` on loopback: 50 concurrent clients.

Starts ``commsguard serve`` on a free loopback port over a fresh SQLite installation in a
temporary directory (or uses ``--url`` and ``--token`` for a running server), then runs
``--clients`` asyncio+httpx clients posting realistic drafts until ``--requests`` are done or
``--seconds`` pass. Prints requests/s, latency percentiles (p50, p90, p99, max) and the error
count; exits 1 on any error.

    python bench/load_check.py                      # 50 clients, 2000 requests, ≤ 60 s
    python bench/load_check.py --clients 50 --requests 5000 --no-record
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from commsguard.web.launch import CLI, served

DRAFTS = [
    "Lovely morning for a run along the Yarra before work!",
    "Vote Labor on Saturday, they'll fix the mess the other lot made",
    "Can't believe the complainant who rang today. Some people!",
    "Our team just published the annual report, proud of everyone's work",
    "Call me on 0412 345 678 if you want the details",
    "Working at the Ombudsman means I see all sorts, won't say more",
    "Big weekend of footy ahead, go the Tigers",
    "The draft report on the council investigation is a bombshell",
    "Anyone keen for trivia night Thursday?",
    "The Premier is an absolute disgrace and should resign",
]


@contextmanager
def local_server() -> Iterator[tuple[str, str]]:
    """A fresh installation served on loopback; yields (url, token)."""
    root = Path(tempfile.mkdtemp(prefix="cg-load-"))
    env = {
        **os.environ,
        "COMMSGUARD_DATABASE_URL": f"sqlite:///{root / 'commsguard.db'}",
        "COMMSGUARD_SECRET_FILE": str(root / "commsguard.secret"),
    }
    cli = list(CLI)
    subprocess.run([*cli, "init"], env=env, check=True, capture_output=True, cwd=root)
    subprocess.run([*cli, "users", "create", "loadtool", "--role", "staff", "--password-stdin"],
                   input="load test password\n", text=True, env=env, check=True,
                   capture_output=True, cwd=root)
    token = subprocess.run([*cli, "tokens", "create", "loadtool", "--scope", "check"], env=env,
                           check=True, capture_output=True, text=True, cwd=root).stdout.strip()
    with served(root, env) as url:
        yield url, token


async def run(url: str, token: str, *, clients: int, requests: int, seconds: float,
              record: bool) -> int:
    latencies: list[float] = []
    errors: list[str] = []
    issued = 0
    stop_at = time.monotonic() + seconds
    params = {"record": "true" if record else "false"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"},
                                 limits=limits, timeout=30) as client:
        # warm-up: the first check loads lazily-built detector state
        r = await client.post("/api/v1/check", json={"text": DRAFTS[1]}, params=params)
        r.raise_for_status()

        async def worker(n: int) -> None:
            nonlocal issued
            rng = random.Random(n)
            while issued < requests and time.monotonic() < stop_at:
                issued += 1
                body = {"text": f"{rng.choice(DRAFTS)} #{n}-{issued}",
                        "capacity": rng.choice(["private", "official"]),
                        "channel": rng.choice(["facebook", "x", "linkedin"])}
                started = time.perf_counter()
                try:
                    resp = await client.post("/api/v1/check", json=body, params=params)
                    if resp.status_code != 200 or "decision" not in resp.json():
                        errors.append(f"{resp.status_code}: {resp.text[:200]}")
                except httpx.HTTPError as exc:
                    errors.append(f"{type(exc).__name__}: {exc}")
                latencies.append(time.perf_counter() - started)

        began = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(clients)))
        elapsed = time.perf_counter() - began

    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    print(f"POST /api/v1/check  clients={clients}  record={record}")
    rate = len(latencies) / elapsed
    print(f"requests: {len(latencies)} in {elapsed:.1f} s  ->  {rate:.1f} req/s")
    print(f"latency ms: p50 {pct(0.50):.1f}  p90 {pct(0.90):.1f}  p99 {pct(0.99):.1f}  "
          f"max {latencies[-1] * 1000:.1f}")
    print(f"errors: {len(errors)}")
    for e in errors[:5]:
        print("  ", e)
    return 1 if errors else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--no-record", action="store_true", help="Do not store results.")
    ap.add_argument("--url", help="A running server (with --token); default: start one.")
    ap.add_argument("--token")
    args = ap.parse_args()
    kw = {"clients": args.clients, "requests": args.requests, "seconds": args.seconds,
          "record": not args.no_record}
    if args.url:
        if not args.token:
            ap.error("--url needs --token")
        code = asyncio.run(run(args.url, args.token, **kw))  # type: ignore[arg-type]
    else:
        with local_server() as (url, token):
            code = asyncio.run(run(url, token, **kw))  # type: ignore[arg-type]
    raise SystemExit(code)


if __name__ == "__main__":
    main()
