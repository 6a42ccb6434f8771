"""The meaning-level tier: per-clause heads over a sentence encoder (detector ``semantic``).

Word lists catch the wording they list; the n-gram tier catches the phrasing of the messages
it was trained on. This tier reads meaning: a message is cut into windows of whole sentences
(about ``window_chars`` each), every window is embedded (:mod:`.encoder`), and each clause's
head (a logistic regression trained on real labelled text and the pack's own messages,
:mod:`.semantic_train`) scores it. The message's score is its most suspicious window's, and
that window is the evidence.

A finding explains itself: the clause, the probability against the head's threshold, the
window that drove it, and the three labelled messages from the pack it most resembles (text
and labels), so a reviewer can see what the model thinks this is like. It is supplementary:
``review`` only, and dropped where a rule already spoke (``commsguard.supplementary``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, Field

from commsguard.detectors.authority import exempt_if_authorised
from commsguard.detectors.base import Detector, DetectorContext, Hit
from commsguard.detectors.learned import HeadParams, same_batch
from commsguard.detectors.learned.encoder import Encoder, build_encoder
from commsguard.detectors.learned.semantic_model import Array, SemanticModel, load_semantic_model
from commsguard.errors import PackError, PackLocation
from commsguard.models import Explanation, Message
from commsguard.text import sentence_spans


class SemanticParams(HeadParams):
    model_file: str = "data/semantic/model.json"
    #: How many resembling labelled examples the explanation names.
    neighbours: int = Field(default=3, ge=0, le=10)


def windows(text: str, size: int, limit: int) -> list[tuple[int, int]]:
    """Spans of whole sentences, each up to about ``size`` characters, at most ``limit``.

    A sentence longer than ``size`` is its own window (the encoder truncates it). Past
    ``limit`` windows the rest of a very long text is not read by this tier (the rules
    still read all of it), which keeps its cost bounded per message.
    """
    out: list[tuple[int, int]] = []
    start = end = -1
    for s, e in sentence_spans(text):
        if start < 0:
            start, end = s, e
        elif e - start <= size:
            end = e
        else:
            out.append((start, end))
            if len(out) >= limit:
                return out
            start, end = s, e
    if start >= 0 and len(out) < limit:
        out.append((start, end))
    return out


@dataclass(frozen=True, slots=True)
class _Scored:
    messages: tuple[Message, ...]
    #: Per message: (window spans, window vectors, window probabilities (w, heads)).
    per_message: tuple[tuple[list[tuple[int, int]], Array, Array], ...]


class SemanticScorer:
    """The encoder and model shared by a pack's semantic rules; one embedding per batch."""

    def __init__(self, model: SemanticModel) -> None:
        self.model = model
        self._last: _Scored | None = None
        self._warm = False

    @property
    def encoder(self) -> Encoder:
        # Loaded on first use (and once per process: build_encoder is cached), so building
        # an engine stays quick and a pack with the tier disabled never loads a model.
        return build_encoder(self.model.encoder, self.model.path.parent)

    @property
    def screen(self) -> Encoder | None:
        name = self.model.screen_encoder
        return build_encoder(name, self.model.path.parent) if name else None

    def warm(self) -> None:
        # Once per scorer: every rule of the tier warms its detector, and they share this.
        if not self._warm:
            self.score([Message(id="warm", text="Warm up the encoders.")])
            self._warm = True

    def score(self, messages: Sequence[Message]) -> _Scored:
        last = self._last  # read once: another thread may replace it
        if last is not None and same_batch(last.messages, messages):
            return last
        spans = [
            windows(m.text, self.model.window_chars, self.model.max_windows) for m in messages
        ]
        texts = [m.text[s:e] for m, sp in zip(messages, spans, strict=True) for s, e in sp]
        vectors = np.zeros((len(texts), self.model.dim), dtype=np.float32)
        probs = np.zeros((len(texts), len(self.model.heads)), dtype=np.float32)
        # The cheap screen picks the windows worth the main encoder's time.
        screen = self.screen
        passed = (
            self.model.screened(screen.embed(texts))
            if screen is not None
            else np.ones(len(texts), dtype=bool)
        )
        if passed.any():
            chosen = np.flatnonzero(passed)
            vectors[chosen] = self.encoder.embed([texts[i] for i in chosen])
            probs[chosen] = self.model.probabilities(vectors[chosen])
        out = []
        at = 0
        for sp in spans:
            out.append((sp, vectors[at : at + len(sp)], probs[at : at + len(sp)]))
            at += len(sp)
        scored = _Scored(tuple(messages), tuple(out))
        self._last = scored
        return scored


class SemanticDetector(Detector):
    name = "semantic"
    description = "Per-clause heads over a sentence encoder's embeddings (meaning, not wording)."
    Params = SemanticParams
    supplementary = True

    def __init__(self, params: BaseModel, context: DetectorContext) -> None:
        super().__init__(params, context)
        assert isinstance(params, SemanticParams)
        self.p = params
        path = params.model_path(context)
        root = context.pack_root
        assert root is not None  # model_path checked it
        self.scorer = context.shared(
            ("semantic", str(path)), lambda: SemanticScorer(load_semantic_model(path, root))
        )
        model = self.scorer.model
        if params.head not in model.heads:
            raise PackError(
                f"semantic model has no head {params.head!r} (heads: {', '.join(model.heads)})",
                PackLocation(str(path), None, "heads"),
            )
        self.h = model.head_names.index(params.head)
        self.threshold = model.heads[params.head].threshold

    def warm(self) -> None:
        self.scorer.warm()

    def detect(self, message: Message) -> list[Hit]:
        return self.detect_batch([message])[0]

    def detect_batch(self, messages: Sequence[Message]) -> list[list[Hit]]:
        scored = self.scorer.score(messages)
        out: list[list[Hit]] = []
        for message, (spans, vectors, probs) in zip(messages, scored.per_message, strict=True):
            if not spans:
                out.append([])
                continue
            column = probs[:, self.h]
            best = int(np.argmax(column))
            p = float(column[best])
            if p < self.threshold:
                out.append([])
                continue
            hit = self._hit(spans[best], vectors[best], p)
            out.append([exempt_if_authorised(hit, message, self.context,
                                             self.p.exempt_authority)])
        return out

    def _hit(self, span: tuple[int, int], vector: Array, probability: float) -> Hit:
        model = self.scorer.model
        notes = tuple(
            f"resembles ({sim:.2f}): {text[:160]!r} [{', '.join(labels) or 'no breach'}]"
            for sim, text, labels in model.bank.nearest(vector, self.p.neighbours)
        )
        return Hit(
            span[0],
            span[1],
            probability,
            Explanation(
                self.name,
                pattern=f"{model.encoder} encoder, head {self.p.head!r}",
                validation=(
                    f"probability {probability:.2f} >= threshold {self.threshold:.2f}"
                ),
                notes=notes,
            ),
        )
