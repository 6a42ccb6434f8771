"""Web use in Debian Chromium (Playwright, headless): a manager sees their report's chart and
sessions; a staff member is denied. Screenshots: ``build/screenshots/webuse-*.png``.

Never ``playwright install``: the test drives ``/usr/bin/chromium``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import PASSWORD, Installation, build_installation
from .webuse_seed import seed

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    import uvicorn

    inst: Installation = build_installation(tmp_path_factory.mktemp("webuse-browser"))
    with inst.session() as s:  # type: ignore[no-untyped-call]
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
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--headless", "--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking"])
        yield b
        b.close()


def _page(browser: Any, base: str, user: str) -> Any:
    page = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900}).new_page()
    page.goto("/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"webuse-{name}.png"), full_page=True)


def test_manager_sees_chart_and_sessions_and_staff_is_denied(site: str, browser: Any) -> None:
    manager = _page(browser, site, "manager")
    manager.click("nav >> text=Web use")
    manager.wait_for_load_state()
    person_chart = manager.locator("#chart-person svg")
    assert "staff" in person_chart.text_content() and "47 min" in person_chart.text_content()
    assert "team of manager" in manager.locator("#chart-team svg").text_content()
    finding = manager.locator("details.webuse-finding").first
    assert "staff" in finding.locator("summary").inner_text()
    sessions = finding.locator("table.sessions tbody tr")
    assert sessions.count() == 2
    assert "facebook.com" in sessions.first.inner_text()
    assert "carol" not in manager.content() and "tiktok" not in manager.content()
    _shot(manager, "manager")

    staff = _page(browser, site, "staff")
    assert staff.locator("nav >> text=Web use").count() == 0
    response = staff.goto("/webuse")
    assert response is not None and response.status == 403
    assert "facebook.com" not in staff.content()
    _shot(staff, "staff-denied")
