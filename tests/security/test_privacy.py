"""Attacks on pseudonymised review (``COMMSGUARD_PSEUDONYMISE=true``): reading the real author
from a view that forgot the pseudonym, mapping a real name to its pseudonym through a filter,
and revealing a name with a reason that says nothing."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from commsguard.web import accounts
from commsguard.web.security import create_token
from commsguard.workflows import audit
from web.conftest import PASSWORD, Browserish, Installation, build_installation, sign_in

POST = "Vote Labor on Saturday!"
AUTHOR = "zedauthor"
REASON = "preparing the breach interview with HR"


@pytest.fixture(scope="module")
def private(tmp_path_factory: pytest.TempPathFactory) -> Installation:
    inst = build_installation(Path(tmp_path_factory.mktemp("private")), pseudonymise=True)
    with inst.session() as s:
        accounts.create_user(s, passwords=inst.app.state.service.passwords, username=AUTHOR,
                             role="staff", password=PASSWORD)
    return inst


@pytest.fixture
def clients(private: Installation) -> Iterator[tuple[TestClient, TestClient]]:
    with private.session() as s:
        toks = {}
        for name, scopes in ((AUTHOR, ["check", "read"]), ("reviewer", ["read", "review"])):
            user = accounts.by_username(s, name)
            assert user is not None
            toks[name] = create_token(s, user=user, scopes=scopes)[1]
    with (TestClient(private.app, headers={"Authorization": f"Bearer {toks[AUTHOR]}"}) as a,
          TestClient(private.app, headers={"Authorization": f"Bearer {toks['reviewer']}"}) as r):
        yield a, r


def _flagged(author: TestClient, reviewer: TestClient) -> dict[str, object]:
    """A finding on a fresh check by AUTHOR, with feedback from them, as the reviewer sees it."""
    channel = "ch" + uuid.uuid4().hex[:8]
    assert author.post("/api/v1/check", json={"text": f"{POST} {channel}", "channel": channel,
                                              "capacity": "official"}).status_code == 200
    [item, *_] = reviewer.get("/api/v1/findings", params={"channel": channel}).json()["data"]
    fb = author.post(f"/api/v1/findings/{item['id']}/feedback",
                     json={"justification": "this is my private account"})
    assert fb.status_code == 200
    return item


def test_check_view_over_the_api_does_not_show_the_real_author(
    clients: tuple[TestClient, TestClient],
) -> None:
    author, reviewer = clients
    item = _flagged(author, reviewer)
    r = reviewer.get(f"/api/v1/checks/{item['message_id']}")
    assert r.status_code == 200
    assert AUTHOR not in r.text
    assert r.json()["author"] == item["author"]


def test_check_page_does_not_show_the_real_author(
    private: Installation, clients: tuple[TestClient, TestClient],
) -> None:
    author, reviewer = clients
    item = _flagged(author, reviewer)
    with TestClient(private.app) as browser:
        sign_in(browser, "reviewer")
        page = browser.get(f"/checks/{item['message_id']}")
        assert page.status_code == 200 and AUTHOR not in page.text
        finding = browser.get(f"/queue/{item['id']}")
        assert finding.status_code == 200 and AUTHOR not in finding.text


def test_finding_history_does_not_show_the_real_author(
    clients: tuple[TestClient, TestClient],
) -> None:
    author, reviewer = clients
    item = _flagged(author, reviewer)
    r = reviewer.get(f"/api/v1/findings/{item['id']}")
    assert [a["action"] for a in r.json()["history"]] == ["feedback"]
    assert AUTHOR not in r.text


def test_filtering_by_a_real_name_does_not_map_it_to_its_pseudonym(
    private: Installation, clients: tuple[TestClient, TestClient],
) -> None:
    author, reviewer = clients
    item = _flagged(author, reviewer)
    by_real = reviewer.get("/api/v1/findings", params={"person": AUTHOR}).json()
    assert by_real["count"] == 0 and by_real["data"] == []
    by_pseudonym = reviewer.get("/api/v1/findings", params={"person": item["author"]}).json()
    assert by_pseudonym["count"] >= 1
    with TestClient(private.app) as browser:
        sign_in(browser, "reviewer")
        page = browser.get("/queue", params={"person": AUTHOR, "status": ""})
        assert page.status_code == 200 and 'id="row-' not in page.text  # no finding listed


@pytest.mark.parametrize("reason", [
    "x", "\u200b", "\u200b" * 40, "x" + "\u200b" * 30, " " * 30,
    "a\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301"
    "\u0301\u0301\u0301\u0301\u0301\u0301", "\u2063" * 25 + "ok",
])
def test_reveal_with_a_reason_that_says_nothing_is_refused(
    clients: tuple[TestClient, TestClient], reason: str,
) -> None:
    author, reviewer = clients
    item = _flagged(author, reviewer)
    r = reviewer.post(f"/api/v1/findings/{item['id']}/reveal", json={"reason": reason})
    assert r.status_code == 422
    assert AUTHOR not in reviewer.get(f"/api/v1/findings/{item['id']}").text


def test_reveal_with_a_real_reason_shows_the_name_and_is_audited(
    private: Installation, clients: tuple[TestClient, TestClient],
) -> None:
    author, reviewer = clients
    item = _flagged(author, reviewer)
    r = reviewer.post(f"/api/v1/findings/{item['id']}/reveal", json={"reason": REASON})
    assert r.status_code == 200 and r.json()["author"] == AUTHOR
    assert reviewer.get(f"/api/v1/checks/{item['message_id']}").json()["author"] == AUTHOR
    with private.session() as s:
        [entry, *_] = audit.recent(s, action="finding.reveal")
        assert entry.actor == "reviewer" and entry.target == f"finding:{item['id']}"


# --- confidential-register values in message text ------------------------------------------


def _register(api: Callable[[str], TestClient], name: str) -> None:
    r = api("admin").post("/api/v1/registers/confidential",
                          json={"rows": [{"kind": "complainant", "value": name}]})
    assert r.status_code == 200, r.text


def _complainant() -> tuple[str, str]:
    """A complainant's name no other test uses: (given name, surname)."""
    tag = "".join(chr(ord("a") + int(c, 16) % 26) for c in uuid.uuid4().hex[:6])
    return "Zephyrine", "Quill" + tag


def _checked(api: Callable[[str], TestClient], text: str) -> dict[str, object]:
    channel = "ch" + uuid.uuid4().hex[:8]
    r = api("staff").post("/api/v1/check", json={"text": text, "channel": channel,
                                                 "capacity": "official"})
    assert r.status_code == 200, r.text
    [item, *_] = api("reviewer").get("/api/v1/findings", params={"channel": channel}).json()["data"]
    return {**item, "channel": channel}


def _views(api: Callable[[str], TestClient], browser_as: Callable[[str], Browserish],
           item: dict[str, object]) -> dict[str, str]:
    reviewer, staff = api("reviewer"), api("staff")
    page = browser_as("reviewer")
    mine = browser_as("staff")
    return {
        "api finding": reviewer.get(f"/api/v1/findings/{item['id']}").text,
        "api queue": reviewer.get("/api/v1/findings",
                                  params={"channel": item["channel"]}).text,
        "api check (reviewer)": reviewer.get(f"/api/v1/checks/{item['message_id']}").text,
        "api checks (author)": staff.get("/api/v1/checks").text,
        "api check (author)": staff.get(f"/api/v1/checks/{item['message_id']}").text,
        "queue page": page.get(f"/queue?channel={item['channel']}&group=1").text,
        "finding page": page.get(f"/queue/{item['id']}").text,
        "check page (reviewer)": page.get(f"/checks/{item['message_id']}").text,
        "checks page (author)": mine.get("/checks").text,
        "check page (author)": mine.get(f"/checks/{item['message_id']}").text,
    }


def test_complainants_name_is_masked_in_every_view_of_the_message_text(
    api: Callable[[str], TestClient], browser_as: Callable[[str], Browserish],
) -> None:
    given, surname = _complainant()
    _register(api, f"{given} {surname}")
    item = _checked(api, f"{given} {surname} complained to us again. Vote Labor on Saturday!")
    views = _views(api, browser_as, item)
    for where, body in views.items():
        assert surname not in body, f"the complainant's name is plain in the {where}"
    detail = api("reviewer").get(f"/api/v1/findings/{item['id']}").json()
    assert detail["text_masked"] is True
    assert detail["text"].startswith("••••••••• ••••")
    assert detail["text"].endswith("complained to us again. Vote Labor on Saturday!")


def test_a_name_added_to_the_register_after_the_check_is_masked_too(
    api: Callable[[str], TestClient], browser_as: Callable[[str], Browserish],
) -> None:
    given, surname = _complainant()
    item = _checked(api, f"Vote Labor on Saturday! says {given} {surname}")
    assert surname in api("reviewer").get(f"/api/v1/findings/{item['id']}").text
    _register(api, f"{given} {surname}")
    for where, body in _views(api, browser_as, item).items():
        assert surname not in body, f"the complainant's name is plain in the {where}"


def test_reveal_with_a_reason_shows_the_register_value_to_that_reviewer_and_is_audited(
    inst: Installation, api: Callable[[str], TestClient],
) -> None:
    given, surname = _complainant()
    _register(api, f"{given} {surname}")
    item = _checked(api, f"{given} {surname} complained to us again. Vote Labor on Saturday!")
    reviewer = api("reviewer")
    assert reviewer.post(f"/api/v1/findings/{item['id']}/reveal",
                         json={"reason": "nope"}).status_code == 422
    assert surname not in reviewer.get(f"/api/v1/findings/{item['id']}").text
    r = reviewer.post(f"/api/v1/findings/{item['id']}/reveal", json={"reason": REASON})
    assert r.status_code == 200
    detail = reviewer.get(f"/api/v1/findings/{item['id']}").json()
    assert f"{given} {surname}" in detail["text"] and detail["text_masked"] is False
    # the author's own view of the check stays masked: the reveal was the reviewer's
    assert surname not in api("staff").get(f"/api/v1/checks/{item['message_id']}").text
    with inst.session() as s:
        [entry, *_] = audit.recent(s, action="finding.reveal")
        assert entry.actor == "reviewer" and entry.target == f"finding:{item['id']}"
        assert entry.detail["reason"] == REASON
