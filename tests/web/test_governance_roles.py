"""Governance API and pages: every route's role check (denials proved), and the flows by API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from commsguard.registers import Authorisation
from commsguard.store import crud
from commsguard.store.tables import ROLES, Person
from commsguard.web.api.main import GOVERNANCE_MODULES, PREFIX
from commsguard.web.pages import GOVERNANCE_PAGES

from .conftest import Browserish, Installation

ALL = set(ROLES)
HANDLERS = {"reviewer", "admin"}
TEAM = {"manager", "reviewer", "admin"}
PEOPLE_VIEW = {"manager", "reviewer", "admin"}
OVERSIGHT = {"manager", "reviewer", "communications", "it", "admin"}

#: (method, path, body, roles allowed). {case} is a report case; {post} an office post.
API: list[tuple[str, str, Any, set[str]]] = [
    ("POST", "/api/v1/reports", {"description": "x", "urls": ["https://x.com/a"]}, ALL),
    ("POST", "/api/v1/complaints", {"conduct": "bullying", "description": "x"}, ALL),
    ("GET", "/api/v1/cases", None, ALL),
    ("GET", "/api/v1/cases/{case}", None, HANDLERS),
    ("PATCH", "/api/v1/cases/{case}", {"due_date": "2030-01-01"}, HANDLERS),
    ("POST", "/api/v1/cases/{case}/messages", {"kind": "note", "body": "n"}, HANDLERS),
    ("POST", "/api/v1/cases/{case}/investigation", {"finding": "withdrawn", "summary": "s"},
     set()),  # a report is not a complaint: 422 for handlers
    ("POST", "/api/v1/cases/{case}/close", {"outcome": ""}, set()),
    ("GET", "/api/v1/policy/versions", None, ALL),
    ("GET", "/api/v1/policy/diff?old=1.0.0", None, ALL),
    ("GET", "/api/v1/attestation/me", None, ALL),
    ("POST", "/api/v1/attestation", {"answers": {}}, set()),
    ("GET", "/api/v1/attestation/team", None, TEAM),
    ("POST", "/api/v1/attestation/remind", None, TEAM),
    ("GET", "/api/v1/people", None, PEOPLE_VIEW),
    ("POST", "/api/v1/people/import", None, {"admin"}),
    ("POST", "/api/v1/people/{{username}}/oath", {"kind": "oath", "taken_on": "2024-02-01"},
     {"admin"}),
    ("GET", "/api/v1/people/{{username}}/oaths", None, PEOPLE_VIEW),
    ("GET", "/api/v1/approvals", None, ALL),
    ("POST", "/api/v1/approvals", {"account": "@VO", "text": "t"}, set()),
    ("GET", "/api/v1/approvals/{post}", None, {"communications", "admin", "staff"}),
    ("POST", "/api/v1/approvals/{post}/decision", {"decision": "approve"}, {"communications"}),
    ("POST", "/api/v1/approvals/{post}/revision", {"text": "t"}, set()),
    ("GET", "/api/v1/authorisations", None, OVERSIGHT),
    ("POST", "/api/v1/sites/lookup", {"target": "facebook.com"}, ALL),
    ("GET", "/api/v1/sites/questions", None, {"it", "admin"}),
    ("POST", "/api/v1/sites/questions/{{question_id}}/answer", {"category": "forums"}, {"it"}),
]
PAGES: list[tuple[str, str, Any, set[str]]] = [
    ("GET", "/report", None, ALL),
    ("POST", "/report", None, set()),
    ("POST", "/complaints", None, set()),
    ("GET", "/cases", None, ALL),
    ("GET", "/cases/{case}", None, HANDLERS),
    ("GET", "/cases/{case}/files/{{file_id}}", None, set()),
    ("POST", "/cases/{case}/act", {"action": "note", "body": "n"}, HANDLERS),
    ("GET", "/attest", None, ALL),
    ("POST", "/attest", None, set()),
    ("GET", "/attest/team", None, TEAM),
    ("POST", "/attest/team/remind", None, TEAM),
    ("GET", "/approvals", None, ALL),
    ("POST", "/approvals", None, set()),
    ("GET", "/approvals/{post}", None, {"communications", "admin", "staff"}),
    ("POST", "/approvals/{post}/decide", {"decision": "approve"}, {"communications"}),
]
#: Open without signing in: the report key is the credential; an anonymous report needs none.
UNGATED = {("GET", "/report/follow"), ("POST", "/report/follow"),
           ("POST", "/api/v1/reports/follow"), ("POST", "/api/v1/reports/answer"),
           ("GET", "/report/anonymous"), ("POST", "/report/anonymous"),
           ("POST", "/api/v1/reports/anonymous")}


@pytest.fixture(scope="module")
def ids(inst: Installation, app: Any, tokens: dict[str, str]) -> dict[str, str]:
    def api(name: str) -> TestClient:
        return TestClient(app, headers={"Authorization": f"Bearer {tokens[name]}"})

    with inst.session() as s:
        for name in (*ROLES, "staff2"):
            if s.query(Person).filter_by(username=name).first() is None:
                s.add(Person(username=name, name=f"The {name}", email=f"{name}@vo.example",
                             kind="employee", role=name if name in ROLES else "staff",
                             manager="manager" if name.startswith("staff") else None,
                             start_date=date(2024, 1, 1)))
        crud.import_authorisations(s, rows=[Authorisation("staff", "business-use")])
    case = api("staff").post("/api/v1/reports", json={
        "description": "Roles fixture report", "urls": ["https://x.com/r"],
        "anonymous": True}).json()["id"]
    post = api("staff").post("/api/v1/approvals", json={
        "account": "@VO", "text": "Roles fixture post"}).json()["id"]
    return {"case": str(case), "post": str(post)}


def _fill(path: str, ids: dict[str, str]) -> str:
    return path.replace("{case}", ids["case"]).replace("{post}", ids["post"]) \
        .replace("{{username}}", "staff2").replace("{{question_id}}", "999999") \
        .replace("{{file_id}}", "999999")


def _denials(table: list[tuple[str, str, Any, set[str]]]) -> list[Any]:
    return [pytest.param(m, p, b, role, id=f"{m} {p} as {role}")
            for m, p, b, allowed in table if allowed for role in sorted(ALL - allowed)]


@pytest.mark.parametrize(("method", "path", "body", "role"), _denials(API))
def test_api_denies_other_roles(api: Callable[[str], TestClient], ids: dict[str, str],
                                method: str, path: str, body: Any, role: str) -> None:
    r = api(role).request(method, _fill(path, ids), json=body)
    assert r.status_code in (403, 404), (r.status_code, r.text)


@pytest.mark.parametrize(("method", "path", "body", "role"), _denials(PAGES))
def test_pages_deny_other_roles(browser_as: Callable[[str], Browserish], ids: dict[str, str],
                                method: str, path: str, body: Any, role: str) -> None:
    r = browser_as(role).request(method, _fill(path, ids), data=body, follow_redirects=False)
    assert r.status_code in (403, 404), (r.status_code, r.text)
    assert "text/html" in r.headers["content-type"]


@pytest.mark.parametrize(("path", "allowed"),
                         [(p, a) for m, p, b, a in API + PAGES if m == "GET" and a])
def test_get_routes_allow_the_roles_they_name(
    api: Callable[[str], TestClient], browser_as: Callable[[str], Browserish],
    ids: dict[str, str], path: str, allowed: set[str],
) -> None:
    for role in allowed:
        client = api(role) if path.startswith("/api") else browser_as(role)
        assert client.get(_fill(path, ids)).status_code == 200, role


def test_every_governance_route_is_in_the_role_table() -> None:
    routes = set()
    for prefix, modules in ((PREFIX, GOVERNANCE_MODULES), ("", GOVERNANCE_PAGES)):
        for module in modules:
            for route in module.router.routes:
                assert isinstance(route, APIRoute)
                routes |= {(m, prefix + route.path) for m in route.methods if m != "HEAD"}
    listed = {(m, p.split("?")[0].replace("{case}", "{case_id}").replace("{post}", "{post_id}")
               .replace("{{username}}", "{username}").replace("{{question_id}}", "{question_id}")
               .replace("{{file_id}}", "{file_id}")) for m, p, _, _ in API + PAGES} | UNGATED
    assert routes - listed == set(), "add these routes to the governance role table"
    assert listed - routes == set(), "these routes no longer exist"


def test_when_anonymous_report_then_key_follows_and_answers(
    api: Callable[[str], TestClient], ids: dict[str, str], app: Any
) -> None:
    opened = api("staff2").post("/api/v1/reports", json={
        "description": "A post naming a complainant", "urls": ["https://x.com/q"],
        "anonymous": True, "named": ["communications"]}).json()
    key = opened["report_key"]
    assert key and api("communications").get(f"/api/v1/cases/{opened['id']}").status_code == 404
    r = api("reviewer").post(f"/api/v1/cases/{opened['id']}/messages",
                             json={"kind": "question", "body": "Is it still up?"})
    assert r.status_code == 201
    with TestClient(app) as anon:
        assert anon.post("/api/v1/reports/follow", json={"key": "RK-WRONG-KEY"}).status_code == 404
        r = anon.post("/api/v1/reports/answer", json={"key": key, "body": "Yes"})
        assert r.status_code == 200
        assert [m["kind"] for m in r.json()["messages"]] == ["question", "answer"]
    case = api("reviewer").get(f"/api/v1/cases/{opened['id']}").json()
    assert case["reporter"] is None and case["status"] == "investigating"


def test_when_complaint_closed_without_outcome_then_422(
    api: Callable[[str], TestClient]
) -> None:
    opened = api("staff").post("/api/v1/complaints", json={
        "conduct": "harassment", "description": "Comments on my photo", "respondents": ["it"],
        "platform": "Facebook"}).json()
    cid = opened["id"]
    assert api("it").get("/api/v1/cases").json()["count"] == 0 or all(
        c["id"] != cid for c in api("it").get("/api/v1/cases").json()["data"])
    r = api("reviewer").post(f"/api/v1/cases/{cid}/close", json={"outcome": "Resolved"})
    assert r.status_code == 422 and "investigation outcome" in r.json()["detail"]
    r = api("reviewer").post(f"/api/v1/cases/{cid}/investigation",
                             json={"finding": "substantiated", "summary": "Confirmed"})
    assert r.json()["related_policy"] == "Valuing Staff Policy"
    assert api("reviewer").post(f"/api/v1/cases/{cid}/close",
                                json={"outcome": "Apology"}).json()["status"] == "closed"
