"""Archive scan benchmark: messages/s, peak RSS, and the speed-up from 1 to 2 local Dask workers.

    .venv/bin/python bench/archive_bench.py                     # 1,000,000 messages per archive
    .venv/bin/python bench/archive_bench.py --messages 50000    # a quick run
    .venv/bin/python bench/archive_bench.py --only slack --modes dask1,dask2 --dir /data/bench

Generates an mbox and a Slack export folder of ``--messages`` messages each (streamed to disk,
never held in memory; kept in ``--dir`` and reused by later runs of the same size), then scans
each one up to three ways, every run in a fresh process and a fresh SQLite database: the plain
scan (``plain``), Dask with one local worker (``dask1``) and with two (``dask2``). Each run prints
progress lines while it goes and, at the end, messages, findings, seconds, messages/s, CPU
seconds (client, and all workers together) and peak RSS: of the scanning process and of the
worst Dask worker (it must stay under 1 GiB whatever the archive size). A table at the end puts
the runs side by side with the dask2/dask1 speed-up, and the figures are written as JSON.

Wall time on a shared machine is noisy; the CPU seconds say where the work went regardless.
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
from typing import Any

GiB = 1024**3
MiB = 1024**2
MODES = {"plain": 0, "dask1": 1, "dask2": 2}
ARCHIVES = ("mbox", "slack")
#: Seconds between a run's progress lines.
PROGRESS_EVERY = 10.0

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
    words = " ".join(rng.choices(_WORDS, k=rng.randint(15, 60)))
    if i % 50 == 0:
        return f"{words}. {_FLAGGED[i // 50 % len(_FLAGGED)]}."
    return f"Message {i}: {words}."


def _generated(what: str, i: int, messages: int, started: float) -> None:
    if i and i % 200_000 == 0:
        print(f"  {what}: {i:,}/{messages:,} messages written "
              f"({time.perf_counter() - started:.0f}s)", flush=True)


def write_mbox(path: Path, messages: int, *, seed: int = 1) -> None:
    """An mbox of ``messages`` messages, one a minute, written as it is made."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    started = time.perf_counter()
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8", newline="\n", buffering=4 * MiB) as f:
        for i in range(messages):
            when = start + timedelta(minutes=i)
            sender = rng.choice(_PEOPLE).replace(" ", ".").lower() + "@example.org"
            f.write(f"From {sender} {when.strftime('%a %b %d %H:%M:%S %Y')}\n"
                    f"From: {sender}\nTo: team@example.org\nSubject: note {i}\n"
                    f"Date: {format_datetime(when)}\nMessage-ID: <m{i}@example.org>\n"
                    f"Content-Type: text/plain; charset=utf-8\n\n{_text(rng, i)}\n\n")
            _generated("mbox", i, messages, started)
    partial.rename(path)  # only a complete archive is ever reused


def write_slack(root: Path, messages: int, *, seed: int = 2, per_day: int = 200) -> None:
    """A Slack export folder: 20 channels of day files of ``per_day`` messages each."""
    rng = random.Random(seed)
    partial = root.with_name(root.name + ".partial")
    partial.mkdir(parents=True, exist_ok=True)
    users = [{"id": f"U{i:05d}", "name": f"user{i}", "real_name": p}
             for i, p in enumerate(_PEOPLE)]
    (partial / "users.json").write_text(json.dumps(users), encoding="utf-8")
    channels = [{"id": f"C{i:04d}", "name": f"channel-{i}"} for i in range(20)]
    (partial / "channels.json").write_text(json.dumps(channels), encoding="utf-8")
    base = datetime(2024, 1, 1, tzinfo=UTC).timestamp()
    written = day = 0
    started = time.perf_counter()
    while written < messages:
        channel = channels[day % len(channels)]["name"]
        date = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=day // len(channels))
        folder = partial / str(channel)
        folder.mkdir(exist_ok=True)
        batch = []
        for _ in range(min(per_day, messages - written)):
            batch.append({
                "type": "message",
                "user": users[rng.randrange(len(users))]["id"],
                "text": _text(rng, written),
                "ts": f"{base + written:.6f}",
            })
            _generated("slack", written, messages, started)
            written += 1
        (folder / f"{date:%Y-%m-%d}.json").write_text(json.dumps(batch), encoding="utf-8")
        day += 1
    partial.rename(root)


# --- one scan in its own process ----------------------------------------------------------


def _child(archive: str, workdir: str, dask_workers: int) -> None:
    """Run one scan, print progress to stderr and its figures as JSON on stdout."""
    os.environ["COMMSGUARD_DATABASE_URL"] = f"sqlite:///{workdir}/commsguard.db"
    os.environ["COMMSGUARD_SECRET_FILE"] = f"{workdir}/commsguard.secret"
    from commsguard.models import Message
    from commsguard.workflows.installation import build_engine, database, init_installation
    from commsguard.workflows.scan import ScanProgress

    init_installation()
    engine, db = build_engine(), database()
    # Detectors load models lazily; pay for that before the clock starts, in every mode.
    engine.check_many([Message(id="warm-up", text="warm up")])
    label = f"{Path(archive).name} {'plain' if not dask_workers else f'dask{dask_workers}'}"
    last = [time.perf_counter()]

    def progress(p: ScanProgress) -> None:
        now = time.perf_counter()
        if now - last[0] >= PROGRESS_EVERY:
            last[0] = now
            elapsed = now - started
            done = p.bytes_done / max(p.bytes_total, 1)
            print(f"    {label}: {p.messages:,} messages, {done:.0%} of input, {elapsed:.0f}s, "
                  f"{p.messages / elapsed:.0f} msg/s",
                  file=sys.stderr, flush=True)

    worker_rss = worker_cpu = 0.0
    cpu = time.process_time()
    started = time.perf_counter()
    if dask_workers:
        from commsguard.batch.dask_scan import EnginePlugin, close, connect, dask_scan

        client = connect("local", workers=dask_workers)
        try:
            client.wait_for_workers(dask_workers)
            # Workers build their engine now, before the clock starts (the scan's own
            # registration of the same plugin then builds nothing).
            client.register_plugin(EnginePlugin(engine), name=EnginePlugin.name)
            before = client.run(time.process_time)
            cpu = time.process_time()
            started = last[0] = time.perf_counter()
            summary = dask_scan([Path(archive)], client=client, engine=engine, db=db,
                                progress=progress)
            seconds = time.perf_counter() - started
            after = client.run(time.process_time)
            worker_cpu = sum(after[w] - before.get(w, 0.0) for w in after)
            worker_rss = max(client.run(_peak_rss).values())
        finally:
            close(client)
    else:
        from commsguard.workflows.scan import scan

        summary = scan([Path(archive)], engine=engine, db=db, progress=progress)
        seconds = time.perf_counter() - started
    print(json.dumps({
        "messages": summary.messages,
        "findings": summary.findings,
        "quarantined": summary.quarantined,
        "seconds": seconds,
        "cpu": time.process_time() - cpu,
        "worker_cpu": worker_cpu,
        "rss": _peak_rss(),
        "worker_rss": worker_rss,
    }))


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _run(archive: Path, mode: str, tmp: Path) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(dir=tmp))
    env = {**os.environ, "DASK_LOGGING__DISTRIBUTED": "error"}
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(archive), str(workdir), str(MODES[mode])],
        stdout=subprocess.PIPE, text=True, env=env,  # stderr (progress) passes through
    )
    if out.returncode != 0:
        raise SystemExit(f"run failed ({archive}, {mode}): exit {out.returncode}")
    r = dict(json.loads(out.stdout.strip().splitlines()[-1]))
    r["rate"] = r["messages"] / r["seconds"]
    return r


def _line(label: str, mode: str, r: dict[str, Any]) -> str:
    return (f"{label:5} {mode:5} {r['messages']:>9,} msgs {r['findings']:>7,} findings "
            f"{r['seconds']:8.1f}s {r['rate']:7.0f} msg/s  cpu {r['cpu']:6.1f}s client "
            f"+ {r['worker_cpu']:6.1f}s workers  rss {r['rss'] / MiB:5.0f} MiB client, "
            f"{r['worker_rss'] / MiB:5.0f} MiB worst worker")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=None,
                        help="Where to write (and reuse) the archives and results.")
    parser.add_argument("--only", choices=ARCHIVES, default=None, help="One archive only.")
    parser.add_argument("--modes", default="plain,dask1,dask2",
                        help="Comma-separated, from: plain, dask1, dask2.")
    parser.add_argument("--repeat", type=int, default=1,
                        help="Runs per configuration; the fastest is reported (shared hosts).")
    parser.add_argument("--pack", type=Path, default=None,
                        help="A pack directory to scan with (default: the default pack).")
    parser.add_argument("--json", type=Path, default=None,
                        help="Where to write the results (default: DIR/results-N.json).")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], args.child[1], int(args.child[2]))
        return
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if bad := [m for m in modes if m not in MODES]:
        parser.error(f"--modes: unknown {', '.join(bad)} (choose from {', '.join(MODES)})")
    if args.pack is not None:
        os.environ["COMMSGUARD_PACK"] = str(args.pack.absolute())
    tmp = Path(args.dir or tempfile.mkdtemp(prefix="commsguard-bench-")).absolute()
    tmp.mkdir(parents=True, exist_ok=True)
    archives = {"mbox": tmp / f"bench-{args.messages}.mbox",
                "slack": tmp / f"slack-export-{args.messages}"}
    labels = [args.only] if args.only else list(ARCHIVES)
    for label in labels:
        path = archives[label]
        if not path.exists():
            t = time.perf_counter()
            (write_mbox if label == "mbox" else write_slack)(path, args.messages)
            print(f"{label} archive written in {time.perf_counter() - t:.0f}s: {path}", flush=True)
    results: dict[str, dict[str, Any]] = {}
    for label in labels:
        results[label] = {}
        for mode in modes:
            print(f"{label} {mode}: scanning {args.messages:,} messages ...", flush=True)
            runs = [_run(archives[label], mode, tmp) for _ in range(max(1, args.repeat))]
            r = min(runs, key=lambda x: x["seconds"])
            results[label][mode] = r
            print(_line(label, mode, r), flush=True)
        if {"dask1", "dask2"} <= set(results[label]):
            d = results[label]
            print(f"{label} speed-up dask1 -> dask2: "
                  f"{d['dask2']['rate'] / d['dask1']['rate']:.2f}x", flush=True)
    _table(results, modes)
    out = args.json or tmp / f"results-{args.messages}.json"
    out.write_text(json.dumps({"messages": args.messages, "cpus": os.cpu_count(),
                               "results": results}, indent=2), encoding="utf-8")
    print(f"results written to {out}")


def _table(results: dict[str, dict[str, Any]], modes: list[str]) -> None:
    print()
    header = f"{'archive':8}{'messages':>11}" + "".join(f"{m + ' msg/s':>13}" for m in modes)
    header += f"{'dask2/dask1':>13}{'peak RSS MiB':>14}"
    print(header)
    worst = 0.0
    for label, runs in results.items():
        first = next(iter(runs.values()))
        row = f"{label:8}{first['messages']:>11,}"
        row += "".join(f"{runs[m]['rate']:>13.0f}" for m in modes)
        speed = (f"{runs['dask2']['rate'] / runs['dask1']['rate']:.2f}x"
                 if {"dask1", "dask2"} <= set(runs) else "-")
        peak = max(max(r["rss"], r["worker_rss"]) for r in runs.values())
        worst = max(worst, peak)
        print(row + f"{speed:>13}{peak / MiB:>14.0f}")
    print(f"\npeak RSS {worst / MiB:.0f} MiB: {'under' if worst < GiB else 'OVER'} 1 GiB")


if __name__ == "__main__":
    main()
