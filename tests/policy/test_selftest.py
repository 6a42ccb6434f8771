"""``pack test``: the default pack's examples all pass, and a broken example is caught."""

from __future__ import annotations

import shutil
from pathlib import Path

from commsguard.policy import DEFAULT_PACK, load_pack
from commsguard.policy.selftest import run_pack_tests


def test_when_default_pack_tested_then_every_example_passes() -> None:
    reports = run_pack_tests(load_pack())
    failures = [f for r in reports for f in r.failures]
    assert reports
    assert failures == []


def test_when_pass_example_would_be_flagged_then_failure_reported(tmp_path: Path) -> None:
    dest = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, dest)
    path = dest / "rules" / "privacy-confidentiality.yaml"
    text = path.read_text().replace(
        '- "Reading a great report on urban planning this weekend"',
        '- "Just finished the draft report for the council investigation"',
    )
    path.write_text(text)
    reports = run_pack_tests(load_pack(dest), rules=["privacy-confidentiality.discussing-matters"])
    (report,) = reports
    assert not report.ok
    assert report.failures[0].kind == "pass"
    assert "draft report" in report.failures[0].reason
