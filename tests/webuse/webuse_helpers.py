"""Local times and generated Squid lines with known answers, for the web use tests."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

MELBOURNE = ZoneInfo("Australia/Melbourne")
DAY = (2024, 3, 5)  # a Tuesday


def at(hour: int, minute: int = 0, second: float = 0.0, day: tuple[int, int, int] = DAY) -> float:
    """Epoch seconds for a Melbourne wall-clock time on ``day``."""
    whole = int(second)
    when = datetime(*day, hour, minute, whole, tzinfo=MELBOURNE)
    return when.timestamp() + (second - whole)


def squid(
    ts: float,
    url: str,
    *,
    user: str = "-",
    client: str = "10.0.0.1",
    method: str = "GET",
    code: str = "TCP_MISS/200",
    elapsed: int = 120,
) -> str:
    """One Squid native access.log line."""
    return (
        f"{ts:.3f} {elapsed:6d} {client} {code} 1234 {method} {url} {user} "
        "HIER_DIRECT/203.0.113.9 text/html"
    )
