"""Attacks on the anonymous report channel: linking a report to the person who filed it, and
guessing or mistyping report keys without limit."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from web.conftest import Installation, build_installation

REPORT = {"description": "A fake account posting our investigation details",
          "urls": ["https://x.com/fake/status/1"], "platform": "X"}


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Installation:
    """An installation whose per-address limits are small enough to reach in a test."""
    return build_installation(Path(tmp_path_factory.mktemp("strict")),
                              report_follow_per_hour=4, anonymous_reports_per_hour=3)


def _address() -> str:
    """A fresh client address, so the shared installation's per-address limits stay apart."""
    return "10.9." + ".".join(str(b) for b in uuid.uuid4().bytes[:2])


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- following with a key ----------------------------------------------------------------


def _key(api: Callable[[str], TestClient]) -> str:
    opened = api("staff2").post("/api/v1/reports", json={**REPORT, "anonymous": True})
    assert opened.status_code == 201, opened.text
    key = opened.json()["report_key"]
    assert isinstance(key, str) and key.startswith("RK-")
    return key


@pytest.mark.parametrize("typed", [
    lambda k: k.lower(),
    lambda k: k.replace("-", ""),
    lambda k: k.replace("-", " "),
    lambda k: " " + k[3:].lower().replace("-", "") + " ",
    lambda k: k.replace("-", " - "),
])
def test_report_key_typed_in_another_case_or_grouping_still_finds_the_case(
    api: Callable[[str], TestClient], app: FastAPI, typed: Callable[[str], str],
) -> None:
    key = _key(api)
    with TestClient(app, client=(_address(), 50000)) as anyone:
        r = anyone.post("/api/v1/reports/follow", json={"key": typed(key)})
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "open"


def test_report_key_with_one_character_changed_finds_nothing(
    api: Callable[[str], TestClient], app: FastAPI,
) -> None:
    key = _key(api)
    wrong = key[:-1] + ("0" if key[-1] != "0" else "1")
    with TestClient(app, client=(_address(), 50000)) as anyone:
        assert anyone.post("/api/v1/reports/follow", json={"key": wrong}).status_code == 404


def test_guessing_report_keys_is_rate_limited_per_address(strict: Installation) -> None:
    service = strict.app.state.service
    clock = Clock()
    service.follow_throttle.clock = clock
    guess = {"key": "RK-0000-0000-0000-0000-0000-0000-0000-0000"}
    with TestClient(strict.app) as c:
        answers = [c.post("/api/v1/reports/follow", json=guess).status_code for _ in range(6)]
        assert answers == [404, 404, 404, 404, 429, 429]
        r = c.post("/api/v1/reports/follow", json=guess)
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
        assert "too many" in r.json()["detail"]
        # answering with a key counts too
        assert c.post("/api/v1/reports/answer",
                      json={**guess, "body": "hello"}).status_code == 429
        clock.now += 3601  # an hour later the address may try again
        assert c.post("/api/v1/reports/follow", json=guess).status_code == 404
