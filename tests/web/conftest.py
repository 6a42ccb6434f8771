"""Fixtures for the service: one initialised installation and app per session, users in every
role, signed-in TestClients and API tokens.

The installation (migrations, pack, engine) takes seconds to build, so it is built once; tests
keep apart by using their own text and users. Argon2 runs at a low cost here only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from commsguard.config import Settings
from commsguard.store.db import get_engine, session_scope
from commsguard.store.tables import ROLES
from commsguard.web import accounts
from commsguard.web.app import create_app
from commsguard.web.config import ServiceSettings
from commsguard.web.security import create_token
from commsguard.workflows.installation import init_installation

PASSWORD = "correct horse battery"
FAST_ARGON = {"argon2_time_cost": 1, "argon2_memory_kib": 1024}


@dataclass
class Installation:
    settings: Settings
    options: ServiceSettings
    app: FastAPI
    root: Path

    def session(self):  # type: ignore[no-untyped-def]
        return session_scope(get_engine(self.settings.database_url))


def build_installation(root: Path, url: str | None = None, **options: object) -> Installation:
    settings = Settings(
        database_url=url or f"sqlite:///{root / 'commsguard.db'}",
        secret_file=root / "commsguard.secret",
    )
    init_installation(settings)
    service_options = ServiceSettings(**{**FAST_ARGON, **options})  # type: ignore[arg-type]
    app = create_app(settings, service_settings=service_options)
    inst = Installation(settings, service_options, app, root)
    with inst.session() as session:
        for role in ROLES:
            if accounts.by_username(session, role) is None:
                accounts.create_user(session, passwords=app.state.service.passwords,
                                     username=role, role=role, password=PASSWORD,
                                     display_name=f"The {role}")
        if accounts.by_username(session, "staff2") is None:
            accounts.create_user(session, passwords=app.state.service.passwords,
                                 username="staff2", role="staff", password=PASSWORD)
    return inst


@pytest.fixture(scope="session")
def inst(tmp_path_factory: pytest.TempPathFactory) -> Installation:
    return build_installation(tmp_path_factory.mktemp("service"))


@pytest.fixture(scope="session")
def app(inst: Installation) -> FastAPI:
    return inst.app


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    m = _CSRF.search(html)
    assert m, "no CSRF token in the page"
    return m.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    page = client.get("/login")
    r = client.post("/login", data={"username": username, "password": password,
                                    "csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return client


class Browserish:
    """A signed-in TestClient that sends the CSRF token with every unsafe request."""

    def __init__(self, client: TestClient, csrf: str) -> None:
        self.client, self.csrf = client, csrf

    def get(self, url: str, **kw: object):  # type: ignore[no-untyped-def]
        return self.client.get(url, **kw)  # type: ignore[arg-type]

    def post(self, url: str, **kw: object):  # type: ignore[no-untyped-def]
        headers = dict(kw.pop("headers", {}) or {})  # type: ignore[call-overload]
        headers.setdefault("X-CSRF-Token", self.csrf)
        return self.client.post(url, headers=headers, **kw)  # type: ignore[arg-type]

    def request(self, method: str, url: str, **kw: object):  # type: ignore[no-untyped-def]
        headers = dict(kw.pop("headers", {}) or {})  # type: ignore[call-overload]
        headers.setdefault("X-CSRF-Token", self.csrf)
        return self.client.request(method, url, headers=headers, **kw)  # type: ignore[arg-type]


@pytest.fixture
def browser_as(app: FastAPI) -> Iterator[Callable[[str], Browserish]]:
    clients: list[TestClient] = []

    def make(username: str) -> Browserish:
        client = TestClient(app, base_url="http://testserver")
        clients.append(client)
        sign_in(client, username)
        page = client.get("/tokens")
        return Browserish(client, csrf_of(page.text))

    yield make
    for c in clients:
        c.close()


@pytest.fixture(scope="session")
def tokens(inst: Installation) -> dict[str, str]:
    """An all-scopes API token per user name."""
    out: dict[str, str] = {}
    with inst.session() as session:
        for name in (*ROLES, "staff2"):
            user = accounts.by_username(session, name)
            assert user is not None
            _, raw = create_token(session, user=user, scopes=["check", "read", "review", "admin"])
            out[name] = raw
    return out


@pytest.fixture
def api(app: FastAPI, tokens: dict[str, str]) -> Iterator[Callable[[str], TestClient]]:
    """``api("reviewer")``: a client that sends that user's bearer token."""
    clients: list[TestClient] = []

    def make(username: str) -> TestClient:
        c = TestClient(app, headers={"Authorization": f"Bearer {tokens[username]}"})
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.close()
