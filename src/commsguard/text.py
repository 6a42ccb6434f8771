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
