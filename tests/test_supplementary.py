"""The supplementary policy: learned findings stand only in messages no rule reported."""

from __future__ import annotations

from commsguard.models import Finding, NearMiss
from commsguard.supplementary import drop_supplementary

LEARNED = frozenset({"equity-diversity.learned", "apolitical.learned"})


def _finding(rule: str, clause: str, start: int = 0, end: int = 5) -> Finding:
    return Finding(clause=clause, rule=rule, detector=rule.split(".")[1], severity="review",
                   confidence=0.8, start=start, end=end, evidence="x", message="m",
                   suggestion="s")


def test_when_rule_reports_same_clause_then_learned_dropped_as_near_miss() -> None:
    rule = _finding("equity-diversity.bullying", "equity-diversity", 0, 10)
    learned = _finding("equity-diversity.learned", "equity-diversity", 20, 40)
    near: list[NearMiss] = []
    assert drop_supplementary([learned, rule], LEARNED, near) == [rule]
    assert [(n.rule, n.reason) for n in near] == [
        ("equity-diversity.learned",
         "clause 'equity-diversity' already reported by rule 'equity-diversity.bullying'")
    ]


def test_when_rule_reports_other_clause_then_learned_dropped_too() -> None:
    rule = _finding("public-trust.abuse", "public-trust")
    learned = _finding("equity-diversity.learned", "equity-diversity")
    near: list[NearMiss] = []
    assert drop_supplementary([rule, learned], LEARNED, near) == [rule]
    assert [n.reason for n in near] == ["message already reported by rule 'public-trust.abuse'"]


def test_when_only_learned_findings_then_all_kept() -> None:
    a = _finding("equity-diversity.learned", "equity-diversity")
    b = _finding("apolitical.learned", "apolitical")
    assert drop_supplementary([a, b], LEARNED, []) == [a, b]
