"""The engine: a message in, findings and a decision out.

Pure: no database, no globals, no I/O after construction. ``Engine(pack)`` builds every
detector and context matcher once; ``check`` then runs them with no per-message set-up, in time
linear in the text's length.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from commsguard.attribution import not_the_authors, structure_for
from commsguard.detectors import build_detector
from commsguard.detectors.base import Detector, DetectorContext, Hit
from commsguard.models import Decision, Finding, Message, NearMiss, Result
from commsguard.policy.loader import Pack
from commsguard.policy.schema import Rule
from commsguard.registers import AuthorisationRegister, ConfidentialRegister
from commsguard.structure import Structure
from commsguard.supplementary import drop_supplementary
from commsguard.text import OWN_NUMBER


def _word_regex(words: Sequence[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class _CompiledRule:
    rule: Rule
    detector: Detector
    raise_words: re.Pattern[str] | None
    lower_words: re.Pattern[str] | None


# A sentence ends at . ! ? followed by space and a capital, or at a line break. "order no. 123"
# does not end one (a digit follows), so "no." still lowers the number after it.
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*\s+(?=[A-Z])|\n\s*\n|\n(?=\s*[-*•\w])")


def _nearest_context(
    text: str, start: int, end: int, window: int, compiled: _CompiledRule
) -> tuple[str, bool] | None:
    """The context word nearest the match, within its sentence and ``window`` characters.

    Returns the word and whether it lowers confidence. The nearest word wins, so "my ABN is …
    for the invoice" keeps "ABN"; words in a neighbouring sentence ("In that order.") never
    count. Only the window is searched, so long texts stay linear.
    """
    lo, hi = max(0, start - window), min(len(text), end + window)
    numeric = any(ch.isdigit() for ch in text[start:end])
    before = text[lo:start]
    ends = list(_SENTENCE_END.finditer(before))
    if ends:
        before = before[ends[-1].end() :]
    after = text[end:hi]
    if (stop := _SENTENCE_END.search(after)) is not None:
        after = after[: stop.start()]
    best: tuple[int, str, bool] | None = None
    for regex, lowers in ((compiled.lower_words, True), (compiled.raise_words, False)):
        if regex is None:
            continue
        for m in regex.finditer(before):
            distance = len(before) - m.end()
            if best is None or distance < best[0]:
                best = (distance, m.group().lower(), lowers)
        for m in regex.finditer(after):
            if numeric and OWN_NUMBER.match(after, m.end()):
                # "… 0412 345 678 Order #33873905": the word after the match introduces a
                # number of its own, so it says nothing about this one.
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), m.group().lower(), lowers)
            break
    return None if best is None else (best[1], best[2])


class Engine:
    """Checks messages against a pack."""

    def __init__(
        self,
        pack: Pack,
        *,
        register: ConfidentialRegister | None = None,
        authorisations: AuthorisationRegister | None = None,
        only_rules: Iterable[str] | None = None,
        context: DetectorContext | None = None,
    ) -> None:
        self.pack = pack
        self.context = context or DetectorContext(
            pack_root=pack.root, register=register, authorisations=authorisations
        )
        self._only_rules = None if only_rules is None else tuple(only_rules)
        wanted = set(only_rules) if only_rules is not None else None
        self._rules: list[_CompiledRule] = [
            _CompiledRule(
                rule=rule,
                detector=build_detector(rule.detector, rule.params, self.context),
                raise_words=_word_regex(rule.context.raise_),
                lower_words=_word_regex(rule.context.lower),
            )
            for rule in pack.rules
            if rule.enabled and (wanted is None or rule.id in wanted)
        ]
        self.thresholds = pack.meta.thresholds
        self._supplementary = frozenset(
            c.rule.id for c in self._rules if c.detector.supplementary
        )
        # Supplementary rules run last, so they can skip what the others flagged (check_many).
        self._rules.sort(key=lambda c: c.rule.id in self._supplementary)

    def with_registers(
        self,
        *,
        register: ConfidentialRegister | None,
        authorisations: AuthorisationRegister | None,
    ) -> Engine:
        """This pack with other registers, reusing the compiled pattern lists, the prefilter
        and the loaded models: a register change rebuilds detectors, not the pack's patterns.
        (Detectors read the registers from the context when they check, never when built.)"""
        context = replace(self.context, register=register, authorisations=authorisations)
        return Engine(self.pack, only_rules=self._only_rules, context=context)

    def warm(self) -> Engine:
        """Load the packaged models and compile the pattern prefilter now, so the first message
        checked is as fast as the rest."""
        self.context.models.warm()
        self.context.prefilter.warm()
        for compiled in self._rules:
            compiled.detector.warm()
        return self

    @property
    def rules(self) -> list[Rule]:
        return [c.rule for c in self._rules]

    def check(self, message: Message, *, explain: bool = False) -> Result:
        return self.check_many([message], explain=explain)[0]

    def check_many(self, messages: Sequence[Message], *, explain: bool = False) -> list[Result]:
        """Check a batch: detectors with per-call overheads see the whole batch at once."""
        per_message: list[tuple[list[Finding], list[NearMiss]]] = [([], []) for _ in messages]
        # E-mail structure (attribution.py), parsed once per message that has a hit.
        structures: dict[int, Structure | None] = {}
        pending: tuple[list[int], list[Message]] | None = None
        for compiled in self._rules:
            where: Sequence[int] = range(len(messages))
            batch: Sequence[Message] = messages
            if compiled.rule.id in self._supplementary and not explain:
                # Their findings would be dropped where any rule reported (supplementary.py),
                # so they see only the messages nothing flagged: one batch for all of them.
                if pending is None:
                    todo = [i for i, (found, _) in enumerate(per_message) if not found]
                    pending = (todo, [messages[i] for i in todo])
                where, batch = pending
            hits_batch = compiled.detector.detect_batch(batch)
            for i, hits in zip(where, hits_batch, strict=True):
                findings, near = per_message[i]
                if hits and i not in structures:
                    structures[i] = structure_for(messages[i])
                for hit in hits:
                    self._score(compiled, messages[i], hit, findings, near, structures[i])
        return [
            self._result(m, findings, near if explain else [])
            for m, (findings, near) in zip(messages, per_message, strict=True)
        ]

    def _score(
        self,
        compiled: _CompiledRule,
        message: Message,
        hit: Hit,
        findings: list[Finding],
        near: list[NearMiss],
        structure: Structure | None = None,
    ) -> None:
        rule = compiled.rule
        text = message.text
        evidence = hit.evidence if hit.evidence is not None else text[hit.start : hit.end]
        if hit.near_miss is not None:
            near.append(
                NearMiss(
                    rule.id, rule.detector, hit.start, hit.end, evidence, hit.near_miss, hit.entity
                )
            )
            return
        score = hit.score
        boost = 0.0
        words: list[str] = []
        ctx = rule.context
        if compiled.raise_words or compiled.lower_words:
            nearest = _nearest_context(text, hit.start, hit.end, ctx.window, compiled)
            if nearest is not None:
                word, lowers = nearest
                boost = -ctx.penalty if lowers else ctx.boost
                words.append(word)
        confidence = max(0.0, min(1.0, score + boost))
        explanation = replace(
            hit.explanation,
            base_score=score,
            context_boost=boost,
            context_words=tuple(words) or hit.explanation.context_words,
        )
        if confidence < self.thresholds.report:
            reason = (
                f"confidence {confidence:.2f} is below the reporting threshold "
                f"{self.thresholds.report:.2f}"
            )
            if words and boost < 0:
                reason += f" (lowered by nearby {words[0]!r})"
            near.append(
                NearMiss(rule.id, rule.detector, hit.start, hit.end, evidence, reason, hit.entity)
            )
            return
        if structure is not None and (
            elsewhere := not_the_authors(structure, hit.start, hit.end, hit.entity)
        ) is not None:
            # Quoted or forwarded words, header lines, footers, signature contact details:
            # not the author's finding, but shown by --explain (attribution.py).
            near.append(
                NearMiss(rule.id, rule.detector, hit.start, hit.end, evidence, elsewhere,
                         hit.entity)
            )
            return
        findings.append(
            Finding(
                clause=rule.clause,
                rule=rule.id,
                detector=rule.detector,
                severity=rule.severity.for_capacity(message.capacity, message.channel),
                confidence=confidence,
                start=hit.start,
                end=hit.end,
                evidence=evidence,
                message=hit.message or rule.message,
                suggestion=rule.suggestion,
                entity=hit.entity,
                explanation=explanation,
            )
        )

    def _result(self, message: Message, findings: list[Finding], near: list[NearMiss]) -> Result:
        if self._supplementary:
            findings = drop_supplementary(findings, self._supplementary, near)
        kept = _resolve_overlaps(findings)
        return Result(
            message_id=message.id,
            decision=self.decide(kept),
            findings=tuple(kept),
            near_misses=tuple(sorted(near, key=lambda n: (n.start, n.rule))),
        )

    def decide(self, findings: Iterable[Finding]) -> Decision:
        """``block`` if a blocking finding is confident enough, ``review`` if any is, else ok."""
        decision: Decision = "ok"
        for f in findings:
            if f.severity == "block" and f.confidence >= self.thresholds.block:
                return "block"
            if f.severity in ("review", "block") and f.confidence >= self.thresholds.review:
                decision = "review"
        return decision


def _resolve_overlaps(findings: list[Finding]) -> list[Finding]:
    """Where two entity findings claim overlapping text, keep the more confident one.

    A nine-digit run can look like a phone number and a TFN at once; only the better reading
    is reported. Findings of different clauses, or without entities, never displace each other.
    Kept spans are indexed per clause in start order, so a message with thousands of findings
    (a 5 MB mail export) stays near-linear rather than comparing every pair.
    """
    ordered = sorted(findings, key=lambda f: (-f.confidence, -(f.end - f.start), f.start))
    kept: list[Finding] = []
    seen: set[tuple[str, int, int]] = set()
    claimed: dict[str, _Spans] = {}
    for f in ordered:
        key = (f.rule, f.start, f.end)
        if key in seen:
            continue
        if f.entity is not None:
            spans = claimed.setdefault(f.clause, _Spans())
            if spans.overlaps(f.start, f.end):
                continue
            spans.add(f.start, f.end)
        seen.add(key)
        kept.append(f)
    return sorted(kept, key=lambda f: (f.start, f.end, f.rule))


class _Spans:
    """Disjoint kept spans, sorted by start: overlap test and insert by bisection."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)
        # Kept spans are disjoint, so only the one starting just before ``end`` can overlap.
        return i > 0 and self.ends[i - 1] > start

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)
