"""Heated debate and abuse directed at people (``public-trust``).

Layers, cheapest first:

1. *Directed abuse* phrases from the pack ("shut up", "get a life", "you're a disgrace").
2. *Name-calling*: an insult word from the pack with a target close before it ("you absolute
   muppet", "what a clown", "@handle ... idiot") or after it ("idiots like you"). An insult with
   no target ("stupid printer") is not abuse of a person.
3. *Profanity at someone*: ``alt-profanity-check`` scores every message of a batch in one call
   (a single call costs ~4 ms, a batch ~12 µs a message); a very profane message with a target
   is flagged, and profanity raises the confidence of layers 1–2.
4. *Intensity*: VADER's compound score, computed only for messages already flagged, raises
   confidence for hostile ones; banter ("love ya", "haha", pizza wars) lowers it.

*Stance* (stance.py): words the speaker only reports ("he told me to shut up", "I was called
a clown", 'someone wrote "you're a disgrace"') are not the speaker's abuse; they are near
misses. Profanity counts only when the profane word and its addressee share a sentence ("That
sucks! Tell 'em you are suing" addresses no one with the profanity).

Workplace channels (Teams, Slack…) are skipped by default: abuse of a colleague there is
bullying, which the equity-diversity rules own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from pydantic import BaseModel, ConfigDict, Field

from commsguard.detectors.base import Detector, DetectorContext, Hit
from commsguard.detectors.gazetteer import LinePatterns, data_patterns, sentence_bounds
from commsguard.detectors.models import SENTIMENT_CHUNK
from commsguard.detectors.stance import reported
from commsguard.models import Explanation, Message
from commsguard.text import fold

_NEVER = LinePatterns([r"(?!x)x"])
#: Only messages with one of these (or a candidate already) go to the profanity model.
# Word-initial only, and the short ones whole, so "class", "assessment", "Dickens", "parse"
# and "cockatoo" do not send a harmless post to the (slow, per-call) profanity model.
_PROFANE_HINT = re.compile(
    r"\b(?:f+u+c+k|fck|fk\b|sh[i1]t|cunt|bitch|dick(?:head|s)?\b|piss|bastard|wank|twat|"
    r"prick|cock\b|slut|whore|arse|ass(?:hole|hat|wipe|es)?\b|crap|bloody|damn|stfu|gtfo|"
    r"stupid|idiot|moron|retard)"
)
#: Profanity alone counts only when addressed to someone.
#: Both are matched against lower-cased text: without IGNORECASE, ``re`` skips branches whose
#: first letter cannot match, which makes these scans several times faster.
_ADDRESSED = re.compile(r"\b(?:you|u|ur|you'?re|ya|yourself|your)\b|@\w")
#: Past this length each hit's intensity is the text around it, not the whole message's.
_VADER_WHOLE = SENTIMENT_CHUNK
_VADER_WINDOW = 500


class AbuseParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    insults_file: str
    directed_file: str
    targets_file: str
    banter_file: str | None = None
    #: Channels where rough words between colleagues are the bullying rules' business.
    skip_channels: list[str] = Field(default_factory=lambda: ["teams", "slack"])
    use_profanity_model: bool = True
    use_vader: bool = True
    directed_score: float = Field(default=0.7, ge=0, le=1)
    insult_score: float = Field(default=0.65, ge=0, le=1)
    profanity_score: float = Field(default=0.55, ge=0, le=1)
    #: A message at least this profane, with a target, is flagged without an insult word.
    profanity_threshold: float = Field(default=0.85, ge=0, le=1)
    #: Characters before an insult in which a target must appear.
    target_window: int = Field(default=45, ge=0, le=300)


class AbuseDetector(Detector):
    name = "abuse"
    description = "Insults, name-calling and profanity directed at people (profanity model, VADER)."
    Params = AbuseParams

    def __init__(self, params: BaseModel, context: DetectorContext) -> None:
        super().__init__(params, context)
        assert isinstance(params, AbuseParams)
        self.p = params
        self.insults = data_patterns(context, params.insults_file) or _NEVER
        self.directed = data_patterns(context, params.directed_file) or _NEVER
        self.targets = data_patterns(context, params.targets_file) or _NEVER
        self.banter = data_patterns(context, params.banter_file) or _NEVER
        self.skip = {c.lower() for c in params.skip_channels}

    # -- models: loaded on first use, shared by every detector of the engine ------------------

    def _profanity(self, texts: Sequence[str]) -> list[float]:
        if not self.p.use_profanity_model or not texts:
            return [0.0] * len(texts)
        return self.context.models.profanity(texts)

    def _intensity(self, text: str) -> float:
        if not self.p.use_vader:
            return 0.0
        return self.context.models.sentiment(text)

    # -- detection ----------------------------------------------------------------------------

    def detect(self, message: Message) -> Iterator[Hit]:
        yield from self.detect_batch([message])[0]

    def detect_batch(self, messages: Sequence[Message]) -> list[list[Hit]]:
        active = [i for i, m in enumerate(messages) if m.channel.lower() not in self.skip]
        # Cheap layers first; the model sees (in one call) only messages it could change.
        found = {i: self._candidates(messages[i].text) for i in active}
        low = {i: fold(messages[i].text) for i in active}
        ask = [i for i in active
               if found[i] or (_PROFANE_HINT.search(low[i]) and _ADDRESSED.search(low[i]))]
        profanity = dict(zip(ask, self._profanity([messages[i].text for i in ask]),
                             strict=True))
        out: list[list[Hit]] = [[] for _ in messages]
        for i in active:
            text = messages[i].text
            kept = [(a, b, score, why) for a, b, score, why, because in found[i]
                    if because is None]
            out[i] = self._hits(text, kept, profanity.get(i, 0.0))
            out[i] += [
                Hit(start, end, 0.0, Explanation(self.name, why), near_miss=because)
                for start, end, _, why, because in found[i] if because is not None
            ]
        return out

    def _candidates(self, text: str) -> list[tuple[int, int, float, str, str | None]]:
        """Directed abuse and name-calling, each with why it is only reported (or None)."""
        found: list[tuple[int, int, float, str, str | None]] = []
        for m in self.directed.finditer(text):
            found.append((m.start(), m.end(), self.p.directed_score, "directed abuse",
                          reported(text, m.start(), m.end())))
        for m in self.insults.finditer(text):
            if any(s <= m.start() < e for s, e, *_ in found):
                continue
            lo, hi = sentence_bounds(text, m.start(), m.end())
            before = self.targets.search(text, max(lo, m.start() - self.p.target_window),
                                         m.start())
            after = re.match(r"\s+(?:like|such as) (?:you|u|him|her|them)\b",
                             text[m.end() : hi])
            if before is None and after is None:
                continue
            start = before.start() if before is not None else m.start()
            found.append((start, m.end(), self.p.insult_score, f"name-calling {m.group()!r}",
                          reported(text, m.start(), m.end())))
        return found

    def _hits(
        self, text: str, found: list[tuple[int, int, float, str]], prof: float
    ) -> list[Hit]:
        if not found and prof >= self.p.profanity_threshold:
            low = fold(text)
            for target in _ADDRESSED.finditer(low):
                lo, hi = sentence_bounds(text, target.start(), target.end())
                profane = _PROFANE_HINT.search(low, lo, hi)
                if profane is not None and reported(text, profane.start(), profane.end()) is None:
                    found = [(lo, hi, self.p.profanity_score,
                              f"profanity at someone (p={prof:.2f})")]
                    break
        if not found:
            return []
        whole = self._intensity(text) if len(text) <= _VADER_WHOLE else None
        banter = self.banter.search(text)
        hits = []
        for start, end, base, why in found:
            score, notes = base, [why]
            compound = whole if whole is not None else self._intensity(
                text[max(0, start - _VADER_WINDOW) : end + _VADER_WINDOW])
            if prof >= 0.5:
                score += 0.1
                notes.append(f"profanity model {prof:.2f}")
            if compound <= -0.5:
                score += 0.1
                notes.append(f"VADER compound {compound:.2f}")
            if banter is not None and prof < 0.9:
                score -= 0.35
                notes.append(f"banter {banter.group()!r}")
            hits.append(Hit(start, end, max(0.0, min(1.0, score)),
                            Explanation(self.name, why, notes=tuple(notes))))
        return hits
