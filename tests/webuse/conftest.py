"""Fixtures for the web use tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from commsguard.config import Settings, get_settings
from commsguard.store.db import dispose_engines
from commsguard.workflows.installation import init_installation


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, list[str]], Path]:
    def _write(name: str, lines: list[str]) -> Path:
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return _write


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database, built once and copied for each test."""
    root = tmp_path_factory.mktemp("webuse-db")
    settings = Settings(database_url=f"sqlite:///{root / 'cg.db'}",
                        secret_file=root / "cg.secret")
    init_installation(settings)
    dispose_engines()
    return root


@pytest.fixture
def db(template_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    shutil.copy(template_db / "cg.db", tmp_path / "cg.db")
    shutil.copy(template_db / "cg.secret", tmp_path / "cg.secret")
    url = f"sqlite:///{tmp_path / 'cg.db'}"
    monkeypatch.setenv("COMMSGUARD_DATABASE_URL", url)
    monkeypatch.setenv("COMMSGUARD_SECRET_FILE", str(tmp_path / "cg.secret"))
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
    dispose_engines()
