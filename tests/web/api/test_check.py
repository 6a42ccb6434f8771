"""``POST /api/v1/check`` returns the CLI's JSON; the check page previews and records."""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ..conftest import Browserish

POST = "Vote Labor on Saturday! The complainant who rang today was furious"


def test_when_one_message_is_checked_then_the_cli_json_comes_back(
    api: Callable[[str], TestClient], app: FastAPI
) -> None:
    body = {"id": "post-1", "text": POST, "capacity": "official"}
    r = api("staff").post("/api/v1/check", json=body, params={"record": "false"})
    assert r.status_code == 200
    engine = app.state.service.engine
    from commsguard.message_input import MessageIn

    expected = engine.check(MessageIn.model_validate({**body, "author": "staff"})
                            .to_message("x")).to_dict()
    assert r.json() == json.loads(json.dumps(expected))
    assert r.json()["decision"] == "block"


def test_when_the_cli_checks_the_same_text_then_same_findings(
    api: Callable[[str], TestClient]
) -> None:
    from commsguard.cli.app import app as cli

    out = CliRunner().invoke(cli, ["check", POST, "--capacity", "official", "--format", "json"])
    assert out.exit_code == 0, out.output
    cli_json = json.loads(out.stdout.strip().splitlines()[-1])
    r = api("staff").post("/api/v1/check", json={"text": POST, "capacity": "official",
                                                 "id": "cli"}, params={"record": "false"})
    assert r.json()["findings"] == cli_json["findings"]


def test_when_a_batch_is_checked_then_results_in_order(api: Callable[[str], TestClient]) -> None:
    r = api("staff").post("/api/v1/check", json={"messages": [
        {"id": 1, "text": "Lovely weather for the footy"},
        {"id": "two", "text": POST, "capacity": "official"},
    ]})
    assert r.status_code == 200
    results = r.json()["results"]
    assert [x["id"] for x in results] == ["1", "two"]
    assert results[0]["decision"] == "ok" and results[1]["findings"]


def test_when_the_body_is_invalid_then_422_json(api: Callable[[str], TestClient]) -> None:
    c = api("staff")
    assert c.post("/api/v1/check", json={"capacity": "official"}).status_code == 422
    assert c.post("/api/v1/check", json={"text": "x", "capacity": "secret"}).status_code == 422
    assert c.post("/api/v1/check", json={"messages": []}).status_code == 422
    r = c.post("/api/v1/check", content=b"not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and "detail" in r.json()


def test_when_recorded_then_it_is_in_my_checks_once(api: Callable[[str], TestClient]) -> None:
    c = api("staff2")
    text = POST + " — recorded once"
    for _ in range(2):
        assert c.post("/api/v1/check", json={"text": text, "capacity": "official"}).status_code \
            == 200
    mine = [x for x in c.get("/api/v1/checks").json()["data"] if x["text"] == text]
    assert len(mine) == 1 and mine[0]["findings"] and mine[0]["author"] == "staff2"


def test_preview_highlights_and_does_not_store(
    browser_as: Callable[[str], Browserish], api: Callable[[str], TestClient]
) -> None:
    b = browser_as("manager")
    text = POST + " (preview only)"
    r = b.post("/check/preview", data={"text": text, "capacity": "official"},
               headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert '<mark class="sev-block"' in r.text and "Remaining Apolitical" in r.text
    assert all(x["text"] != text for x in api("manager").get("/api/v1/checks").json()["data"])


def test_record_then_feedback_reaches_the_queue(
    browser_as: Callable[[str], Browserish], api: Callable[[str], TestClient]
) -> None:
    b = browser_as("staff")
    text = POST + " (feedback)"
    r = b.post("/check", data={"text": text, "capacity": "official"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/checks/")
    page = b.get(r.headers["location"])
    assert "This is wrong" in page.text
    check = next(x for x in api("staff").get("/api/v1/checks").json()["data"]
                 if x["text"] == text)
    fid = check["findings"][0]["id"]
    r = b.post(f"/findings/{fid}/feedback", data={"justification": "I was quoting the news"},
               headers={"HX-Request": "true"})
    assert r.status_code == 200 and "reviewer will look" in r.text
    queue = api("reviewer").get("/api/v1/findings", params={"tag": "feedback"}).json()
    assert fid in [f["id"] for f in queue["data"]]
    detail = api("reviewer").get(f"/api/v1/findings/{fid}").json()
    assert detail["history"][-1]["reason"] == "I was quoting the news"


def test_why_link_shows_the_clause_in_its_own_words(
    browser_as: Callable[[str], Browserish]
) -> None:
    r = browser_as("staff").get("/clauses/apolitical", headers={"HX-Request": "true"})
    assert "strict impartiality with respect to party politics" in r.text


def test_a_register_change_is_audited_and_takes_effect_at_once(
    api: Callable[[str], TestClient]
) -> None:
    text = "Guess who rang again today. Wilhelmina Fotheringay-Smythe, third time this week"
    before = api("staff").post("/api/v1/check", json={"text": text},
                               params={"record": "false"}).json()
    assert "privacy-confidentiality.register-match" not in [f["rule"] for f in before["findings"]]
    r = api("admin").post("/api/v1/registers/confidential", json={"rows": [
        {"kind": "complainant", "value": "Wilhelmina Fotheringay-Smythe"}]})
    assert r.json() == {"added": 1, "unchanged": 0}
    after = api("staff").post("/api/v1/check", json={"text": text},
                              params={"record": "false"}).json()
    assert "privacy-confidentiality.register-match" in [f["rule"] for f in after["findings"]]
    entry = api("admin").get("/api/v1/audit", params={"action": "register."}).json()["data"][0]
    assert entry["actor"] == "admin" and entry["detail"]["added"] == 1
    assert "Wilhelmina" not in str(entry)
