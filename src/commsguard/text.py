"""Small facts about text shared by the engine and the detectors."""

from __future__ import annotations

import functools
import re

#: A label followed closely by digits of its own ("Licence no. 8372…", "order no. 1793",
#: "Tracking says order no. 8963…"): such a label describes that number, not another one.
OWN_NUMBER = re.compile(r"[^\d!?\n]{0,20}\d")

# An upper-case letter that is not an escape's letter (\\S, \\W, \\B stay as they are).
_UPPER = re.compile(r"(?<!\\)[A-Z]")


@functools.lru_cache(maxsize=32)
def fold(text: str) -> str:
    """Lower-case ``text`` without changing its length, so offsets stay valid.

    Memoised: detectors fold the same message once per search, and a search per hit over a
    long email made that quadratic (a str's hash is cached, so a repeat costs a lookup).
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def lower_literals(pattern: str) -> str:
    """A regex's literal letters lower-cased, to match against :func:`fold`-ed text.

    Matching folded text without IGNORECASE finds the same matches faster: with IGNORECASE,
    ``re`` compares case-insensitively at every position.
    """
    return _UPPER.sub(lambda m: m.group().lower(), pattern)


#: A sentence ends at . ! ? (with any closing quotes) before white space, or at a line break.
#: The model tiers' one splitter: the n-gram tier's features and evidence, and the semantic
#: tier's windows, cut text here.
SENTENCE_END = re.compile(r"(?:[.!?…]+[\"'’”)\]]*\s|\n)\s*")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Each sentence's (start, end), white space trimmed (the n-gram tier numbers sentences so)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in SENTENCE_END.finditer(text):
        spans.append((pos, m.end()))
        pos = m.end()
    spans.append((pos, len(text)))
    trimmed = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        trimmed.append((s, e))
    return trimmed
