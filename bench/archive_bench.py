"""Archive scan benchmark: messages/s, peak RSS, and the speed-up from 1 to 2 local Dask workers.

    .venv/bin/python bench/archive_bench.py                     # 1,000,000 messages per archive
    .venv/bin/python bench/archive_bench.py --messages 20000    # a quick run

Generates an mbox and a Slack export folder of ``--messages`` messages each (streamed to disk,
never held in memory), then scans each one three ways, every run in a fresh process and a
fresh SQLite database: the plain scan, Dask with one local worker, Dask with two. Peak RSS is
the largest resident set of the scanning process and, for Dask, of any worker (it must stay
under 1 GiB whatever the archive size). One table at the end puts the runs side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

GiB = 1024**3

_WORDS = (
    "the meeting budget report client council parking fines review draft agenda minutes team "
    "project deadline thanks please attached see below update call tomorrow office policy "
    "complaint response letter summary figures quarter plan weekend coffee lunch"
).split()
#: Lines that the default pack flags, mixed in so findings are stored as well.
_FLAGGED = (
    "Had a complainant who cried for an hour on the phone today, rough shift",
    "Vote 1 Greens on Saturday, they're the only ones who care about renters",
    "Our investigation into the council's parking fines is going to ruffle feathers",
)
_PEOPLE = [f"Person {i}" for i in range(200)]


def _text(rng: random.Random, i: int) -> str:
    words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(15, 60)))
    if i % 50 == 0:
        return f"{words}. {_FLAGGED[i // 50 % len(_FLAGGED)]}."
    return f"Message {i}: {words}."


def write_mbox(path: Path, messages: int, *, seed: int = 1) -> None:
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for i in range(messages):
            when = start + timedelta(minutes=i)
            sender = rng.choice(_PEOPLE).replace(" ", ".").lower() + "@example.org"
            f.write(f"From {sender} {when.strftime('%a %b %d %H:%M:%S %Y')}\n")
            f.write(f"From: {sender}\nTo: team@example.org\nSubject: note {i}\n")
            f.write(f"Date: {format_datetime(when)}\nMessage-ID: <m{i}@example.org>\n")
            f.write("Content-Type: text/plain; charset=utf-8\n\n")
            f.write(_text(rng, i) + "\n\n")


def write_slack(root: Path, messages: int, *, seed: int = 2, per_day: int = 200) -> None:
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    users = [{"id": f"U{i:05d}", "name": f"user{i}", "real_name": p}
             for i, p in enumerate(_PEOPLE)]
    (root / "users.json").write_text(json.dumps(users), encoding="utf-8")
    channels = [{"id": f"C{i:04d}", "name": f"channel-{i}"} for i in range(20)]
    (root / "channels.json").write_text(json.dumps(channels), encoding="utf-8")
    base = datetime(2024, 1, 1, tzinfo=UTC).timestamp()
    written = day = 0
    while written < messages:
        channel = channels[day % len(channels)]["name"]
        date = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=day // len(channels))
        folder = root / str(channel)
        folder.mkdir(exist_ok=True)
        batch = []
        for _ in range(min(per_day, messages - written)):
            batch.append({
                "type": "message",
                "user": rng.choice(users)["id"],
                "text": _text(rng, written),
                "ts": f"{base + written:.6f}",
            })
            written += 1
        (folder / f"{date:%Y-%m-%d}.json").write_text(json.dumps(batch), encoding="utf-8")
        day += 1


# --- one scan in its own process ----------------------------------------------------------


def _child(archive: str, workdir: str, dask_workers: int) -> None:
    """Run one scan and print its figures as JSON (run in a fresh process)."""
    os.environ["COMMSGUARD_DATABASE_URL"] = f"sqlite:///{workdir}/commsguard.db"
    os.environ["COMMSGUARD_SECRET_FILE"] = f"{workdir}/commsguard.secret"
    from commsguard.workflows.installation import build_engine, database, init_installation

    init_installation()
    from commsguard.models import Message

    engine, db = build_engine(), database()
    # Detectors load models lazily; pay for that before the clock starts, in every mode.
    warm = time.perf_counter()
    engine.check_many([Message(id="warm-up", text="warm up")])
    warm_up = time.perf_counter() - warm
    started = time.perf_counter()
    worker_rss = 0
    if dask_workers:
        from commsguard.batch.dask_scan import EnginePlugin, close, connect, dask_scan

        client = connect("local", workers=dask_workers)
        try:
            client.wait_for_workers(dask_workers)
            warm = time.perf_counter()
            client.register_plugin(EnginePlugin(engine), name=EnginePlugin.name)
            warm_up = time.perf_counter() - warm
            started = time.perf_counter()
            summary = dask_scan([Path(archive)], client=client, engine=engine, db=db)

            def peak() -> int:
                return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

            worker_rss = max(client.run(peak).values())
        finally:
            close(client)
    else:
        from commsguard.workflows.scan import scan

        summary = scan([Path(archive)], engine=engine, db=db)
    seconds = time.perf_counter() - started
    print(json.dumps({
        "messages": summary.messages,
        "findings": summary.findings,
        "seconds": seconds,
        "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "worker_rss": worker_rss,
        "warm_up": warm_up,
    }))


def _run(archive: Path, dask_workers: int, tmp: Path) -> dict[str, float]:
    workdir = Path(tempfile.mkdtemp(dir=tmp))
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(archive), str(workdir), str(dask_workers)],
        capture_output=True, text=True,
    )
    if out.returncode != 0:
        raise SystemExit(f"run failed ({archive}, {dask_workers} workers):\n{out.stderr}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=None, help="Where to write the archives.")
    parser.add_argument("--repeat", type=int, default=1,
                        help="Runs per configuration; the fastest is reported (shared hosts).")
    parser.add_argument("--pack", type=Path, default=None,
                        help="A pack directory to scan with (default: the default pack).")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], args.child[1], int(args.child[2]))
        return
    if args.pack is not None:
        os.environ["COMMSGUARD_PACK"] = str(args.pack.absolute())
    tmp = Path(args.dir or tempfile.mkdtemp(prefix="commsguard-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    mbox, slack = tmp / "bench.mbox", tmp / "slack-export"
    t = time.perf_counter()
    if not mbox.exists():
        write_mbox(mbox, args.messages)
    if not slack.exists():
        write_slack(slack, args.messages)
    print(f"archives ready in {time.perf_counter() - t:.1f}s: {mbox} "
          f"({mbox.stat().st_size / 2**20:.0f} MiB), {slack}", flush=True)
    rows = []
    for label, archive in (("mbox", mbox), ("slack", slack)):
        runs = {}
        for name, workers in (("scan", 0), ("dask-1", 1), ("dask-2", 2)):
            r = min((_run(archive, workers, tmp) for _ in range(max(1, args.repeat))),
                    key=lambda x: x["seconds"])
            runs[name] = r
            print(f"{label:5} {name:7} {r['messages']:>9.0f} msgs {r['seconds']:7.1f}s "
                  f"{r['messages'] / r['seconds']:8.0f} msg/s  rss {r['rss'] / 2**20:6.0f} MiB"
                  f"  worker rss {r['worker_rss'] / 2**20:6.0f} MiB"
                  f"  (warm-up {r['warm_up']:.1f}s, not timed)", flush=True)
        rows.append((label, runs))
    print()
    header = (f"{'archive':8}{'messages':>10}{'scan msg/s':>12}{'dask-1 msg/s':>14}"
              f"{'dask-2 msg/s':>14}{'speed-up 1→2':>14}{'peak RSS MiB':>14}")
    print(header)
    worst = 0.0
    for label, runs in rows:
        rate = {k: v["messages"] / v["seconds"] for k, v in runs.items()}
        peak = max(max(v["rss"], v["worker_rss"]) for v in runs.values())
        worst = max(worst, peak)
        print(f"{label:8}{runs['scan']['messages']:>10.0f}{rate['scan']:>12.0f}"
              f"{rate['dask-1']:>14.0f}{rate['dask-2']:>14.0f}"
              f"{rate['dask-2'] / rate['dask-1']:>13.2f}x{peak / 2**20:>14.0f}")
    print(f"\npeak RSS {worst / 2**20:.0f} MiB: {'under' if worst < GiB else 'OVER'} 1 GiB")


if __name__ == "__main__":
    main()
