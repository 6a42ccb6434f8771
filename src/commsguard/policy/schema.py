"""The policy pack's shape, validated with pydantic.

A pack is a directory::

    policy.yaml        name, version, effective date, source, thresholds, roles
    clauses.yaml       the clauses, each quoting the policy's own words
    rules/*.yaml       rules: which detector, its parameters, severities, examples
    data/*             lists the rules' parameters point at (parties, councils, words)
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from commsguard.models import Capacity, Severity

_ID = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            f"{value!r} is not a valid id: use lower-case letters, digits, '-' and '.', "
            "e.g. 'public-trust.phone-number'"
        )
    return value


class Clause(_Strict):
    id: str
    title: str
    text: str = Field(min_length=1, description="The clause's own words, quoted from the policy.")

    _id = field_validator("id")(_check_id)


class Severities(_Strict):
    """The severity in each capacity: the policy is stricter on official accounts.

    ``channels`` overrides both for messages on those channels: e.g. abuse in an official
    post blocks, but in a work e-mail to a colleague (``channels: {email: review}``) it goes
    to review, since a correspondence is not a publication and a reviewer should judge it.
    """

    official: Severity
    private: Severity
    channels: dict[str, Severity] = Field(default_factory=dict)

    def for_capacity(self, capacity: Capacity, channel: str = "") -> Severity:
        if self.channels and channel:
            found = self.channels.get(channel.lower())
            if found is not None:
                return found
        return self.official if capacity == "official" else self.private


class Example(_Strict):
    """A message that a rule must flag (or must not). A bare string is the text alone."""

    text: str
    capacity: Capacity = "private"
    author: str = ""
    channel: str = ""
    profile: str = ""
    entity: str | None = None
    note: str = ""

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value


class Examples(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    flag: list[Example] = Field(default_factory=list)
    pass_: list[Example] = Field(default_factory=list, alias="pass")


class Context(_Strict):
    """Words near a match that raise or lower confidence (``raise`` / ``lower``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    raise_: list[str] = Field(default_factory=list, alias="raise")
    lower: list[str] = Field(default_factory=list)
    #: How many characters either side of the match to look in.
    window: int = Field(default=40, ge=0, le=400)
    boost: float = Field(default=0.2, ge=0, le=1)
    penalty: float = Field(default=0.5, ge=0, le=1)


class Rule(_Strict):
    id: str
    clause: str
    detector: str
    title: str = ""
    params: dict[str, Any] = Field(default_factory=dict)
    severity: Severities
    message: str
    suggestion: str
    context: Context = Field(default_factory=Context)
    enabled: bool = True
    examples: Examples = Field(default_factory=Examples)

    _id = field_validator("id")(_check_id)


class Thresholds(_Strict):
    """Confidence a finding needs to be reported, to ask for review, and to block."""

    report: float = Field(default=0.3, ge=0, le=1)
    review: float = Field(default=0.4, ge=0, le=1)
    block: float = Field(default=0.6, ge=0, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if not self.report <= self.review <= self.block:
            raise ValueError(
                "thresholds must satisfy report <= review <= block, e.g.\n"
                "thresholds:\n  report: 0.3\n  review: 0.4\n  block: 0.6"
            )
        return self


class Role(_Strict):
    id: str
    title: str
    description: str = ""


class PolicyMeta(_Strict):
    name: str
    version: str
    effective: date
    source: str
    organisation: str = ""
    description: str = ""
    thresholds: Thresholds = Field(default_factory=Thresholds)
    roles: list[Role] = Field(default_factory=list)
    #: Other policies the pack refers to by name, e.g. {"valuing-staff": "Valuing Staff Policy"}.
    related_policies: dict[str, str] = Field(default_factory=dict)
    #: Registers used only by ``pack test``, so register-driven rules can have examples.
    test_register: str | None = None
    test_authorisations: str | None = None
    #: The fewest examples of each kind a rule must carry.
    min_examples: int = Field(default=5, ge=0)


class ClausesFile(_Strict):
    clauses: list[Clause]


class RulesFile(_Strict):
    rules: list[Rule]
