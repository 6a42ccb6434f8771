"""Approval or disapproval of bodies within the office's jurisdiction (``public-trust``).

The bodies are pack data: Victorian departments, statutory authorities and public entities, and
all 79 councils. Councils are listed once as ``Name | kind`` (city, shire, rural-city, borough)
and the usual forms are written from that ("Banyule City Council", "City of Banyule", "Banyule
Council"…). Generic references ("the council", "my local council") are weaker evidence.

A body counts only with a stance in the same sentence: a cue from the pack ("useless", "shout
out to", "a cash grab") or, failing that, a strongly positive or negative VADER score for the
sentence. "Darebin Council bin day is Tuesday" is information, not an opinion.

The same detector, with ``about_office`` set, finds public debate with journalists and public
figures about the office: a journalist or outlet, the office, and a stance, in one sentence.
With ``internal_file`` it finds the sharing of internal material (internal emails, leaked
memos, the intranet org chart) from the pack's wording.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import BaseModel, ConfigDict, Field

from commsguard.detectors.base import Detector, DetectorContext, Hit
from commsguard.detectors.gazetteer import (
    Gazetteer,
    Term,
    data_patterns,
    load_terms,
    sentence_bounds,
)
from commsguard.models import Explanation, Message

_COUNCIL_FORMS = {
    "city": ("{n} City Council", "City of {n}", "{n} Council", "{n} council", "{n} City"),
    "shire": ("{n} Shire Council", "Shire of {n}", "{n} Shire", "{n} Council", "{n} council",
              "{n} shire"),
    "rural-city": ("{n} Rural City Council", "Rural City of {n}", "{n} Rural City",
                   "{n} Council", "{n} council"),
    "borough": ("Borough of {n}", "{n} Borough Council", "{n} Council", "{n} council"),
}


def council_terms(lines: Sequence[str]) -> list[Term]:
    """The usual written forms of each council from ``Name | kind`` lines."""
    terms: list[Term] = []
    for line in lines:
        name, _, kind = (x.strip() for x in line.partition("|"))
        forms = _COUNCIL_FORMS.get(kind or "city", _COUNCIL_FORMS["city"])
        names = [name] + ([name.removeprefix("Greater ")] if name.startswith("Greater ") else [])
        for n in names:
            terms.extend(Term(f.format(n=n), "councils") for f in forms)
    return terms


class JurisdictionParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Gazetteer files of bodies (the file stem is the category).
    bodies: list[str] = Field(default_factory=list)
    #: ``Name | kind`` council list, expanded to the usual forms.
    councils_file: str | None = None
    #: Categories that are weak evidence (generic "the council").
    weak_categories: list[str] = Field(default_factory=lambda: ["generic-bodies"])
    #: Approval and disapproval cues (regex lines).
    stance_file: str | None = None
    #: Instead: sharing internal material (regex lines), each match a finding.
    internal_file: str | None = None
    internal_score: float = Field(default=0.65, ge=0, le=1)
    #: With both set: debate with journalists / public figures about the office instead.
    about_office: bool = False
    media_file: str | None = None
    office_file: str | None = None
    use_vader: bool = True
    vader_threshold: float = Field(default=0.6, ge=0, le=1)
    score: float = Field(default=0.75, ge=0, le=1)
    weak_score: float = Field(default=0.5, ge=0, le=1)
    vader_score: float = Field(default=0.5, ge=0, le=1)


class JurisdictionDetector(Detector):
    name = "jurisdiction"
    description = "Approval/disapproval of bodies in jurisdiction; debate with media on the office."
    Params = JurisdictionParams

    def __init__(self, params: BaseModel, context: DetectorContext) -> None:
        super().__init__(params, context)
        assert isinstance(params, JurisdictionParams)
        self.p = params
        terms = load_terms(context, params.bodies)
        if params.councils_file:
            terms.extend(council_terms(context.data_lines(params.councils_file)))
        self.gazetteer = Gazetteer(terms)
        self.stance = data_patterns(context, params.stance_file)
        self.internal = data_patterns(context, params.internal_file)
        self.media = data_patterns(context, params.media_file)
        self.office = data_patterns(context, params.office_file)

    def _compound(self, sentence: str) -> float:
        if not self.p.use_vader:
            return 0.0
        return self.context.models.sentiment(sentence)

    def detect(self, message: Message) -> Iterator[Hit]:
        if self.internal is not None:
            for i in self.internal.finditer(message.text):
                yield Hit(i.start(), i.end(), self.p.internal_score,
                          Explanation(self.name, i.group(), notes=("internal material",)))
            return
        if self.stance is None:
            return
        if self.p.about_office:
            yield from self._about_office(message.text)
            return
        text = message.text
        for m in self.gazetteer.find(text):
            lo, hi = sentence_bounds(text, m.start, m.end)
            # The verdict often follows in the next sentence: "Three weeks late. Useless."
            _, next_hi = sentence_bounds(text, min(len(text), hi + 1), min(len(text), hi + 1))
            weak = m.term.category in self.p.weak_categories
            cue = self.stance.search(text, lo, next_hi)
            if cue is not None:
                start, end = min(m.start, cue.start()), max(m.end, cue.end())
                yield Hit(start, end, self.p.weak_score if weak else self.p.score,
                          Explanation(self.name, m.term.text,
                                      notes=(m.term.category, f"stance {cue.group()!r}")))
                return
            if weak:
                continue
            compound = self._compound(text[lo:hi])
            if abs(compound) >= self.p.vader_threshold:
                yield Hit(m.start, m.end, self.p.vader_score,
                          Explanation(self.name, m.term.text,
                                      notes=(m.term.category, f"VADER compound {compound:.2f}")))
                return
            yield Hit(m.start, m.end, 0.0, Explanation(self.name, m.term.text),
                      near_miss="body named without approval or disapproval")

    def _about_office(self, text: str) -> Iterator[Hit]:
        if self.media is None or self.office is None or self.stance is None:
            return
        for m in self.media.finditer(text):
            lo, hi = sentence_bounds(text, m.start(), m.end())
            office = self.office.search(text, max(0, lo - 200), min(len(text), hi + 200))
            cue = self.stance.search(text, max(0, lo - 120), min(len(text), hi + 120))
            if office is None or cue is None:
                continue
            start, end = min(m.start(), cue.start()), max(m.end(), cue.end())
            yield Hit(start, end, self.p.score,
                      Explanation(self.name, m.group(),
                                  notes=(f"about the office ({office.group()!r})",
                                         f"stance {cue.group()!r}")))
            return
