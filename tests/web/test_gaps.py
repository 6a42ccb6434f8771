"""Behaviour of the quarantine, people, IT site questions and policy versions pages and API,
the ``pack load`` command, and governance timestamps sent with an offset."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from commsguard.store.tables import AuditEntry, SiteQuestion
from commsguard.workflows import social_media_lookup as sites

from .conftest import Browserish, Installation, csrf_of
from .gaps_seed import CHANGED_CLAUSE_WORDS, HOSTILE, OLD_VERSION, seed

OFFSET = re.compile(r"(Z|[+-]\d\d:\d\d)$")


@pytest.fixture(scope="module")
def ids(inst: Installation) -> dict[str, str]:
    with inst.session() as s:
        return seed(s)


def _audited(inst: Installation, action: str, actor: str) -> int:
    with inst.session() as s:
        return len(s.scalars(select(AuditEntry).where(
            AuditEntry.action == action, AuditEntry.actor == actor)).all())


# --- quarantine -----------------------------------------------------------------------------


def test_when_filtering_by_scan_and_reader_then_only_those_items_are_listed(
    api: Callable[[str], TestClient], ids: dict[str, str],
) -> None:
    r = api("reviewer").get("/api/v1/quarantine", params={"scan": ids["scan"], "limit": 25})
    body = r.json()
    assert r.status_code == 200 and body["count"] == 60 and len(body["data"]) == 25
    assert {d["reader"] for d in body["data"]} == {"slack"}
    assert body["data"][0]["raw_bytes"] == len(HOSTILE) and "raw" not in body["data"][0]
    assert OFFSET.search(body["data"][0]["created_at"])
    mbox = api("reviewer").get("/api/v1/quarantine", params={"reader": "mbox",
                                                            "scan": ids["other_scan"]}).json()
    assert mbox["count"] == 1 and mbox["data"][0]["position"] == "offset 4096"
    page2 = api("reviewer").get("/api/v1/quarantine",
                                params={"scan": ids["scan"], "limit": 25, "offset": 50}).json()
    assert len(page2["data"]) == 10


def test_when_a_reviewer_views_the_page_then_raw_bytes_are_never_rendered(
    browser_as: Callable[[str], Browserish], inst: Installation, ids: dict[str, str],
) -> None:
    before = _audited(inst, "quarantine.view", "reviewer")
    page = browser_as("reviewer").get(f"/quarantine?scan={ids['scan']}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "alert(&#39;raw&#39;)" not in page.text
    assert "page 1 of 2" in page.text and 'rel="next"' in page.text
    assert re.search(r'href="/quarantine/\d+/raw" download', page.text)
    assert _audited(inst, "quarantine.view", "reviewer") == before + 1
    second = browser_as("reviewer").get(f"/quarantine?scan={ids['scan']}&page=2")
    assert "page 2 of 2" in second.text and 'rel="prev"' in second.text
    assert f"/quarantine/{ids['item']}/raw" in second.text


def test_when_the_raw_excerpt_is_downloaded_then_it_is_octet_stream_and_audited(
    browser_as: Callable[[str], Browserish], api: Callable[[str], TestClient],
    inst: Installation, ids: dict[str, str],
) -> None:
    before = _audited(inst, "quarantine.raw", "admin")
    for client in (browser_as("admin"), api("admin")):
        prefix = "" if isinstance(client, Browserish) else "/api/v1"
        r = client.get(f"{prefix}/quarantine/{ids['item']}/raw")
        assert r.status_code == 200 and r.content == HOSTILE
        assert r.headers["content-type"] == "application/octet-stream"
        assert r.headers["content-disposition"].startswith("attachment;")
        assert r.headers["x-content-type-options"] == "nosniff"
    assert _audited(inst, "quarantine.raw", "admin") == before + 2
    assert api("admin").get("/api/v1/quarantine/999999/raw").status_code == 404


# --- people ---------------------------------------------------------------------------------


def test_when_a_manager_opens_people_then_only_their_team_shows_with_former_staff_marked(
    browser_as: Callable[[str], Browserish], ids: dict[str, str],
) -> None:
    page = browser_as("manager").get("/people").text
    assert "Ann Gaps" in page and "Olde Gaps" in page and "Else Where" not in page
    assert "former staff" in page and 'id="people-import"' not in page


def test_when_an_admin_uploads_a_csv_then_rows_are_added_and_errors_named_by_line(
    browser_as: Callable[[str], Browserish], ids: dict[str, str],
) -> None:
    admin = browser_as("admin")
    page = admin.get("/people")
    assert 'id="people-import"' in page.text and "Else Where" in page.text
    csv = ("username,name,email,kind,manager,start_date,end_date\n"
           "gaps-new,New Gaps,new@vo.example,contractor,gaps-boss,2025-03-01,\n"
           "gaps-bad,Bad Row,,wizard,,2025-03-01,\n")
    r = admin.client.post("/people/import", data={"csrf_token": csrf_of(page.text)},
                          files={"csv_file": ("people.csv", csv.encode(), "text/csv")})
    assert r.status_code == 422  # a row was skipped
    assert "1 added" in r.text and "Line 3:" in r.text and "wizard" in r.text
    assert "New Gaps" in r.text and "contractor" in r.text


def test_when_the_upload_lacks_the_csrf_token_then_it_is_refused(
    browser_as: Callable[[str], Browserish],
) -> None:
    r = browser_as("admin").client.post(
        "/people/import", files={"csv_file": ("p.csv", b"username\n", "text/csv")})
    assert r.status_code == 403


# --- IT site questions ----------------------------------------------------------------------


def test_when_it_classifies_a_queued_site_then_the_taxonomy_knows_it(
    browser_as: Callable[[str], Browserish], inst: Installation, ids: dict[str, str],
) -> None:
    it = browser_as("it")
    page = it.get("/sites/questions").text
    assert "gaps-chat.example" in page and 'name="category"' in page
    with inst.session() as s:
        q = s.scalars(select(SiteQuestion).where(
            SiteQuestion.domain == "gaps-chat.example")).one()
        assert sites.classify(s, "https://gaps-chat.example/x").kind == "unknown"
    r = it.post(f"/sites/questions/{q.id}/classify",
                data={"category": "forums", "reason": "a vendor's user forum"},
                follow_redirects=False)
    assert r.status_code == 303
    done = it.get(r.headers["location"]).text
    assert "Classified gaps-chat.example" in done and "a vendor&#39;s user forum" in done
    with inst.session() as s:
        assert sites.answers(s)["gaps-chat.example"] == "forums"
        found = sites.classify(s, "https://gaps-chat.example/x")
        assert (found.kind, found.category) == ("social-media", "forums")


def test_when_the_answer_is_not_a_category_then_it_is_refused(
    browser_as: Callable[[str], Browserish], ids: dict[str, str],
) -> None:
    r = browser_as("it").post(f"/sites/questions/{ids['question']}/classify",
                              data={"category": "astrology"})
    assert r.status_code == 422


def test_when_an_admin_looks_at_the_queue_then_there_is_no_form(
    browser_as: Callable[[str], Browserish], ids: dict[str, str],
) -> None:
    page = browser_as("admin").get("/sites/questions").text
    assert "gaps-wiki.example" in page and 'name="category"' not in page


def test_governance_responses_send_timestamps_with_an_offset(
    api: Callable[[str], TestClient], ids: dict[str, str],
) -> None:
    rows = api("it").get("/api/v1/sites/questions").json()
    assert rows and all(OFFSET.search(q["created_at"]) for q in rows)


# --- policy versions ------------------------------------------------------------------------


def test_when_a_manager_opens_versions_then_each_links_to_its_diff(
    browser_as: Callable[[str], Browserish], ids: dict[str, str],
) -> None:
    page = browser_as("manager").get("/policy/versions").text
    assert OLD_VERSION in page and f"/policy/versions/{ids['version']}/diff" in page
    assert 'id="load-pack"' not in page
    diff = browser_as("manager").get(f"/policy/versions/{ids['version']}/diff")
    assert diff.status_code == 200 and f"{OLD_VERSION} →" in diff.text
    assert "<del>" in diff.text and "gaps test" in diff.text
    assert CHANGED_CLAUSE_WORDS.split()[0] in diff.text
    first = browser_as("manager").get(f"/policy/versions/{ids['old']}/diff")
    assert first.status_code == 404


def test_when_an_admin_loads_the_pack_then_it_is_active_and_audited(
    browser_as: Callable[[str], Browserish], api: Callable[[str], TestClient],
    inst: Installation, ids: dict[str, str],
) -> None:
    admin = browser_as("admin")
    assert 'id="load-pack"' in admin.get("/policy/versions").text
    r = admin.post("/policy/versions/load", follow_redirects=False)
    assert r.status_code == 303 and "loaded=" in r.headers["location"]
    assert "must attest to it" in admin.get(r.headers["location"]).text
    body = api("admin").post("/api/v1/policy/packs/load").json()
    assert body["new"] is False and body["version"]["active"] is True
    assert isinstance(body["must_attest"], list)
    listed = api("manager").get("/api/v1/policy/packs").json()
    active = [v for v in listed["data"] if v["active"]]
    assert len(active) == 1 and active[0]["previous"] == OLD_VERSION
    assert OFFSET.search(active[0]["loaded_at"])
    assert _audited(inst, "policy.load", "admin") >= 2


# --- commsguard pack load ------------------------------------------------------------------


def test_pack_load_stores_a_new_version_and_says_who_must_attest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import shutil

    from typer.testing import CliRunner

    from commsguard.cli.app import app
    from commsguard.config import get_settings
    from commsguard.policy.loader import DEFAULT_PACK

    monkeypatch.setenv("COMMSGUARD_DATABASE_URL", f"sqlite:///{tmp_path / 'cg.db'}")
    monkeypatch.setenv("COMMSGUARD_SECRET_FILE", str(tmp_path / "cg.secret"))
    get_settings.cache_clear()
    try:
        run = CliRunner().invoke
        assert run(app, ["init"]).exit_code == 0
        pack = tmp_path / "pack"
        shutil.copytree(DEFAULT_PACK, pack)
        policy = pack / "policy.yaml"
        policy.write_text(policy.read_text().replace('version: "1.0.0"', 'version: "1.1.0"'))
        out = run(app, ["pack", "load", str(pack)])
        assert out.exit_code == 0, out.output
        assert "1.1.0 stored (was 1.0.0)" in out.output
        assert "0 people must attest" in out.output
        again: Any = run(app, ["pack", "load", str(pack)])
        assert "already stored" in again.output
        bad = run(app, ["pack", "load", str(tmp_path / "nowhere")])
        assert bad.exit_code == 1
    finally:
        get_settings.cache_clear()
