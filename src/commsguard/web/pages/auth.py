"""Signing in and out, and changing one's password."""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from commsguard.web import accounts
from commsguard.web.deps import (
    CurrentUser,
    Principal,
    ServiceDep,
    SessionDep,
    optional_principal,
)
from commsguard.web.security import (
    PRESESSION_COOKIE,
    SESSION_COOKIE,
    check_password,
    end_session,
    login_delay,
    record_login,
    start_session,
)
from commsguard.web.service import Service
from commsguard.web.templating import render
from commsguard.workflows import audit

router = APIRouter()

MaybeUser = Annotated[Principal | None, Depends(optional_principal)]


def _safe_next(target: str) -> str:
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/check"
    return target


def _home(principal: Principal) -> str:
    return "/queue" if principal.role == "reviewer" else "/check"


@router.get("/")
def home(principal: CurrentUser) -> RedirectResponse:
    return RedirectResponse(_home(principal), status_code=303)


def _login_page(
    request: Request, service: Service, *, next: str, error: str = "", status: int = 200,
    username: str = "",
) -> Response:
    nonce = request.cookies.get(PRESESSION_COOKIE) or secrets.token_urlsafe(16)
    response = render(
        request, "login.html",
        {"next": next, "error": error, "username": username,
         "csrf_token": service.signer.csrf_for("pre:" + nonce)},
        status=status,
    )
    response.set_cookie(PRESESSION_COOKIE, nonce, httponly=True, samesite="strict",
                        secure=service.options.cookie_secure, max_age=3600)
    return response


@router.get("/login")
def login_form(
    request: Request, service: ServiceDep, principal: MaybeUser, next: str = "/check"
) -> Response:
    if principal is not None and principal.scopes is None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_page(request, service, next=_safe_next(next))


@router.post("/login")
def login(
    request: Request,
    service: ServiceDep,
    session: SessionDep,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/check",
) -> Response:
    nonce = request.cookies.get(PRESESSION_COOKIE)
    target = _safe_next(next)
    if not service.signer.csrf_ok("pre:" + nonce if nonce else None, csrf_token):
        return _login_page(request, service, next=target, status=403, username=username,
                           error="The form expired. Please try again.")
    address = request.client.host if request.client else "unknown"
    name = username.strip().lower()
    now = service.clock()
    options = service.options
    wait = login_delay(session, username=name, address=address, now=now,
                       free_failures=options.login_max_failures,
                       window_seconds=options.login_window_seconds,
                       max_delay_seconds=options.login_max_delay_seconds)
    if wait:
        audit.append(session, actor=name or "-", action="auth.sign_in_refused",
                     detail={"address": address, "reason": "delayed", "wait": wait})
        when = (f"{wait} second{'s' if wait != 1 else ''}" if wait < 120
                else f"about {round(wait / 60)} minutes")
        return _login_page(request, service, next=target, status=429, username=username,
                           error=f"Too many failed attempts from here. Try again in {when}.")
    user = accounts.by_username(session, name)
    ok = check_password(service.passwords, user, password)
    record_login(session, username=name, address=address, success=ok, at=now)
    if not ok or user is None:
        audit.append(session, actor=name or "-", action="auth.sign_in_failed",
                     detail={"address": address})
        return _login_page(request, service, next=target, status=401, username=username,
                           error="That username and password do not match.")
    if service.passwords.needs_rehash(user.password_hash):
        user.password_hash = service.passwords.hash(password)
    raw = start_session(session, user=user, hours=service.options.session_hours,
                        user_agent=request.headers.get("user-agent", ""))
    audit.append(session, actor=user.username, action="auth.sign_in",
                 detail={"address": address})
    destination = "/account/password" if user.must_change_password else (
        target if target != "/check" else ("/queue" if user.role == "reviewer" else "/check")
    )
    response = RedirectResponse(destination, status_code=303)
    response.set_cookie(SESSION_COOKIE, service.signer.dumps(raw), httponly=True,
                        samesite="lax", secure=service.options.cookie_secure,
                        max_age=service.options.session_hours * 3600, path="/")
    response.delete_cookie(PRESESSION_COOKIE)
    return response


@router.post("/logout")
def logout(principal: CurrentUser, session: SessionDep) -> RedirectResponse:
    if principal.session_token:
        end_session(session, raw=principal.session_token)
    audit.append(session, actor=principal.username, action="auth.sign_out")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/account/password")
def password_form(request: Request, principal: CurrentUser) -> Response:
    return render(request, "password.html", {"error": ""})


@router.post("/account/password")
def change_password(
    request: Request,
    principal: CurrentUser,
    service: ServiceDep,
    session: SessionDep,
    current: Annotated[str, Form(max_length=1024)],
    new: Annotated[str, Form(max_length=1024)],
    repeat: Annotated[str, Form(max_length=1024)],
) -> Response:
    user = principal.user
    error = ""
    if not service.passwords.verify(user.password_hash, current):
        error = "Your current password is not right."
    elif new != repeat:
        error = "The two new passwords differ."
    else:
        try:
            accounts.set_password(session, passwords=service.passwords, user=user, password=new,
                                  actor=user.username, keep_session=principal.session_token)
        except accounts.AccountError as exc:
            reason = str(exc)
            error = reason[:1].upper() + reason[1:] + "."
    if error:
        return render(request, "password.html", {"error": error}, status=422)
    return RedirectResponse(_home(principal) + "?changed=1", status_code=303)
