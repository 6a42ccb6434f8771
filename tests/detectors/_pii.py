"""Helpers for the PII tables: all the default pack's PII rules at once, as the engine runs them."""

from __future__ import annotations

from commsguard.engine import Engine
from commsguard.models import Message, Result
from commsguard.policy import load_pack

PACK = load_pack()
PII_RULES = [r.id for r in PACK.rules if r.detector == "pii"]
Spans = list[tuple[str, str]]


def pii_engine() -> Engine:
    """An engine of just the PII rules (each test module holds one in a fixture)."""
    return Engine(PACK, only_rules=PII_RULES)


def check(engine: Engine, text: str, *, explain: bool = False) -> Result:
    return engine.check(Message(id="t", text=text), explain=explain)


def spans(engine: Engine, text: str) -> Spans:
    return [(str(f.entity), text[f.start : f.end]) for f in check(engine, text).findings]


def near(engine: Engine, text: str) -> list[tuple[str, str, str]]:
    result = check(engine, text, explain=True)
    return [(str(n.entity), n.evidence, n.reason) for n in result.near_misses]
