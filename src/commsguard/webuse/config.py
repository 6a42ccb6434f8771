"""Thresholds for "occasional and brief", loaded from the pack's ``webuse.yaml``.

The policy says reasonable personal use of work resources is "occasional and brief"; the pack
turns that into numbers the organisation sets. Everything is validated with pydantic and a bad
file raises :class:`~commsguard.errors.PackError` naming the file and the field.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from commsguard.errors import PackError, PackLocation

DEFAULT_PACK = Path(__file__).resolve().parents[1] / "packs" / "default"

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Thresholds(_Strict):
    """Over any of these in a day (or week) is a finding for review."""

    minutes_per_day: Annotated[float, Field(gt=0)] = 30
    sessions_per_day: Annotated[int, Field(gt=0)] = 10
    longest_session_minutes: Annotated[float, Field(gt=0)] = 15
    minutes_per_week: Annotated[float | None, Field(gt=0)] = 120


class SessionRules(_Strict):
    """How requests become sessions."""

    idle_gap_minutes: Annotated[float, Field(gt=0)] = 5
    page_view_seconds: Annotated[float, Field(ge=0)] = 60

    @property
    def idle_gap_seconds(self) -> float:
        return self.idle_gap_minutes * 60


class WorkingHours(_Strict):
    """When the working day is, in the office's time zone."""

    timezone: str = "Australia/Melbourne"
    start: time = time(8, 30)
    end: time = time(17, 30)
    days: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")
    count_outside_hours: bool = False

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}; write an IANA name such as "
                "'timezone: Australia/Melbourne'"
            ) from None
        return value

    @model_validator(mode="after")
    def _start_before_end(self) -> WorkingHours:
        if self.start >= self.end:
            raise ValueError(
                f"working_hours.start ({self.start:%H:%M}) must be before end "
                f'({self.end:%H:%M}), e.g.\n  start: "08:30"\n  end: "17:30"'
            )
        return self

    @property
    def weekday_numbers(self) -> tuple[int, ...]:
        """ISO weekday numbers (Monday is 1) of the working days."""
        return tuple(WEEKDAYS.index(d) + 1 for d in self.days)


class WebUseConfig(_Strict):
    """The whole ``webuse.yaml``."""

    version: Literal[1] = 1
    clause: str = "work-resources"
    rule: str = "work-resources.occasional-and-brief"
    thresholds: Thresholds = Thresholds()
    sessions: SessionRules = SessionRules()
    working_hours: WorkingHours = WorkingHours()
    background_domains: tuple[str, ...] = ()
    ignored_statuses: tuple[int, ...] = (403, 407)

    @field_validator("background_domains")
    @classmethod
    def _lower(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(d.strip().lower().rstrip(".") for d in value)


def load_config(path: Path | None = None) -> WebUseConfig:
    """Load ``webuse.yaml`` (the default pack's when ``path`` is None)."""
    path = path or DEFAULT_PACK / "webuse.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise PackError(f"cannot read web use settings: {e}", PackLocation(str(path))) from e
    try:
        return WebUseConfig.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        where = PackLocation(str(path), _line_of(path, first["loc"]), field)
        raise PackError(first["msg"], where) from None


def _line_of(path: Path, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line in ``path`` of the value at ``loc`` (or its nearest parent)."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    line = None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            found = [(k, v) for k, v in node.value if k.value == key]
            if not found:
                break
            node = found[0][1]
            line = found[0][0].start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line
