"""Dependencies every route uses: the database session, the signed-in principal, role checks.

``SessionDep`` is a SQLAlchemy session committed when the route returns (before the response is
sent). ``CurrentUser`` is whoever is signed in, by browser session or API token.
``require_roles(*roles, scope=...)`` is the role check; use it on every route::

    @router.get("/cases")
    def cases(p: Annotated[Principal, Depends(require_roles("reviewer", scope="read"))]): ...

A token's power is its owner's role narrowed by its scopes (check, read, review, admin); a
browser session has all its role allows, and must send the CSRF token with every unsafe request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request
from sqlalchemy.orm import Session

from commsguard.store.db import session_scope
from commsguard.store.tables import ROLES, User
from commsguard.web.errors import NotAuthenticated, PasswordChangeRequired
from commsguard.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    session_user,
    token_user,
)
from commsguard.web.service import Service

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: Role groups used across routes.
EVERYONE: tuple[str, ...] = ROLES
REVIEWERS: tuple[str, ...] = ("reviewer",)
OVERSIGHT: tuple[str, ...] = ("manager", "reviewer", "communications", "it", "admin")
ADMINS: tuple[str, ...] = ("admin",)
AUDITORS: tuple[str, ...] = ("reviewer", "admin")


# Dependencies that do no I/O are ``async``: they run on the event loop instead of costing a
# worker-thread hop each.
async def get_service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


ServiceDep = Annotated[Service, Depends(get_service)]


def get_db(service: ServiceDep) -> Iterator[Session]:
    with session_scope(service.db) as session:
        yield session


#: Requests holding a database session at once. Below the connection pool's size (5 + 10
#: overflow), so a request never blocks a worker thread waiting for a connection: without this,
#: 40 threads could all wait on a pool whose holders need a thread to finish (a deadlock).
DB_CONCURRENCY = 10

SessionDep = Annotated[
    Session, Depends(get_db, scope="function", max_concurrency=DB_CONCURRENCY)
]


@dataclass(frozen=True)
class Principal:
    """Who is making the request, and with what powers.

    ``username``, ``role`` and ``display_name`` are copied from the user when the request is
    authenticated, so they stay readable after the session ends (e.g. on an error page).
    """

    user: User
    username: str
    role: str
    display_name: str = ""
    #: The token's scopes; None for a browser session.
    scopes: frozenset[str] | None = None
    #: The raw session token (browser sessions only): it keys the CSRF token.
    session_token: str | None = None
    csrf_token: str = ""

    @classmethod
    def of(cls, user: User, **kw: object) -> Principal:
        return cls(user=user, username=user.username, role=user.role,
                   display_name=user.display_name, **kw)  # type: ignore[arg-type]

    def can(self, *roles: str) -> bool:
        return self.role in roles


async def submitted_csrf(request: Request) -> str | None:
    """The CSRF token sent with an unsafe request: the header (htmx) or the form field."""
    if request.method in SAFE_METHODS:
        return None
    if token := request.headers.get(CSRF_HEADER):
        return token
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


def optional_principal(
    request: Request,
    session: SessionDep,
    service: ServiceDep,
    csrf: Annotated[str | None, Depends(submitted_csrf)],
) -> Principal | None:
    cached: Principal | None = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    principal: Principal | None = None
    auth = request.headers.get("authorization")
    if auth:
        scheme, _, raw = auth.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise NotAuthenticated("use Authorization: Bearer TOKEN")
        found_token = token_user(session, raw=raw.strip())
        if found_token is None:
            raise NotAuthenticated("the token is unknown or revoked")
        token, user = found_token
        principal = Principal.of(user, scopes=frozenset(token.scopes.split()))
    elif cookie := request.cookies.get(SESSION_COOKIE):
        raw_session = service.signer.loads(cookie)
        found = session_user(session, raw=raw_session) if raw_session else None
        if found is not None:
            _, user = found
            principal = Principal.of(
                user, session_token=raw_session,
                csrf_token=service.signer.csrf_for(raw_session or ""),
            )
            if request.method not in SAFE_METHODS and not service.signer.csrf_ok(
                raw_session, csrf
            ):
                raise HTTPException(403, "missing or invalid CSRF token; reload the page")
    request.state.principal = principal
    return principal


async def current_principal(
    request: Request, principal: Annotated[Principal | None, Depends(optional_principal)]
) -> Principal:
    if principal is None:
        raise NotAuthenticated()
    if (
        principal.user.must_change_password
        and principal.scopes is None
        and request.url.path not in ("/account/password", "/logout")
    ):
        raise PasswordChangeRequired()
    return principal


CurrentUser = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: str, scope: str = "read") -> Callable[[Principal], Principal]:
    """A dependency that lets through only ``roles`` (and, for tokens, ``scope``)."""
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise ValueError(f"require_roles: unknown or no roles {unknown}")

    # Kept synchronous: callers may also call the check directly, e.g. ``check(principal)``.
    def check(principal: CurrentUser) -> Principal:
        if principal.role not in roles:
            raise HTTPException(403, f"this needs the role {' or '.join(roles)}")
        if principal.scopes is not None and scope not in principal.scopes and (
            "admin" not in principal.scopes
        ):
            raise HTTPException(403, f"this token lacks the scope {scope!r}")
        return principal

    check.__name__ = f"require_{'_'.join(roles)}_{scope}"
    return check


Everyone = Annotated[Principal, Depends(require_roles(*EVERYONE))]
EveryoneCheck = Annotated[Principal, Depends(require_roles(*EVERYONE, scope="check"))]
Reviewer = Annotated[Principal, Depends(require_roles(*REVIEWERS))]
ReviewerWrite = Annotated[Principal, Depends(require_roles(*REVIEWERS, scope="review"))]
Oversight = Annotated[Principal, Depends(require_roles(*OVERSIGHT))]
Admin = Annotated[Principal, Depends(require_roles(*ADMINS, scope="admin"))]
Auditor = Annotated[Principal, Depends(require_roles(*AUDITORS))]


#: A row id in a path: bounded so that no database is asked about an impossible id.
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
