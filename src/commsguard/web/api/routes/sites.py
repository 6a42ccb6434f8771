"""Is this social media? Lookups against the Definitions, and the IT role's queue."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from commsguard.store.tables import SiteQuestion
from commsguard.web.api.models import Timestamp
from commsguard.web.api.routes._gov import GOV_ERRORS, http_error
from commsguard.web.deps import EveryoneCheck, Principal, RowId, SessionDep, require_roles
from commsguard.workflows import social_media_lookup as wf

router = APIRouter(tags=["social media"])
IT = Annotated[Principal, Depends(require_roles("it", scope="review"))]
ITRead = Annotated[Principal, Depends(require_roles("it", "admin"))]


class LookupIn(BaseModel):
    target: str = Field(min_length=1, max_length=2000)
    note: str = Field(default="", max_length=2000)


class QuestionPublic(BaseModel):
    id: int
    domain: str
    asked_by: str
    note: str
    status: str
    answer: str | None
    reason: str
    answered_by: str | None
    created_at: Timestamp


class LookupPublic(BaseModel):
    classification: dict[str, Any]
    queued: QuestionPublic | None = None


class AnswerIn(BaseModel):
    category: str = Field(min_length=1, max_length=60)
    reason: str = Field(default="", max_length=2000)


def public(q: SiteQuestion) -> QuestionPublic:
    return QuestionPublic(id=q.id, domain=q.domain, asked_by=q.asked_by, note=q.note,
                          status=q.status, answer=q.answer, reason=q.reason,
                          answered_by=q.answered_by, created_at=q.created_at)


@router.post("/sites/lookup", response_model=LookupPublic,
             summary="Is this social media? (unknown sites are queued for IT)")
def lookup(body: LookupIn, principal: EveryoneCheck, session: SessionDep) -> LookupPublic:
    try:
        found = wf.lookup(session, target=body.target, asked_by=principal.username,
                          note=body.note)
    except GOV_ERRORS as exc:
        raise http_error(exc) from None
    return LookupPublic(classification=found.classification.to_dict(),
                        queued=public(found.question) if found.question else None)


@router.get("/sites/questions", response_model=list[QuestionPublic],
            summary="Sites asked about (IT)")
def questions(principal: ITRead, session: SessionDep, pending: bool = True
              ) -> list[QuestionPublic]:
    rows = wf.pending(session) if pending else wf.all_questions(session)
    return [public(q) for q in rows]


@router.post("/sites/questions/{question_id}/answer", response_model=QuestionPublic,
             summary="Classify a queued site; the taxonomy knows it from now on (IT)")
def answer(question_id: RowId, body: AnswerIn, principal: IT, session: SessionDep
           ) -> QuestionPublic:
    q = session.get(SiteQuestion, question_id)
    if q is None:
        raise HTTPException(404, "no such question")
    try:
        return public(wf.answer(session, question=q, actor=principal.username,
                                role=principal.role, category=body.category,
                                reason=body.reason))
    except GOV_ERRORS as exc:
        raise http_error(exc) from None
