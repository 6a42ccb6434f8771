"""API tokens: create (shown once), list, revoke. Everyone manages their own; admin, all."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from sqlalchemy import select

from commsguard.store.tables import ApiToken, User
from commsguard.web.api.models import TokenCreate, TokenCreated, TokenPublic, TokensPublic
from commsguard.web.deps import EVERYONE, Principal, RowId, SessionDep, require_roles
from commsguard.web.security import ON_BEHALF, create_token, revoke_token
from commsguard.workflows import audit

router = APIRouter(tags=["tokens"])

TokenAdmin = Annotated[Principal, Depends(require_roles(*EVERYONE, scope="admin"))]


def token_public(t: ApiToken, owner: str) -> TokenPublic:
    return TokenPublic(id=t.id, name=t.name, prefix=t.prefix, scopes=t.scopes.split(),
                       owner=owner, created_at=t.created_at, last_used_at=t.last_used_at,
                       revoked_at=t.revoked_at)


@router.get("/tokens", response_model=TokensPublic, summary="My tokens (admin: everyone's)")
def tokens(
    principal: TokenAdmin, session: SessionDep,
    all: bool = Query(False, description="Every user's tokens (admin only)."),
) -> TokensPublic:
    q = select(ApiToken, User).join(User, ApiToken.user_id == User.id).order_by(ApiToken.id)
    if all and principal.role != "admin":
        raise HTTPException(403, "only an administrator sees everyone's tokens")
    if not all:
        q = q.where(ApiToken.user_id == principal.user.id)
    rows = session.execute(q).tuples().all()
    return TokensPublic(data=[token_public(t, u.username) for t, u in rows], count=len(rows))


@router.post("/tokens", response_model=TokenCreated, status_code=201, summary="Create a token")
def create(body: TokenCreate, principal: TokenAdmin, session: SessionDep) -> TokenCreated:
    if ON_BEHALF in body.scopes and principal.role != "admin":
        raise HTTPException(403, f"only an administrator may grant the scope {ON_BEHALF!r}")
    row, raw = create_token(session, user=principal.user, scopes=list(body.scopes),
                            name=body.name)
    audit.append(session, actor=principal.username, action="token.create",
                 target=f"token:{row.id}", detail={"scopes": row.scopes})
    return TokenCreated(**token_public(row, principal.username).model_dump(), token=raw)


@router.delete("/tokens/{token_id}", response_model=TokenPublic, summary="Revoke a token")
def revoke(token_id: RowId, principal: TokenAdmin, session: SessionDep) -> TokenPublic:
    row = session.get(ApiToken, token_id)
    if row is None or (row.user_id != principal.user.id and principal.role != "admin"):
        raise HTTPException(404, "no such token")
    revoke_token(session, token=row)
    owner = session.get(User, row.user_id)
    audit.append(session, actor=principal.username, action="token.revoke",
                 target=f"token:{row.id}")
    return token_public(row, owner.username if owner else "")
