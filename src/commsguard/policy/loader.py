"""Load a policy pack from its directory, keeping file and line for every error."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from commsguard.errors import PackError, PackErrors, PackLocation
from commsguard.policy.schema import Clause, ClausesFile, PolicyMeta, Rule, RulesFile
from commsguard.policy.yamlfile import line_of, read_yaml, validation_errors

DEFAULT_PACK = Path(__file__).resolve().parent.parent / "packs" / "default"


@dataclass(frozen=True)
class Pack:
    """A validated policy pack."""

    root: Path
    meta: PolicyMeta
    clauses: dict[str, Clause]
    rules: tuple[Rule, ...]
    #: rule id -> where it is defined, for messages that point back at the pack.
    rule_locations: dict[str, PackLocation] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def version(self) -> str:
        return self.meta.version

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def to_dict(self) -> dict[str, Any]:
        """The whole pack as plain data: stored with each version, diffed between versions."""
        return {
            "policy": self.meta.model_dump(mode="json"),
            "clauses": [c.model_dump(mode="json") for c in self.clauses.values()],
            "rules": [r.model_dump(mode="json", by_alias=True) for r in self.rules],
        }

    @property
    def digest(self) -> str:
        raw = json.dumps(self.to_dict(), sort_keys=True).encode()
        return hashlib.sha256(raw).hexdigest()


def _validate(model: Any, data: Any, path: Path, errors: list[PackError]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors.extend(validation_errors(exc, path, data))
        return None


def load_pack(path: Path | str | None = None, *, collect_errors: bool = False) -> Pack:
    """Load and validate the pack at ``path`` (the default pack if None).

    With ``collect_errors`` every problem is gathered and raised together as
    :class:`PackErrors` (for ``pack lint``); otherwise the first problem is raised.
    """
    # Imported here: the registry imports detectors, which may import the loader's types.
    from commsguard.detectors import DETECTORS

    root = Path(path) if path is not None else DEFAULT_PACK
    errors: list[PackError] = []

    def fail(message: str, location: PackLocation) -> None:
        err = PackError(message, location)
        if not collect_errors:
            raise err
        errors.append(err)

    def check() -> None:
        if errors and not collect_errors:
            raise errors[0]

    if not root.is_dir():
        raise PackError("pack directory not found", PackLocation(str(root)))
    policy_path = root / "policy.yaml"
    meta_data = read_yaml(policy_path)
    meta: PolicyMeta | None = _validate(PolicyMeta, meta_data, policy_path, errors)
    check()

    clauses_path = root / "clauses.yaml"
    clauses_data = read_yaml(clauses_path)
    clauses_file: ClausesFile | None = _validate(ClausesFile, clauses_data, clauses_path, errors)
    check()
    clauses: dict[str, Clause] = {}
    if clauses_file:
        for i, clause in enumerate(clauses_file.clauses):
            if clause.id in clauses:
                fail(
                    f"duplicate clause id {clause.id!r}",
                    PackLocation(str(clauses_path), line_of(clauses_data, ["clauses", i]), "id"),
                )
            clauses[clause.id] = clause

    rules: list[Rule] = []
    locations: dict[str, PackLocation] = {}
    rule_files = sorted((root / "rules").glob("*.yaml"))
    if not rule_files:
        fail("a pack needs at least one rules/*.yaml file", PackLocation(str(root / "rules")))
    for rules_path in rule_files:
        data = read_yaml(rules_path)
        rf: RulesFile | None = _validate(RulesFile, data, rules_path, errors)
        check()
        if rf is None:
            continue
        for i, rule in enumerate(rf.rules):

            def where(
                *loc: str | int, _i: int = i, _p: Path = rules_path, _d: Any = data
            ) -> PackLocation:
                full: list[str | int] = ["rules", _i, *loc]
                return PackLocation(
                    str(_p), line_of(_d, full), f"rules[{_i}]" + "".join(f".{x}" for x in loc)
                )

            if rule.id in locations:
                fail(f"duplicate rule id {rule.id!r} (first at {locations[rule.id]})", where("id"))
            locations[rule.id] = where()
            if rule.clause not in clauses:
                fail(
                    f"rule {rule.id!r} cites unknown clause {rule.clause!r}; "
                    f"known clauses: {', '.join(clauses)}",
                    where("clause"),
                )
            detector = DETECTORS.get(rule.detector)
            if detector is None:
                fail(
                    f"unknown detector {rule.detector!r}; known detectors: "
                    f"{', '.join(sorted(DETECTORS))}",
                    where("detector"),
                )
            else:
                try:
                    detector.Params.model_validate(rule.params)
                except ValidationError as exc:
                    for err in exc.errors():
                        loc = [p for p in err["loc"] if isinstance(p, int | str)]
                        fail(err["msg"], where("params", *loc))
            if meta is not None and rule.enabled:
                for kind, got in (("flag", rule.examples.flag), ("pass", rule.examples.pass_)):
                    if len(got) < meta.min_examples:
                        fail(
                            f"rule {rule.id!r} has {len(got)} '{kind}' examples; "
                            f"a rule needs at least {meta.min_examples}",
                            where("examples"),
                        )
            rules.append(rule)
    if errors:
        raise errors[0] if len(errors) == 1 else PackErrors(errors)
    assert meta is not None
    return Pack(root=root, meta=meta, clauses=clauses, rules=tuple(rules), rule_locations=locations)
