"""Users: keyword-only functions, each administrative change audited."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commsguard.store.tables import ROLES, User
from commsguard.web.security import (
    Passwords,
    end_sessions,
    generate_password,
    revoke_tokens,
)
from commsguard.workflows import audit

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,99}$")


class AccountError(ValueError):
    """A user cannot be created or changed as asked."""


def check_username(username: str) -> str:
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise AccountError(
            f"{username!r} is not a valid username: use lower-case letters, digits, '.', '_', "
            "'@' or '-' (up to 100 characters)"
        )
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    return role


def by_username(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username.strip().lower())).first()


def create_user(
    session: Session,
    *,
    passwords: Passwords,
    username: str,
    role: str,
    password: str,
    display_name: str = "",
    actor: str = "system",
    must_change_password: bool = False,
) -> User:
    name = check_username(username)
    check_role(role)
    if problem := passwords.problem(password, username=name):
        raise AccountError(problem)
    if by_username(session, name) is not None:
        raise AccountError(f"a user named {name!r} already exists")
    user = User(
        username=name,
        display_name=display_name.strip()[:200],
        role=role,
        password_hash=passwords.hash(password),
        active=True,
        must_change_password=must_change_password,
    )
    session.add(user)
    session.flush()
    audit.append(session, actor=actor, action="user.create", target=f"user:{name}",
                 detail={"role": role})
    return user


def update_user(
    session: Session, *, user: User, actor: str, role: str | None = None,
    active: bool | None = None, display_name: str | None = None,
) -> User:
    changes: dict[str, object] = {}
    if role is not None and role != user.role:
        changes["role"] = [user.role, check_role(role)]
        user.role = role
    if active is not None and active != user.active:
        changes["active"] = [user.active, active]
        user.active = active
        if not active:
            # Reactivating must not revive what the user held before: end it all now.
            changes["sessions_ended"] = end_sessions(session, user=user)
            changes["tokens_revoked"] = revoke_tokens(session, user=user)
    if display_name is not None and display_name != user.display_name:
        changes["display_name"] = True
        user.display_name = display_name.strip()[:200]
    if changes:
        audit.append(session, actor=actor, action="user.update", target=f"user:{user.username}",
                     detail=changes)
    return user


def set_password(
    session: Session, *, passwords: Passwords, user: User, password: str, actor: str,
    keep_session: str | None = None,
) -> None:
    """Change ``user``'s password and end every browser session of theirs but ``keep_session``
    (the raw token of the session that made the change): a stolen session does not outlive
    the password it was signed in with."""
    if problem := passwords.problem(password, username=user.username):
        raise AccountError(problem)
    if user.password_hash and passwords.verify(user.password_hash, password):
        # Above all for the one-time password: keeping it would keep a password that was
        # printed on a console and may sit in a log.
        raise AccountError("the new password must differ from the current one")
    user.password_hash = passwords.hash(password)
    user.must_change_password = False
    ended = end_sessions(session, user=user, keep=keep_session)
    audit.append(session, actor=actor, action="user.password", target=f"user:{user.username}",
                 detail={"sessions_ended": ended})


def ensure_first_admin(
    session: Session, *, passwords: Passwords, username: str = "admin"
) -> str | None:
    """With no users at all, create an administrator; returns its one-time password."""
    if (session.scalar(select(func.count()).select_from(User)) or 0) > 0:
        return None
    password = generate_password()
    create_user(session, passwords=passwords, username=username, role="admin",
                password=password, display_name="Administrator", actor="system",
                must_change_password=True)
    return password
