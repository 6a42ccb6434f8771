"""Small archives the scan tests write: a Slack export folder of several conversations."""

from __future__ import annotations

import json
from pathlib import Path


def write_slack(root: Path, n: int, flagged: str, *, channels: int = 6, days: int = 3) -> Path:
    """``channels`` conversations of ``days`` day files, ``n`` messages each; every fifth is
    ``flagged``."""
    root.mkdir()
    (root / "users.json").write_text(json.dumps([{"id": "U1", "real_name": "Jo Citizen"}]))
    (root / "channels.json").write_text(
        json.dumps([{"id": f"C{c}", "name": f"ch{c}"} for c in range(channels)])
    )
    for c in range(channels):
        (root / f"ch{c}").mkdir()
        for d in range(days):
            ts = 1767225600 + c * 1000 + d * 100
            msgs = [{"type": "message", "user": "U1", "ts": f"{ts + i}",
                     "text": flagged if i % 5 == 0 else f"hello <@U1> {i}"} for i in range(n)]
            (root / f"ch{c}" / f"2026-01-0{d + 1}.json").write_text(json.dumps(msgs))
    return root
