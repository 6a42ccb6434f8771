"""Web use API and page: only reviewers and the person's manager see it, and every view is
audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from commsguard.store.tables import ROLES, AuditEntry
from commsguard.web.api.main import PREFIX, WEBUSE_MODULES
from commsguard.web.pages import WEBUSE_PAGES

from .conftest import Browserish, Installation
from .webuse_seed import seed

ALL = set(ROLES)
VIEWERS = {"manager", "reviewer"}

API: list[tuple[str, str, set[str]]] = [
    ("GET", "/api/v1/webuse/report", VIEWERS),
    ("GET", "/api/v1/webuse/findings", VIEWERS),
    ("GET", "/api/v1/webuse/findings/{staff}/sessions", VIEWERS),
]
PAGES: list[tuple[str, str, set[str]]] = [("GET", "/webuse", VIEWERS)]


@pytest.fixture(scope="module")
def ids(inst: Installation) -> dict[str, int]:
    with inst.session() as s:  # type: ignore[no-untyped-call]
        return seed(s)


def _fill(path: str, ids: dict[str, int]) -> str:
    return path.replace("{staff}", str(ids["staff"]))


def _denials(table: list[tuple[str, str, set[str]]]) -> list[Any]:
    return [pytest.param(m, p, role, id=f"{m} {p} as {role}")
            for m, p, allowed in table for role in sorted(ALL - allowed)]


@pytest.mark.parametrize(("method", "path", "role"), _denials(API))
def test_api_denies_other_roles(api: Callable[[str], TestClient], ids: dict[str, int],
                                method: str, path: str, role: str) -> None:
    assert api(role).request(method, _fill(path, ids)).status_code == 403


@pytest.mark.parametrize(("method", "path", "role"), _denials(PAGES))
def test_page_denies_other_roles(browser_as: Callable[[str], Browserish], ids: dict[str, int],
                                 method: str, path: str, role: str) -> None:
    r = browser_as(role).request(method, _fill(path, ids), follow_redirects=False)
    assert r.status_code == 403 and "text/html" in r.headers["content-type"]


def test_every_webuse_route_is_in_the_role_table() -> None:
    routes = set()
    for prefix, modules in ((PREFIX, WEBUSE_MODULES), ("", WEBUSE_PAGES)):
        for module in modules:
            for route in module.router.routes:
                assert isinstance(route, APIRoute)
                routes |= {(m, prefix + route.path) for m in route.methods or () if m != "HEAD"}
    listed = {(m, p.replace("{staff}", "{finding_id}")) for m, p, _ in API + PAGES}
    assert routes == listed


def test_when_manager_then_only_their_reports(
    api: Callable[[str], TestClient], ids: dict[str, int]
) -> None:
    manager, reviewer = api("manager"), api("reviewer")
    rows = manager.get("/api/v1/webuse/report").json()["data"]
    assert {r["person"] for r in rows} == {"staff", "staff2"}
    assert rows[0] == {"person": "staff", "date": "2024-03-05", "site": "facebook.com",
                       "category": "social-networking", "sessions": 1, "minutes": 41.0}
    assert {r["person"] for r in reviewer.get("/api/v1/webuse/report").json()["data"]} >= {
        "staff", "staff2", "carol"}
    assert manager.get("/api/v1/webuse/report?person=carol").json()["count"] == 0
    assert {f["person"] for f in manager.get("/api/v1/webuse/findings").json()["data"]} == {
        "staff"}
    body = manager.get(f"/api/v1/webuse/findings/{ids['staff']}/sessions").json()
    assert [s["site"] for s in body["sessions"]] == ["facebook.com", "reddit.com"]
    assert body["sessions"][0]["minutes"] == 41.0
    assert manager.get(f"/api/v1/webuse/findings/{ids['carol']}/sessions").status_code == 404
    assert reviewer.get(f"/api/v1/webuse/findings/{ids['carol']}/sessions").status_code == 200


def test_when_viewed_then_audited(
    api: Callable[[str], TestClient], browser_as: Callable[[str], Browserish],
    ids: dict[str, int], inst: Installation,
) -> None:
    browser = browser_as("manager")
    api("manager").get(f"/api/v1/webuse/findings/{ids['staff']}/sessions")
    page = browser.get("/webuse")
    assert page.status_code == 200 and "facebook.com" in page.text and "tiktok" not in page.text
    with inst.session() as s:  # type: ignore[no-untyped-call]
        tail = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(2)).all()
    assert [(e.actor, e.action) for e in tail] == [("manager", "webuse.view"),
                                                   ("manager", "webuse.finding.view")]
    assert tail[1].target == f"finding:{ids['staff']}"
