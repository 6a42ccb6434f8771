"""``commsguard pack train``: the shipped model is exactly what its data and settings give."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from commsguard.cli.app import app
from commsguard.policy import DEFAULT_PACK

runner = CliRunner()
MODEL = Path("data") / "learned" / "model.json"


def test_when_default_pack_retrained_then_shipped_model_reproduced(
    tmp_path: Path, shared_dir: Path
) -> None:
    # The n-gram tier trains on the shared Enron set's training split too (skips without it).
    root = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, root)
    (root / MODEL).unlink()
    # A fresh process, as a user runs it: libraries loaded by other tests (onnxruntime's
    # floating-point settings, BLAS pools) may move a weight's fourth decimal in this one.
    result = subprocess.run(
        [sys.executable, "-c", "from commsguard.cli.app import main; main()",
         "pack", "train", "--tier", "learned", str(root)],
        capture_output=True, text=True, check=False, env={**os.environ, "COLUMNS": "200"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "written" in result.stdout and "equity-diversity:" in result.stdout
    # If this fails, the training data or settings changed without `commsguard pack train`.
    # Weights are written to 4 decimals, and a weight that falls on a rounding tie may round
    # either way under another BLAS set-up (a Dask test in the same session sets its thread
    # variables), so numbers may differ by one unit in the last place; nothing else may.
    got = json.loads((root / MODEL).read_text(encoding="utf-8"))
    shipped = json.loads((DEFAULT_PACK / MODEL).read_text(encoding="utf-8"))
    assert _differences(got, shipped) == []


def _differences(a: object, b: object, where: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [f"{where}: keys {sorted(set(a) ^ set(b))[:5]}"]
        return [d for k in a for d in _differences(a[k], b[k], f"{where}.{k}")][:5]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items vs {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in
                _differences(x, y, f"{where}[{i}]")][:5]
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool):
        return [] if abs(a - b) <= 1.01e-4 else [f"{where}: {a} vs {b}"]
    return [] if a == b else [f"{where}: {a!r} vs {b!r}"]


def test_when_settings_invalid_then_exit_1_naming_the_file(tmp_path: Path) -> None:
    root = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, root)
    settings = root / "data" / "learned" / "training.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "folds: 1\n", encoding="utf-8")
    result = runner.invoke(app, ["pack", "train", "--tier", "learned", str(root)])
    assert result.exit_code == 1
    assert "training.yaml" in result.output


def test_when_semantic_tier_retrained_from_decisions_then_they_join_and_figures_print(
    installation: str, tmp_path: Path
) -> None:
    import json

    import yaml

    from commsguard.models import Finding, Message, Result
    from commsguard.store import crud
    from commsguard.store.db import session_scope
    from commsguard.workflows import review
    from commsguard.workflows.installation import database

    root = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, root)
    data = root / "data" / "semantic"
    rows = [{"text": f"Vote for the party of working families, volume {i}",
             "labels": ["apolitical"]} for i in range(8)]
    rows += [{"text": f"The printer on level {i} is out of toner", "labels": []}
             for i in range(8)]
    (data / "tiny.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    (data / "training.yaml").write_text(yaml.safe_dump({
        "encoder": "static", "screen_encoder": None, "datasets": ["data/semantic/tiny.jsonl"],
        "external": [], "heads": ["apolitical"], "hidden": 0, "folds": 2,
        "budgets": {"pack": 0.2}, "output": "data/semantic/tiny.json",
        "examples": "data/semantic/tiny-examples.npz"}), encoding="utf-8")
    text = "Straight after the count I'm off to the party's victory bash"
    with session_scope(database()) as s:
        f = Finding(clause="apolitical", rule="apolitical.semantic", detector="semantic",
                    severity="review", confidence=0.9, start=0, end=len(text), evidence=text,
                    message="m", suggestion="s")
        _, found, _ = crud.save_result(s, message=Message(id="1", text=text),
                                       result=Result("1", "review", (f,)), pack_version="1",
                                       submitted_by="ann")
        review.record_breach(s, finding=found[0], actor="rita", outcome="removed")
    result = runner.invoke(app, ["pack", "train", "--tier", "semantic", "--from-decisions",
                                 str(root)])
    assert result.exit_code == 0, result.output
    assert "decisions: 1 breaches, 0 dismissals" in result.output
    assert "semantic: 17 examples" in result.output and "apolitical: 9 positive" in result.output
