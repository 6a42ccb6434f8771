"""The shared language models: VADER scores long texts by chunks, never all at once."""

from __future__ import annotations

from typing import Any

from commsguard.detectors.models import SENTIMENT_CHUNK, SharedModels, chunks
from commsguard.text import fold

CALM = "The meeting moved to Thursday and the agenda is attached for everyone. "


def test_when_text_is_chunked_then_pieces_are_bounded_and_rejoin_to_the_text() -> None:
    text = CALM * 100
    pieces = list(chunks(text, 500))
    assert "".join(pieces) == text
    assert all(len(p) <= 500 for p in pieces) and len(pieces) > 1
    assert all(p.startswith(" ") or i == 0 for i, p in enumerate(pieces))  # cut at spaces


def test_when_text_has_no_spaces_then_chunks_are_cut_at_the_size() -> None:
    assert [len(p) for p in chunks("x" * 1200, 500)] == [500, 500, 200]


class _Spy:
    def __init__(self, real: Any) -> None:
        self.real, self.lengths = real, []

    def polarity_scores(self, text: str) -> dict[str, float]:
        self.lengths.append(len(text))
        return self.real.polarity_scores(text)  # type: ignore[no-any-return]


def test_when_text_is_long_then_vader_sees_chunks_and_the_hostile_one_decides() -> None:
    models = SharedModels()
    calm = models.sentiment(CALM)
    spy = _Spy(models._vader)
    models._vader = spy
    hostile = "You are a disgusting, vile, hateful liar and I despise you. "
    score = models.sentiment(CALM * 60 + hostile + CALM * 60)
    assert max(spy.lengths) <= SENTIMENT_CHUNK and len(spy.lengths) > 2
    assert score < -0.5 < calm


def test_when_text_is_short_then_scored_whole() -> None:
    models = SharedModels()
    models.sentiment("warm")
    spy = _Spy(models._vader)
    models._vader = spy
    models.sentiment(CALM * 3)
    assert spy.lengths == [len(CALM * 3)]


def test_when_the_same_text_is_folded_again_then_the_memo_answers() -> None:
    text = "Mixed CASE " * 1000
    fold.cache_clear()
    assert fold(text) == text.lower()
    fold(text)
    assert fold.cache_info().hits == 1
