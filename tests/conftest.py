"""Fixtures shared by the whole suite: the shared corpus beside the checkout, and PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the checkout; tests that need it skip, saying why, where it is absent."""
    if not (SHARED / "corpus" / "real").is_dir():
        pytest.skip(f"{SHARED} is absent: the shared corpus is not beside this clone")
    return SHARED


@pytest.fixture(scope="session")
def real_corpus(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "real"


@pytest.fixture(scope="session")
def policy_text(shared_dir: Path) -> str:
    return (shared_dir / "policy" / "social-media-policy.txt").read_text(encoding="utf-8")


def postgres_url() -> str:
    return os.environ.get(
        "COMMSGUARD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
