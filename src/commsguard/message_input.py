"""Messages as they arrive from outside (JSONL lines, API bodies), validated with pydantic."""

from __future__ import annotations

import json
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from commsguard.errors import InputError
from commsguard.models import Capacity, Message


class MessageIn(BaseModel):
    """A message to check. Only ``text`` is required."""

    model_config = ConfigDict(extra="ignore")

    id: str | int | None = Field(default=None, description="Your id; echoed in the result.")
    text: str = Field(description="The post, email or chat message to check.")
    author: str = ""
    capacity: Capacity = "private"
    channel: str = ""
    profile: str = Field(default="", description="The author's public bio, if any.")
    time: datetime | None = None

    def to_message(self, default_id: str) -> Message:
        return Message(
            id=str(self.id) if self.id is not None else default_id,
            text=self.text,
            author=self.author,
            capacity=self.capacity,
            channel=self.channel,
            profile=self.profile,
            time=self.time,
        )


def describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "message"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def parse_jsonl_line(line: str, *, line_no: int) -> Message:
    """One JSONL line as a message; an :class:`InputError` says which line and why."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"line {line_no}: not valid JSON ({exc.msg} at column {exc.colno})"
        ) from None
    if not isinstance(data, dict):
        raise InputError(f"line {line_no}: expected a JSON object, got {type(data).__name__}")
    try:
        return MessageIn.model_validate(data).to_message(default_id=f"line-{line_no}")
    except ValidationError as exc:
        raise InputError(f"line {line_no}: {describe(exc)}") from None
