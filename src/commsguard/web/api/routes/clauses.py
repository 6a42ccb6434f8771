"""The pack's clauses in their own words: what a finding's "why" link shows."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from commsguard.web.api.models import ClausePublic, ClausesPublic
from commsguard.web.deps import Everyone, ServiceDep
from commsguard.web.service import Service

router = APIRouter(tags=["clauses"])


def clause_public(service: Service, clause_id: str) -> ClausePublic:
    clause = service.pack.clauses.get(clause_id)
    if clause is None:
        raise HTTPException(404, f"no clause {clause_id!r} in the pack")
    rules = [r.id for r in service.pack.rules if r.clause == clause_id]
    return ClausePublic(id=clause.id, title=clause.title, text=clause.text, rules=rules)


@router.get("/clauses", response_model=ClausesPublic, summary="The pack's clauses")
def clauses(principal: Everyone, service: ServiceDep) -> ClausesPublic:
    data = [clause_public(service, c) for c in service.pack.clauses]
    return ClausesPublic(data=data, count=len(data))


@router.get("/clauses/{clause_id}", response_model=ClausePublic, summary="One clause")
def clause(clause_id: str, principal: Everyone, service: ServiceDep) -> ClausePublic:
    return clause_public(service, clause_id)
