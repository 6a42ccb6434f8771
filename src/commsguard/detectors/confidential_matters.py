"""Confidential matters: talk about complainants, cases, investigations and staff, unnamed.

The confidential register finds the office's own names and references exactly; this detector
finds the talk around them that names nothing the register holds ("a complainant rang again",
"the investigation I'm working on", "forwarding the transcripts to my Gmail"). It works on
*signals*, each a pack data list (regex lines) under ``params.data``:

``case-ref``
    A case-reference shape (``C/2025/04417``, ``ref VO-2024-113``): strong on its own.
``strong``
    Words that at the office nearly always mean a matter in hand (complainant, whistleblower,
    witness statement, draft report): one is enough.
``matter``
    Weaker work-matter words (case, file, matter, investigation, interview, caller) that need a
    cue in the same sentence: gossip or disclosure ("guess who", "rang", "her name is"), or
    deixis that makes it the author's work ("I'm working on", "today", a council).
``secrecy``
    Secrecy and leak cues ("don't tell anyone", "not public yet", "off the record") with any
    work word in the message.
``staff``
    Confidential staff news (probation, a formal warning, stress leave, a restructure) with a
    staff subject in the sentence ("my colleague", "Jordan from intake", "our team").
``outbound``
    Work material moved where it must not go (a personal Gmail, the pub) with the material
    named in the sentence.

Look-alikes in the same sentence (published or tabled reports, how to make a complaint, the
author's own complaint to an airline, "investigating my sourdough", "phone case") turn a hit into
a near miss, unless the message also carries a secrecy cue. A current spokesperson posting in
an official capacity (announcing an investigation is their job) gives near misses only.

Speed: one pass of one combined pattern over the lower-cased text finds every anchor; cue lists
are searched only inside the sentence of an anchor. The analysis of a text is cached, so the
several rules built on this detector share one pass.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal

import ahocorasick
from pydantic import BaseModel, ConfigDict, Field

from commsguard.detectors.base import Detector, DetectorContext, Hit
from commsguard.detectors.gazetteer import LinePatterns, regex_lines, sentence_bounds
from commsguard.errors import PackError
from commsguard.models import Explanation, Message
from commsguard.text import fold

Signal = Literal["case-ref", "strong", "matter", "secrecy", "staff", "outbound"]
SIGNALS: tuple[Signal, ...] = ("case-ref", "outbound", "strong", "staff", "secrecy", "matter")

#: Data file (under ``params.data``) of each anchor signal, in matching priority.
ANCHOR_FILES: dict[Signal, str] = {
    "case-ref": "case-references.txt",
    "outbound": "outbound.txt",
    "strong": "strong-terms.txt",
    "staff": "staff-topics.txt",
    "secrecy": "secrecy.txt",
    "matter": "matter-terms.txt",
}
_PRIORITY: dict[Signal, int] = {s: i for i, s in enumerate(SIGNALS)}
#: Cue lists, searched only around anchors.
CUE_FILES = ("gossip", "deixis", "staff-subjects", "material", "work-words", "look-alikes")

_LONG = 8192
_NOTHING = re.compile(r"(?!x)x")
_DIGITS = re.compile(r"\d{3}")
_WORD_START = re.compile(r"(?<!\w)\w|[^\w\s]")
#: How far before a keyword an anchor may start (a determiner and two words, a verb phrase).
_REACH = 60


def _keywords(words: list[str], anchor_parts: list[str]) -> ahocorasick.Automaton:
    """An automaton of the prefilter keywords; every anchor pattern must hold one of them."""
    keys = [k.strip().lower() for line in words for k in line.split(" | ") if k.strip()]
    for part in anchor_parts:
        for alt in re.split(r"\s+\|\s+", part.strip(" |")):
            source = alt.lower().replace("\\", "")
            if alt.strip() and not any(k in source for k in keys):
                raise PackError(f"confidential-matters: anchor {alt!r} holds no keyword of "
                                "keywords.txt, so the prefilter would never try it")
    automaton = ahocorasick.Automaton()
    for k in keys:
        automaton.add_word(k, k)
    automaton.make_automaton()
    return automaton


@dataclass(frozen=True, slots=True)
class Candidate:
    """One anchor with what was found around it: a hit when ``reason`` is empty."""

    signal: Signal
    start: int
    end: int
    score: float
    pattern: str
    notes: tuple[str, ...] = ()
    reason: str = ""


class ConfidentialMattersParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Pack folder with the signal lists (see the module docstring for the file names).
    data: str = "data/confidential"
    #: Which signals this rule reports (one analysis serves every rule).
    signals: list[Signal] = Field(default_factory=lambda: list(SIGNALS), min_length=1)
    #: The authority whose holders may announce the office's matters in official capacity.
    authority: str = "spokesperson"
    case_ref_score: float = Field(default=0.75, ge=0, le=1)
    strong_score: float = Field(default=0.6, ge=0, le=1)
    matter_score: float = Field(default=0.5, ge=0, le=1)
    staff_score: float = Field(default=0.55, ge=0, le=1)
    outbound_score: float = Field(default=0.65, ge=0, le=1)
    secrecy_score: float = Field(default=0.55, ge=0, le=1)
    #: Added when the message also carries a secrecy cue (or a cue beside a strong word).
    cue_bonus: float = Field(default=0.15, ge=0, le=1)


class _Analyser:
    """The compiled lists of one data folder, and a cached analysis of a text."""

    def __init__(self, context: DetectorContext, data: str, p: ConfidentialMattersParams) -> None:
        def lines(name: str) -> list[str]:
            return context.data_lines(f"{data.rstrip('/')}/{name}")

        self.p = p
        self.by_signal: dict[Signal, LinePatterns] = {}
        parts: list[str] = []
        for signal in SIGNALS:
            got = lines(ANCHOR_FILES[signal])
            compiled = regex_lines(got, context.prefilter)
            if compiled is not None:
                self.by_signal[signal] = compiled
                if signal != "case-ref":
                    parts.extend(got)
        self.anchors = regex_lines(parts, context.prefilter)
        self.keywords = _keywords(lines("keywords.txt"), parts)
        # Case references get their own pass (only texts with a run of digits), so that an
        # overlapping word anchor ("the file for 2024/7712") cannot hide one.
        self.refs = self.by_signal.pop("case-ref", None)
        self.cues: dict[str, LinePatterns | None] = {
            name: regex_lines(lines(f"{name}.txt"), context.prefilter) for name in CUE_FILES
        }
        self._cached = functools.lru_cache(maxsize=2048)(self._analyse)

    def analyse(self, text: str) -> tuple[Candidate, ...]:
        return self._cached(text) if len(text) <= _LONG else self._analyse(text)

    def _cue(
        self, name: str, low: str, lo: int, hi: int, skip: tuple[int, int] | None = None
    ) -> str | None:
        """The first cue of a list in ``low[lo:hi]``, outside the anchor's own span."""
        cue = self.cues[name]
        if cue is None:
            return None
        regex = cue.regex_for(low)
        if regex is None:
            return None
        spans = ((lo, skip[0]), (skip[1], hi)) if skip else ((lo, hi),)
        for a, b in spans:
            m = regex.search(low, a, b)
            if m is not None and m.end() > m.start():
                return m.group()
        return None

    def _signal(self, phrase: str) -> Signal:
        for signal, compiled in self.by_signal.items():
            if compiled.regex.fullmatch(phrase):
                return signal
        return "matter"

    def _analyse(self, text: str) -> tuple[Candidate, ...]:
        if self.anchors is None:
            return ()
        low = fold(text)
        typed: list[tuple[Signal, int, int, str]] = []
        tried: set[int] = set()
        done = 0
        # No anchor can match anywhere in the text (the prefilter says): skip the keyword walk.
        anchors = self.anchors.regex_for(low) or _NOTHING
        for end_index, _ in self.keywords.iter(low) if anchors is not _NOTHING else ():
            # Anchors start at word starts at most _REACH characters before a keyword; of those
            # found there, the strongest signal wins ("the draft report" is strong, not matter).
            best: tuple[int, int, Signal, int, int, str] | None = None
            for w in _WORD_START.finditer(low, max(done, end_index - _REACH), end_index + 1):
                at = w.start()
                if at in tried:
                    continue
                tried.add(at)
                m = anchors.match(low, at)
                if m is not None and m.end() > at:
                    signal = self._signal(m.group())
                    key = (_PRIORITY[signal], at - m.end(), signal, at, m.end(), m.group())
                    best = key if best is None or key < best else best
            if best is not None:
                typed.append(best[2:])
                done = best[4]
        if self.refs is not None and _DIGITS.search(text):
            typed += [("case-ref", m.start(), m.end(), m.group())
                      for m in self.refs.finditer(low)]
        if not typed:
            return ()
        secret = next((g for sig, _, _, g in typed if sig == "secrecy"), None)
        out: list[Candidate] = []
        for signal, start, end, phrase in typed:
            lo, hi = sentence_bounds(text, start, end)
            out.append(self._judge(signal, start, end, phrase, low, lo, hi, secret))
        return tuple(out)

    def _judge(
        self, signal: Signal, start: int, end: int, phrase: str, low: str, lo: int, hi: int,
        secret: str | None,
    ) -> Candidate:
        p = self.p
        bonus = p.cue_bonus if secret else 0.0
        notes: tuple[str, ...] = (f"secrecy cue {secret!r}",) if secret else ()
        own = (start, end)
        look = self._cue("look-alikes", low, lo, hi)
        if look is not None and secret is None:
            return Candidate(signal, start, end, 0.0, phrase,
                             reason=f"{phrase!r} beside the look-alike {look!r}")
        if signal == "case-ref":
            return Candidate(signal, start, end, p.case_ref_score + bonus, phrase, notes)
        if signal == "strong":
            cue = self._cue("gossip", low, lo, hi, own) or self._cue("deixis", low, lo, hi, own)
            extra = (f"cue {cue!r}",) if cue else ()
            score = p.strong_score + (p.cue_bonus if cue or secret else 0.0)
            return Candidate(signal, start, end, score, phrase, notes + extra)
        if signal == "matter":
            cue = self._cue("gossip", low, lo, hi, own) or self._cue("deixis", low, lo, hi, own)
            if cue is None and secret is None:
                return Candidate(signal, start, end, 0.0, phrase,
                                 reason=f"work-matter word {phrase!r} with no cue in its sentence")
            extra = (f"cue {cue!r}",) if cue else ()
            return Candidate(signal, start, end, p.matter_score + bonus, phrase, notes + extra)
        if signal == "staff":
            # The colleague is often named a sentence earlier ("Can someone text Aisha? Her …").
            who = self._cue("staff-subjects", low, max(0, lo - 160), hi, own)
            if who is None and secret is None:
                return Candidate(signal, start, end, 0.0, phrase,
                                 reason=f"{phrase!r} is not said of a colleague or the office")
            extra = (f"about {who!r}",) if who else ()
            return Candidate(signal, start, end, p.staff_score + bonus, phrase, notes + extra)
        if signal == "outbound":
            what = self._cue("material", low, lo, hi)
            if what is None:
                return Candidate(signal, start, end, 0.0, phrase,
                                 reason=f"{phrase!r} with no work material named")
            return Candidate(signal, start, end, p.outbound_score, phrase, (f"material {what!r}",))
        # A work word in the cue itself ("don't tell my boss") does not make the secret work's.
        wlo, whi = (0, len(low)) if len(low) <= _LONG else (max(0, start - 400), end + 400)
        work = self._cue("work-words", low, wlo, whi, own)
        if work is None:
            return Candidate(signal, start, end, 0.0, phrase,
                             reason=f"secrecy cue {phrase!r} with nothing about work")
        return Candidate(signal, start, end, p.secrecy_score, phrase, (f"work word {work!r}",))


_MESSAGES: dict[Signal, str] = {
    "case-ref": "Gives what looks like a case reference of the office.",
    "strong": "Talks about a complainant, witness, disclosure or draft report of the office.",
    "matter": "Talks about a case, complaint or investigation the author works on.",
    "secrecy": "Shares something about work as a secret or before it is public.",
    "staff": "Shares confidential news about a colleague or the office's staff.",
    "outbound": "Moves work material outside the office's systems.",
}


class ConfidentialMattersDetector(Detector):
    name = "confidential-matters"
    description = (
        "Talk about complainants, cases, investigations, draft reports and staff matters "
        "without register names: anchors with cues in the sentence, look-alikes suppressed."
    )
    Params = ConfidentialMattersParams

    def __init__(self, params: BaseModel, context: DetectorContext) -> None:
        super().__init__(params, context)
        assert isinstance(params, ConfidentialMattersParams)
        self.p = params
        # One analyser (and its cache of analysed texts) per data folder and scores, shared by
        # every rule of this engine that uses it: the rules differ only in the signals kept.
        scores = tuple(params.model_dump(exclude={"signals"}).values())
        analyser = context.shared(
            ("confidential-matters", *scores), lambda: _Analyser(context, params.data, params)
        )
        self.analyser = analyser
        self.signals = frozenset(params.signals)

    def _authorised(self, message: Message) -> bool:
        register = self.context.authorisations
        if register is None or not message.author or message.capacity != "official":
            return False
        on: date | None = message.time.date() if message.time else None
        return register.holds(message.author, self.p.authority, on)

    def detect(self, message: Message) -> Iterator[Hit]:
        candidates = [c for c in self.analyser.analyse(message.text) if c.signal in self.signals]
        if not candidates:
            return
        exempt = self._authorised(message)
        for c in candidates:
            explanation = Explanation(self.name, c.pattern, notes=(c.signal, *c.notes))
            if c.reason or exempt:
                reason = c.reason or (f"{message.author} holds a current {self.p.authority} "
                                      "authorisation and posts officially")
                yield Hit(c.start, c.end, 0.0, explanation, near_miss=reason)
            else:
                yield Hit(c.start, c.end, min(1.0, c.score), explanation,
                          message=_MESSAGES[c.signal])
