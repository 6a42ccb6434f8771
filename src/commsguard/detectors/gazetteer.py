"""Gazetteers: exact lists of names (parties, councils, departments, words) found in one pass.

:class:`Gazetteer` builds one Aho-Corasick automaton (``pyahocorasick``) over every term of its
lists, so a message is scanned once however long the lists are. Matches are case-folded and
checked on word boundaries; a term written ``=Greens`` in a data file must match its case (or be
all capitals), so "the Greens" is a party and "eat your greens" is dinner.

:class:`GazetteerDetector` is the rule-level detector: terms from pack data files, with optional
*cues* that must appear in the same sentence (target handling) and *negations* that suppress a
match when they come just before it. Data files may be rot13-encoded (``encoding: rot13``) so that
lists of offensive words are not plain text in the repository.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import ahocorasick
from pydantic import BaseModel, ConfigDict, Field

from commsguard.detectors.base import Detector, DetectorContext, Hit
from commsguard.detectors.prefilter import Narrowing, Prefilter
from commsguard.errors import PackError
from commsguard.models import Explanation, Message
from commsguard.text import fold, lower_literals

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+|(?<=[;:])\s+(?=[A-Z])")


def sentence_bounds(text: str, start: int, end: int, *, limit: int = 400) -> tuple[int, int]:
    """The sentence (or line) around ``text[start:end]``, at most ``limit`` characters each way."""
    floor = max(0, start - limit)
    lo = floor
    for b in _SENTENCE_END.finditer(text, floor, start):
        lo = b.end()
    after = _SENTENCE_END.search(text, end, min(len(text), end + limit))
    return lo, (after.start() if after else min(len(text), end + limit))


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


@dataclass(frozen=True, slots=True)
class Term:
    """One entry of a gazetteer: how it is written, its category and whether case matters."""

    text: str
    category: str
    case_sensitive: bool = False


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    term: Term


def parse_terms(lines: Iterable[str], category: str) -> Iterator[Term]:
    """Data-file lines as terms: ``=Term`` is case-sensitive; ``a | b`` lists aliases."""
    for line in lines:
        for raw in line.split("|"):
            word = raw.strip()
            if not word:
                continue
            if word.startswith("="):
                yield Term(word[1:].strip(), category, case_sensitive=True)
            else:
                yield Term(word, category)


class Gazetteer:
    """Every term of some lists, found in one pass, on word boundaries, longest match first."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self.automaton = ahocorasick.Automaton()
        count = 0
        for term in terms:
            key = fold(term.text)
            existing = self.automaton.get(key, None)
            entries: tuple[Term, ...] = existing + (term,) if existing else (term,)
            self.automaton.add_word(key, entries)
            count += 1
        self.size = count
        if count:
            self.automaton.make_automaton()

    def find(self, text: str, folded: str | None = None) -> list[Match]:
        """Non-overlapping matches, leftmost-longest, each on word boundaries."""
        if not self.size:
            return []
        low = folded if folded is not None else fold(text)
        found: list[Match] = []
        n = len(text)
        for end_index, entries in self.automaton.iter(low):
            end = end_index + 1
            for term in entries:
                start = end - len(term.text)
                if start > 0 and _is_word(text[start - 1]) and _is_word(term.text[0]):
                    continue
                if end < n and _is_word(text[end]) and _is_word(term.text[-1]):
                    continue
                if term.case_sensitive:
                    seen = text[start:end]
                    if seen != term.text and not (seen.isupper() and len(seen) > 2):
                        continue
                found.append(Match(start, end, term))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[Match] = []
        last_end = -1
        for m in found:
            if m.start >= last_end:
                kept.append(m)
                last_end = m.end
        return kept


def load_terms(
    context: DetectorContext, files: Sequence[str], *, encoding: str = "plain"
) -> list[Term]:
    """Terms from pack data files; the file's stem is each term's category."""
    terms: list[Term] = []
    for name in files:
        lines = context.data_lines(name)
        if encoding == "rot13":
            lines = [codecs.decode(line, "rot13") for line in lines]
        category = name.rsplit("/", 1)[-1].split(".", 1)[0]
        terms.extend(parse_terms(lines, category))
    return terms


def cue_regex(words: Sequence[str]) -> re.Pattern[str] | None:
    """One case-insensitive regex for cue words or phrases (regex syntax allowed)."""
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", re.IGNORECASE)


def _first_chars(items: Any) -> tuple[set[str] | None, bool]:
    """The characters a parsed regex can start with (None: any) and whether it can be empty."""
    chars: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            return chars | {chr(av).lower()}, False
        if name == "IN":
            for o, a in av:
                if str(o) == "LITERAL":
                    chars.add(chr(a).lower())
                elif str(o) == "RANGE" and a[1] - a[0] <= 300:
                    chars.update(chr(c).lower() for c in range(a[0], a[1] + 1))
                else:
                    return None, False
            return chars, False
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        if name == "SUBPATTERN":
            sub, nullable = _first_chars(av[-1])
        elif name == "BRANCH":
            sub, nullable = set(), False
            for seq in av[1]:
                got, empty = _first_chars(seq)
                if got is None:
                    return None, False
                sub |= got
                nullable = nullable or empty
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            sub, nullable = _first_chars(av[2])
            nullable = nullable or av[0] == 0
        else:
            return None, False
        if sub is None:
            return None, False
        chars |= sub
        if not nullable:
            return chars, False
    return chars, True




def _alternation(parts: Sequence[tuple[str, set[str] | None]]) -> re.Pattern[str]:
    """One regex of ``(pattern, first characters)`` pairs, filed by first character."""
    by_char: dict[str, list[str]] = {}
    anywhere: list[str] = []
    for part, chars in parts:
        if chars is None:
            anywhere.append(part)
        else:
            for c in chars:
                by_char.setdefault(c, []).append(part)
    branches = [
        f"(?={re.escape(c)})(?:" + "|".join(f"(?:{x})" for x in alts) + ")"
        for c, alts in sorted(by_char.items())
    ] + [f"(?:{x})" for x in anywhere]
    return re.compile(r"(?<!\w)(?:" + "|".join(branches) + r")(?!\w)")


class LinePatterns:
    """Many regex alternatives, matched case-insensitively in one pass of ``re``.

    One alternation of a hundred phrases makes Python's ``re`` try every phrase at every word.
    Here the phrases are filed under the characters they can begin with (worked out from the
    parsed pattern) and each file is guarded by a one-character lookahead, and the text is
    lower-cased once (same length, so offsets hold) instead of matching with IGNORECASE: at
    each word only the phrases that can start with its first letter are tried. Same matches,
    several times faster. ``group()`` of a match is the lower-cased text.

    With a :class:`Prefilter` (one per engine), a text is first scanned once by Hyperscan for
    every list's patterns; the regex run over it then holds only the patterns that can match
    there (none: the list is not run). Dropping patterns that match nowhere in the text cannot
    change what ``re`` finds, so the matches are the same.
    """

    def __init__(self, parts: Sequence[str], prefilter: Prefilter | None = None) -> None:
        from re import _parser  # type: ignore[attr-defined]

        self._parts: list[tuple[str, set[str] | None]] = []
        for part in (lower_literals(p) for p in parts):
            chars, nullable = _first_chars(_parser.parse(part, 0))
            self._parts.append((part, None if nullable else chars))
        self._narrowing = Narrowing(
            [part for part, _ in self._parts], prefilter,
            lambda keep: _alternation([self._parts[i] for i in keep]),
        )
        self.regex = self._narrowing.full

    def regex_for(self, low: str) -> re.Pattern[str] | None:
        """The regex to run over folded text ``low``; ``None`` when nothing can match there."""
        return self._narrowing.regex_for(low)

    def finditer(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        low = fold(text)
        regex = self.regex_for(low)
        if regex is None:
            return iter(())
        end = len(low) if endpos is None else endpos
        return (m for m in regex.finditer(low, pos, end) if m.end() > m.start())

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return next(self.finditer(text, pos, endpos), None)


def regex_lines(
    lines: Sequence[str], prefilter: Prefilter | None = None
) -> LinePatterns | None:
    """Data-file lines of regexes (`` | `` also separates alternatives), matched as one set.

    A space in a pattern matches any run of whitespace (line breaks in emails, double spaces);
    `` ?`` any or none.
    """
    parts = [
        p.strip().replace(" ?", r"\s*").replace(" ", r"\s+")
        for line in lines for p in re.split(r"\s+\|\s+", line.strip(" |"))
        if p.strip()
    ]
    if not parts:
        return None
    for part in parts:
        try:
            re.compile(part)
        except re.error as exc:
            raise PackError(f"pattern {part!r} does not compile: {exc}") from None
    return LinePatterns(parts, prefilter)


def data_patterns(context: DetectorContext, name: str | None) -> LinePatterns | None:
    """A pack data file of patterns (see :func:`regex_lines`), compiled once per engine.

    Rules that name the same file share one :class:`LinePatterns`, filtered by the engine's
    :class:`Prefilter`.
    """
    if not name:
        return None
    return context.shared(
        ("patterns", name), lambda: regex_lines(context.data_lines(name), context.prefilter)
    )


class GazetteerParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Pack data files, one term per line (``=Term`` case-sensitive, ``a | b`` aliases).
    terms_files: list[str] = Field(default_factory=list)
    terms: list[str] = Field(default_factory=list)
    encoding: Literal["plain", "rot13"] = "plain"
    #: If given, a cue (regex) must appear in the same sentence as the term.
    cues: list[str] = Field(default_factory=list)
    #: Words just before the term (within ``negation_window`` characters) that cancel it.
    negations: list[str] = Field(default_factory=list)
    negation_window: int = Field(default=25, ge=0, le=200)
    #: Words just after the term that make it another word ("spastic paralysis").
    not_followed_by: list[str] = Field(default_factory=list)
    score: float = Field(default=0.6, ge=0, le=1)
    cue_score: float = Field(default=0.2, ge=0, le=1)


class GazetteerDetector(Detector):
    name = "gazetteer"
    description = "Terms from pack lists (Aho-Corasick), word-bounded, with cues and negations."
    Params = GazetteerParams

    def __init__(self, params: BaseModel, context: DetectorContext) -> None:
        super().__init__(params, context)
        assert isinstance(params, GazetteerParams)
        self.p = params
        terms = load_terms(context, params.terms_files, encoding=params.encoding)
        terms.extend(parse_terms(params.terms, "rule"))
        self.gazetteer = Gazetteer(terms)
        self.cues = cue_regex(params.cues)
        self.negations = cue_regex(params.negations)
        self.hide = params.encoding == "rot13"
        self.after = (
            re.compile(r"\s*(?:" + "|".join(params.not_followed_by) + r")(?!\w)", re.IGNORECASE)
            if params.not_followed_by else None
        )

    def detect(self, message: Message) -> Iterator[Hit]:
        text = message.text
        for m in self.gazetteer.find(text):
            pattern = "(listed term)" if self.hide else m.term.text
            if self.negations is not None:
                before = text[max(0, m.start - self.p.negation_window) : m.start]
                if neg := self.negations.search(before):
                    yield Hit(m.start, m.end, 0.0, Explanation(self.name, pattern),
                              near_miss=f"negated by {neg.group()!r}")
                    continue
            if self.after is not None and (aft := self.after.match(text, m.end)):
                yield Hit(m.start, m.end, 0.0, Explanation(self.name, pattern),
                          near_miss=f"followed by {aft.group().strip()!r}")
                continue
            score = self.p.score
            notes: tuple[str, ...] = ()
            if self.cues is not None:
                lo, hi = sentence_bounds(text, m.start, m.end)
                cue = self.cues.search(text, lo, hi)
                if cue is None:
                    yield Hit(m.start, m.end, 0.0, Explanation(self.name, pattern),
                              near_miss="listed term without a cue in the same sentence")
                    continue
                score = min(1.0, score + self.p.cue_score)
                notes = (f"cue {cue.group()!r}",)
            yield Hit(m.start, m.end, score,
                      Explanation(self.name, pattern, notes=(m.term.category, *notes)))
