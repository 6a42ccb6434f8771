"""The CLI contract other tools script against: init, check (text/json/jsonl), registers, pack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commsguard.cli.app import app
from commsguard.policy import DEFAULT_PACK

runner = CliRunner()
REGISTER = DEFAULT_PACK / "data" / "test_register.csv"


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


def test_when_init_run_twice_then_idempotent(installation: str) -> None:
    first = invoke("init")
    second = invoke("init")
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert "Policy pack loaded" in second.output


def test_when_register_imported_then_check_masks_the_name(installation: str) -> None:
    result = invoke("register", "import", str(REGISTER))
    assert result.exit_code == 0, result.output
    assert "6 added" in result.output
    out = invoke("check", "marjorie  PETTIGREW rang about c/2025/04417", "--format", "json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["decision"] == "block"
    register_hits = [f for f in data["findings"] if f["detector"] == "confidential-register"]
    assert {f["entity"] for f in register_hits} == {"COMPLAINANT", "CASE_REF"}
    assert "pettigrew" not in out.stdout.lower()
    verify = invoke("audit", "verify")
    assert verify.exit_code == 0, verify.output


def test_when_register_imported_then_audited_without_values(installation: str) -> None:
    from sqlalchemy import select

    from commsguard.store.db import get_engine, session_scope
    from commsguard.workflows import audit

    assert invoke("register", "import", str(REGISTER)).exit_code == 0
    with session_scope(get_engine(installation)) as session:
        entries = [e for e in audit.recent(session) if e.action == "register.import"]
        assert len(entries) == 1
        assert entries[0].detail == {"added": 6, "unchanged": 0, "skipped": 0}
        assert audit.verify(session).ok
        from commsguard.store.tables import AuditEntry

        dump = repr([(e.detail, e.target) for e in session.scalars(select(AuditEntry))])
    assert "pettigrew" not in dump.lower() and "04417" not in dump


def test_when_register_csv_has_bad_rows_then_they_are_named(
    installation: str, tmp_path: Path
) -> None:
    csv = tmp_path / "reg.csv"
    csv.write_text("kind,value\ncomplainant,Ann Lee\nsecret,Bob\ncase_ref,///\n")
    result = invoke("register", "import", str(csv))
    assert result.exit_code == 1
    assert f"{csv}:3: skipped: kind 'secret'" in result.output
    assert f"{csv}:4: skipped: value is empty" in result.output
    assert "1 added" in result.output


def test_when_authorisations_imported_then_counts_shown(installation: str, tmp_path: Path) -> None:
    csv = tmp_path / "auth.csv"
    csv.write_text(
        "person,authority,expires\nann,spokesperson,2030-01-01\nbob,press,\ncy,business-use,soon\n"
    )
    result = invoke("authorisations", "import", str(csv))
    assert "1 added" in result.output
    assert ":3: skipped: authority 'press'" in result.output
    assert ":4: skipped: expires 'soon' is not a date" in result.output


def test_when_jsonl_has_bad_lines_then_each_gets_an_error_in_order(installation: str) -> None:
    lines = "\n".join(
        [
            json.dumps({"id": "a", "text": "the draft report leaked"}),
            "{not json",
            json.dumps({"id": "c", "text": "lovely weather", "capacity": "work"}),
            json.dumps(["a", "list"]),
            json.dumps({"text": "no id here"}),
        ]
    )
    result = invoke("check", "--format", "jsonl", input=lines + "\n")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "line-2", "line-3", "line-4", "line-5"]
    first = out[0]["findings"][0]
    assert out[0]["decision"] == "review" and first["clause"] == "privacy-confidentiality"
    assert "the draft report leaked"[first["start"] : first["end"]] == first["evidence"]
    assert "not valid JSON" in out[1]["error"]
    assert "capacity" in out[2]["error"]
    assert "expected a JSON object" in out[3]["error"]
    assert out[4]["decision"] == "ok" and out[4]["findings"] == []


def test_when_jsonl_from_file_then_same_as_stdin(installation: str, tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": 1, "text": "a complainant who rang"}) + "\n")
    result = invoke("check", "--format", "jsonl", "--input", str(path))
    (obj,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert obj["id"] == "1" and obj["findings"][0]["clause"] == "privacy-confidentiality"


def test_when_text_checked_then_report_is_readable(installation: str) -> None:
    result = invoke("check", "the draft report is due", "--explain")
    assert result.exit_code == 0
    assert "Decision: REVIEW" in result.output
    assert "privacy-confidentiality" in result.output
    assert "fix:" in result.output


def test_when_bad_capacity_then_clear_error(installation: str) -> None:
    result = invoke("check", "hi", "--capacity", "work")
    assert result.exit_code == 2
    assert "--capacity must be private or official" in result.output


def test_when_database_missing_then_check_still_works_with_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from commsguard.config import get_settings
    from commsguard.store.db import dispose_engines

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COMMSGUARD_DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    get_settings.cache_clear()
    dispose_engines()
    try:
        result = invoke("check", "the draft report", "--format", "json")
    finally:
        get_settings.cache_clear()
        dispose_engines()
    assert result.exit_code == 0
    assert "not initialised" in result.stderr
    assert json.loads(result.stdout)["decision"] == "review"


def test_when_pack_test_run_then_it_passes() -> None:
    result = invoke("pack", "test")
    assert result.exit_code == 0, result.output
    assert "examples of" in result.output


def test_when_pack_lint_on_broken_pack_then_all_problems_listed(tmp_path: Path) -> None:
    import shutil

    dest = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, dest)
    rules = dest / "rules" / "privacy-confidentiality.yaml"
    rules.write_text(rules.read_text().replace("clause: privacy-confidentiality", "clause: x"))
    result = invoke("pack", "lint", str(dest))
    assert result.exit_code == 1
    rules = (DEFAULT_PACK / "rules" / "privacy-confidentiality.yaml").read_text()
    assert result.output.count("unknown clause 'x'") == rules.count("clause: privacy-conf")
    assert "privacy-confidentiality.yaml:" in result.output
