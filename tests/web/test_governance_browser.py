"""Governance flows in Debian Chromium (Playwright, headless), with a screenshot of each page.

Never ``playwright install``: the tests drive ``/usr/bin/chromium``. Screenshots go to
``build/screenshots/governance-*.png``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from commsguard.registers import Authorisation
from commsguard.store import crud
from commsguard.store.tables import ROLES, Person
from commsguard.workflows import attestation as att
from commsguard.workflows.notify import GovernanceSettings

from .browser import chromium, live_server, page_as, require_chromium, screenshot
from .conftest import Installation, build_installation

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from gov_helpers import publish, soften_official  # noqa: E402

pytestmark = pytest.mark.browser
PNG = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xff\xff?\0\x05\xfe\x02\xfe\xa7\x35\x81\x84\0\0\0\0IEND\xaeB`\x82"  # noqa: E501


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Installation]]:
    require_chromium()
    inst = build_installation(tmp_path_factory.mktemp("gov-browser"))
    with inst.session() as s:
        for name in (*ROLES, "staff2"):
            s.add(Person(username=name, name=f"The {name}", email="",
                         kind="employee", role=name if name in ROLES else "staff",
                         manager="manager" if name.startswith("staff") else None,
                         start_date=date(2024, 1, 1)))
        crud.import_authorisations(s, rows=[Authorisation("staff", "business-use")])
    with live_server(inst.app) as base:
        yield base, inst


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b


def test_anonymous_report_reaches_reviewer_and_reporter_answers_with_key(
    site: tuple[str, Installation], browser: object, tmp_path: Path
) -> None:
    base, _ = site
    shot = tmp_path / "screenshot.png"
    shot.write_bytes(PNG)
    staff = page_as(browser, base, "staff2")
    staff.goto("/report")
    screenshot(staff, "governance-report-form")
    staff.get_by_role("link", name="report without signing in").first.click()
    form = staff.locator("#anonymous-report-form")
    form.locator("textarea[name=urls]").fill("https://x.com/someone/status/123")
    form.locator("input[name=platform]").fill("X")
    form.locator("textarea[name=description]").fill(
        "A post mocking a complainant in one of our open investigations")
    form.locator("input[name=screenshots]").set_input_files(str(shot))
    form.locator("button[type=submit]").click()
    key = staff.locator("#report-key").inner_text().strip()
    assert key.startswith("RK-")
    screenshot(staff, "governance-report-key")

    reviewer = page_as(browser, base, "reviewer")
    reviewer.goto("/cases")
    screenshot(reviewer, "governance-cases")
    reviewer.get_by_text("A post mocking a complainant").first.click()
    assert "anonymous reporter" in reviewer.content() and "staff2" not in reviewer.content()
    reviewer.locator("#ask-form textarea[name=body]").fill("Is the post still online?")
    reviewer.locator("#ask-form button[value=question]").click()
    assert reviewer.locator("#case-status").inner_text() == "awaiting-reporter"
    screenshot(reviewer, "governance-case-question")

    anon = page_as(browser, base, None)
    anon.goto("/report/follow")
    anon.fill("input[name=key]", key)
    anon.click("button[type=submit]")
    assert "Is the post still online?" in anon.locator("#messages").inner_text()
    anon.fill("textarea[name=answer]", "Yes, and it has 40 replies now")
    anon.click("button[type=submit]")
    assert "Your answer was sent" in anon.content()
    screenshot(anon, "governance-follow-answered")

    reviewer.reload()
    assert "40 replies" in reviewer.locator("#messages").inner_text()
    assert reviewer.locator("#case-status").inner_text() == "investigating"


def test_complaint_refuses_to_close_without_outcome(
    site: tuple[str, Installation], browser: object
) -> None:
    base, _ = site
    staff = page_as(browser, base, "staff")
    staff.goto("/report")
    form = staff.locator("#complaint-form")
    form.locator("select[name=conduct]").select_option("harassment")
    form.locator("input[name=platform]").fill("Facebook")
    form.locator("input[name=respondents]").fill("staff2")
    form.locator("textarea[name=description]").fill("Repeated comments about my accent")
    form.locator("button[type=submit]").click()
    assert "has been received" in staff.content()

    reviewer = page_as(browser, base, "reviewer")
    reviewer.goto("/cases?kind=complaint")
    reviewer.get_by_text("Harassment complaint").first.click()
    assert "Valuing Staff Policy" in reviewer.content()
    case_url = reviewer.url
    reviewer.fill("#close-form textarea[name=outcome]", "Resolved informally")
    reviewer.click("#close-form button[type=submit]")
    assert "without an investigation outcome" in reviewer.content()
    screenshot(reviewer, "governance-complaint-refused")
    reviewer.goto(case_url)
    reviewer.select_option("#investigation-form select[name=finding]", "substantiated")
    reviewer.fill("#investigation-form textarea[name=body]", "Comments confirmed by witnesses")
    reviewer.click("#investigation-form button[type=submit]")
    reviewer.fill("#close-form textarea[name=outcome]", "Formal warning; apology given")
    reviewer.click("#close-form button[type=submit]")
    assert reviewer.locator("#case-status").inner_text() == "closed"
    screenshot(reviewer, "governance-complaint-closed")

    respondent = page_as(browser, base, "staff2")
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

    poster = page_as(browser, base, "staff")  # holds business-use: posts for the office
    poster.goto("/attest")
    diff = poster.locator("#diff").inner_text()
    assert "since you attested to version 1.0.0" in poster.content()
    assert "official posts" in diff and "block" in diff and "review" in diff
    screenshot(poster, "governance-attest-diff")
    for group in poster.locator("#attest-form fieldset").all():
        group.locator("input[type=radio]").first.check()
    poster.locator("#attest-form input[type=checkbox]").check()
    poster.click("#attest-form button[type=submit]")
    assert "your attestation is recorded" in poster.content()

    other = page_as(browser, base, "staff2")
    other.goto("/attest")
    assert "do not alter your obligations" in other.content()

    manager = page_as(browser, base, "manager")
    manager.goto("/attest/team")
    team = manager.locator("#team").inner_text()
    assert "current" in team and "due" not in team
    screenshot(manager, "governance-attest-team")


def test_office_post_approval_round(site: tuple[str, Installation], browser: object) -> None:
    base, _ = site
    author = page_as(browser, base, "staff")
    author.goto("/approvals")
    author.fill("#draft-form input[name=account]", "@VicOmbudsman")
    author.fill("#draft-form input[name=channel]", "linkedin")
    author.fill("#draft-form textarea[name=text]", "Our annual report is out today.")
    author.click("#draft-form button[type=submit]")
    assert author.locator("#post-status").inner_text() == "pending"
    post_url = author.url.split("?")[0].replace(base, "")
    assert author.locator("#decide-form").count() == 0  # no self-approval

    comms = page_as(browser, base, "communications")
    comms.goto(post_url)
    screenshot(comms, "governance-approval-pending")
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
    screenshot(comms, "governance-approval-approved")
    comms.goto("/approvals")
    screenshot(comms, "governance-approvals")
