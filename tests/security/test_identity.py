"""Attacks on identity: filing checks as someone else, keeping a one-time password, sessions
and tokens that outlive what they were issued for, and sign-in limits turned against a user."""

from __future__ import annotations

import stat
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from commsguard.store.db import make_engine, migrate
from commsguard.web import accounts
from commsguard.web.security import create_token
from web.conftest import PASSWORD, Browserish, Installation, csrf_of, sign_in

POST = "Vote Labor on Saturday!"


def _token(inst: Installation, username: str, scopes: list[str]) -> str:
    with inst.session() as session:
        user = accounts.by_username(session, username)
        assert user is not None
        return create_token(session, user=user, scopes=scopes)[1]


def _filed(api: Callable[[str], TestClient], client: TestClient, author: str) -> dict[str, str]:
    """File a flagged check naming ``author`` on a fresh channel; the reviewer's view of it."""
    channel = "ch" + uuid.uuid4().hex[:8]
    r = client.post("/api/v1/check", json={"text": f"{POST} {channel}", "author": author,
                                           "capacity": "official", "channel": channel})
    assert r.status_code == 200, r.text
    [item, *_] = api("reviewer").get("/api/v1/findings", params={"channel": channel}).json()["data"]
    return {"author": item["author"], "submitted_by": item["submitted_by"], "channel": channel,
            "id": item["id"]}


def test_staff_token_naming_a_manager_as_author_files_the_check_as_the_caller(
    api: Callable[[str], TestClient],
) -> None:
    seen = _filed(api, api("staff"), author="manager")
    assert (seen["author"], seen["submitted_by"]) == ("staff", "staff")
    people = api("reviewer").get("/api/v1/findings", params={"channel": seen["channel"],
                                                             "person": "manager"}).json()
    assert people["count"] == 0


def test_on_behalf_token_files_for_the_author_and_reviewers_see_who_submitted(
    inst: Installation, api: Callable[[str], TestClient],
    browser_as: Callable[[str], Browserish],
) -> None:
    token = _token(inst, "communications", ["check", "check:on-behalf"])
    with TestClient(inst.app, headers={"Authorization": f"Bearer {token}"}) as tool:
        seen = _filed(api, tool, author="manager")
    assert (seen["author"], seen["submitted_by"]) == ("manager", "communications")
    detail = api("reviewer").get(f"/api/v1/findings/{seen['id']}").json()
    assert detail["submitted_by"] == "communications"
    page = browser_as("reviewer").get(f"/queue?channel={seen['channel']}")
    assert "filed by communications" in page.text


def test_staff_cannot_mint_a_token_that_files_on_behalf_of_others(
    api: Callable[[str], TestClient], browser_as: Callable[[str], Browserish],
) -> None:
    r = api("staff").post("/api/v1/tokens", json={"scopes": ["check", "check:on-behalf"]})
    assert r.status_code == 403
    page = browser_as("staff")
    assert "check:on-behalf" not in page.get("/tokens").text
    form = {"scopes": ["check", "check:on-behalf"], "name": "sneaky"}
    assert page.post("/tokens", data=form).status_code == 403
    assert api("admin").post("/api/v1/tokens",
                             json={"scopes": ["check", "check:on-behalf"]}).status_code == 201


def test_admin_scope_alone_does_not_file_on_behalf(
    inst: Installation, api: Callable[[str], TestClient],
) -> None:
    token = _token(inst, "admin", ["check", "admin"])
    with TestClient(inst.app, headers={"Authorization": f"Bearer {token}"}) as tool:
        seen = _filed(api, tool, author="manager")
    assert seen["author"] == "admin"


# --- the one-time password --------------------------------------------------------------------


def _first_sign_in(inst: Installation, client: TestClient) -> str:
    """A new administrator with a one-time password, signed in; returns that password."""
    name = "first" + uuid.uuid4().hex[:6]
    with inst.session() as s:
        one_time = accounts.generate_password()
        accounts.create_user(s, passwords=inst.app.state.service.passwords, username=name,
                             role="admin", password=one_time, must_change_password=True)
    page = client.get("/login")
    r = client.post("/login", data={"username": name, "password": one_time,
                                    "csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert r.headers["location"] == "/account/password"
    return one_time


def test_forced_change_that_keeps_the_one_time_password_is_refused(inst: Installation) -> None:
    with TestClient(inst.app) as c:
        one_time = _first_sign_in(inst, c)
        csrf = csrf_of(c.get("/account/password").text)
        r = c.post("/account/password", data={"current": one_time, "new": one_time,
                                              "repeat": one_time, "csrf_token": csrf},
                   follow_redirects=False)
        assert r.status_code == 422 and "must differ from the current one" in r.text
        # still forced to change it
        assert c.get("/admin/users", follow_redirects=False).headers["location"] == \
            "/account/password"


# --- what outlives a password change or a deactivation -------------------------------------


def _new_user(inst: Installation, role: str = "staff") -> str:
    name = "u" + uuid.uuid4().hex[:8]
    with inst.session() as s:
        accounts.create_user(s, passwords=inst.app.state.service.passwords, username=name,
                             role=role, password=PASSWORD)
    return name


def test_stolen_session_does_not_survive_a_password_change(inst: Installation) -> None:
    name = _new_user(inst)
    with TestClient(inst.app) as mine, TestClient(inst.app) as stolen:
        sign_in(mine, name)
        sign_in(stolen, name)
        assert stolen.get("/checks", follow_redirects=False).status_code == 200
        csrf = csrf_of(mine.get("/account/password").text)
        r = mine.post("/account/password", data={
            "current": PASSWORD, "new": "another long password", "repeat":
            "another long password", "csrf_token": csrf}, follow_redirects=False)
        assert r.status_code == 303
        assert mine.get("/checks", follow_redirects=False).status_code == 200
        r = stolen.get("/checks", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_reactivating_a_user_does_not_revive_their_old_token(inst: Installation) -> None:
    name = _new_user(inst)
    token = _token(inst, name, ["check", "read"])
    with TestClient(inst.app, headers={"Authorization": f"Bearer {token}"}) as tool:
        assert tool.get("/api/v1/checks").status_code == 200
        for active in (False, True):
            with inst.session() as s:
                user = accounts.by_username(s, name)
                assert user is not None
                accounts.update_user(s, user=user, actor="admin", active=active)
        assert tool.get("/api/v1/checks").status_code == 401


def test_sqlite_database_is_created_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# --- weak passwords -----------------------------------------------------------------------


@pytest.mark.parametrize(("username", "password", "reason"), [
    ("kim", "password123456", "commonly used"),
    ("kim", "qwertyuiop123", "commonly used"),
    ("kim", "iloveyou2024!", "commonly used"),
    ("kimberley.ng", "kimberley.ng2026", "your username"),
    ("kimberley.ng", "Kimberley.Ng!!", "your username"),
    ("kim", "commsguard2026!", "the product's name"),
    ("kim", "Commsguard-Admin", "the product's name"),
    ("kim", "VictorianOmbudsman1", "the office's name"),
    ("kim", "ombudsman2026!!", "the office's name"),
])
def test_admin_creating_a_user_with_a_common_or_derived_password_is_refused_naming_why(
    api: Callable[[str], TestClient], username: str, password: str, reason: str,
) -> None:
    name = f"{username}{uuid.uuid4().hex[:4]}" if reason != "your username" else username
    r = api("admin").post("/api/v1/users", json={"username": name, "role": "staff",
                                                  "password": password})
    assert r.status_code == 422, r.text
    assert reason in r.json()["detail"]


def test_password_change_to_a_derived_password_is_refused_naming_why(inst: Installation) -> None:
    name = _new_user(inst)
    with TestClient(inst.app) as c:
        sign_in(c, name)
        csrf = csrf_of(c.get("/account/password").text)
        weak = f"{name}{name}!"
        r = c.post("/account/password", data={"current": PASSWORD, "new": weak, "repeat": weak,
                                              "csrf_token": csrf}, follow_redirects=False)
        assert r.status_code == 422 and "your username" in r.text


def test_a_strong_password_is_still_accepted(api: Callable[[str], TestClient]) -> None:
    r = api("admin").post("/api/v1/users", json={
        "username": "u" + uuid.uuid4().hex[:8], "role": "staff",
        "password": "lantern quietly orbits marmalade"})
    assert r.status_code == 201, r.text


# --- sign-in limits turned against a user ------------------------------------------------


class Clock:
    """The service's clock, moved by hand: no test here waits or reads the wall clock."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(inst: Installation, monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(inst.app.state.service, "clock", c)
    return c


def _attempt(inst: Installation, address: str, username: str, password: str) -> int:
    with TestClient(inst.app, client=(address, 40000)) as c:
        page = c.get("/login")
        return c.post("/login", data={"username": username, "password": password,
                                      "csrf_token": csrf_of(page.text)},
                      follow_redirects=False).status_code


def _address() -> str:
    return "10.7." + ".".join(str(b) for b in uuid.uuid4().bytes[:2])


def test_guessing_an_admins_password_does_not_lock_the_admin_out_from_elsewhere(
    inst: Installation, clock: Clock,
) -> None:
    admin = _new_user(inst, role="admin")
    attacker, office = _address(), _address()
    answers = [_attempt(inst, attacker, admin, "not the password at all") for _ in range(30)]
    assert answers[:5] == [401] * 5 and 429 in answers
    assert _attempt(inst, office, admin, PASSWORD) == 303


def test_failed_sign_ins_from_one_address_grow_the_wait_before_the_next_is_checked(
    inst: Installation, clock: Clock,
) -> None:
    name, address = _new_user(inst), _address()
    wrong = "not the password at all"
    assert [_attempt(inst, address, name, wrong) for _ in range(5)] == [401] * 5
    for wait in (1, 2, 4, 8):
        # Before the wait is over, not even the right password is checked.
        assert _attempt(inst, address, name, PASSWORD) == 429
        clock.advance(wait - 0.5)
        assert _attempt(inst, address, name, PASSWORD) == 429
        clock.advance(0.5)
        assert _attempt(inst, address, name, wrong) == 401
    clock.advance(16)
    assert _attempt(inst, address, name, PASSWORD) == 303
    # A success from that address starts its count again.
    assert _attempt(inst, address, name, wrong) == 401
    assert _attempt(inst, address, name, PASSWORD) == 303


def test_failures_on_other_accounts_do_not_lock_a_shared_address(
    inst: Installation, clock: Clock,
) -> None:
    """An office behind one NAT address: twenty-five failures on other names from it (the old
    address-wide lock was twenty) do not stop a colleague signing in from the same address."""
    name, office = _new_user(inst), _address()
    for i in range(25):
        assert _attempt(inst, office, f"nobody{i}", "not the password at all") == 401
    assert _attempt(inst, office, name, PASSWORD) == 303
