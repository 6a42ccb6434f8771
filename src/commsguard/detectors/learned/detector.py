"""The learned tier: a linear model per clause for phrasings the rules have no words for.

Sexual harassment by "compliment", derogation without slurs, freezing a colleague out, sarcasm
about ministers, paraphrased media contact: the rules catch the wording they list, and the
model generalises from the labelled examples in the pack (``data/learned``). Each rule names
the model file and the clause (``head``) it reports; all the rules of one model share a
single scorer, so a batch of messages is featurised and scored once, not once per clause.

A finding is explainable: its evidence is the sentence whose terms add most to the clause's
score, its explanation lists the terms that weigh most, and its confidence is the calibrated
probability. Severity is the rule's (``review`` in the default pack: a statistical guess
should not block on its own), and the engine drops a learned finding when a rule-based one
already reports the same clause (see ``supplementary`` and docs/detectors.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, Field

from commsguard.detectors.authority import exempt_if_authorised
from commsguard.detectors.base import Detector, DetectorContext, Hit
from commsguard.detectors.learned import HeadParams, same_batch
from commsguard.detectors.learned.features import meta_terms, sentence_features
from commsguard.detectors.learned.model import Array, LinearModel, load_model
from commsguard.errors import PackError, PackLocation
from commsguard.models import Explanation, Message
from commsguard.text import sentence_spans


class LearnedParams(HeadParams):
    model_file: str = "data/learned/model.json"
    #: How many of the weightiest terms the explanation lists.
    top_terms: int = Field(default=5, ge=1, le=20)


@dataclass(frozen=True, slots=True)
class _Batch:
    messages: tuple[Message, ...]
    probabilities: Array


class _Scorer:
    """One model, shared by its rules; remembers the last batch's probabilities."""

    def __init__(self, model: LinearModel) -> None:
        self.model = model
        self._last: _Batch | None = None

    def probabilities(self, messages: Sequence[Message]) -> Array:
        last = self._last  # read once: another thread may replace it
        if last is not None and same_batch(last.messages, messages):
            return last.probabilities
        probs = self.model.probabilities(messages)
        self._last = _Batch(tuple(messages), probs)
        return probs


class LearnedDetector(Detector):
    name = "learned"
    description = "A calibrated linear model per clause over word n-grams (pack-trained)."
    Params = LearnedParams
    supplementary = True

    def __init__(self, params: BaseModel, context: DetectorContext) -> None:
        super().__init__(params, context)
        assert isinstance(params, LearnedParams)
        self.p = params
        path = params.model_path(context)
        self.scorer = context.shared(("learned", str(path)), lambda: _Scorer(load_model(path)))
        model = self.scorer.model
        if params.head not in model.head_index:
            raise PackError(
                f"model has no head {params.head!r} (heads: {', '.join(model.head_index)})",
                PackLocation(str(path), None, "heads"),
            )
        self.h = model.head_index[params.head]
        self.threshold = model.heads[self.h].threshold

    def detect(self, message: Message) -> list[Hit]:
        return self.detect_batch([message])[0]

    def detect_batch(self, messages: Sequence[Message]) -> list[list[Hit]]:
        probs = self.scorer.probabilities(messages)[:, self.h]
        # A message with no words is judged on its metadata alone (capacity, profile): no
        # evidence of anything, so no finding.
        return [
            [self._exempt(m, self._hit(m, float(p)))]
            if p >= self.threshold and any(c.isalnum() for c in m.text) else []
            for m, p in zip(messages, probs, strict=True)
        ]

    def _exempt(self, message: Message, hit: Hit) -> Hit:
        return exempt_if_authorised(hit, message, self.context, self.p.exempt_authority)

    def _hit(self, message: Message, probability: float) -> Hit:
        """Evidence: the sentence whose terms add most; explanation: the weightiest terms."""
        model = self.scorer.model
        weights = model.weights[:, self.h]
        rows: list[int] = model.rows(meta_terms(message), set())
        sentences: list[int] = [-1] * len(rows)  # meta terms belong to no sentence
        for sentence, (terms, chars) in sentence_features(message.text).items():
            found = model.rows(terms, chars)
            rows.extend(found)
            sentences.extend([sentence] * len(found))
        at = np.array(rows, dtype=np.int64)
        in_sentence = np.array(sentences, dtype=np.int64)
        text_rows = in_sentence >= 0
        if text_rows.any():
            totals = np.bincount(in_sentence[text_rows], weights=weights[at[text_rows]])
            seen = np.bincount(in_sentence[text_rows]) > 0
            best = int(np.flatnonzero(seen)[np.argmax(totals[seen])])  # the first of equals
            spans = sentence_spans(message.text)
            start, end = spans[min(best, len(spans) - 1)]
        else:
            start, end = 0, len(message.text)
        # Each present term's share of the raw score: weight x idf over the vector's length.
        # A term in two sentences counts once, as in the score.
        at = np.unique(at)
        norm = math.sqrt(float(model.idf_squared[at].sum())) or 1.0
        shares = weights[at] / norm
        order = np.lexsort((at, -shares))  # biggest share first; ties in vocabulary order
        k = self.p.top_terms
        top: dict[bool, list[tuple[str, float]]] = {False: [], True: []}
        for i in order:
            if shares[i] <= 0:
                break
            r = int(at[i])
            kind = top[bool(model.is_char[r])]
            if len(kind) < k:
                kind.append((model.names[r], float(shares[i])))
        top_words, top_chars = top[False], top[True]
        return Hit(
            start, end, probability,
            Explanation(
                self.name,
                pattern=_listing(top_words[:k]),
                validation=(
                    f"calibrated probability {probability:.2f} >= threshold {self.threshold:.2f}"
                ),
                notes=(
                    f"terms: {_listing(top_words[:k])}",
                    f"characters: {_listing(top_chars[:k])}",
                ),
            ),
        )


def _listing(terms: list[tuple[str, float]]) -> str:
    """``'so bad' +0.21, 'english' +0.18``: each term's share of the raw score."""
    return ", ".join(f"{t!r} {c:+.2f}" for t, c in terms) or "none"
