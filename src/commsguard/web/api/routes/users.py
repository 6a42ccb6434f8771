"""Users (admin) and ``/me``."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from sqlalchemy import func, select

from commsguard.store.tables import User
from commsguard.web import accounts
from commsguard.web.api.models import UserCreate, UserPublic, UsersPublic, UserUpdate
from commsguard.web.deps import Admin, Everyone, RowId, ServiceDep, SessionDep

router = APIRouter(tags=["users"])


def user_public(u: User) -> UserPublic:
    return UserPublic(id=u.id, username=u.username, display_name=u.display_name, role=u.role,
                      active=u.active, created_at=u.created_at, last_login_at=u.last_login_at)


@router.get("/me", response_model=UserPublic, summary="Who I am")
def me(principal: Everyone) -> UserPublic:
    return user_public(principal.user)


@router.get("/users", response_model=UsersPublic, summary="All users")
def users(principal: Admin, session: SessionDep) -> UsersPublic:
    rows = list(session.scalars(select(User).order_by(User.username)))
    count = session.scalar(select(func.count()).select_from(User)) or 0
    return UsersPublic(data=[user_public(u) for u in rows], count=count)


@router.post("/users", response_model=UserPublic, status_code=201, summary="Create a user")
def create(
    body: UserCreate, principal: Admin, service: ServiceDep, session: SessionDep
) -> UserPublic:
    try:
        user = accounts.create_user(
            session, passwords=service.passwords, username=body.username, role=body.role,
            password=body.password, display_name=body.display_name, actor=principal.username,
        )
    except accounts.AccountError as exc:
        raise HTTPException(409 if "exists" in str(exc) else 422, str(exc)) from None
    return user_public(user)


@router.patch("/users/{user_id}", response_model=UserPublic, summary="Change a user")
def update(
    user_id: RowId, body: UserUpdate, principal: Admin, session: SessionDep
) -> UserPublic:
    user = session.get(User, user_id)
    if user is None:
        raise HTTPException(404, "no such user")
    if user.id == principal.user.id and (body.active is False or body.role not in (None, "admin")):
        raise HTTPException(409, "you cannot demote or deactivate yourself")
    accounts.update_user(session, user=user, actor=principal.username, role=body.role,
                         active=body.active, display_name=body.display_name)
    return user_public(user)
