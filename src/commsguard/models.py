"""The engine's data: a message in, findings and a decision out.

Frozen dataclasses with no I/O, so that readers, the engine, the store and the web layer can pass
them around freely. Everything here is plain data; behaviour lives in the engine and detectors.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Capacity = Literal["official", "private"]
CAPACITIES: tuple[Capacity, ...] = ("official", "private")

Severity = Literal["info", "review", "block"]
SEVERITIES: tuple[Severity, ...] = ("info", "review", "block")

Decision = Literal["ok", "review", "block"]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a message came from: a file and a position inside it (line, byte, entry name)."""

    path: str
    position: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.position}" if self.position else self.path


@dataclass(frozen=True, slots=True)
class Attachment:
    """An attachment listed by a reader; its content is not checked."""

    name: str
    content_type: str = ""
    size: int | None = None


@dataclass(frozen=True, slots=True)
class Message:
    """One post, email, chat message or SMS to check.

    ``capacity`` is whether the author speaks in an official or a private capacity; the policy
    treats the two differently. ``profile`` is the author's public bio, which matters because a
    bio naming the employer connects private comment to the office.
    """

    id: str
    text: str
    author: str = ""
    capacity: Capacity = "private"
    channel: str = ""
    profile: str = ""
    time: datetime | None = None
    thread: str | None = None
    source: Source | None = None
    attachments: tuple[Attachment, ...] = ()

    def __post_init__(self) -> None:
        if self.capacity not in CAPACITIES:
            raise ValueError(
                f"capacity must be one of {', '.join(CAPACITIES)}, not {self.capacity!r}"
            )

    @property
    def content_hash(self) -> str:
        """A stable key for the message's content, so a rescan never stores it twice."""
        h = hashlib.sha256()
        for part in (
            self.author,
            self.channel,
            self.time.isoformat() if self.time else "",
            self.thread or "",
            self.text,
        ):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\x1f")
        return h.hexdigest()


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a detector raised (or nearly raised) a finding: enough for a reviewer to judge it."""

    detector: str
    pattern: str = ""
    base_score: float = 0.0
    context_boost: float = 0.0
    context_words: tuple[str, ...] = ()
    validation: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """One breach (or possible breach) of a clause, located in the message text."""

    clause: str
    rule: str
    detector: str
    severity: Severity
    confidence: float
    start: int
    end: int
    evidence: str
    message: str
    suggestion: str
    entity: str | None = None
    explanation: Explanation | None = None

    def to_dict(self, *, explain: bool = False) -> dict[str, object]:
        out: dict[str, object] = {
            "clause": self.clause,
            "rule": self.rule,
            "detector": self.detector,
            "severity": self.severity,
            "confidence": round(self.confidence, 3),
            "start": self.start,
            "end": self.end,
            "evidence": self.evidence,
            "message": self.message,
            "suggestion": self.suggestion,
        }
        if self.entity is not None:
            out["entity"] = self.entity
        if explain and self.explanation is not None:
            out["explanation"] = explanation_dict(self.explanation)
        return out


@dataclass(frozen=True, slots=True)
class NearMiss:
    """A place where a rule came close but did not fire, with the reason (for ``--explain``)."""

    rule: str
    detector: str
    start: int
    end: int
    evidence: str
    reason: str
    entity: str | None = None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "rule": self.rule,
            "detector": self.detector,
            "start": self.start,
            "end": self.end,
            "evidence": self.evidence,
            "reason": self.reason,
        }
        if self.entity is not None:
            out["entity"] = self.entity
        return out


@dataclass(frozen=True, slots=True)
class Result:
    """The engine's answer for one message."""

    message_id: str
    decision: Decision
    findings: tuple[Finding, ...] = ()
    near_misses: tuple[NearMiss, ...] = field(default=())

    def to_dict(self, *, explain: bool = False) -> dict[str, object]:
        out: dict[str, object] = {
            "id": self.message_id,
            "decision": self.decision,
            "findings": [f.to_dict(explain=explain) for f in self.findings],
        }
        if explain:
            out["near_misses"] = [n.to_dict() for n in self.near_misses]
        return out


def explanation_dict(e: Explanation) -> dict[str, object]:
    return {
        "detector": e.detector,
        "pattern": e.pattern,
        "base_score": round(e.base_score, 3),
        "context_boost": round(e.context_boost, 3),
        "context_words": list(e.context_words),
        "validation": e.validation,
        "notes": list(e.notes),
    }
