"""Pages render for the people who use them: the queue with filters and groups, bulk actions,
the finding page and its decision form, the dashboard's charts."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from fastapi.testclient import TestClient

from .conftest import Browserish


def _seed(api: Callable[[str], TestClient], channel: str) -> list[int]:
    ids = []
    for n in range(2):
        text = f"Vote Labor on Saturday! {channel} {n}"
        api("staff").post("/api/v1/check", json={"text": text, "capacity": "official",
                                                 "channel": channel})
        mine = next(x for x in api("staff").get("/api/v1/checks").json()["data"]
                    if x["text"] == text)
        ids += [f["id"] for f in mine["findings"]]
    return ids


def test_queue_page_filters_groups_and_bulk_dismisses(
    api: Callable[[str], TestClient], browser_as: Callable[[str], Browserish]
) -> None:
    channel = "pg" + uuid.uuid4().hex[:6]
    ids = _seed(api, channel)
    b = browser_as("reviewer")
    page = b.get(f"/queue?channel={channel}&group=true")
    assert page.status_code == 200 and "2×" in page.text
    form = {"ids": [str(i) for i in ids], "action": "dismiss", "reason": "campaign satire",
            "back": f"/queue?channel={channel}"}
    r = b.post("/queue/bulk", data=form, follow_redirects=False)
    assert r.status_code == 303 and "done=dismiss" in r.headers["location"]
    page = b.get(r.headers["location"])
    assert "Done: dismiss on" in page.text and "Nothing here" in page.text
    page = b.get(f"/queue?channel={channel}&status=dismissed&date_from=2000-01-01")
    assert len(re.findall(r'<tr id="row-', page.text)) == len(ids)
    assert b.get("/queue?date_from=notadate").status_code == 400


def test_finding_page_and_htmx_row_action(
    api: Callable[[str], TestClient], browser_as: Callable[[str], Browserish]
) -> None:
    fid = _seed(api, "fp" + uuid.uuid4().hex[:6])[0]
    b = browser_as("reviewer")
    page = b.get(f"/queue/{fid}")
    assert "the policy's own words" in page.text and "Record" in page.text
    r = b.post(f"/queue/{fid}/action", data={"action": "escalate", "reason": "repeat poster"},
               headers={"HX-Request": "true"})
    assert r.status_code == 200 and r.text.lstrip().startswith(f'<tr id="row-{fid}"')
    assert "status-escalated" in r.text
    r = b.post(f"/queue/{fid}/action", data={"action": "breach"}, follow_redirects=False)
    assert r.status_code == 422 and "outcome" in r.text


def test_dashboard_draws_svg_charts(browser_as: Callable[[str], Browserish]) -> None:
    page = browser_as("manager").get("/dashboard")
    assert page.status_code == 200 and page.text.count("<svg") == 3
    assert "False-positive rate" in page.text


def test_my_checks_lists_only_mine(
    api: Callable[[str], TestClient], browser_as: Callable[[str], Browserish]
) -> None:
    channel = "mc" + uuid.uuid4().hex[:6]
    _seed(api, channel)
    assert channel in browser_as("staff").get("/checks").text
    assert channel not in browser_as("staff2").get("/checks").text


def test_checked_text_is_escaped_not_executed(browser_as: Callable[[str], Browserish]) -> None:
    r = browser_as("staff").post("/check/preview", data={
        "text": "<script>alert(1)</script> Vote Labor on Saturday!", "capacity": "official"})
    assert "<script>alert(1)</script>" not in r.text and "&lt;script&gt;" in r.text
