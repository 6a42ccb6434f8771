"""The review queue over the API: filters, groups, decisions, suppression, pseudonyms."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ..conftest import Installation, build_installation

POST = "Vote Labor on Saturday!"


def _submit(c: TestClient, text: str, channel: str = "x") -> list[int]:
    r = c.post("/api/v1/check", json={"text": text, "capacity": "official", "channel": channel})
    assert r.status_code == 200
    mine = next(x for x in c.get("/api/v1/checks").json()["data"] if x["text"] == text)
    return [f["id"] for f in mine["findings"]]


def test_queue_filters_by_channel_person_clause_and_severity(
    api: Callable[[str], TestClient]
) -> None:
    channel = "ch" + uuid.uuid4().hex[:6]
    ids = _submit(api("staff2"), POST + " " + channel, channel=channel)
    rev = api("reviewer")
    got = rev.get("/api/v1/findings", params={"channel": channel}).json()
    assert {f["id"] for f in got["data"]} == set(ids) and got["count"] == len(ids)
    got = rev.get("/api/v1/findings", params={"channel": channel, "person": "staff"}).json()
    assert got["count"] == 0
    got = rev.get("/api/v1/findings", params={"channel": channel, "clause": "apolitical",
                                              "severity": "block"}).json()
    assert got["count"] >= 1 and all(f["clause"] == "apolitical" for f in got["data"])


def test_near_duplicates_are_grouped(api: Callable[[str], TestClient]) -> None:
    channel = "dup" + uuid.uuid4().hex[:6]
    for n in range(3):
        _submit(api("staff2"), f"Vote Labor on Saturday! take {n}", channel=channel)
    got = api("reviewer").get("/api/v1/findings", params={"channel": channel}).json()
    sizes = sorted(len(g["ids"]) for g in got["groups"])
    assert sizes[-1] == 3


def test_dismiss_with_suppression_stops_the_pattern_for_that_person_only(
    api: Callable[[str], TestClient]
) -> None:
    text = "Vote Greens in the election, seriously"
    first = _submit(api("staff"), text + " 1")
    rev = api("reviewer")
    f = rev.get(f"/api/v1/findings/{first[0]}").json()
    r = rev.post(f"/api/v1/findings/{first[0]}/actions",
                 json={"action": "dismiss", "reason": "satire account", "suppress": "person"})
    assert r.status_code == 200 and r.json()["status"] == "dismissed"
    again = api("staff").post("/api/v1/check", json={"text": text + " 2", "capacity": "official",
                                                     "channel": "x"}).json()
    assert f["rule"] not in [x["rule"] for x in again["findings"]]
    other = api("staff2").post("/api/v1/check", json={"text": text + " 2",
                                                      "capacity": "official"}).json()
    assert f["rule"] in [x["rule"] for x in other["findings"]]


def test_dismiss_escalate_breach_need_their_reasons(api: Callable[[str], TestClient]) -> None:
    fid = _submit(api("staff"), POST + " reasons " + uuid.uuid4().hex)[0]
    rev = api("reviewer")
    for body in ({"action": "dismiss"}, {"action": "escalate"}, {"action": "breach"},
                 {"action": "note"}):
        assert rev.post(f"/api/v1/findings/{fid}/actions", json=body).status_code == 422
    r = rev.post(f"/api/v1/findings/{fid}/actions",
                 json={"action": "breach", "outcome": "post removed; counselled"})
    assert r.json()["status"] == "breach"
    hist = rev.get(f"/api/v1/findings/{fid}").json()["history"]
    assert hist[-1]["outcome"] == "post removed; counselled"


def test_bulk_assign_and_tag(api: Callable[[str], TestClient]) -> None:
    ids = _submit(api("staff"), POST + " bulk " + uuid.uuid4().hex)
    rev = api("reviewer")
    r = rev.post("/api/v1/findings/bulk", json={"ids": [*ids, 10**9], "action": "assign",
                                                "assignee": "coo"})
    assert r.json() == {"done": ids, "missing": [10**9]}
    r = rev.post("/api/v1/findings/bulk", json={"ids": ids, "action": "tag", "tags": ["urgent"]})
    got = rev.get("/api/v1/findings", params={"assignee": "coo", "tag": "urgent"}).json()
    assert set(ids) <= {f["id"] for f in got["data"]}


def test_viewing_a_finding_is_audited(api: Callable[[str], TestClient]) -> None:
    fid = _submit(api("staff"), POST + " audited " + uuid.uuid4().hex)[0]
    api("reviewer").get(f"/api/v1/findings/{fid}")
    entries = api("admin").get("/api/v1/audit", params={"action": "finding.view"}).json()["data"]
    assert any(e["target"] == f"finding:{fid}" and e["actor"] == "reviewer" for e in entries)
    assert api("admin").get("/api/v1/audit/verify").json()["ok"] is True


@pytest.fixture(scope="module")
def private(tmp_path_factory: pytest.TempPathFactory) -> Installation:
    return build_installation(Path(tmp_path_factory.mktemp("pseudo")), pseudonymise=True)


def test_pseudonyms_until_a_reason_to_reveal_is_recorded(private: Installation) -> None:
    from commsguard.web import accounts
    from commsguard.web.security import create_token

    with private.session() as s:
        toks = {}
        for name in ("staff", "reviewer"):
            user = accounts.by_username(s, name)
            assert user is not None
            toks[name] = create_token(s, user=user, scopes=["check", "read", "review"])[1]
    staff = TestClient(private.app, headers={"Authorization": f"Bearer {toks['staff']}"})
    rev = TestClient(private.app, headers={"Authorization": f"Bearer {toks['reviewer']}"})
    staff.post("/api/v1/check", json={"text": POST, "capacity": "official"})
    item = rev.get("/api/v1/findings").json()["data"][0]
    assert item["author_pseudonymised"] and item["author"].startswith("Person ")
    assert "staff" not in item["author"]
    # the pseudonym works as a filter
    assert rev.get("/api/v1/findings", params={"person": item["author"]}).json()["count"] >= 1
    assert rev.post(f"/api/v1/findings/{item['id']}/reveal", json={"reason": ""}).status_code \
        == 422
    r = rev.post(f"/api/v1/findings/{item['id']}/reveal",
                 json={"reason": "preparing the breach interview"})
    assert r.json()["author"] == "staff" and not r.json()["author_pseudonymised"]
    with private.session() as s:
        from commsguard.workflows import audit

        assert [e.action for e in audit.recent(s, action="finding.reveal")]
