"""The service on PostgreSQL: migrations, sign-in, check, queue decision, audit chain, dashboard.

Uses a schema of its own on the test server (dropped afterwards); skips, saying why, if the
server is not reachable.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from commsguard.store.db import get_engine
from commsguard.web import accounts
from commsguard.web.security import create_token
from commsguard.workflows import audit

from .conftest import Installation, build_installation, sign_in

pytestmark = pytest.mark.postgres


def _pg_url() -> str:
    return os.environ.get(
        "COMMSGUARD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )


@pytest.fixture(scope="module")
def pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installation]:
    schema = "t_web_" + uuid.uuid4().hex[:10]
    admin = create_engine(_pg_url())
    try:
        with admin.begin() as c:
            c.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"PostgreSQL unavailable at {_pg_url()}: {exc}")
    url = f"{_pg_url()}?options=-csearch_path%3D{schema}"
    try:
        yield build_installation(Path(tmp_path_factory.mktemp("pg")), url=url)
    finally:
        get_engine(url).dispose()
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_check_review_and_audit_on_postgresql(pg: Installation) -> None:
    with pg.session() as s:
        staff = accounts.by_username(s, "staff")
        rev = accounts.by_username(s, "reviewer")
        assert staff and rev
        t_staff = create_token(s, user=staff, scopes=["check", "read"])[1]
        t_rev = create_token(s, user=rev, scopes=["read", "review"])[1]
    with TestClient(pg.app, headers={"Authorization": f"Bearer {t_staff}"}) as c:
        r = c.post("/api/v1/check", json={"text": "Vote Labor on Saturday!",
                                          "capacity": "official", "channel": "x"})
        assert r.status_code == 200 and r.json()["decision"] == "block"
        assert c.get("/api/v1/checks").json()["count"] == 1
    with TestClient(pg.app, headers={"Authorization": f"Bearer {t_rev}"}) as c:
        queue = c.get("/api/v1/findings", params={"severity": "block"}).json()
        fid = queue["data"][0]["id"]
        assert queue["data"][0]["created_at"].endswith(("Z", "+00:00"))
        r = c.post(f"/api/v1/findings/{fid}/actions",
                   json={"action": "dismiss", "reason": "a quote", "suppress": "everyone"})
        assert r.json()["status"] == "dismissed"
        r = c.post("/api/v1/findings/bulk", json={"ids": [fid], "action": "tag",
                                                  "tags": ["pg"]})
        assert r.json()["done"] == [fid]
        assert c.get("/api/v1/dashboard").status_code == 200
    with TestClient(pg.app) as browser:
        sign_in(browser, "admin")
        assert "Chain intact" in browser.get("/audit").text
    with pg.session() as s:
        v = audit.verify(s)
        assert v.ok and v.entries >= 10
        actions = {e.action for e in audit.recent(s, limit=50)}
    assert {"finding.dismiss", "finding.tag", "queue.view", "auth.sign_in"} <= actions
