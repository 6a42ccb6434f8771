"""Making public comment: speaking for the office, or commenting as one of its staff.

Two modes, one per rule:

``speaking-for-office``
    Wording that speaks for the office ("on behalf of the Ombudsman", "our office's position",
    "we will be investigating", quotes to journalists) by anyone who does not hold a current
    ``spokesperson`` authorisation on the message's date. Phrases that do not name the office
    themselves ("we will be investigating") count fully only with the office named nearby.

``identified-staff-comment``
    Comment on Victorian government activity (a gazetteer of government terms, departments and
    authorities) by someone who identifies as working for the office in the text or in their
    public ``profile``. Saying "views my own" does not cure naming the employer.

A current spokesperson is never flagged for speaking for the office, nor for official posts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from commsguard.detectors.authority import authority_near_miss, holds_authority
from commsguard.detectors.base import Detector, DetectorContext, Hit
from commsguard.detectors.gazetteer import Gazetteer, data_patterns, load_terms
from commsguard.models import Explanation, Message


class PublicCommentParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    mode: Literal["speaking-for-office", "identified-staff-comment"]
    #: The authority that makes public comment fine.
    authority: str = "spokesperson"
    #: How the office is referred to (regex lines): confirms weak speaking-for-office phrases.
    office_file: str | None = None
    #: speaking-for-office: phrases (regex lines).
    phrases_file: str | None = None
    #: identified-staff-comment: identity in text, identity in a bio, government terms.
    identity_file: str | None = None
    profile_file: str | None = None
    government_files: list[str] = Field(default_factory=list)
    #: identified-staff-comment: an opinion (regex lines), else a VADER score, must be there:
    #: a site visit to a prison is not a comment on it.
    opinion_file: str | None = None
    use_vader: bool = False
    vader_threshold: float = Field(default=0.3, ge=0, le=1)
    score: float = Field(default=0.8, ge=0, le=1)
    weak_score: float = Field(default=0.25, ge=0, le=1)
    office_window: int = Field(default=120, ge=0, le=1000)


class PublicCommentDetector(Detector):
    name = "public-comment"
    description = "Speaking for the office without authorisation; identified staff commenting."
    Params = PublicCommentParams

    def __init__(self, params: BaseModel, context: DetectorContext) -> None:
        super().__init__(params, context)
        assert isinstance(params, PublicCommentParams)
        self.p = params
        self.office = data_patterns(context, params.office_file)
        self.phrases = data_patterns(context, params.phrases_file)
        self.identity = data_patterns(context, params.identity_file)
        self.profile_identity = data_patterns(context, params.profile_file)
        self.government = Gazetteer(load_terms(context, params.government_files))
        self.opinion = data_patterns(context, params.opinion_file)

    def _opinion(self, text: str) -> str | None:
        if self.opinion is not None and (m := self.opinion.search(text)):
            return repr(m.group())
        if self.p.use_vader:
            compound = self.context.models.sentiment(text)
            if abs(compound) >= self.p.vader_threshold:
                return f"VADER compound {compound:.2f}"
        return None

    def _authorised(self, message: Message) -> bool:
        return holds_authority(self.context, message, self.p.authority)

    def detect(self, message: Message) -> Iterator[Hit]:
        if self.p.mode == "speaking-for-office":
            hits = self._speaking_for_office(message)
        else:
            hits = self._identified_comment(message)
        # A spokesperson may speak for the office; commenting as staff is fine only officially.
        exempt = self.p.mode == "speaking-for-office" or message.capacity == "official"
        first = True
        for hit in hits:
            if first and exempt and self._authorised(message):
                yield Hit(hit.start, hit.end, 0.0, hit.explanation,
                          near_miss=authority_near_miss(message, self.p.authority))
                return
            first = False
            yield hit

    def _speaking_for_office(self, message: Message) -> Iterator[Hit]:
        if self.phrases is None:
            return
        text = message.text
        for m in self.phrases.finditer(text):
            phrase = m.group()
            named = self.office is not None and self.office.search(phrase) is not None
            if not named and self.office is not None:
                lo = max(0, m.start() - self.p.office_window)
                hi = min(len(text), m.end() + self.p.office_window)
                named = self.office.search(text, lo, hi) is not None
            notes = ("office named",) if named else ("office not named nearby",)
            yield Hit(m.start(), m.end(), self.p.score if named else self.p.weak_score,
                      Explanation(self.name, phrase, notes=notes))

    def _identified_comment(self, message: Message) -> Iterator[Hit]:
        text = message.text
        where = ""
        ident = self.identity.search(text) if self.identity is not None else None
        if ident is not None:
            where = f"says so in the text ({ident.group()!r})"
        elif message.profile and self.profile_identity is not None:
            if pm := self.profile_identity.search(message.profile):
                where = f"profile names the office ({pm.group()!r})"
        if not where:
            return
        matches = self.government.find(text)
        if not matches:
            return
        first, last = matches[0], matches[-1]
        opinion = self._opinion(text) if self.opinion is not None or self.p.use_vader else ""
        if opinion is None:
            yield Hit(first.start, first.end, 0.0, Explanation(self.name, first.term.text),
                      near_miss=f"author {where}, but no opinion on the government activity")
            return
        start, end = first.start, last.end
        if ident is not None:
            start, end = min(start, ident.start()), max(end, ident.end())
        if end - start > 300:  # keep the evidence readable: the first government term
            start, end = first.start, first.end
        yield Hit(
            start, end, self.p.score,
            Explanation(self.name, first.term.text,
                        notes=(f"author {where}", f"government activity: {first.term.text!r}",
                               f"opinion {opinion}")),
            message=f"Comments on Victorian government activity while the author {where}.",
        )
