"""Meta-tests that keep the house honest: registries are tested and documented, exports sorted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import commsguard
from commsguard.detectors import DETECTORS
from commsguard.ingest import READERS

REPO = Path(__file__).resolve().parents[1]


def _headings(doc: str) -> set[str]:
    text = (REPO / "docs" / doc).read_text(encoding="utf-8")
    return set(re.findall(r"^## (\S+)$", text, re.MULTILINE))


@pytest.mark.parametrize("name", sorted(DETECTORS))
def test_every_detector_has_tests_and_docs(name: str) -> None:
    module = DETECTORS[name].__module__.rsplit(".", 1)[-1]
    # A detector in a package (detectors/learned/detector.py) is tested under its own name.
    tests = REPO / "tests" / "detectors"
    assert (tests / f"test_{module}.py").is_file() or (tests / f"test_{name}.py").is_file(), (
        module
    )
    assert name in _headings("detectors.md"), f"docs/detectors.md has no '## {name}'"


@pytest.mark.parametrize("name", sorted(READERS))
def test_every_reader_has_tests_and_docs(name: str) -> None:
    module = READERS[name].__module__.rsplit(".", 1)[-1]
    assert (REPO / "tests" / "ingest" / f"test_{module}.py").is_file(), module
    assert name in _headings("readers.md"), f"docs/readers.md has no '## {name}'"


def test_every_detector_is_used_by_the_default_pack() -> None:
    # A registered detector no rule uses is dead weight (or a rule someone forgot to write).
    used = {rule.detector for rule in commsguard.load_pack().rules}
    assert set(DETECTORS) - used == set()


def test_public_names_are_sorted_and_importable() -> None:
    assert commsguard.__all__ == sorted(commsguard.__all__)
    for name in commsguard.__all__:
        assert hasattr(commsguard, name), name


def test_source_files_stay_short() -> None:
    # Long files hide more than one idea; 700 lines is the hard stop, ~400 the aim.
    long = {
        str(p.relative_to(REPO)): n
        for p in (REPO / "src").rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 700
    }
    assert long == {}
