"""``pack test``: a pack is its own test suite. Every rule's examples must behave."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from commsguard.engine import Engine
from commsguard.models import Message
from commsguard.policy.loader import Pack
from commsguard.policy.schema import Example, Rule
from commsguard.registers import (
    AuthorisationRegister,
    ConfidentialRegister,
    hash_entry,
    read_authorisations_csv,
    read_register_csv,
)


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    rule: str
    kind: str  # "flag" or "pass"
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class RuleReport:
    rule: str
    clause: str
    flagged: int
    passed: int
    failures: tuple[ExampleFailure, ...]

    @property
    def ok(self) -> bool:
        return not self.failures


def test_registers(pack: Pack) -> tuple[ConfidentialRegister, AuthorisationRegister]:
    """The pack's own example registers, hashed under a throwaway secret."""
    secret = secrets.token_bytes(32)
    register = ConfidentialRegister(secret=secret)
    if pack.meta.test_register:
        rows, _ = read_register_csv(str(pack.root / pack.meta.test_register))
        for kind, value in rows:
            register.add(hash_entry(secret, kind, value))
    auths = AuthorisationRegister()
    if pack.meta.test_authorisations:
        entries, _ = read_authorisations_csv(str(pack.root / pack.meta.test_authorisations))
        auths.entries.extend(entries)
    return register, auths


def _message(rule: Rule, i: int, kind: str, ex: Example) -> Message:
    return Message(
        id=f"{rule.id}:{kind}:{i}",
        text=ex.text,
        author=ex.author,
        capacity=ex.capacity,
        channel=ex.channel,
        profile=ex.profile,
    )


def run_pack_tests(pack: Pack, *, rules: list[str] | None = None) -> list[RuleReport]:
    """Run each rule's examples against that rule alone."""
    register, auths = test_registers(pack)
    reports = []
    for rule in pack.rules:
        if not rule.enabled or (rules and rule.id not in rules):
            continue
        engine = Engine(pack, register=register, authorisations=auths, only_rules=[rule.id])
        failures: list[ExampleFailure] = []
        flag_msgs = [_message(rule, i, "flag", ex) for i, ex in enumerate(rule.examples.flag)]
        pass_msgs = [_message(rule, i, "pass", ex) for i, ex in enumerate(rule.examples.pass_)]
        for ex, result in zip(rule.examples.flag, engine.check_many(flag_msgs), strict=True):
            hits = [f for f in result.findings if f.rule == rule.id]
            if not hits:
                failures.append(ExampleFailure(rule.id, "flag", ex.text, "not flagged"))
            elif ex.entity and not any(f.entity == ex.entity for f in hits):
                got = ", ".join(sorted({str(f.entity) for f in hits}))
                failures.append(
                    ExampleFailure(rule.id, "flag", ex.text, f"flagged as {got}, not {ex.entity}")
                )
        for ex, result in zip(rule.examples.pass_, engine.check_many(pass_msgs), strict=True):
            hits = [f for f in result.findings if f.rule == rule.id]
            if hits:
                spans = "; ".join(f"{f.evidence!r} ({f.confidence:.2f})" for f in hits)
                failures.append(ExampleFailure(rule.id, "pass", ex.text, f"flagged: {spans}"))
        reports.append(
            RuleReport(
                rule=rule.id,
                clause=rule.clause,
                flagged=len(rule.examples.flag),
                passed=len(rule.examples.pass_),
                failures=tuple(failures),
            )
        )
    return reports
