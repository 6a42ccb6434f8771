"""The systems the benchmark compares, in an explicit registry.

* ``commsguard-pii``: the engine with the pack's personal-information rules only (the rules of
  the ``pii`` detector, or those defined in a ``*personal-information*`` rules file);
* ``presidio``: Presidio's AnalyzerEngine, patterns only (:mod:`.presidio_runner`);
* ``commsguard-full``: the engine with every enabled rule of the pack, and the pack's example
  registers loaded, so the register detector does real work;
* ``commsguard-rules``: the same without the model tiers' ``semantic`` rules, so the meaning
  tier's cost shows side by side with the pack it joins.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from commsguard.benchmark.generate import ENTITIES, Post
from commsguard.benchmark.runner import Found, Runner
from commsguard.models import Message, Result

#: The batch size ``commsguard check --format jsonl`` uses.
BATCH = 256
PII_DETECTORS = frozenset({"pii", "personal-information"})


class NoRulesError(LookupError):
    """The pack has no personal-information rules (yet)."""


def pii_rule_ids(pack: Any) -> list[str]:
    """The ids of the pack's personal-information rules."""
    ids = []
    for rule in pack.rules:
        where = str(pack.rule_locations.get(rule.id, ""))
        if rule.enabled and (rule.detector in PII_DETECTORS or "personal-information" in where):
            ids.append(rule.id)
    return ids


def _entities(result: Result) -> list[Found]:
    return [(f.entity, f.start, f.end) for f in result.findings if f.entity is not None]


class CommsguardRunner(Runner):
    def __init__(self, *, pii_only: bool, without: frozenset[str] = frozenset()) -> None:
        from commsguard.engine import Engine
        from commsguard.policy import load_pack
        from commsguard.policy.selftest import test_registers

        pack = load_pack()
        register, authorisations = test_registers(pack)
        only: list[str] | None = None
        if pii_only:
            only = pii_rule_ids(pack)
            if not only:
                raise NoRulesError(
                    f"the pack {pack.name} {pack.version} has no personal-information rules"
                )
        elif without:
            only = [r.id for r in pack.rules if r.enabled and r.detector not in without]
        self.engine = Engine(pack, register=register, authorisations=authorisations,
                             only_rules=only)
        # Warmed as a server warms it (``Engine.warm``: models loaded, pattern prefilter
        # compiled), so that no timed pass pays a one-off load. The PII rules use no model.
        if pii_only:
            self.engine.context.prefilter.warm()
        else:
            self.engine.warm()
        self.rules = len(self.engine.rules)
        entities = {str(r.params.get("entity")) for r in self.engine.rules
                    if r.params.get("entity") in ENTITIES}
        self.supported = frozenset(entities)
        self.label = (
            "commsguard, PII rules" if pii_only
            else f"commsguard, full pack without {', '.join(sorted(without))}" if without
            else "commsguard, full pack"
        )
        self.note = f"{self.rules} rules, batches of {BATCH}"

    def prepare(self, posts: Sequence[Post]) -> list[Any]:
        return [p.to_message() for p in posts]

    def batch(self, items: Sequence[Message]) -> list[list[Found]]:
        out: list[list[Found]] = []
        for i in range(0, len(items), BATCH):
            out.extend(_entities(r) for r in self.engine.check_many(items[i : i + BATCH]))
        return out

    def one(self, item: Message) -> list[Found]:
        return _entities(self.engine.check(item))


def _presidio() -> Runner:
    from commsguard.benchmark.presidio_runner import PresidioRunner

    return PresidioRunner()


SYSTEMS: dict[str, Callable[[], Runner]] = {
    "commsguard-pii": lambda: CommsguardRunner(pii_only=True),
    "presidio": _presidio,
    "commsguard-full": lambda: CommsguardRunner(pii_only=False),
    "commsguard-rules": lambda: CommsguardRunner(pii_only=False, without=frozenset({"semantic"})),
}
