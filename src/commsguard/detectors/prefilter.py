"""Which of an engine's list patterns can match a text at all: one Hyperscan pass per text.

The packs' phrase lists are many Python regexes; ``re`` tries every list at every word, and that
was most of the engine's time. Hyperscan (``hyperscan`` on PyPI, a wheel with the library in it)
finds every pattern of every list in one pass over a text. It is used here only as a filter:
:meth:`Prefilter.possible` says which patterns *might* match somewhere in the text, and the
lists then run Python's ``re`` exactly as before, with only those patterns. So the matches are
``re``'s, unchanged, and a list none of whose patterns can match is not run at all.

For the filter never to rule out a real match, each pattern is rewritten for Hyperscan from the
parse tree Python's own ``re`` makes of it, loosened where the two engines could differ:

* assertions (``\\b``, ``^``, ``$``, look-arounds) are dropped: dropping one only widens a
  pattern, and ``re`` may run a list on part of a text where they would read differently;
* ``\\w``, ``\\d`` and ``\\s`` also accept every non-ASCII character (Python's Unicode tables
  are not Hyperscan's), and their negations every non-ASCII character too;
* ``.`` matches any character, and a pattern with ``(?i)`` is never ruled out.

A pattern that can match the empty string, or that Hyperscan cannot compile, is never ruled
out. Without Hyperscan (a platform with no wheel) every pattern is always possible: the same
matches, only slower.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

hyperscan: Any
try:  # pragma: no cover - which branch runs depends on the platform
    import hyperscan
except ImportError:  # pragma: no cover
    hyperscan = None

#: Texts up to this long are cached (enough for a batch of 256 messages and their variants);
#: of longer ones only the last is kept, so a 5 MB mail export is scanned once, not per search.
_CACHE_TEXT = 8192
_CACHE_SIZE = 2048
#: Atoms of a pattern given to Hyperscan: longer patterns are cut to a prefix.
_BUDGET = 24
_MAX = 0x10FFFF
#: Texts are given to Hyperscan as Latin-1 bytes; any other character becomes this byte.
_OTHER = ord("?")
_FLAGS = ("HS_FLAG_DOTALL", "HS_FLAG_SINGLEMATCH", "HS_FLAG_PREFILTER")


class Untranslatable(ValueError):
    """A construct the filter does not rewrite: the pattern is never ruled out."""


def as_bytes(text: str) -> bytes:
    """``text`` as Hyperscan scans it: Latin-1, every other character (and ``?``) as ``?``."""
    return text.encode("latin-1", "replace")


def _byte(c: int) -> str:
    return chr(c) if chr(c).isascii() and chr(c).isalnum() else f"\\x{c:02x}"


def _char(c: int) -> str:
    """A literal character: its byte, or ``?`` (which stands for any non-Latin-1 character)."""
    return _byte(c if c <= 0xFF else _OTHER)


def _spans(ranges: Sequence[tuple[int, int]], *, negated: bool) -> list[str]:
    """Byte ranges for character ranges, inside ``[...]`` (wider) or ``[^...]`` (narrower).

    In a text's bytes ``?`` may stand for any non-Latin-1 character: a class that takes one
    takes ``?``, and a negated class never excludes ``?`` (nor characters beyond Latin-1).
    """
    out: list[str] = []
    for lo, hi in ranges:
        if hi > 0xFF and not negated:
            out.append(_byte(_OTHER))
        top = min(hi, 0xFF)
        pieces = [(lo, top)]
        if negated and lo <= _OTHER <= top:
            pieces = [(lo, _OTHER - 1), (_OTHER + 1, top)]
        for a, b in pieces:
            if a <= b:
                out.append(_byte(a) if a == b else f"{_byte(a)}-{_byte(b)}")
    return out


# Character classes as ranges: a superset of Python's for use inside [...], and a subset for
# use inside [^...] (where leaving a character out widens the class).
_WIDE: dict[str, list[tuple[int, int]]] = {
    "CATEGORY_WORD": [(48, 57), (65, 90), (95, 95), (97, 122), (128, _MAX)],
    "CATEGORY_DIGIT": [(48, 57), (128, _MAX)],
    "CATEGORY_SPACE": [(9, 13), (28, 32), (128, _MAX)],
    "CATEGORY_NOT_WORD": [(0, 47), (58, 64), (91, 94), (96, 96), (123, _MAX)],
    "CATEGORY_NOT_DIGIT": [(0, 47), (58, _MAX)],
    "CATEGORY_NOT_SPACE": [(0, 8), (14, 27), (33, _MAX)],
}
_NARROW: dict[str, list[tuple[int, int]]] = {
    "CATEGORY_WORD": [(48, 57), (65, 90), (95, 95), (97, 122)],
    "CATEGORY_DIGIT": [(48, 57)],
    "CATEGORY_SPACE": [(9, 13), (32, 32)],
}


def _in(items: Sequence[tuple[Any, Any]]) -> str:
    negate = bool(items) and str(items[0][0]) == "NEGATE"
    table = _NARROW if negate else _WIDE
    ranges: list[tuple[int, int]] = []
    for op, av in items[1:] if negate else items:
        name = str(op)
        if name == "LITERAL":
            ranges.append((av, av))
        elif name == "RANGE":
            ranges.append((av[0], av[1]))
        elif name == "CATEGORY" and str(av) in table:
            ranges.extend(table[str(av)])
        elif negate:
            return "(?:.)"  # any character: wider than any negated class
        else:
            raise Untranslatable(name)
    spans = _spans(ranges, negated=negate)
    if not spans:
        return "(?:.)" if negate else "(?!)"
    return ("[^" if negate else "[") + "".join(spans) + "]"


@dataclass(frozen=True)
class Loose:
    """A Hyperscan pattern matching at least what the ``re`` pattern matches (or a prefix)."""

    pattern: str
    #: Whether the whole pattern was rewritten (else a prefix of it, which is still a filter).
    complete: bool
    #: Characters (atoms) spent of the budget.
    used: int
    #: The fewest characters it matches; 0 means it cannot be used as a filter.
    shortest: int


_ATOMS = ("LITERAL", "NOT_LITERAL", "ANY", "IN")


def translate(items: Any, budget: int = 1 << 30) -> Loose:
    """A parsed ``re`` pattern, loosened for Hyperscan, cut short after ``budget`` atoms.

    A prefix of a pattern matches wherever the pattern does, so cutting long patterns keeps the
    filter exact while keeping Hyperscan's compile time (which grows with long alternations)
    small. Counted repeats become ``{0,}`` or ``{1,}``, wider and cheaper to compile.
    """
    out: list[str] = []
    used = shortest = 0
    for op, av in items:
        name = str(op)
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        if used >= budget:
            return Loose("".join(out), False, used, shortest)
        if name in _ATOMS:
            if name == "LITERAL":
                out.append(_char(av))
            elif name == "NOT_LITERAL":
                out.append(f"[^{_byte(av)}]" if av <= 0xFF and av != _OTHER else ".")
            elif name == "ANY":
                out.append(".")
            else:
                out.append(_in(av))
            used += 1
            shortest += 1
            continue
        if name == "SUBPATTERN":
            if av[1] & re.IGNORECASE:  # (?i:...)
                raise Untranslatable("IGNORECASE")
            sub = translate(av[-1], budget - used)
        elif name == "ATOMIC_GROUP":
            sub = translate(av, budget - used)
        elif name == "BRANCH":
            alts = [translate(seq, budget - used) for seq in av[1]]
            sub = Loose("|".join(x.pattern for x in alts), all(x.complete for x in alts),
                        max(x.used for x in alts), min(x.shortest for x in alts))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            lo, _, body = av
            inner = translate(body, budget - used)
            if not inner.complete:
                # Only the first repetition's prefix is sure to be there (if any must be).
                sub = inner if lo >= 1 else Loose("", False, 0, 0)
            else:
                least = min(lo, 1)
                sub = Loose(f"(?:{inner.pattern}){{{least},}}", True, inner.used,
                            least * inner.shortest)
        else:
            raise Untranslatable(name)
        out.append(f"(?:{sub.pattern})" if sub.pattern else "")
        used += sub.used
        shortest += sub.shortest
        if not sub.complete:
            return Loose("".join(out), False, used, shortest)
    return Loose("".join(out), True, used, shortest)


class Prefilter:
    """Patterns registered by many lists, filtered for a text in one Hyperscan pass.

    ``add`` gives each distinct pattern an id; ``possible(text)`` is the set of ids that may
    match somewhere in ``text``, or ``None`` when nothing can be ruled out. Results are cached
    per text, so the dozen lists an engine runs over one message share a single scan.

    Compiling the database takes most of a second for a full pack, more than checking a few
    messages without it: it is compiled on ``warm()`` (servers, benchmarks) or once
    ``compile_after`` texts have been asked about, and until then nothing is ruled out.
    """

    def __init__(self, *, enabled: bool = True, compile_after: int = 200) -> None:
        self.enabled = enabled and hyperscan is not None
        self.compile_after = compile_after
        self._ids: dict[str, int] = {}
        self._hs: list[tuple[int, str]] = []
        self._always: set[int] = set()
        self._db: Any = None
        self._built = -1
        self._asked = 0
        self._local = threading.local()
        self._lock = threading.Lock()
        self._cache: dict[str, frozenset[int]] = {}
        self._last_long: tuple[str, frozenset[int]] | None = None

    @property
    def active(self) -> bool:
        """Whether texts are being filtered (the database is compiled and current)."""
        return self.enabled and self._built == len(self._ids) and self._db is not None

    def add(self, pattern: str) -> int:
        """The id of ``pattern`` (a Python regex, matched against folded text)."""
        if pattern in self._ids:
            return self._ids[pattern]
        from re import _parser  # type: ignore[attr-defined]

        pid = len(self._ids)
        self._ids[pattern] = pid
        try:
            parsed = _parser.parse(pattern, 0)
            if parsed.state.flags & re.IGNORECASE:
                raise Untranslatable("IGNORECASE")
            loose = translate(parsed, _BUDGET)
        except (Untranslatable, re.error):
            self._always.add(pid)
            return pid
        if loose.shortest == 0:  # matches the empty string: rules nothing out
            self._always.add(pid)
        else:
            self._hs.append((pid, loose.pattern))
        return pid

    def warm(self) -> None:
        """Compile the database now."""
        if self.enabled:
            self._database()

    def possible(self, text: str) -> frozenset[int] | None:
        """Ids of the patterns that may match in ``text``; ``None``: any of them may."""
        if not self.enabled:
            return None
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        last_long = self._last_long
        if last_long is not None and len(text) == len(last_long[0]) and text == last_long[0]:
            return last_long[1]
        if self._built != len(self._ids):
            self._asked += 1
            if self._asked <= self.compile_after:
                return None
        db = self._database()
        if db is None:
            return None
        found: set[int] = set(self._always)
        add = found.add

        def on_match(pid: int, _from: int, _to: int, _flags: int, _ctx: object) -> None:
            add(pid)

        db.scan(as_bytes(text), match_event_handler=on_match, scratch=self._scratch(db))
        result = frozenset(found)
        if len(text) <= _CACHE_TEXT:
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            self._cache[text] = result
        else:
            self._last_long = (text, result)
        return result

    def _database(self) -> Any:
        if self._built == len(self._ids):
            return self._db
        with self._lock:
            if self._built != len(self._ids):
                db, refused = _compile(tuple(self._hs)) if self._hs else (None, frozenset())
                self._always |= refused
                self._db = db
                self._cache.clear()
                self._last_long = None
                self._built = len(self._ids)
        return self._db

    def _scratch(self, db: Any) -> Any:
        # Hyperscan's scratch space may serve one scan at a time: one per thread.
        mine = getattr(self._local, "scratch", None)
        if mine is None or mine[0] is not db:
            mine = (db, hyperscan.Scratch(db))
            self._local.scratch = mine
        return mine[1]


class Narrowing:
    """A list's patterns, and for a text the regex of only those the prefilter allows there.

    ``compile(keep)`` builds the list's regex from the patterns at indices ``keep`` (each list
    keeps its own regex shape: named groups, first-character filing). Dropping patterns that
    match nowhere in a text cannot change what ``re`` finds there.
    """

    def __init__(
        self,
        patterns: Sequence[str],
        prefilter: Prefilter | None,
        compile: Callable[[tuple[int, ...]], re.Pattern[str]],
    ) -> None:
        self.full = compile(tuple(range(len(patterns))))
        self._count = len(patterns)
        self._prefilter = prefilter
        self._by_id: dict[int, list[int]] = {}
        if prefilter is not None:
            for i, pattern in enumerate(patterns):
                self._by_id.setdefault(prefilter.add(pattern), []).append(i)
        self._ids = frozenset(self._by_id)
        self._subset = functools.lru_cache(maxsize=128)(compile)

    def regex_for(self, low: str) -> re.Pattern[str] | None:
        """The regex to run over folded text ``low``; ``None`` when nothing can match there."""
        if self._prefilter is None:
            return self.full
        possible = self._prefilter.possible(low)
        if possible is None:
            return self.full
        keep = tuple(sorted(i for pid in possible & self._ids for i in self._by_id[pid]))
        if not keep:
            return None
        return self.full if len(keep) == self._count else self._subset(keep)


# A pure function of the patterns, memoised per process: every engine of a pack (a test run, a
# web app with several workers' engines) compiles its database once.
@functools.lru_cache(maxsize=8)
def _compile(patterns: tuple[tuple[int, str], ...]) -> tuple[Any, frozenset[int]]:
    """One database of ``(id, pattern)``s, and the ids of patterns Hyperscan refused."""
    flags = 0
    for name in _FLAGS:
        flags |= getattr(hyperscan, name)

    def build(group: Sequence[tuple[int, str]]) -> Any:
        db = hyperscan.Database()
        db.compile(expressions=[p.encode() for _, p in group], ids=[i for i, _ in group],
                   elements=len(group), flags=[flags] * len(group))
        return db

    refused: set[int] = set()

    def usable(group: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
        # Find the refused patterns by halving, so a good list costs one compilation.
        try:
            build(group)
        except hyperscan.error:
            if len(group) == 1:
                refused.add(group[0][0])
                return []
            half = len(group) // 2
            return usable(group[:half]) + usable(group[half:])
        return list(group)

    try:
        return build(patterns), frozenset()
    except hyperscan.error:
        good = usable(patterns)
        return (build(good) if good else None), frozenset(refused)
