"""``commsguard eval DIR`` on the external sets: one table, the held-out split by default."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from commsguard.cli.app import app

runner = CliRunner()


def _sets(d: Path) -> Path:
    (d / "SOURCES.md").write_text("test\n", encoding="utf-8")
    rows = [",count,hate_speech,offensive_language,neither,class,tweet"]
    rows += [f"{i},3,3,0,0,0,those people are vermin and should all be deported {i}"
             for i in range(12)]
    rows += [f"{i},3,0,0,3,2,lovely weather at the beach today {i}" for i in range(12, 24)]
    (d / "davidson_labeled_data.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    pol = [{"id": f"pol-{i}", "text": "Thank you to our veterans", "label": {"bias": "neutral"}}
           for i in range(12)]
    (d / "political_dev.jsonl").write_text("".join(json.dumps(r) + "\n" for r in pol),
                                           encoding="utf-8")
    mail = [{"id": f"enron-{i}", "text": "Can you send me the numbers by Friday?",
             "capacity": "official", "channel": "email"} for i in range(12)]
    (d / "enron_dev.jsonl").write_text("".join(json.dumps(r) + "\n" for r in mail),
                                       encoding="utf-8")
    return d


def test_when_given_the_external_folder_then_one_table_per_set_and_group(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "--split", "all", str(_sets(tmp_path))],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for row in ("davidson", "hate", "neither", "political", "neutral", "enron", "mail"):
        assert row in result.output
    assert "(all split)" in result.output


def test_when_folder_is_not_the_external_sets_then_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", str(tmp_path)], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "not the external sets" in result.output


def test_when_split_unknown_then_it_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "--split", "most", str(_sets(tmp_path))],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 2 and "holdout, train or all" in result.output
