"""Quarantine, people, IT site questions and policy versions: every route's role check
(denials proved) and that the roles named are let in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from commsguard.store.tables import ROLES
from commsguard.web.api.main import GAPS_MODULES, PREFIX
from commsguard.web.pages import GAPS_PAGES

from .conftest import Browserish, Installation
from .gaps_seed import seed

ALL = set(ROLES)
AUDITORS = {"reviewer", "admin"}
MANAGERS = {"manager", "admin"}

#: (method, path, body, roles allowed). {item}: a quarantined item; {version}: a pack version
#: with an earlier one; {question}: a queued site (the POST denial uses an unknown id).
API: list[tuple[str, str, Any, set[str]]] = [
    ("GET", "/api/v1/quarantine", None, AUDITORS),
    ("GET", "/api/v1/quarantine/{item}/raw", None, AUDITORS),
    ("GET", "/api/v1/policy/packs", None, MANAGERS),
    ("POST", "/api/v1/policy/packs/load", None, {"admin"}),
]
PAGES: list[tuple[str, str, Any, set[str]]] = [
    ("GET", "/quarantine", None, AUDITORS),
    ("GET", "/quarantine/{item}/raw", None, AUDITORS),
    ("GET", "/people", None, MANAGERS),
    ("POST", "/people/import", None, {"admin"}),
    ("GET", "/sites/questions", None, {"it", "admin"}),
    ("POST", "/sites/questions/{{question}}/classify", {"category": "forums"}, {"it"}),
    ("GET", "/policy/versions", None, MANAGERS),
    ("GET", "/policy/versions/{version}/diff", None, MANAGERS),
    ("POST", "/policy/versions/load", None, {"admin"}),
]


@pytest.fixture(scope="module")
def ids(inst: Installation) -> dict[str, str]:
    with inst.session() as s:
        return seed(s)


def _fill(path: str, ids: dict[str, str]) -> str:
    return (path.replace("{item}", ids["item"]).replace("{version}", ids["version"])
            .replace("{{question}}", "999999"))


def _denials(table: list[tuple[str, str, Any, set[str]]]) -> list[Any]:
    return [pytest.param(m, p, b, role, id=f"{m} {p} as {role}")
            for m, p, b, allowed in table for role in sorted(ALL - allowed)]


@pytest.mark.parametrize(("method", "path", "body", "role"), _denials(API))
def test_api_denies_other_roles(api: Callable[[str], TestClient], ids: dict[str, str],
                                method: str, path: str, body: Any, role: str) -> None:
    r = api(role).request(method, _fill(path, ids), json=body)
    assert r.status_code == 403, (r.status_code, r.text)


@pytest.mark.parametrize(("method", "path", "body", "role"), _denials(PAGES))
def test_pages_deny_other_roles(browser_as: Callable[[str], Browserish], ids: dict[str, str],
                                method: str, path: str, body: Any, role: str) -> None:
    r = browser_as(role).request(method, _fill(path, ids), data=body, follow_redirects=False)
    assert r.status_code == 403, (r.status_code, r.text)
    assert "text/html" in r.headers["content-type"]


def test_signed_out_visitors_are_sent_to_sign_in(app: Any) -> None:
    with TestClient(app) as client:
        for _, path, _, _ in (p for p in PAGES if p[0] == "GET"):
            r = client.get(_fill(path, {"item": "1", "version": "1"}), follow_redirects=False)
            assert r.status_code in (303, 401), path


@pytest.mark.parametrize(("path", "allowed"),
                         [(p, a) for m, p, b, a in API + PAGES if m == "GET"])
def test_get_routes_allow_the_roles_they_name(
    api: Callable[[str], TestClient], browser_as: Callable[[str], Browserish],
    ids: dict[str, str], path: str, allowed: set[str],
) -> None:
    for role in allowed:
        client = api(role) if path.startswith("/api") else browser_as(role)
        assert client.get(_fill(path, ids)).status_code == 200, role


def test_a_token_without_the_admin_scope_cannot_load_a_pack(
    inst: Installation, app: Any,
) -> None:
    from commsguard.web import accounts
    from commsguard.web.security import create_token

    with inst.session() as s:
        user = accounts.by_username(s, "admin")
        assert user is not None
        _, raw = create_token(s, user=user, scopes=["read", "review"])
    with TestClient(app, headers={"Authorization": f"Bearer {raw}"}) as c:
        assert c.post("/api/v1/policy/packs/load").status_code == 403
        assert c.get("/api/v1/policy/packs").status_code == 200


def test_every_gap_route_is_in_the_role_table() -> None:
    routes = set()
    for prefix, modules in ((PREFIX, GAPS_MODULES), ("", GAPS_PAGES)):
        for module in modules:
            for route in module.router.routes:
                assert isinstance(route, APIRoute)
                routes |= {(m, prefix + route.path) for m in route.methods if m != "HEAD"}
    listed = {(m, p.replace("{item}", "{item_id}").replace("{version}", "{version_id}")
               .replace("{{question}}", "{question_id}")) for m, p, _, _ in API + PAGES}
    assert routes - listed == set(), "add these routes to the role table"
    assert listed - routes == set(), "these routes no longer exist"
