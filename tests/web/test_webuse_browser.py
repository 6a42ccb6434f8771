"""Web use in Debian Chromium (Playwright, headless): a manager sees their report's chart and
sessions; a staff member is denied. Screenshots: ``build/screenshots/webuse-*.png``.

Never ``playwright install``: the test drives ``/usr/bin/chromium``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .browser import chromium, live_server, page_as, require_chromium, screenshot
from .conftest import Installation, build_installation
from .webuse_seed import seed

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    inst: Installation = build_installation(tmp_path_factory.mktemp("webuse-browser"))
    with inst.session() as s:  # type: ignore[no-untyped-call]
        seed(s)
    with live_server(inst.app) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def test_manager_sees_chart_and_sessions_and_staff_is_denied(site: str, browser: Any) -> None:
    manager = page_as(browser, site, "manager")
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
    screenshot(manager, "webuse-manager")

    staff = page_as(browser, site, "staff")
    assert staff.locator("nav >> text=Web use").count() == 0
    response = staff.goto("/webuse")
    assert response is not None and response.status == 403
    assert "facebook.com" not in staff.content()
    screenshot(staff, "webuse-staff-denied")
