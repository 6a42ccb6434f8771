"""Serve an installation in a child process and wait until it answers: for smoke checks,
the load benchmark and the browser tests, which all need a real ``commsguard serve``.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

from commsguard.errors import CommsguardError

#: The same entry point as the ``commsguard`` script, so it runs under this interpreter.
CLI = (sys.executable, "-c", "from commsguard.cli.app import main; main()")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(root: Path, env: Mapping[str, str], *, startup_seconds: float = 90) -> Iterator[str]:
    """``commsguard serve`` on a free loopback port with ``env``; yields the base URL.

    The server's output goes to ``root/server.log``, quoted in the error if it never answers.
    """
    port = free_port()
    log_path = root / "server.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen([*CLI, "serve", "--host", "127.0.0.1", "--port", str(port)],
                                env=dict(env), stdout=log, stderr=subprocess.STDOUT, cwd=root)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + startup_seconds
            while not _answers(url):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise CommsguardError(
                        f"the server did not start (see {log_path}):\n{log_path.read_text()}")
                time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url + "/login", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
