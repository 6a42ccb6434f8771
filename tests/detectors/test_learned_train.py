"""Training the learned model: deterministic, sensitive to its data, clear about bad settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commsguard.detectors.learned.model import load_model
from commsguard.detectors.learned.train import train_pack
from commsguard.errors import PackError
from commsguard.policy import DEFAULT_PACK

TUNING = DEFAULT_PACK / "data" / "learned" / "tuning.jsonl"
SETTINGS = """\
output: data/learned/model.json
datasets: [data/learned/small.jsonl]
heads: [privacy-confidentiality]
folds: 3
"""


def _small_pack(tmp_path: Path, settings: str = SETTINGS) -> Path:
    """A pack directory with just the training settings and the tuning set's first 188 rows."""
    data = tmp_path / "data" / "learned"
    data.mkdir(parents=True)
    rows = TUNING.read_text(encoding="utf-8").splitlines(keepends=True)[:188]
    (data / "small.jsonl").write_text("".join(rows), encoding="utf-8")
    (data / "training.yaml").write_text(settings, encoding="utf-8")
    return tmp_path


def test_when_trained_twice_then_same_file_byte_for_byte(tmp_path: Path) -> None:
    root = _small_pack(tmp_path)
    first = train_pack(root)
    written = first.output.read_bytes()
    second = train_pack(root)
    assert first.changed and not second.changed
    assert second.output.read_bytes() == written
    model = load_model(first.output)
    assert [h.clause for h in model.heads] == ["privacy-confidentiality"]
    assert first.heads[0].positives == 56


def test_when_a_label_changes_then_the_model_changes(tmp_path: Path) -> None:
    root = _small_pack(tmp_path)
    before = train_pack(root).output.read_text(encoding="utf-8")
    data = root / "data" / "learned" / "small.jsonl"
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    flip = next(r for r in rows if not r["labels"])
    flip["labels"] = ["privacy-confidentiality"]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = train_pack(root)
    after = report.output.read_text(encoding="utf-8")
    assert report.changed and after != before
    assert json.loads(after)["training"]["sha256"] != json.loads(before)["training"]["sha256"]
    assert report.heads[0].positives == 57


def test_when_dataset_missing_then_error_names_settings_field(tmp_path: Path) -> None:
    root = _small_pack(tmp_path, SETTINGS.replace("small.jsonl", "nope.jsonl"))
    with pytest.raises(PackError, match=r"training\.yaml \(datasets\[0\]\).*'data/learned/nope"):
        train_pack(root)


def test_when_head_has_too_few_positives_then_error_says_so(tmp_path: Path) -> None:
    # The tuning set holds three apolitical messages: too few for five folds.
    root = _small_pack(tmp_path, SETTINGS.replace("privacy-confidentiality", "apolitical")
                       .replace("folds: 3", "folds: 5"))
    with pytest.raises(PackError, match=r"head 'apolitical' has 3 positive .* at least 5"):
        train_pack(root)


def test_when_setting_unknown_then_error_names_file_and_line(tmp_path: Path) -> None:
    root = _small_pack(tmp_path, SETTINGS + "learning_rate: 0.1\n")
    with pytest.raises(PackError, match=r"training\.yaml:5 \(learning_rate\)"):
        train_pack(root)


def test_when_rule_examples_asked_then_learned_rules_own_examples_left_out() -> None:
    from commsguard.detectors.learned.train import rule_examples

    examples = rule_examples(DEFAULT_PACK)
    ids = {e.message.id for e in examples}
    assert not any(".learned:" in i for i in ids)
    slur = next(e for e in examples if e.message.id == "equity-diversity.slur:flag:0")
    assert slur.labels == {"equity-diversity"}
    assert not next(e for e in examples if e.message.id == "equity-diversity.slur:pass:0").labels
