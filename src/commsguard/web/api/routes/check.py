"""``POST /api/v1/check``: what publishing tools call before a post goes out."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from commsguard.message_input import MessageIn
from commsguard.web.api.models import CheckBatch, CheckResult, CheckResults
from commsguard.web.deps import EveryoneCheck, ServiceDep, SessionDep
from commsguard.web.security import ON_BEHALF

router = APIRouter(tags=["check"])


@router.post(
    "/check",
    response_model=CheckResult | CheckResults,
    response_model_exclude_none=True,
    summary="Check a message, or a batch of messages",
)
def check(
    body: MessageIn | CheckBatch,
    principal: EveryoneCheck,
    service: ServiceDep,
    session: SessionDep,
    record: bool = Query(True, description="Store the result and its findings for review."),
    explain: bool = Query(False, description="Say why each finding fired."),
) -> Any:
    """Returns the CLI's JSON (``commsguard check --format json``) for one message, or
    ``{"results": [...]}`` in order for ``{"messages": [...]}``."""
    messages = body.messages if isinstance(body, CheckBatch) else [body]
    # Only a token granted check:on-behalf may name another author; anyone else checks as
    # themselves, whatever "author" says.
    on_behalf = principal.scopes is not None and ON_BEHALF in principal.scopes
    checked = service.check(
        session, user=principal.user, messages=messages, record=record, origin="api",
        on_behalf=on_behalf,
    )
    results = [c.result.to_dict(explain=explain) for c in checked]
    if isinstance(body, CheckBatch):
        return {"results": results}
    return results[0]
