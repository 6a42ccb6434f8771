"""The quarantine, people, IT site questions and policy versions pages in Debian Chromium
(Playwright, headless), each as the role it is for, with screenshots.

Never ``playwright install``: the test drives ``/usr/bin/chromium``. Screenshots go to
``build/screenshots/gaps-*.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .browser import chromium, live_server, page_as, require_chromium, screenshot
from .conftest import Installation, build_installation
from .gaps_seed import OLD_VERSION, seed

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Installation]]:
    require_chromium()
    inst = build_installation(tmp_path_factory.mktemp("gaps-browser"))
    with inst.session() as s:
        seed(s)
    with live_server(inst.app) as base:
        yield base, inst


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b


def test_the_four_pages_as_the_roles_they_are_for(
    site: tuple[str, Installation], browser: object, tmp_path: Path,
) -> None:
    base, _ = site

    reviewer = page_as(browser, base, "reviewer")
    reviewer.get_by_role("link", name="Quarantine").click()
    assert reviewer.locator("#quarantine tbody tr").count() == 50
    assert reviewer.evaluate("document.querySelectorAll('script:not([src])').length") == 0
    reviewer.select_option("select[name=reader]", "mbox")
    reviewer.click("#quarantine-filters button[type=submit]")
    assert reviewer.locator("#quarantine tbody tr").count() == 1
    assert "undecodable header" in reviewer.locator("#quarantine").inner_text()
    reviewer.goto("/quarantine?reader=slack&page=2")
    screenshot(reviewer, "gaps-quarantine")

    admin = page_as(browser, base, "admin")
    csv = tmp_path / "people.csv"
    csv.write_text("username,name,email,kind,manager,start_date,end_date\n"
                   "gaps-kim,Kim Gaps,kim@vo.example,consultant,gaps-boss,2025-02-01,\n"
                   "gaps-lee,Lee Gaps,lee@vo.example,contractor,nobody-known,2025-02-01,\n"
                   "gaps-bad,,x@vo.example,employee,,2025-02-01,\n")
    admin.get_by_role("link", name="People").click()
    admin.locator("#people-import input[type=file]").set_input_files(str(csv))
    admin.locator("#people-import button[type=submit]").click()
    errors = admin.locator("#import-errors").inner_text()
    assert "Line 3:" in errors and "Line 4:" in errors
    assert "Kim Gaps" in admin.locator("#people").inner_text()
    screenshot(admin, "gaps-people-import")

    manager = page_as(browser, base, "manager")
    manager.get_by_role("link", name="People").click()
    team = manager.locator("#people").inner_text()
    assert "Ann Gaps" in team and "former staff" in team and "Kim Gaps" not in team
    screenshot(manager, "gaps-people-team")

    it = page_as(browser, base, "it")
    it.get_by_role("link", name="Site questions").click()
    row = it.locator("#pending-sites tr", has_text="gaps-forum.example")
    row.locator("select[name=category]").select_option("forums")
    row.locator("input[name=reason]").fill("A public discussion board")
    row.locator("button[type=submit]").click()
    assert "gaps-forum.example" in it.locator("#answered-sites").inner_text()
    screenshot(it, "gaps-site-questions")

    manager.get_by_role("link", name="Policy versions").click()
    assert OLD_VERSION in manager.locator("#versions").inner_text()
    manager.get_by_role("link", name=f"Changes since {OLD_VERSION}").click()
    assert manager.locator("#diff del").count() >= 1
    screenshot(manager, "gaps-policy-diff")

    admin.get_by_role("link", name="Policy versions").click()
    admin.locator("#load-pack button[type=submit]").click()
    assert "must attest to it" in admin.locator("#loaded").inner_text()
    screenshot(admin, "gaps-policy-versions")
