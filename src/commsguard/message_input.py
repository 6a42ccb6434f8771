"""Messages as they arrive from outside (JSONL lines, API bodies), validated with pydantic."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from commsguard.errors import InputError
from commsguard.models import Capacity, Message

#: Field maxima, in characters: a long email fits; a request that would fill the store does not.
MAX_TEXT = 100_000
MAX_ID = 200
MAX_AUTHOR = 200
MAX_CHANNEL = 100
MAX_PROFILE = 2_000


def valid_unicode(value: str) -> str:
    """``value`` if it can be stored as UTF-8; a lone surrogate (``"\\ud800"`` in JSON) is
    refused as a validation error, not a server error when it reaches the database."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("not valid Unicode text (it contains a lone surrogate)") from None
    return value


class MessageIn(BaseModel):
    """A message to check. Only ``text`` is required."""

    model_config = ConfigDict(extra="ignore")

    id: Annotated[str, Field(max_length=MAX_ID)] | int | None = Field(
        default=None, description="Your id; echoed in the result."
    )
    text: str = Field(description="The post, email or chat message to check.",
                      max_length=MAX_TEXT)
    author: str = Field(default="", max_length=MAX_AUTHOR)
    capacity: Capacity = "private"
    channel: str = Field(default="", max_length=MAX_CHANNEL)
    profile: str = Field(default="", description="The author's public bio, if any.",
                         max_length=MAX_PROFILE)
    time: datetime | None = None

    @field_validator("id", "text", "author", "channel", "profile")
    @classmethod
    def _unicode(cls, value: object) -> object:
        return valid_unicode(value) if isinstance(value, str) else value

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
