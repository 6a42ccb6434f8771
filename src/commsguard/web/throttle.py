"""Per-address request limits for the routes anyone may call without signing in.

Following a report with its key, and filing an anonymous report, need no account, so nothing
but the caller's address can bound how often they are called. A :class:`Throttle` counts
events per key in a sliding window, in this process's memory only: nothing about the caller
is written anywhere (an anonymous report must leave no trace of its address), and the key is
an HMAC of the address, so even the process's memory holds no address in the clear.

Behind several server processes each keeps its own count: the limit is per process.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from collections import deque
from collections.abc import Callable

from fastapi import HTTPException, Request


class Throttle:
    """At most ``limit`` events per key within ``window_seconds``."""

    #: Keys remembered at most; past it, keys whose events have all expired are dropped, and
    #: if that is not enough the oldest key goes (a flood of addresses cannot grow memory).
    MAX_KEYS = 50_000

    def __init__(
        self, *, limit: int, window_seconds: float, key: bytes,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self.clock = clock
        self._key = key
        self._events: dict[bytes, deque[float]] = {}
        self._lock = threading.Lock()

    def _k(self, address: str) -> bytes:
        return hmac.digest(self._key, address.encode("utf-8", "replace"), hashlib.sha256)[:16]

    def wait(self, address: str) -> int:
        """Seconds until ``address`` may act again (0: it may, and the event is counted)."""
        now = self.clock()
        k = self._k(address)
        with self._lock:
            events = self._events.get(k)
            if events is None:
                self._prune(now)
                events = self._events[k] = deque()
            while events and events[0] <= now - self.window:
                events.popleft()
            if len(events) >= self.limit:
                return max(1, int(events[0] + self.window - now + 0.999))
            events.append(now)
            return 0

    def _prune(self, now: float) -> None:
        if len(self._events) < self.MAX_KEYS:
            return
        for k in [k for k, ev in self._events.items() if not ev or ev[-1] <= now - self.window]:
            del self._events[k]
        while len(self._events) >= self.MAX_KEYS:
            del self._events[next(iter(self._events))]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def enforce(throttle: Throttle, request: Request, what: str) -> None:
    """Count this request against its address; past the limit, 429 with ``Retry-After``."""
    wait = throttle.wait(client_address(request))
    if wait:
        raise HTTPException(
            429, f"too many {what} from this address; try again in {wait} seconds",
            headers={"Retry-After": str(wait)},
        )


#: Paths whose requests the server's access log must not record: an access-log line is the
#: address and the time of an anonymous report, which is what anonymity withholds.
UNLOGGED_PATHS: tuple[str, ...] = (
    "/report/anonymous", "/api/v1/reports/anonymous", "/report/follow",
    "/api/v1/reports/follow", "/api/v1/reports/answer",
)


class UnloggedPaths(logging.Filter):
    """Drops uvicorn access-log records of :data:`UNLOGGED_PATHS`."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            return not args[2].split("?", 1)[0].startswith(UNLOGGED_PATHS)
        return True


def keep_anonymous_paths_out_of_the_access_log() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, UnloggedPaths) for f in access.filters):
        access.addFilter(UnloggedPaths())
