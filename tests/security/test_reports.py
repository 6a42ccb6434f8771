"""Attacks on the anonymous report channel: linking a report to the person who filed it, and
guessing or mistyping report keys without limit."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from commsguard.store.tables import AuditEntry, Case
from commsguard.workflows.cases import hash_key
from web.conftest import Installation, build_installation, csrf_of, sign_in

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


# --- filing anonymously ------------------------------------------------------------------


def _entries_after(inst: Installation, seq: int) -> list[AuditEntry]:
    with inst.session() as s:
        rows = list(s.scalars(select(AuditEntry).where(AuditEntry.seq > seq)
                              .order_by(AuditEntry.seq)))
        s.expunge_all()
        return rows


def _last_seq(inst: Installation) -> int:
    with inst.session() as s:
        return s.scalar(select(func.max(AuditEntry.seq))) or 0


def _nothing_links(inst: Installation, case_id: int, since: int, address: str,
                   who: str = "") -> None:
    with inst.session() as s:
        case = s.get(Case, case_id)
        assert case is not None and case.anonymous and case.reporter is None
    entries = _entries_after(inst, since)
    assert [(e.actor, e.action, e.target) for e in entries] == \
        [("anonymous", "case.report", f"case:{case_id}")]
    assert entries[0].detail == {"anonymous": True}
    assert address not in repr(entries[0].detail)
    assert not who or who not in repr(entries[0].detail)


def test_anonymous_report_over_the_api_needs_no_sign_in_and_names_no_one(
    inst: Installation, app: FastAPI,
) -> None:
    address = _address()
    since = _last_seq(inst)
    with TestClient(app, client=(address, 50000)) as nobody:
        r = nobody.post("/api/v1/reports/anonymous", json=REPORT)
    assert r.status_code == 201, r.text
    assert r.json()["report_key"].startswith("RK-")
    assert not any(e.action.startswith("auth.") for e in _entries_after(inst, since))
    _nothing_links(inst, r.json()["id"], since, address)


def test_anonymous_report_from_a_signed_in_browser_reads_nothing_of_the_session(
    inst: Installation, app: FastAPI,
) -> None:
    """The probe: a signed-in user's report showed `auth.sign_in` next to it. A browser that
    still holds a session files through the anonymous form, and the session is not read."""
    address = _address()
    with TestClient(app, client=(address, 50000)) as browser:
        sign_in(browser, "staff2")
        since = _last_seq(inst)
        page = browser.get("/report/anonymous")
        assert page.status_code == 200
        r = browser.post("/report/anonymous", data={**_form(), "csrf_token": csrf_of(page.text)})
        assert r.status_code == 201, r.text
        key = re.search(r'id="report-key">([^<]+)<', r.text)
        assert key and key.group(1).startswith("RK-")
    with inst.session() as s:
        [case_id] = s.scalars(select(Case.id).where(Case.key_hash == hash_key(key.group(1))))
    _nothing_links(inst, case_id, since, address, who="staff2")


def _form() -> dict[str, str]:
    return {"description": REPORT["description"], "urls": REPORT["urls"][0],  # type: ignore[index]
            "platform": "X"}


def test_anonymous_report_form_without_its_csrf_token_is_refused(app: FastAPI) -> None:
    with TestClient(app, client=(_address(), 50000)) as nobody:
        nobody.get("/report/anonymous")
        r = nobody.post("/report/anonymous", data={**_form(), "csrf_token": "forged"})
        assert r.status_code == 403 and 'id="report-key"' not in r.text


def test_flooding_anonymous_reports_is_rate_limited_per_address(strict: Installation) -> None:
    clock = Clock()
    strict.app.state.service.report_throttle.clock = clock
    with TestClient(strict.app) as nobody, TestClient(strict.app) as form:
        answers = [nobody.post("/api/v1/reports/anonymous", json=REPORT).status_code
                   for _ in range(4)]
        assert answers == [201, 201, 201, 429]
        page = form.get("/report/anonymous")
        r = form.post("/report/anonymous", data={**_form(), "csrf_token": csrf_of(page.text)})
        assert r.status_code == 429 and "Too many reports" in r.text
        clock.now += 3601
        assert nobody.post("/api/v1/reports/anonymous", json=REPORT).status_code == 201


def test_the_access_log_keeps_no_line_of_an_anonymous_report(app: FastAPI) -> None:
    import logging

    access = logging.getLogger("uvicorn.access")
    line = '%s - "%s %s HTTP/%s" %d'
    def record(path: str) -> logging.LogRecord:
        return access.makeRecord("uvicorn.access", logging.INFO, __file__, 1, line,
                                 ("10.1.2.3:5000", "POST", path, "1.1", 201), None)

    assert not access.filter(record("/api/v1/reports/anonymous"))
    assert not access.filter(record("/report/anonymous"))
    assert access.filter(record("/api/v1/check"))
