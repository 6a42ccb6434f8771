"""Packaged language models the detectors share: VADER and alt-profanity-check.

Both ship their data inside their PyPI packages (nothing is downloaded). They are loaded on
first use, once per engine, and shared by every detector of that engine: five detectors used to
build five copies of VADER's lexicon. ``Engine.warm()`` loads them up front for a server, so no
request pays the loading time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


class SharedModels:
    """Lazily loaded models, one set per engine (read-only once loaded)."""

    def __init__(self) -> None:
        self._vader: Any = None
        self._predict_prob: Callable[[list[str]], Any] | None = None

    def sentiment(self, text: str) -> float:
        """VADER's compound score in [-1, 1]: how intense (and which way) the text is."""
        if self._vader is None:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

            self._vader = SentimentIntensityAnalyzer()
        return float(self._vader.polarity_scores(text)["compound"])

    def profanity(self, texts: Sequence[str]) -> list[float]:
        """The probability that each text is offensive; one model call for the whole batch."""
        if not texts:
            return []
        if self._predict_prob is None:
            from profanity_check import predict_prob

            self._predict_prob = predict_prob
        return [float(x) for x in self._predict_prob(list(texts))]

    def warm(self) -> None:
        self.sentiment("warm up")
        self.profanity(["warm up"])
