"""``commsguard pack train``: the shipped model is exactly what its data and settings give."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from commsguard.cli.app import app
from commsguard.policy import DEFAULT_PACK

runner = CliRunner()
MODEL = Path("data") / "learned" / "model.json"


def test_when_default_pack_retrained_then_shipped_model_reproduced(tmp_path: Path) -> None:
    root = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, root)
    (root / MODEL).unlink()
    result = runner.invoke(app, ["pack", "train", str(root)])
    assert result.exit_code == 0, result.output
    assert "written" in result.output and "equity-diversity:" in result.output
    # If this fails, the training data or settings changed without `commsguard pack train`.
    assert (root / MODEL).read_bytes() == (DEFAULT_PACK / MODEL).read_bytes()


def test_when_settings_invalid_then_exit_1_naming_the_file(tmp_path: Path) -> None:
    root = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, root)
    settings = root / "data" / "learned" / "training.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "folds: 1\n", encoding="utf-8")
    result = runner.invoke(app, ["pack", "train", str(root)])
    assert result.exit_code == 1
    assert "training.yaml" in result.output
