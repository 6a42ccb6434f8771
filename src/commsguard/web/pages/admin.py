"""Users (admin) and API tokens (everyone's own; admin revokes any)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from commsguard.store.tables import ROLES, ApiToken, User
from commsguard.web import accounts
from commsguard.web.deps import (
    ADMINS,
    Admin,
    Everyone,
    Principal,
    RowId,
    ServiceDep,
    SessionDep,
)
from commsguard.web.nav import NavItem, register
from commsguard.web.security import ON_BEHALF, SCOPES, create_token, revoke_token
from commsguard.web.templating import render
from commsguard.workflows import audit

router = APIRouter()
register(NavItem("Users", "/admin/users", roles=ADMINS, order=90))
register(NavItem("API tokens", "/tokens", order=95))

RoleField = Annotated[Literal["staff", "manager", "reviewer", "communications", "it", "admin"],
                      Form()]


def _users_page(request: Request, session: SessionDep, *, error: str = "", done: str = "",
                status: int = 200) -> Response:
    users = list(session.scalars(select(User).order_by(User.username)))
    return render(request, "users.html", {"users": users, "roles": ROLES, "error": error,
                                          "done": done}, status=status)


@router.get("/admin/users")
def users(request: Request, principal: Admin, session: SessionDep, done: str = "") -> Response:
    return _users_page(request, session, done=done)


@router.post("/admin/users")
def create_user(
    request: Request, principal: Admin, service: ServiceDep, session: SessionDep,
    username: Annotated[str, Form(max_length=100)], role: RoleField,
    password: Annotated[str, Form(max_length=1024)],
    display_name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        accounts.create_user(session, passwords=service.passwords, username=username, role=role,
                             password=password, display_name=display_name,
                             actor=principal.username)
    except accounts.AccountError as exc:
        return _users_page(request, session, error=str(exc), status=422)
    return RedirectResponse(f"/admin/users?done=created+{username.strip().lower()}",
                            status_code=303)


@router.post("/admin/users/{user_id}")
def update_user(
    user_id: RowId, principal: Admin, session: SessionDep, role: RoleField,
    active: Annotated[bool, Form()] = False,
) -> Response:
    user = session.get(User, user_id)
    if user is None:
        raise HTTPException(404, "no such user")
    if user.id == principal.user.id and (not active or role != "admin"):
        raise HTTPException(409, "you cannot demote or deactivate yourself")
    accounts.update_user(session, user=user, actor=principal.username, role=role, active=active)
    return RedirectResponse(f"/admin/users?done=updated+{user.username}", status_code=303)


def _scopes(principal: Principal) -> tuple[str, ...]:
    """The scopes the tokens page offers: check:on-behalf to an administrator only."""
    return SCOPES if principal.role == "admin" else tuple(s for s in SCOPES if s != ON_BEHALF)


@router.get("/tokens")
def tokens(request: Request, principal: Everyone, session: SessionDep) -> Response:
    q = select(ApiToken, User).join(User, ApiToken.user_id == User.id).order_by(
        ApiToken.id.desc())
    if principal.role != "admin":
        q = q.where(ApiToken.user_id == principal.user.id)
    rows = session.execute(q).tuples().all()
    return render(request, "tokens.html",
                  {"rows": rows, "scopes": _scopes(principal), "new_token": None})


@router.post("/tokens")
def new_token(
    request: Request, principal: Everyone, session: SessionDep,
    name: Annotated[str, Form(max_length=200)] = "",
    scopes: Annotated[list[Literal["check", "read", "review", "admin", "check:on-behalf"]],
                      Form()] = ["check"],  # noqa: B006
) -> Response:
    if ON_BEHALF in scopes and principal.role != "admin":
        raise HTTPException(403, f"only an administrator may grant the scope {ON_BEHALF!r}")
    row, raw = create_token(session, user=principal.user, scopes=list(scopes), name=name)
    audit.append(session, actor=principal.username, action="token.create",
                 target=f"token:{row.id}", detail={"scopes": row.scopes})
    rows = session.execute(
        select(ApiToken, User).join(User, ApiToken.user_id == User.id)
        .where(ApiToken.user_id == principal.user.id).order_by(ApiToken.id.desc())
    ).tuples().all()
    return render(request, "tokens.html",
                  {"rows": rows, "scopes": _scopes(principal), "new_token": raw})


@router.post("/tokens/{token_id}/revoke")
def revoke(token_id: RowId, principal: Everyone, session: SessionDep) -> Response:
    row = session.get(ApiToken, token_id)
    if row is None or (row.user_id != principal.user.id and principal.role != "admin"):
        raise HTTPException(404, "no such token")
    revoke_token(session, token=row)
    audit.append(session, actor=principal.username, action="token.revoke",
                 target=f"token:{row.id}")
    return RedirectResponse("/tokens", status_code=303)
