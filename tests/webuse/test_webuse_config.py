from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from commsguard.errors import PackError
from commsguard.webuse.config import load_config


def test_when_default_pack_then_thresholds_load() -> None:
    config = load_config()
    assert config.thresholds.minutes_per_day == 30
    assert config.sessions.idle_gap_minutes == 5
    assert config.sessions.idle_gap_seconds == 300
    assert config.working_hours.start == time(8, 30)
    assert config.working_hours.weekday_numbers == (1, 2, 3, 4, 5)
    assert "fastly.net" in config.background_domains


@pytest.mark.parametrize(
    ("yaml_text", "match"),
    [
        ("working_hours: {start: '18:00', end: '09:00'}", r"must be before end"),
        ("working_hours: {timezone: Mars/Olympus}", r"unknown time zone 'Mars/Olympus'"),
        ("thresholds: {minutes_per_day: 0}", r"thresholds.minutes_per_day"),
        (
            "sessions:\n  page_view_seconds: 1\n  idle_gap_minutes: -1",
            r"webuse.yaml:3 \(sessions.idle_gap_minutes\)",
        ),
        ("thresholds: {minutes_a_day: 10}", r"minutes_a_day"),
    ],
)
def test_when_settings_invalid_then_pack_error_says_where(
    tmp_path: Path, yaml_text: str, match: str
) -> None:
    path = tmp_path / "webuse.yaml"
    path.write_text(yaml_text + "\n", encoding="utf-8")
    with pytest.raises(PackError, match=match):
        load_config(path)
