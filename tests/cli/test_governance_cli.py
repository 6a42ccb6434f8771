"""``commsguard people import``, ``attest status --team`` and ``cases list --status``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commsguard.cli.app import app

CSV = """username,name,email,kind,manager,start_date,end_date
morgan,Morgan Reid,morgan@vo.example,employee,,2020-01-01,
alex,Alex Chen,alex@vo.example,employee,morgan,2024-01-01,
sam,Sam Diaz,sam@vo.example,contractor,morgan,2024-03-01,2024-12-31
kim,Kim,kim@vo.example,intern,,2024-01-01,
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from commsguard.config import get_settings
    from commsguard.store.db import dispose_engines
    from commsguard.workflows.installation import init_installation

    monkeypatch.setenv("COMMSGUARD_DATABASE_URL", f"sqlite:///{tmp_path / 'cg.db'}")
    monkeypatch.setenv("COMMSGUARD_SECRET_FILE", str(tmp_path / "cg.secret"))
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    dispose_engines()
    init_installation()
    yield tmp_path
    get_settings.cache_clear()
    dispose_engines()


def test_when_people_imported_then_status_and_cases_listed(home: Path) -> None:
    runner = CliRunner()
    (home / "people.csv").write_text(CSV, encoding="utf-8")
    r = runner.invoke(app, ["people", "import", "people.csv"])
    assert r.exit_code == 1  # one row skipped
    assert "people.csv:5: skipped: kind 'intern'" in r.stderr
    assert "3 added" in r.stdout

    r = runner.invoke(app, ["attest", "status", "--team", "morgan", "--json"])
    assert r.exit_code == 0, r.output
    status = json.loads(r.stdout)
    assert [(p["username"], p["state"]) for p in status["people"]] == [("alex", "never")]

    from commsguard.store.db import get_engine, session_scope
    from commsguard.workflows import cases
    from commsguard.workflows.notify import GovernanceSettings

    with session_scope(get_engine()) as s:
        cases.report_content(s, reporter="alex", urls="https://x.com/a", platform="X",
                             description="Mocking post", anonymous=True,
                             settings=GovernanceSettings())
    r = runner.invoke(app, ["cases", "list", "--status", "open", "--json"])
    assert r.exit_code == 0 and [c["status"] for c in json.loads(r.stdout)] == ["open"]
    r = runner.invoke(app, ["cases", "list", "--status", "closed"])
    assert r.exit_code == 0 and "Mocking" not in r.stdout
    r = runner.invoke(app, ["cases", "list", "--status", "bogus"])
    assert r.exit_code == 2 and "status must be one of" in r.stderr
