"""Helpers for the conduct detector tables: one rule of the default pack, test registers."""

from __future__ import annotations

from functools import cache

from commsguard.engine import Engine
from commsguard.models import Capacity, Message, Result
from commsguard.policy import load_pack
from commsguard.policy.selftest import test_registers


@cache
def engine_for(rule: str) -> Engine:
    pack = load_pack()
    register, authorisations = test_registers(pack)
    return Engine(pack, register=register, authorisations=authorisations, only_rules=[rule])


def check(
    rule: str,
    text: str,
    *,
    author: str = "",
    capacity: Capacity = "private",
    channel: str = "",
    profile: str = "",
) -> Result:
    message = Message(id="t", text=text, author=author, capacity=capacity, channel=channel,
                      profile=profile)
    return engine_for(rule).check(message)


def flagged(rule: str, text: str, **kwargs: str) -> bool:
    return any(f.rule == rule for f in check(rule, text, **kwargs).findings)  # type: ignore[arg-type]
