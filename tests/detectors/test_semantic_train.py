"""Training the semantic tier: deterministic, budgets honoured, decisions taken in.

A small pack copy trains on the static encoder (fast) with a logistic head, so the test
exercises the real trainer end to end without the external sets.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from commsguard.detectors.learned.semantic_model import load_semantic_model
from commsguard.detectors.learned.semantic_train import DECISIONS_FILE, train_semantic
from commsguard.policy import DEFAULT_PACK

POLITICAL = [
    "Vote Labor on Saturday, they're the only ones who care",
    "The Liberals have ruined this state, throw them out",
    "Proud to volunteer for the Greens campaign this weekend",
    "Doorknocking for our candidate in Richmond today",
    "The Premier is a disgrace and his party should be voted out",
    "Republicans will destroy social security if they win",
    "Democrats are the party of working families, vote blue",
    "The Tories have wrecked the economy, time for change",
    "Handing out how-to-vote cards for Labour at the school",
    "Donate to the Nationals campaign fund before Friday",
    "The Opposition leader is a joke, don't vote for his party",
    "Join me at the party fundraiser for our local MP",
]
BENIGN = [
    "Team lunch is at noon on Friday, everyone welcome",
    "Can you send me the report by Thursday please",
    "The printer on level 3 is out of toner again",
    "Great walk along the beach this morning",
    "Happy birthday to my wonderful sister",
    "Does anyone have a spare phone charger?",
    "The meeting has moved to the large room",
    "Loved the new cafe on Smith Street",
    "Reminder to submit timesheets by end of day",
    "What a party last night, my head hurts",
    "Our netball team won the grand final!",
    "Liberal amounts of butter make the best pastry",
]


def _pack(tmp_path: Path) -> Path:
    root = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, root)
    data = root / "data" / "semantic"
    rows = [{"text": t, "labels": ["apolitical"]} for t in POLITICAL]
    rows += [{"text": t, "labels": []} for t in BENIGN]
    (data / "tiny.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8"
    )
    settings = {
        "encoder": "static", "screen_encoder": None, "datasets": ["data/semantic/tiny.jsonl"],
        "external": [], "heads": ["apolitical"], "hidden": 0, "folds": 2,
        "budgets": {"pack": 0.1}, "min_threshold": 0.5, "output": "data/semantic/tiny.json",
        "examples": "data/semantic/tiny-examples.npz",
    }
    (data / "training.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    return root


def test_when_trained_twice_then_same_file_byte_for_byte(tmp_path: Path) -> None:
    root = _pack(tmp_path)
    first = train_semantic(root).output.read_bytes()
    second = train_semantic(root).output.read_bytes()
    assert first == second


def test_when_trained_then_threshold_keeps_benign_budget_out_of_fold(tmp_path: Path) -> None:
    root = _pack(tmp_path)
    report = train_semantic(root)
    [head] = report.heads
    assert head.positives == len(POLITICAL)
    assert head.benign_rates["pack"] <= 0.1
    model = load_semantic_model(report.output, root)
    assert model.heads["apolitical"].threshold == pytest.approx(head.threshold, abs=1e-4)
    assert set(model.bank.texts) == set(POLITICAL + BENIGN)  # the pack's own messages only


def test_when_decisions_exported_then_they_join_the_training_data(tmp_path: Path) -> None:
    root = _pack(tmp_path)
    decision = {"text": "Straight after the count I'm off to the party's victory bash",
                "labels": ["apolitical"], "only_for": ["apolitical"]}
    (root / DECISIONS_FILE).write_text(json.dumps(decision) + "\n", encoding="utf-8")
    report = train_semantic(root)
    assert report.sources["decisions"] == 1
    assert report.heads[0].positives == len(POLITICAL) + 1
    model = load_semantic_model(report.output, root)
    assert decision["text"] in model.bank.texts
