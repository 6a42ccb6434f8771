"""The reader registry: every reader is tested, and detection picks the right one."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_golden import CORPUS

from commsguard.errors import UnknownReaderError
from commsguard.ingest import READERS, detect_reader, get_reader

HERE = Path(__file__).parent


@pytest.mark.parametrize("name", sorted(READERS))
def test_when_reader_is_registered_then_it_has_a_test_module(name: str) -> None:
    module = READERS[name].__module__.rsplit(".", 1)[-1]
    assert (HERE / f"test_{module}.py").is_file(), f"reader {name!r} has no test_{module}.py"


@pytest.mark.parametrize("name", sorted(READERS))
def test_when_reader_is_registered_then_its_name_and_channel_are_set(name: str) -> None:
    cls = READERS[name]
    assert cls.name == name
    assert cls.description and cls.channel


def test_when_name_is_unknown_then_error_lists_known_readers() -> None:
    with pytest.raises(UnknownReaderError, match="known readers: .*mbox"):
        get_reader("nope")


@pytest.mark.shared
@pytest.mark.parametrize(("rel", "expected"), sorted(CORPUS.items()))
def test_when_real_file_is_detected_then_the_right_reader_is_named(
    real_corpus: Path, rel: str, expected: str | None
) -> None:
    assert detect_reader(real_corpus / rel) == expected


@pytest.mark.shared
def test_when_corpus_gains_a_file_then_it_is_listed_here(real_corpus: Path) -> None:
    on_disk = {str(p.relative_to(real_corpus)) for p in real_corpus.rglob("*") if p.is_file()} - {
        "SOURCES.md"
    }
    assert on_disk == set(CORPUS)
