"""The quarantine, people, IT site questions and policy versions pages in Debian Chromium
(Playwright, headless), each as the role it is for, with screenshots.

Never ``playwright install``: the test drives ``/usr/bin/chromium``. Screenshots go to
``build/screenshots/gaps-*.png``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import PASSWORD, Installation, build_installation
from .gaps_seed import OLD_VERSION, seed

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Installation]]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    import uvicorn

    inst = build_installation(tmp_path_factory.mktemp("gaps-browser"))
    with inst.session() as s:
        seed(s)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(inst.app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", inst
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--headless", "--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking"])
        yield b
        b.close()


def _page(browser: object, base: str, user: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"gaps-{name}.png"), full_page=True)


def test_the_four_pages_as_the_roles_they_are_for(
    site: tuple[str, Installation], browser: object, tmp_path: Path,
) -> None:
    base, _ = site

    reviewer = _page(browser, base, "reviewer")
    reviewer.get_by_role("link", name="Quarantine").click()
    assert reviewer.locator("#quarantine tbody tr").count() == 50
    assert reviewer.evaluate("document.querySelectorAll('script:not([src])').length") == 0
    reviewer.select_option("select[name=reader]", "mbox")
    reviewer.click("#quarantine-filters button[type=submit]")
    assert reviewer.locator("#quarantine tbody tr").count() == 1
    assert "undecodable header" in reviewer.locator("#quarantine").inner_text()
    reviewer.goto("/quarantine?reader=slack&page=2")
    _shot(reviewer, "quarantine")

    admin = _page(browser, base, "admin")
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
    _shot(admin, "people-import")

    manager = _page(browser, base, "manager")
    manager.get_by_role("link", name="People").click()
    team = manager.locator("#people").inner_text()
    assert "Ann Gaps" in team and "former staff" in team and "Kim Gaps" not in team
    _shot(manager, "people-team")

    it = _page(browser, base, "it")
    it.get_by_role("link", name="Site questions").click()
    row = it.locator("#pending-sites tr", has_text="gaps-forum.example")
    row.locator("select[name=category]").select_option("forums")
    row.locator("input[name=reason]").fill("A public discussion board")
    row.locator("button[type=submit]").click()
    assert "gaps-forum.example" in it.locator("#answered-sites").inner_text()
    _shot(it, "site-questions")

    manager.get_by_role("link", name="Policy versions").click()
    assert OLD_VERSION in manager.locator("#versions").inner_text()
    manager.get_by_role("link", name=f"Changes since {OLD_VERSION}").click()
    assert manager.locator("#diff del").count() >= 1
    _shot(manager, "policy-diff")

    admin.get_by_role("link", name="Policy versions").click()
    admin.locator("#load-pack button[type=submit]").click()
    assert "must attest to it" in admin.locator("#loaded").inner_text()
    _shot(admin, "policy-versions")
