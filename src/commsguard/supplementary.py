"""Supplementary findings: a safety net that speaks only where the rules are silent.

A supplementary detector (the learned model) guesses clauses from a message as a whole. The
policy: **its findings stand only in a message where no rule-based finding was reported.**

* Same clause: a rule already reports it, with evidence a pattern can point at; a second,
  vaguer finding for the same clause adds nothing a reviewer needs.
* Another clause: the message already goes to review, where the reviewer reads all of it.
  Measured on eval/dev.jsonl and eval/fresh.jsonl, the model's extra clauses on messages the
  rules had flagged were more often wrong than right (e.g. "equity-diversity" on a message
  that leaks a colleague's IVF, labelled privacy only), so dropping them raised macro-F1 on
  both sets and kept the dev false-positive target.

Dropped findings are kept as near misses (shown by ``--explain``), naming the rule that
made them redundant, so nothing the model saw is hidden from a reviewer who asks. Without
``--explain`` the engine does not even run supplementary rules on messages another rule
flagged (``Engine.check_many``): the same findings, for a fraction of the time.
"""

from __future__ import annotations

from collections.abc import Collection

from commsguard.models import Finding, NearMiss


def drop_supplementary(
    findings: list[Finding], supplementary: Collection[str], near: list[NearMiss]
) -> list[Finding]:
    """``findings`` without the supplementary ones when any other rule reported a finding.

    ``supplementary`` holds rule ids; each dropped finding is added to ``near`` with the rule
    that made it redundant (one of the same clause if there is one).
    """
    by_clause: dict[str, str] = {}
    for f in findings:
        if f.rule not in supplementary:
            by_clause.setdefault(f.clause, f.rule)
    if not by_clause:
        return findings
    first = next(iter(by_clause.values()))
    kept: list[Finding] = []
    for f in findings:
        if f.rule not in supplementary:
            kept.append(f)
            continue
        covering = by_clause.get(f.clause)
        reason = (
            f"clause {f.clause!r} already reported by rule {covering!r}"
            if covering is not None
            else f"message already reported by rule {first!r}"
        )
        near.append(NearMiss(f.rule, f.detector, f.start, f.end, f.evidence, reason))
    return kept
