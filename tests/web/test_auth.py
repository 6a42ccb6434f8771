"""Signing in, sessions, CSRF, rate limiting, tokens and the security headers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from commsguard.web import accounts
from commsguard.web.security import SESSION_COOKIE

from .conftest import PASSWORD, Installation, csrf_of, sign_in


def test_when_signed_out_then_pages_redirect_to_sign_in_and_api_says_401(app: FastAPI) -> None:
    with TestClient(app) as c:
        r = c.get("/queue", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login?next=/queue"
        r = c.get("/api/v1/findings")
        assert r.status_code == 401 and r.json()["detail"]
        assert r.headers["www-authenticate"] == "Bearer"


def test_when_signing_in_then_cookie_is_httponly_samesite_and_audited(
    app: FastAPI, inst: Installation
) -> None:
    with TestClient(app) as c:
        page = c.get("/login")
        r = c.post("/login", data={"username": "staff", "password": PASSWORD,
                                   "csrf_token": csrf_of(page.text)}, follow_redirects=False)
        cookie = r.headers["set-cookie"]
        assert SESSION_COOKIE in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert c.get("/check").status_code == 200
        assert c.get("/api/v1/audit").status_code == 403  # staff


def test_when_password_is_wrong_then_401_page_and_no_session(app: FastAPI) -> None:
    with TestClient(app) as c:
        page = c.get("/login")
        r = c.post("/login", data={"username": "manager", "password": "wrong password!",
                                   "csrf_token": csrf_of(page.text)})
        assert r.status_code == 401 and "do not match" in r.text
        assert SESSION_COOKIE not in c.cookies


def test_when_login_form_lacks_csrf_then_refused(app: FastAPI) -> None:
    with TestClient(app) as c:
        c.get("/login")
        r = c.post("/login", data={"username": "staff", "password": PASSWORD,
                                   "csrf_token": "forged"})
        assert r.status_code == 403 and SESSION_COOKIE not in c.cookies


def test_when_too_many_failures_then_429_from_that_address_even_with_the_right_password(
    app: FastAPI, inst: Installation, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = datetime(2026, 1, 5, 9, tzinfo=UTC)
    monkeypatch.setattr(app.state.service, "clock", lambda: now)  # no time passes
    with inst.session() as s:
        accounts.create_user(s, passwords=app.state.service.passwords, username="victim",
                             role="staff", password=PASSWORD)
    with TestClient(app) as c:
        for _ in range(inst.options.login_max_failures):
            page = c.get("/login")
            c.post("/login", data={"username": "victim", "password": "nope nope nope",
                                   "csrf_token": csrf_of(page.text)})
        page = c.get("/login")
        r = c.post("/login", data={"username": "victim", "password": PASSWORD,
                                   "csrf_token": csrf_of(page.text)})
        assert r.status_code == 429 and "Too many failed attempts" in r.text


def test_when_a_form_post_has_no_csrf_token_then_403(app: FastAPI) -> None:
    with TestClient(app) as c:
        sign_in(c, "staff")
        r = c.post("/check", data={"text": "hello"})
        assert r.status_code == 403 and "CSRF" in r.text
        r = c.post("/api/v1/check", json={"text": "hello"})
        assert r.status_code == 403


def test_when_signed_out_then_the_old_cookie_no_longer_works(app: FastAPI) -> None:
    with TestClient(app) as c:
        sign_in(c, "staff")
        cookie = c.cookies[SESSION_COOKIE]
        csrf = csrf_of(c.get("/check").text)
        assert c.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code \
            == 303
    with TestClient(app, cookies={SESSION_COOKIE: cookie}) as c:
        assert c.get("/check", follow_redirects=False).status_code == 303


def test_when_cookie_is_forged_then_ignored(app: FastAPI) -> None:
    with TestClient(app, cookies={SESSION_COOKIE: "abc.def.ghi"}) as c:
        assert c.get("/check", follow_redirects=False).status_code == 303


def test_when_token_is_revoked_then_401(app: FastAPI, inst: Installation) -> None:
    with TestClient(app) as c:
        sign_in(c, "communications")
        csrf = csrf_of(c.get("/tokens").text)
        r = c.post("/api/v1/tokens", json={"name": "tool", "scopes": ["check"]},
                   headers={"X-CSRF-Token": csrf})
        assert r.status_code == 201
        token, token_id = r.json()["token"], r.json()["id"]
        with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as tool:
            assert tool.post("/api/v1/check", json={"text": "hi"}).status_code == 200
            # check scope only: reading the queue or minting tokens is refused
            assert tool.get("/api/v1/checks").status_code == 403
            assert tool.post("/api/v1/tokens", json={}).status_code == 403
            r = c.delete(f"/api/v1/tokens/{token_id}", headers={"X-CSRF-Token": csrf})
            assert r.status_code == 200 and r.json()["revoked_at"]
            assert tool.post("/api/v1/check", json={"text": "hi"}).status_code == 401


def test_when_token_is_unknown_or_malformed_then_401(app: FastAPI) -> None:
    for header in ("Bearer cg_nope", "Basic abc", "Bearer "):
        with TestClient(app, headers={"Authorization": header}) as c:
            assert c.post("/api/v1/check", json={"text": "x"}).status_code == 401


def test_when_tokens_are_stored_then_only_their_hash_is(inst: Installation,
                                                         tokens: dict[str, str]) -> None:
    from sqlalchemy import select

    from commsguard.store.tables import ApiToken

    with inst.session() as s:
        stored = {t.token_hash for t in s.scalars(select(ApiToken))}
    assert not set(tokens.values()) & stored


def test_when_first_admin_is_created_then_password_must_be_changed(
    tmp_path_factory: object, app: FastAPI, inst: Installation
) -> None:
    with inst.session() as s:
        u = accounts.create_user(s, passwords=app.state.service.passwords, username="fresh",
                                 role="admin", password=PASSWORD, must_change_password=True)
        assert u.must_change_password
    with TestClient(app) as c:
        page = c.get("/login")
        r = c.post("/login", data={"username": "fresh", "password": PASSWORD,
                                   "csrf_token": csrf_of(page.text)}, follow_redirects=False)
        assert r.headers["location"] == "/account/password"
        assert c.get("/admin/users", follow_redirects=False).headers["location"] == \
            "/account/password"
        csrf = csrf_of(c.get("/account/password").text)
        r = c.post("/account/password", data={"current": PASSWORD, "new": "a new password 1",
                                              "repeat": "a new password 1", "csrf_token": csrf},
                   follow_redirects=False)
        assert r.status_code == 303
        assert c.get("/admin/users").status_code == 200


def test_security_headers_are_sent(app: FastAPI) -> None:
    with TestClient(app) as c:
        r = c.get("/login")
        assert "default-src 'self'" in r.headers["content-security-policy"]
        assert r.headers["x-frame-options"] == "DENY"


def test_errors_are_json_under_api_and_a_page_elsewhere(app: FastAPI) -> None:
    with TestClient(app) as c:
        sign_in(c, "staff")
        r = c.get("/api/v1/nothing-here")
        assert r.status_code == 404 and r.headers["content-type"].startswith("application/json")
        r = c.get("/nothing-here")
        assert r.status_code == 404 and "<h1>Not found</h1>" in r.text
