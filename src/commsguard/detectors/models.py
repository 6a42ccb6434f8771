"""Packaged language models the detectors share: VADER and alt-profanity-check.

Both ship their data inside their PyPI packages (nothing is downloaded). They are loaded on
first use, once per engine, and shared by every detector of that engine: five detectors used to
build five copies of VADER's lexicon. ``Engine.warm()`` loads them up front for a server, so no
request pays the loading time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

#: The longest text VADER scores in one piece.
SENTIMENT_CHUNK = 2000


def chunks(text: str, size: int) -> Iterator[str]:
    """``text`` in pieces of at most ``size`` characters, cut at whitespace where there is some."""
    start = 0
    while start < len(text):
        end = start + size
        if end < len(text):
            cut = text.rfind(" ", start + size // 2, end)
            end = cut if cut > start else end
        yield text[start:end]
        start = end


class SharedModels:
    """Lazily loaded models, one set per engine (read-only once loaded)."""

    def __init__(self) -> None:
        self._vader: Any = None
        self._predict_prob: Callable[[list[str]], Any] | None = None

    def sentiment(self, text: str) -> float:
        """VADER's compound score in [-1, 1]: how intense (and which way) the text is.

        VADER's cost grows with the square of the text's length (a 100 KB email took minutes),
        so a text longer than :data:`SENTIMENT_CHUNK` is scored a chunk at a time and its score
        is the most negative chunk's: the most hostile passage is what the rules ask about.
        """
        if self._vader is None:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

            self._vader = SentimentIntensityAnalyzer()
        if len(text) <= SENTIMENT_CHUNK:
            return float(self._vader.polarity_scores(text)["compound"])
        return min(float(self._vader.polarity_scores(chunk)["compound"])
                   for chunk in chunks(text, SENTIMENT_CHUNK))

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
