"""The app in Debian's Chromium, driven by Playwright against a real uvicorn server.

A staff member checks a post and sees the highlighted finding; a reviewer dismisses it in the
queue; the administrator sees the audit entry. Every page visited is saved as a screenshot under
``build/screenshots/``. Skips, saying why, where ``/usr/bin/chromium`` is absent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest

from commsguard.config import Settings
from commsguard.store.db import get_engine, session_scope
from commsguard.web import accounts
from commsguard.web.launch import served
from commsguard.web.security import Passwords
from commsguard.workflows.installation import init_installation

from . import browser
from .conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not browser.CHROMIUM.exists(), reason="/usr/bin/chromium is absent "
                       "(apt-get install chromium); browser tests need Debian's Chromium"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser")
    env = {
        **os.environ,
        "COMMSGUARD_DATABASE_URL": f"sqlite:///{root / 'commsguard.db'}",
        "COMMSGUARD_SECRET_FILE": str(root / "commsguard.secret"),
        "COMMSGUARD_ARGON2_TIME_COST": "1",
        "COMMSGUARD_ARGON2_MEMORY_KIB": "1024",
    }
    settings = Settings(database_url=env["COMMSGUARD_DATABASE_URL"],
                        secret_file=root / "commsguard.secret")
    init_installation(settings)
    with session_scope(get_engine(settings.database_url)) as s:
        pw = Passwords(time_cost=1, memory_kib=1024)
        for name, role, full in (
            ("sam", "staff", "Sam Staff"), ("rita", "reviewer", "Rita Reviewer"),
            ("ada", "admin", "Ada Admin"), ("max", "manager", "Max Manager"),
        ):
            accounts.create_user(s, passwords=pw, username=name, role=role, password=PASSWORD,
                                 display_name=full)
    with served(root, env) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    with browser.chromium() as launched:
        yield launched


def _sign_in(chromium: object, url: str, username: str, shot: str | None = None) -> object:
    if shot:
        login = browser.page_as(chromium, url, None)
        login.goto("/login")
        browser.screenshot(login, shot)
    return browser.page_as(chromium, url, username)


POST = ("Can't believe the complainant who rang today. Anyway, vote Labor on Saturday "
        "everyone! #auspol")


def test_check_dismiss_and_audit_in_the_browser(server: str, chromium: object) -> None:
    # 1. a staff member checks a post: the finding is highlighted as they pause typing
    page = _sign_in(chromium, server, "sam", shot="01-login")
    assert page.url.endswith("/check")  # type: ignore[attr-defined]
    page.fill("#text", POST)  # type: ignore[attr-defined]
    page.select_option("select[name=channel]", "facebook")  # type: ignore[attr-defined]
    mark = page.locator("#result mark").first  # type: ignore[attr-defined]
    mark.wait_for(timeout=30000)
    assert "complainant" in page.locator("#result .highlighted").inner_text()  # type: ignore[attr-defined]
    page.locator("#result .why").first.click()  # type: ignore[attr-defined]
    page.locator("#result blockquote.clause-text").first.wait_for()  # type: ignore[attr-defined]
    browser.screenshot(page, "02-check-live")
    page.click("button.primary")  # type: ignore[attr-defined]
    page.wait_for_url("**/checks/*")  # type: ignore[attr-defined]
    assert page.locator(".highlighted mark").count() >= 2  # type: ignore[attr-defined]
    browser.screenshot(page, "03-check-recorded")
    page.goto(server + "/checks")  # type: ignore[attr-defined]
    browser.screenshot(page, "04-my-checks")

    # 2. the reviewer dismisses it in the queue
    rev = _sign_in(chromium, server, "rita")
    assert rev.url.endswith("/queue")  # type: ignore[attr-defined]
    row = rev.locator("tr", has_text="complainant").first  # type: ignore[attr-defined]
    row.wait_for()
    browser.screenshot(rev, "05-queue")
    row_id = row.get_attribute("id")
    row.locator("summary", has_text="Dismiss").click()
    row.locator("input[name=reason]").fill("A general remark, nobody identifiable")
    row.locator("button", has_text="Dismiss").click()
    rev.locator(f"#{row_id} .status-dismissed").wait_for()  # type: ignore[attr-defined]
    finding_id = row_id.removeprefix("row-")
    rev.goto(f"{server}/queue/{finding_id}")  # type: ignore[attr-defined]
    assert "A general remark" in rev.locator(".history").inner_text()  # type: ignore[attr-defined]
    browser.screenshot(rev, "06-finding")
    rev.goto(f"{server}/queue?group=true&status=")  # type: ignore[attr-defined]
    browser.screenshot(rev, "07-queue-grouped")
    rev.goto(server + "/dashboard")  # type: ignore[attr-defined]
    rev.locator("svg.chart").first.wait_for()  # type: ignore[attr-defined]
    browser.screenshot(rev, "08-dashboard")

    # 3. the administrator sees the audit entry, and the chain intact
    adm = _sign_in(chromium, server, "ada")
    adm.goto(server + "/audit")  # type: ignore[attr-defined]
    entry = adm.locator("tr", has_text="finding.dismiss").first  # type: ignore[attr-defined]
    assert f"finding:{finding_id}" in entry.inner_text() and "rita" in entry.inner_text()
    assert "Chain intact" in adm.locator("[data-testid=chain]").inner_text()  # type: ignore[attr-defined]
    browser.screenshot(adm, "09-audit")
    adm.goto(server + "/admin/users")  # type: ignore[attr-defined]
    browser.screenshot(adm, "10-users")
    adm.goto(server + "/tokens")  # type: ignore[attr-defined]
    adm.fill("input[name=name]", "scheduling tool")  # type: ignore[attr-defined]
    adm.click("form[action='/tokens'] button[type=submit]")  # type: ignore[attr-defined]
    token = adm.locator("[data-testid=new-token]").inner_text()  # type: ignore[attr-defined]
    assert token.startswith("cg_")
    browser.screenshot(adm, "11-tokens")
    r = httpx.post(server + "/api/v1/check", json={"text": POST},
                   headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.json()["decision"] in ("review", "block")

    # 4. a manager cannot reach the queue: a proper error page
    mgr = _sign_in(chromium, server, "max")
    mgr.goto(server + "/queue")  # type: ignore[attr-defined]
    assert "Not allowed" in mgr.locator("h1").inner_text()  # type: ignore[attr-defined]
    browser.screenshot(mgr, "12-forbidden")
