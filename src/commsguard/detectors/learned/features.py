"""The learned detector's features: what training and scoring both see in a message.

One function turns a message into feature names, so the trainer and the detector can never
disagree about them. Features are presence-only (a term counts once however often it occurs):

* word unigrams and bigrams of the lower-cased text. ``@handles`` become ``@user``,
  ``#hashtags`` lose their ``#`` (``#springst`` is the word ``springst``), and digit runs become
  their shape (``0491 570 123`` is ``<d4> <d3> <d3>``), so a phone number is a pattern, not a
  memorised number;
* character 4-grams of each sentence's normalised words joined by spaces (``c: gor``,
  ``c:geou``): they let "gorgeous" teach "gorgeoussss" and "pregnant" teach "pregnancy",
  which matters with a few hundred examples (measured: +0.05 mean average precision on dev);
* ``meta:capacity=…``, the author's profile words as ``profile:word`` (a bio naming the office
  matters for public comment), and ``meta:profile`` when there is a bio at all. The channel is
  left out: with hand-written data it taught writer habits, not policy (more false positives).

Nothing crosses a sentence end, so the terms that make a sentence suspicious stay in that
sentence and the evidence span can be the sentence that scores highest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from commsguard.models import Message
from commsguard.text import SENTENCE_END

# A word (with inner apostrophes: "don't", "o'brien"), a handle or a hashtag; a word starting
# with a digit is a number and becomes its shape. \w is the fastest class re has (a stricter
# letters-only class cost a third more of the whole scoring time).
_TOKEN = re.compile(r"[@#]?\w+(?:['’]\w+)*")
FEATURE_VERSION = "words-1-2/chars-4/handles/hashtags/digit-shapes/capacity/profile-v3"
CHARS = 4
CHAR_PREFIX = "c:"


@dataclass(frozen=True, slots=True)
class Token:
    term: str
    start: int
    end: int
    sentence: int


def _special(raw: str) -> str:
    """A handle, hashtag or digit run (lower-cased already) as its feature term."""
    first = raw[0]
    if first == "@":
        return "@user"
    if first == "#":
        return raw[1:] if len(raw) > 1 else raw
    return f"<d{min(len(raw), 12)}>"


def _norm(lowered: str) -> str:
    return _special(lowered) if lowered[0] in _SPECIAL else lowered


_SPECIAL = frozenset("@#0123456789")


def tokens(text: str) -> list[Token]:
    """The text's tokens with their offsets and sentence number (for evidence spans)."""
    out: list[Token] = []
    ends = [m.end() for m in SENTENCE_END.finditer(text)]
    sentence, k = 0, 0
    for m in _TOKEN.finditer(text):
        while k < len(ends) and ends[k] <= m.start():
            sentence, k = sentence + 1, k + 1
        out.append(Token(_norm(m.group().lower().replace("’", "'")), m.start(), m.end(), sentence))
    return out


def sentence_features(text: str) -> dict[int, tuple[set[str], set[str]]]:
    """Per sentence number: its terms and character 4-grams, as :func:`features` counts them."""
    words: dict[int, list[str]] = {}
    for t in tokens(text):
        words.setdefault(t.sentence, []).append(t.term)
    out: dict[int, tuple[set[str], set[str]]] = {}
    for sentence, ws in words.items():
        terms = set(ws) | {f"{a} {b}" for a, b in zip(ws, ws[1:], strict=False)}
        out[sentence] = (terms, char_grams(ws))
    return out


def char_grams(words: list[str]) -> set[str]:
    """The character 4-grams of one sentence's normalised words (without the ``c:`` prefix)."""
    if not words:
        return set()
    t = f" {' '.join(words)} "
    return {t[i : i + CHARS] for i in range(len(t) - CHARS + 1)}


def meta_terms(message: Message) -> list[str]:
    out = [f"meta:capacity={message.capacity}"]
    if message.profile.strip():
        out.extend(_profile_terms(message.profile))
    return out


@lru_cache(maxsize=4096)
def _profile_terms(profile: str) -> tuple[str, ...]:
    """An author's bio as features; cached, since the same authors post again and again."""
    return ("meta:profile", *(f"profile:{t.term}" for t in tokens(profile)))


def features(message: Message) -> tuple[set[str], list[str]]:
    """The message's terms, and each sentence's normalised words as `` w1 w2 `` (the fast path).

    The character 4-grams are the 4-character slices of those strings (:func:`grams_of`); the
    scorer takes them for a whole batch at once with numpy, which is what keeps long posts
    cheap, so they are not spelt out here.
    """
    terms: set[str] = set()
    padded: list[str] = []
    lowered = message.text.lower().replace("’", "'")
    for sentence in SENTENCE_END.split(lowered):
        words = [w if w[0] not in _SPECIAL else _special(w) for w in _TOKEN.findall(sentence)]
        if not words:
            continue
        terms.update(words)
        if len(words) > 1:
            terms.update([f"{a} {b}" for a, b in zip(words, words[1:], strict=False)])
        padded.append(f" {' '.join(words)} ")
    terms.update(meta_terms(message))
    return terms, padded


def grams_of(padded: list[str]) -> set[str]:
    """The character 4-grams of :func:`features`' sentence strings (without the prefix)."""
    return {t[i : i + CHARS] for t in padded for i in range(len(t) - CHARS + 1)}


def feature_names(message: Message) -> set[str]:
    """Every feature name as the model file spells it (training; slower than :func:`features`)."""
    terms, padded = features(message)
    return terms | {CHAR_PREFIX + c for c in grams_of(padded)}
