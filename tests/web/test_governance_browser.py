"""Governance flows in Debian Chromium (Playwright, headless), with a screenshot of each page.

Never ``playwright install``: the tests drive ``/usr/bin/chromium``. Screenshots go to
``build/screenshots/governance-*.png``.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from commsguard.registers import Authorisation
from commsguard.store import crud
from commsguard.store.tables import ROLES, Person
from commsguard.workflows import attestation as att
from commsguard.workflows.notify import GovernanceSettings

from .conftest import PASSWORD, Installation, build_installation

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from gov_helpers import publish, soften_official  # noqa: E402

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
PNG = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xff\xff?\0\x05\xfe\x02\xfe\xa7\x35\x81\x84\0\0\0\0IEND\xaeB`\x82"  # noqa: E501


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Installation]]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    import uvicorn

    inst = build_installation(tmp_path_factory.mktemp("gov-browser"))
    with inst.session() as s:
        for name in (*ROLES, "staff2"):
            s.add(Person(username=name, name=f"The {name}", email="",
                         kind="employee", role=name if name in ROLES else "staff",
                         manager="manager" if name.startswith("staff") else None,
                         start_date=date(2024, 1, 1)))
        crud.import_authorisations(s, rows=[Authorisation("staff", "business-use")])
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
                              args=["--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking"])
        yield b
        b.close()


def _page(browser: object, base: str, user: str | None):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    if user:
        page.goto("/login")
        page.fill("input[name=username]", user)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
    return page


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"governance-{name}.png"), full_page=True)


def test_anonymous_report_reaches_reviewer_and_reporter_answers_with_key(
    site: tuple[str, Installation], browser: object, tmp_path: Path
) -> None:
    base, _ = site
    shot = tmp_path / "screenshot.png"
    shot.write_bytes(PNG)
    staff = _page(browser, base, "staff2")
    staff.goto("/report")
    _shot(staff, "report-form")
    form = staff.locator("#report-form")
    form.locator("textarea[name=urls]").fill("https://x.com/someone/status/123")
    form.locator("input[name=platform]").fill("X")
    form.locator("textarea[name=description]").fill(
        "A post mocking a complainant in one of our open investigations")
    form.locator("input[name=screenshots]").set_input_files(str(shot))
    form.locator("input[name=anonymous]").check()
    form.locator("button[type=submit]").click()
    key = staff.locator("#report-key").inner_text().strip()
    assert key.startswith("RK-")
    _shot(staff, "report-key")

    reviewer = _page(browser, base, "reviewer")
    reviewer.goto("/cases")
    _shot(reviewer, "cases")
    reviewer.get_by_text("A post mocking a complainant").first.click()
    assert "anonymous reporter" in reviewer.content() and "staff2" not in reviewer.content()
    reviewer.locator("#ask-form textarea[name=body]").fill("Is the post still online?")
    reviewer.locator("#ask-form button[value=question]").click()
    assert reviewer.locator("#case-status").inner_text() == "awaiting-reporter"
    _shot(reviewer, "case-question")

    anon = _page(browser, base, None)
    anon.goto("/report/follow")
    anon.fill("input[name=key]", key)
    anon.click("button[type=submit]")
    assert "Is the post still online?" in anon.locator("#messages").inner_text()
    anon.fill("textarea[name=answer]", "Yes, and it has 40 replies now")
    anon.click("button[type=submit]")
    assert "Your answer was sent" in anon.content()
    _shot(anon, "follow-answered")

    reviewer.reload()
    assert "40 replies" in reviewer.locator("#messages").inner_text()
    assert reviewer.locator("#case-status").inner_text() == "investigating"


def test_complaint_refuses_to_close_without_outcome(
    site: tuple[str, Installation], browser: object
) -> None:
    base, _ = site
    staff = _page(browser, base, "staff")
    staff.goto("/report")
    form = staff.locator("#complaint-form")
    form.locator("select[name=conduct]").select_option("harassment")
    form.locator("input[name=platform]").fill("Facebook")
    form.locator("input[name=respondents]").fill("staff2")
    form.locator("textarea[name=description]").fill("Repeated comments about my accent")
    form.locator("button[type=submit]").click()
    assert "has been received" in staff.content()

    reviewer = _page(browser, base, "reviewer")
    reviewer.goto("/cases?kind=complaint")
    reviewer.get_by_text("Harassment complaint").first.click()
    assert "Valuing Staff Policy" in reviewer.content()
    case_url = reviewer.url
    reviewer.fill("#close-form textarea[name=outcome]", "Resolved informally")
    reviewer.click("#close-form button[type=submit]")
    assert "without an investigation outcome" in reviewer.content()
    _shot(reviewer, "complaint-refused")
    reviewer.goto(case_url)
    reviewer.select_option("#investigation-form select[name=finding]", "substantiated")
    reviewer.fill("#investigation-form textarea[name=body]", "Comments confirmed by witnesses")
    reviewer.click("#investigation-form button[type=submit]")
    reviewer.fill("#close-form textarea[name=outcome]", "Formal warning; apology given")
    reviewer.click("#close-form button[type=submit]")
    assert reviewer.locator("#case-status").inner_text() == "closed"
    _shot(reviewer, "complaint-closed")

    respondent = _page(browser, base, "staff2")
    respondent.goto(case_url.replace(base, ""))
    assert "Harassment complaint" not in respondent.content()


def test_new_version_asks_only_affected_people_and_shows_the_diff(
    site: tuple[str, Installation], browser: object
) -> None:
    base, inst = site
    no_quiz = GovernanceSettings(quiz_questions=0)
    with inst.session() as s:
        for p in s.query(Person):
            att.attest(s, person=p, settings=no_quiz)
        publish(s, "1.1.0", soften_official)

    poster = _page(browser, base, "staff")  # holds business-use: posts for the office
    poster.goto("/attest")
    diff = poster.locator("#diff").inner_text()
    assert "since you attested to version 1.0.0" in poster.content()
    assert "official posts" in diff and "block" in diff and "review" in diff
    _shot(poster, "attest-diff")
    for group in poster.locator("#attest-form fieldset").all():
        group.locator("input[type=radio]").first.check()
    poster.locator("#attest-form input[type=checkbox]").check()
    poster.click("#attest-form button[type=submit]")
    assert "your attestation is recorded" in poster.content()

    other = _page(browser, base, "staff2")
    other.goto("/attest")
    assert "do not alter your obligations" in other.content()

    manager = _page(browser, base, "manager")
    manager.goto("/attest/team")
    team = manager.locator("#team").inner_text()
    assert "current" in team and "due" not in team
    _shot(manager, "attest-team")


def test_office_post_approval_round(site: tuple[str, Installation], browser: object) -> None:
    base, _ = site
    author = _page(browser, base, "staff")
    author.goto("/approvals")
    author.fill("#draft-form input[name=account]", "@VicOmbudsman")
    author.fill("#draft-form input[name=channel]", "linkedin")
    author.fill("#draft-form textarea[name=text]", "Our annual report is out today.")
    author.click("#draft-form button[type=submit]")
    assert author.locator("#post-status").inner_text() == "pending"
    post_url = author.url.split("?")[0].replace(base, "")
    assert author.locator("#decide-form").count() == 0  # no self-approval

    comms = _page(browser, base, "communications")
    comms.goto(post_url)
    _shot(comms, "approval-pending")
    comms.fill("#decide-form textarea[name=comment]", "Add the link to the report")
    comms.click("#decide-form button[value=request-changes]")
    assert comms.locator("#post-status").inner_text() == "changes-requested"

    author.goto(post_url)
    author.fill("#revise-form textarea[name=text]",
                "Our annual report is out today: https://ombudsman.vic.gov.au/annual-report")
    author.click("#revise-form button[type=submit]")
    assert author.locator("#post-status").inner_text() == "pending"

    comms.goto(post_url)
    comms.click("#decide-form button[value=approve]")
    assert comms.locator("#post-status").inner_text() == "approved"
    _shot(comms, "approval-approved")
    comms.goto("/approvals")
    _shot(comms, "approvals")
