"""The API's request and response models (``XCreate`` / ``XPublic`` / ``XsPublic``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from commsguard.message_input import MessageIn


def _utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes for timezone-aware columns; they were stored as UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


#: A timestamp always sent with its offset (RFC 3339), whichever database it came from.
Timestamp = Annotated[datetime, AfterValidator(_utc)]


class ExplanationPublic(BaseModel):
    detector: str
    pattern: str = ""
    base_score: float = 0.0
    context_boost: float = 0.0
    context_words: list[str] = []
    validation: str = ""
    notes: list[str] = []


class FindingResult(BaseModel):
    """A finding as the CLI's ``check --format json`` prints it."""

    clause: str
    rule: str
    detector: str
    severity: Literal["info", "review", "block"]
    confidence: float
    start: int
    end: int
    evidence: str
    message: str
    suggestion: str
    entity: str | None = None
    explanation: ExplanationPublic | None = None


class CheckResult(BaseModel):
    """One message's result, exactly as ``commsguard check --format json`` prints it."""

    id: str
    decision: Literal["ok", "review", "block"]
    findings: list[FindingResult]


class CheckBatch(BaseModel):
    messages: list[MessageIn] = Field(min_length=1, max_length=500)


class CheckResults(BaseModel):
    results: list[CheckResult]


class FindingPublic(BaseModel):
    id: int
    message_id: int
    clause: str
    rule: str
    detector: str
    severity: str
    confidence: float
    start: int
    end: int
    evidence: str
    message: str
    suggestion: str
    entity: str | None = None
    status: str
    assignee: str | None = None
    tags: list[str] = []
    created_at: Timestamp
    author: str
    author_pseudonymised: bool = False
    #: Who filed the check (a publishing tool's owner may file for another author).
    submitted_by: str = ""
    channel: str
    capacity: str


class FindingsPublic(BaseModel):
    data: list[FindingPublic]
    count: int


class GroupPublic(BaseModel):
    key: str
    rule: str
    evidence: str
    ids: list[int]


class QueuePublic(BaseModel):
    data: list[FindingPublic]
    count: int
    groups: list[GroupPublic] = []


class ReviewActionPublic(BaseModel):
    id: int
    actor: str
    action: str
    reason: str
    outcome: str
    created_at: Timestamp


class FindingDetail(FindingPublic):
    #: The message's text, confidential-register values masked unless revealed.
    text: str | None = None
    #: Whether something in ``text`` is masked (a reveal with a reason shows it).
    text_masked: bool = False
    history: list[ReviewActionPublic] = []


Action = Literal["assign", "tag", "note", "dismiss", "escalate", "breach", "reopen"]


class ActionIn(BaseModel):
    action: Action
    reason: str = Field(default="", max_length=4000)
    outcome: str = Field(default="", max_length=4000)
    assignee: str = Field(default="", max_length=200)
    tags: list[str] = Field(default=[], max_length=20)
    suppress: Literal["none", "person", "everyone"] = "none"


class BulkActionIn(ActionIn):
    ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(min_length=1, max_length=500)


class BulkResult(BaseModel):
    done: list[int]
    missing: list[int]


class FeedbackIn(BaseModel):
    justification: str = Field(min_length=1, max_length=4000)


class RevealIn(BaseModel):
    reason: str = Field(min_length=1, max_length=4000)


class CheckPublic(BaseModel):
    id: int
    checked_at: Timestamp
    author: str
    submitted_by: str = ""
    channel: str
    capacity: str
    decision: str
    origin: str
    text: str | None
    #: Whether confidential-register values in ``text`` are masked.
    text_masked: bool = False
    findings: list[FindingPublic]


class ChecksPublic(BaseModel):
    data: list[CheckPublic]
    count: int


class ClausePublic(BaseModel):
    id: str
    title: str
    text: str
    rules: list[str] = []


class ClausesPublic(BaseModel):
    data: list[ClausePublic]
    count: int


class MonthCount(BaseModel):
    month: str
    count: int


class ClauseSeries(BaseModel):
    clause: str
    months: list[MonthCount]


class AgeBucket(BaseModel):
    age: str
    count: int


class RuleRate(BaseModel):
    rule: str
    dismissed: int
    decided: int
    false_positive_rate: float


class DashboardPublic(BaseModel):
    findings_by_clause_month: list[ClauseSeries]
    backlog_by_age: list[AgeBucket]
    false_positive_rate: list[RuleRate]
    totals: dict[str, int]


class UserPublic(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    active: bool
    created_at: Timestamp
    last_login_at: Timestamp | None = None


class UsersPublic(BaseModel):
    data: list[UserPublic]
    count: int


Role = Literal["staff", "manager", "reviewer", "communications", "it", "admin"]


class UserCreate(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    role: Role
    password: str = Field(min_length=10, max_length=1024)
    display_name: str = Field(default="", max_length=200)


class UserUpdate(BaseModel):
    role: Role | None = None
    active: bool | None = None
    display_name: str | None = Field(default=None, max_length=200)


Scope = Literal["check", "read", "review", "admin", "check:on-behalf"]


class TokenCreate(BaseModel):
    name: str = Field(default="", max_length=200)
    scopes: list[Scope] = Field(default=["check"], min_length=1)


class TokenPublic(BaseModel):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    owner: str
    created_at: Timestamp
    last_used_at: Timestamp | None = None
    revoked_at: Timestamp | None = None


class TokenCreated(TokenPublic):
    token: str = Field(description="The token itself; shown once, never stored.")


class TokensPublic(BaseModel):
    data: list[TokenPublic]
    count: int


class AuditEntryPublic(BaseModel):
    seq: int
    at: Timestamp
    actor: str
    action: str
    target: str
    detail: dict[str, object]
    hash: str


class AuditPublic(BaseModel):
    data: list[AuditEntryPublic]
    count: int


class AuditProblem(BaseModel):
    seq: int
    reason: str


class AuditVerification(BaseModel):
    ok: bool
    entries: int
    head: str
    #: ``COUNT:HASH``: keep a copy elsewhere and check it with ``audit verify --expect-head``.
    head_line: str = ""
    problems: list[AuditProblem]
