"""Every route checks the role: each denial proved, and no route left out of the table.

API routes are called with all-scope tokens (so only the role decides); pages with a signed-in
browser session. Owner-scoped resources answer 404 to anyone else (no IDOR).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from commsguard.store.tables import ROLES
from commsguard.web.api.main import PREFIX, ROUTE_MODULES
from commsguard.web.pages import PAGE_MODULES

from .conftest import Browserish

POST_TEXT = "Vote Labor on Saturday! The complainant who rang today was furious"

ALL = set(ROLES)
REVIEWER = {"reviewer"}
OVERSIGHT = {"manager", "reviewer", "communications", "it", "admin"}
ADMIN = {"admin"}
AUDITORS = {"reviewer", "admin"}

#: (method, path, json or form body, roles allowed). {fid} / {cid} are a staff member's finding
#: and check; {uid} a user; {tid} a token of the admin.
API_ROUTES: list[tuple[str, str, Any, set[str]]] = [
    ("POST", "/api/v1/check", {"text": "hello"}, ALL),
    ("GET", "/api/v1/checks", None, ALL),
    ("GET", "/api/v1/checks/{cid}", None, {"staff", "reviewer"}),
    ("GET", "/api/v1/clauses", None, ALL),
    ("GET", "/api/v1/clauses/{clause_id}", None, ALL),
    ("GET", "/api/v1/findings", None, REVIEWER),
    ("GET", "/api/v1/findings/{fid}", None, {"staff", "reviewer"}),
    ("POST", "/api/v1/findings/{fid}/actions", {"action": "tag", "tags": ["x"]}, REVIEWER),
    ("POST", "/api/v1/findings/bulk", {"ids": [1], "action": "tag", "tags": ["x"]}, REVIEWER),
    ("POST", "/api/v1/findings/{fid}/feedback", {"justification": "quoting a news story"},
     {"staff"}),
    ("POST", "/api/v1/findings/{fid}/reveal", {"reason": "investigation"}, REVIEWER),
    ("GET", "/api/v1/dashboard", None, OVERSIGHT),
    ("GET", "/api/v1/me", None, ALL),
    ("GET", "/api/v1/users", None, ADMIN),
    ("POST", "/api/v1/users", {"username": "x", "role": "staff", "password": "0123456789"},
     ADMIN),
    ("PATCH", "/api/v1/users/{uid}", {"display_name": "Staff Two"}, ADMIN),
    ("GET", "/api/v1/tokens", None, ALL),
    ("POST", "/api/v1/tokens", {"scopes": ["check"]}, ALL),
    ("DELETE", "/api/v1/tokens/{tid}", None, ADMIN),
    ("POST", "/api/v1/registers/confidential",
     {"rows": [{"kind": "complainant", "value": "Role Test Person"}]}, ADMIN),
    ("POST", "/api/v1/registers/authorisations",
     {"rows": [{"person": "casey", "authority": "spokesperson"}]}, ADMIN),
    ("GET", "/api/v1/audit", None, AUDITORS),
    ("GET", "/api/v1/audit/verify", None, AUDITORS),
]

PAGE_ROUTES: list[tuple[str, str, Any, set[str]]] = [
    ("GET", "/", None, ALL),
    ("GET", "/check", None, ALL),
    ("POST", "/check/preview", {"text": "hello"}, ALL),
    ("POST", "/check", {"text": "hello"}, ALL),
    ("POST", "/check/feedback", {"text": POST_TEXT, "capacity": "official",
                                  "rule": "apolitical.party-political", "start": "0",
                                  "end": "10", "justification": "satire"}, ALL),
    ("POST", "/findings/{fid}/feedback", {"justification": "quoting"}, {"staff"}),
    ("GET", "/checks", None, ALL),
    ("GET", "/checks/{cid}", None, {"staff", "reviewer"}),
    ("GET", "/clauses/{clause_id}", None, ALL),
    ("GET", "/queue", None, REVIEWER),
    ("POST", "/queue/bulk", {"ids": "1", "action": "tag", "tags": "x"}, REVIEWER),
    ("GET", "/queue/{fid}", None, REVIEWER),
    ("POST", "/queue/{fid}/action", {"action": "tag", "tags": "x"}, REVIEWER),
    ("POST", "/queue/{fid}/reveal", {"reason": "needed"}, REVIEWER),
    ("GET", "/dashboard", None, OVERSIGHT),
    ("GET", "/audit", None, AUDITORS),
    ("GET", "/admin/users", None, ADMIN),
    ("POST", "/admin/users", {"username": "y", "role": "staff", "password": "0123456789"},
     ADMIN),
    ("POST", "/admin/users/{uid}", {"role": "staff", "active": "true"}, ADMIN),
    ("GET", "/tokens", None, ALL),
    ("POST", "/tokens", {"scopes": "check"}, ALL),
    ("POST", "/tokens/{tid}/revoke", None, ADMIN),
]

#: Routes open to anyone (signing in) or to every signed-in user without a role check.
UNGATED = {("GET", "/login"), ("POST", "/login"), ("POST", "/logout"),
           ("GET", "/account/password"), ("POST", "/account/password")}


@pytest.fixture(scope="module")
def ids(app: FastAPI, tokens: dict[str, str]) -> dict[str, str]:
    with TestClient(app, headers={"Authorization": f"Bearer {tokens['staff']}"}) as c:
        r = c.post("/api/v1/check", json={"text": POST_TEXT + " (roles)", "capacity": "official"})
        assert r.status_code == 200 and r.json()["findings"]
        mine = c.get("/api/v1/checks").json()["data"][0]
    with TestClient(app, headers={"Authorization": f"Bearer {tokens['admin']}"}) as c:
        users = {u["username"]: u["id"] for u in c.get("/api/v1/users").json()["data"]}
        token = c.post("/api/v1/tokens", json={"scopes": ["check"]}).json()["id"]
    return {"cid": str(mine["id"]), "fid": str(mine["findings"][0]["id"]),
            "uid": str(users["staff2"]), "tid": str(token), "clause_id": "apolitical"}


def _fill(path: str, ids: dict[str, str]) -> str:
    return path.format(**ids)


def _denial_cases(table: list[tuple[str, str, Any, set[str]]]) -> list[Any]:
    return [
        pytest.param(method, path, body, role, id=f"{method} {path} as {role}")
        for method, path, body, allowed in table
        for role in sorted(ALL - allowed)
    ]


@pytest.mark.parametrize(("method", "path", "body", "role"), _denial_cases(API_ROUTES))
def test_api_denies_other_roles(
    api: Callable[[str], TestClient], ids: dict[str, str], method: str, path: str, body: Any,
    role: str,
) -> None:
    r = api(role).request(method, _fill(path, ids), json=body)
    owner_scoped = "{cid}" in path or "{fid}" in path or "{tid}" in path
    assert r.status_code in ((403, 404) if owner_scoped else (403,)), (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize(("method", "path", "body", "role"), _denial_cases(PAGE_ROUTES))
def test_pages_deny_other_roles(
    browser_as: Callable[[str], Browserish], ids: dict[str, str], method: str, path: str,
    body: Any, role: str,
) -> None:
    b = browser_as(role)
    r = b.request(method, _fill(path, ids), data=body, follow_redirects=False)
    owner_scoped = "{cid}" in path or "{fid}" in path or "{tid}" in path
    assert r.status_code in ((403, 404) if owner_scoped else (403,)), (r.status_code, r.text)
    assert "text/html" in r.headers["content-type"]


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p, b, a in API_ROUTES if m == "GET"])
def test_api_allows_the_roles_it_names(
    api: Callable[[str], TestClient], ids: dict[str, str], method: str, path: str
) -> None:
    allowed = next(a for m, p, b, a in API_ROUTES if (m, p) == (method, path))
    for role in allowed:
        assert api(role).get(_fill(path, ids)).status_code == 200, role


def test_staff_see_only_their_own_checks(api: Callable[[str], TestClient],
                                         ids: dict[str, str]) -> None:
    other = api("staff2")
    assert other.get(f"/api/v1/checks/{ids['cid']}").status_code == 404
    assert other.get(f"/api/v1/findings/{ids['fid']}").status_code == 404
    assert all(c["id"] != int(ids["cid"]) for c in other.get("/api/v1/checks").json()["data"])


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def _routes() -> set[tuple[str, str]]:
    out = set()
    for prefix, modules in ((PREFIX, ROUTE_MODULES), ("", PAGE_MODULES)):
        for module in modules:
            for route in module.router.routes:
                assert isinstance(route, APIRoute)
                out |= {(m, prefix + route.path) for m in route.methods if m != "HEAD"}
    return out


def test_every_route_is_in_the_role_table() -> None:
    listed = {(m, _shape(p)) for m, p, _, _ in API_ROUTES + PAGE_ROUTES} | UNGATED
    routes = {(m, _shape(p)) for m, p in _routes()}
    assert routes - listed == set(), "add these routes to the role table"
    assert listed - routes == set(), "these routes no longer exist"
