"""The IT queue: sites asked about that the Definitions do not know, for the ``it`` role to
classify; each answer extends the taxonomy from then on (administrators may look)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from commsguard.store.tables import SiteQuestion
from commsguard.web.api.routes._gov import GOV_ERRORS, http_error
from commsguard.web.deps import Principal, RowId, SessionDep, require_roles
from commsguard.web.nav import NavItem, register
from commsguard.web.templating import render
from commsguard.workflows import audit
from commsguard.workflows import social_media_lookup as wf

router = APIRouter()
register(NavItem("Site questions", "/sites/questions", roles=("it", "admin"), order=78))
ITView = Annotated[Principal, Depends(require_roles("it", "admin"))]
IT = Annotated[Principal, Depends(require_roles(*wf.DECIDERS, scope="review"))]


@router.get("/sites/questions")
def questions_page(request: Request, principal: ITView, session: SessionDep,
                   done: Annotated[str, Query(max_length=300)] = "") -> Response:
    pending = wf.pending(session)
    answered = [q for q in wf.all_questions(session) if q.status == "answered"][:25]
    audit.append(session, actor=principal.username, action="sites.view",
                 detail={"pending": len(pending)})
    choices = wf.choices()
    return render(request, "site_questions.html", {
        "pending": pending, "answered": answered, "choices": choices,
        "labels": dict(choices), "done": done, "can_answer": principal.role in wf.DECIDERS,
    })


@router.post("/sites/questions/{question_id}/classify")
def classify(
    question_id: RowId, principal: IT, session: SessionDep,
    category: Annotated[str, Form(max_length=60)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    question = session.get(SiteQuestion, question_id)
    if question is None:
        raise HTTPException(404, "no such question")
    try:
        wf.answer(session, question=question, actor=principal.username, role=principal.role,
                  category=category, reason=reason)
    except GOV_ERRORS as exc:
        raise http_error(exc) from None
    return RedirectResponse(f"/sites/questions?done={question.domain}", status_code=303)
