"""Checking posts: one text, or a JSONL stream checked in batches with results in order."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import IO

from commsguard.config import get_settings
from commsguard.engine import Engine
from commsguard.errors import InputError, StoreError
from commsguard.message_input import parse_jsonl_line
from commsguard.models import Capacity, Message, Result

#: Lines checked together: large enough to amortise model calls, small enough to stream.
BATCH = 256


def engine_for_cli(warn: Callable[[str], object]) -> Engine:
    """The installation's engine; without a database, the pack alone (and say so)."""
    from commsguard.workflows.installation import build_engine

    try:
        return build_engine(get_settings())
    except StoreError as exc:
        warn(f"[yellow]warning:[/yellow] {exc}; checking without the registers")
        return build_engine(get_settings(), with_registers=False)


def check_one(
    text: str,
    *,
    author: str = "",
    capacity: Capacity = "private",
    channel: str = "",
    profile: str = "",
    warn: Callable[[str], object] = print,
    engine: Engine | None = None,
) -> tuple[Message, Result]:
    engine = engine or engine_for_cli(warn)
    message = Message(
        id="cli", text=text, author=author, capacity=capacity, channel=channel, profile=profile
    )
    return message, engine.check(message, explain=True)


def check_jsonl(
    lines: Iterable[str],
    out: IO[str],
    *,
    explain: bool = False,
    warn: Callable[[str], object] = print,
    engine: Engine | None = None,
) -> None:
    """One output object per input line, in order; a bad line gets ``error``, never a crash."""
    engine = engine or engine_for_cli(warn)
    pending: list[tuple[int, Message | InputError]] = []

    def flush() -> None:
        messages = [m for _, m in pending if isinstance(m, Message)]
        results = iter(engine.check_many(messages, explain=explain))
        for line_no, item in pending:
            if isinstance(item, Message):
                obj = next(results).to_dict(explain=explain)
            else:
                obj = {"id": f"line-{line_no}", "error": str(item)}
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        out.flush()
        pending.clear()

    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            pending.append((line_no, parse_jsonl_line(line, line_no=line_no)))
        except InputError as exc:
            pending.append((line_no, exc))
        if len(pending) >= BATCH:
            flush()
    flush()
