"""Party-political statements and activity (the ``apolitical`` clause).

Three signals, each from pack data:

* a party, politician or political office (a gazetteer: ``parties``, ``politicians``,
  ``offices``; look-alikes such as "Labour Day" or "liberal arts" sit in an ``ignore`` list and
  shadow them because the longest match wins) **and** a stance cue — support, attack or voting
  advice — in the same sentence. A name alone ("the Premier opened the bridge") is civics, not
  politics;
* campaigning, which is party-political in itself: how-to-vote cards, doorknocking for a
  candidate, donations to a campaign;
* hashtags that fuse a name and a stance (``#VoteGreens``, ``#SackAllan``, ``#RepealObamacare``),
  and hashtags that are partisan in themselves: movement tags (``#tcot``, ``#p2``, ``#MAGA``)
  and a party's name fused with a topic (``#GOPbudget``, ``#ToryCuts``), from a data list.

Without a cue, a strongly opinionated sentence about a party or politician counts too (VADER),
unless the sentence is a courtesy — thanks, congratulations, condolences, greetings, an event
announced — which politicians post about each other all the time ("Happy birthday to Vice
President Joe Biden!").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import ahocorasick
from pydantic import BaseModel, ConfigDict, Field

from commsguard.detectors.base import Detector, DetectorContext, Hit
from commsguard.detectors.gazetteer import Gazetteer, data_patterns, load_terms, sentence_bounds
from commsguard.models import Explanation, Message

_HASHTAG = re.compile(r"[#@](\w{2,})")
#: "the government's decision": the policy, not the party, is the target.
_POSSESSIVE = re.compile(r"['’]s\b")
_POLICY_OWNER = re.compile(r"gov|state|spring", re.IGNORECASE)
_HASHTAG_STANCE = (
    "vote", "sack", "standwith", "dump", "ditch", "fail", "out", "mustgo", "liar", "lies",
    "corrupt", "last", "bin", "boot", "kick", "never", "dictator", "love", "4more", "fourmore",
    "resign", "go", "repeal", "defund", "scandal", "shutdown", "trainwreck", "disaster", "hurts",
    "stop", "cuts", "chaos", "broken", "blame", "against", "betray",
)
_COMPACT = re.compile(r"[^a-z0-9]")
#: The words of a camel-case tag: "HouseGOP" -> House, GOP; "GOPbudget" -> GOP, budget.
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]+(?![a-z])|[A-Z][a-z]*|[a-z]+|\d+")
#: An acronym run straight into a lower-case word ("GOPbudget") may be two words: both readings
#: are tried.
_ACRONYM = re.compile(r"([A-Z]{2,})(?=[a-z])")


def _camel_runs(tag: str) -> set[str] | None:
    """The words of a mixed-case tag, and runs of up to three of them, lower-cased.

    ``HouseGOP`` → house, gop, housegop; ``LibDemLies`` → …, libdem, demlies; ``GoPackGo`` has
    no "gop" in it. ``None`` for a tag written in one case, whose words cannot be told apart.
    """
    if tag in (tag.lower(), tag.upper()):
        return None
    runs: set[str] = set()
    for reading in (tag, _ACRONYM.sub(r"\1 ", tag)):
        words = [w.lower() for w in _CAMEL.findall(reading)]
        runs.update("".join(words[i:j]) for i in range(len(words))
                    for j in range(i + 1, min(len(words), i + 3) + 1))
    return runs


class PoliticalParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Gazetteer files; the file stem is the category (``offices`` score lower than names).
    entities: list[str] = Field(default_factory=list)
    #: Look-alike terms that shadow entities (never reported).
    ignore: list[str] = Field(default_factory=list)
    #: Stance cues, one regex per line, searched in the sentence of each entity.
    cues_file: str | None = None
    #: Campaigning patterns, party-political without a name.
    campaign_file: str | None = None
    #: Everyday activities that are campaigning with a party or candidate in the sentence.
    activities_file: str | None = None
    #: Hashtags that are partisan in themselves (regex lines, matched against the whole tag,
    #: lower-cased, without ``#``): movement tags, a party fused with a topic.
    hashtags_file: str | None = None
    #: Party names that make a hashtag partisan when fused with a topic (``#GOPbudget``); one
    #: per line or ``|``-separated; ``^name`` must begin a tag written in one case.
    fused_parties_file: str | None = None
    #: Courtesies (thanks, congratulations, condolences, invitations): a sentence holding one
    #: is not taken as opinion on sentiment alone.
    courtesy_file: str | None = None
    #: Categories whose names are weaker evidence than a party or a politician.
    weak_categories: list[str] = Field(default_factory=lambda: ["offices"])
    #: Categories that are a stance in themselves ("Dictator Dan"): no cue needed.
    stanced_categories: list[str] = Field(default_factory=lambda: ["epithets"])
    #: Without a cue, a strongly opinionated sentence (VADER |compound|) about a party or
    #: politician counts too, at ``vader_score``.
    use_vader: bool = True
    vader_threshold: float = Field(default=0.45, ge=0, le=1)
    vader_score: float = Field(default=0.6, ge=0, le=1)
    #: A post up to this many characters is one window for a name and its cue (a tweet names a
    #: party in one sentence and attacks it in the next); longer texts go sentence by sentence.
    short_post: int = Field(default=0, ge=0)
    score: float = Field(default=0.8, ge=0, le=1)
    weak_score: float = Field(default=0.62, ge=0, le=1)
    campaign_score: float = Field(default=0.85, ge=0, le=1)


class PoliticalDetector(Detector):
    name = "political"
    description = "Party, politician or office with a stance cue; campaigning; stance hashtags."
    Params = PoliticalParams

    def __init__(self, params: BaseModel, context: DetectorContext) -> None:
        super().__init__(params, context)
        assert isinstance(params, PoliticalParams)
        self.p = params
        terms = load_terms(context, params.entities)
        ignored = load_terms(context, params.ignore)
        self.gazetteer = Gazetteer([*terms, *ignored])
        self.ignored = {t.category for t in ignored}
        self.cues = data_patterns(context, params.cues_file)
        self.activities = data_patterns(context, params.activities_file)
        self.campaign = data_patterns(context, params.campaign_file)
        self.hashtags = data_patterns(context, params.hashtags_file)
        self.courtesy = data_patterns(context, params.courtesy_file)
        self.fused_parties = [
            (w.lstrip("^").lower(), w.startswith("^"))
            for line in (context.data_lines(params.fused_parties_file)
                         if params.fused_parties_file else [])
            for w in (x.strip() for x in line.split("|")) if w
        ]
        # Look-alikes removed from a tag before names are looked for: #LabourDay, #GopherPride.
        self._tag_ignore = sorted(
            {k for t in ignored if len(k := _COMPACT.sub("", t.text.lower())) >= 4},
            key=len, reverse=True,
        )
        self.compact_names = {
            key for t in terms if t.category not in params.weak_categories
            if len(key := _COMPACT.sub("", t.text.lower())) >= 3
        } | {
            # Surnames too, in hashtags only: #SackAllan, #DuttonMustGo.
            _COMPACT.sub("", t.text.split()[-1].lower()) for t in terms
            if t.category == "politicians" and " " in t.text and len(t.text.split()[-1]) >= 4
        }
        # The names in the set's own order (which _name_in keeps), and an automaton over them.
        self._names_list = list(self.compact_names)
        self._names_order = {k: i for i, k in enumerate(self._names_list)}
        self._always_in = [i for i, k in enumerate(self._names_list) if not k]
        self._names = ahocorasick.Automaton()
        for k in self._names_list:
            if k:
                self._names.add_word(k, k)
        if len(self._names):
            self._names.make_automaton()

    def detect(self, message: Message) -> Iterator[Hit]:
        text = message.text
        reported: list[tuple[int, int]] = []
        if self.campaign is not None:
            for c in self.campaign.finditer(text):
                reported.append((c.start(), c.end()))
                yield Hit(c.start(), c.end(), self.p.campaign_score,
                          Explanation(self.name, c.group(), notes=("campaigning",)))
        for m in self.gazetteer.find(text):
            category = m.term.category
            if category in self.ignored:
                continue
            if any(s <= m.start < e for s, e in reported):
                continue
            weak = category in self.p.weak_categories
            if weak and _POSSESSIVE.match(text, m.end) and _POLICY_OWNER.search(m.term.text):
                continue
            if category in self.p.stanced_categories:
                reported.append((m.start, m.end))
                yield Hit(m.start, m.end, self.p.score,
                          Explanation(self.name, m.term.text, notes=(category,)))
                continue
            lo, hi = self._window(text, m.start, m.end)
            cue = self._nearest_cue(text, lo, hi, m.start, m.end)
            if cue is None and self.activities is not None:
                if act := self.activities.search(text, lo, hi):
                    cue = (act.start(), act.end())
            if cue is None:
                courtesy = self.courtesy is not None and self.courtesy.search(text, lo, hi)
                compound = 0.0 if weak or courtesy else self._compound(text[lo:hi])
                if abs(compound) >= self.p.vader_threshold:
                    reported.append((m.start, m.end))
                    yield Hit(m.start, m.end, self.p.vader_score,
                              Explanation(self.name, m.term.text,
                                          notes=(category, f"VADER compound {compound:.2f}")))
                    continue
                yield Hit(m.start, m.end, 0.0, Explanation(self.name, m.term.text),
                          near_miss=f"{category} named without support, attack or voting advice")
                continue
            start, end = min(m.start, cue[0]), max(m.end, cue[1])
            reported.append((start, end))
            yield Hit(
                start, end, self.p.weak_score if weak else self.p.score,
                Explanation(self.name, m.term.text,
                            notes=(category, f"stance cue {text[cue[0]:cue[1]]!r}")),
            )
        for h in _HASHTAG.finditer(text):
            tag = h.group(1).lower()
            if any(s <= h.start() < e for s, e in reported):
                continue
            for look_alike in self._tag_ignore:
                tag = tag.replace(look_alike, " ")
            partisan = self._partisan_tag(tag) or (
                self._fused_party(h.group(1)) if tag == h.group(1).lower() else None)
            if h.group().startswith("#") and partisan:
                reported.append((h.start(), h.end()))
                yield Hit(h.start(), h.end(), self.p.score,
                          Explanation(self.name, h.group(), notes=("partisan hashtag", partisan)))
                continue
            tag = tag.replace(" ", "")
            runs = _camel_runs(h.group(1))
            if not tag:
                name = None
            elif runs is None:
                name = self._name_in(tag)
            else:  # a whole word of the tag: #RepealObamacare, not "gop" in #GoPackGo
                name = next((k for k in self._names_list if k in runs and k in tag), None)
            rest = tag.replace(name, "") if name else tag
            if name and h.group().startswith("#") and any(s in rest for s in _HASHTAG_STANCE):
                reported.append((h.start(), h.end()))
                yield Hit(h.start(), h.end(), self.p.score,
                          Explanation(self.name, h.group(), notes=("stance hashtag", name)))
            elif name and h.group().startswith("@") and _at_edge(h.group(1).lower(), name):
                lo, hi = sentence_bounds(text, h.start(), h.end())
                cue = self._nearest_cue(text, lo, min(len(text), hi + 200), h.start(), h.end())
                if cue is not None:
                    reported.append((h.start(), h.end()))
                    yield Hit(h.start(), h.end(), self.p.score,
                              Explanation(self.name, h.group(),
                                          notes=("party handle", f"cue {text[cue[0]:cue[1]]!r}")))

    def _partisan_tag(self, tag: str) -> str | None:
        """The pattern text a tag (look-alikes blanked out) matches whole, if any."""
        if self.hashtags is None:
            return None
        for part in tag.split():
            if (m := self.hashtags.search(part)) and m.start() == 0 and m.end() == len(part):
                return m.group()
        return None

    def _fused_party(self, tag: str) -> str | None:
        """A party name fused with a topic in ``tag`` (as written), the name being a whole word.

        In a mixed-case tag the words are its capitalised parts (``HouseGOP`` → House, GOP;
        ``GoPackGo`` → Go, Pack, Go); in a tag of one case the name must begin it (or end it,
        unless marked ``^``).
        """
        low = tag.lower()
        if (runs := _camel_runs(tag)) is not None:
            return next((n for n, _ in self.fused_parties if n in runs and n != low), None)
        for name, prefix_only in self.fused_parties:
            if low != name and (low.startswith(name) or (not prefix_only and low.endswith(name))):
                return name
        return None

    def _name_in(self, tag: str) -> str | None:
        """The first compact name (in ``compact_names``' order) found inside ``tag``.

        One Aho-Corasick pass over the tag instead of a substring test per name.
        """
        found = list(self._always_in)
        if len(self._names):
            found.extend(self._names_order[k] for _, k in self._names.iter(tag))
        return self._names_list[min(found)] if found else None

    def _window(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Where a cue for the name at ``start:end`` may be: the short post, or its sentence."""
        if len(text) <= self.p.short_post:
            return 0, len(text)
        return sentence_bounds(text, start, end)

    def _compound(self, sentence: str) -> float:
        if not self.p.use_vader:
            return 0.0
        return self.context.models.sentiment(sentence)

    def _nearest_cue(
        self, text: str, lo: int, hi: int, start: int, end: int
    ) -> tuple[int, int] | None:
        if self.cues is None:
            return None
        best: tuple[int, int] | None = None
        best_gap = 1 << 30
        for c in self.cues.finditer(text, lo, hi):
            if start <= c.start() and c.end() <= end:
                continue  # the cue is inside the name itself
            gap = c.start() - end if c.start() >= end else start - c.end()
            if gap < best_gap:
                best, best_gap = (c.start(), c.end()), gap
        return best


def _at_edge(handle: str, name: str) -> bool:
    """Whether ``name`` begins or ends a word of ``handle``: @danandrews and @albo4pm name a
    politician; "pence" inside @spencer.j is part of another name."""
    for m in re.finditer(re.escape(name), handle):
        before = handle[m.start() - 1] if m.start() else ""
        after = handle[m.end()] if m.end() < len(handle) else ""
        if not before.isalpha() or not after.isalpha():
            return True
    return False
