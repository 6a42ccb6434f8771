"""Passwords, browser sessions, CSRF tokens, API tokens and sign-in rate limiting.

- Passwords: argon2id (``argon2-cffi``), rehashed on sign-in when the cost changes.
- Sessions: the cookie holds a random token signed with ``itsdangerous`` (HttpOnly, SameSite);
  the database holds only its sha256, so signing out or an administrator revokes it for good.
- CSRF: every form carries an HMAC of the session token (or, before sign-in, of a pre-session
  nonce cookie); htmx sends the same token in ``X-CSRF-Token``.
- API tokens: ``cg_`` + 32 random bytes, shown once; sha256 at rest; scoped and revocable.
- Sign-in delays: failures per account and address make the next attempt from that address
  wait 1, 2, 4 … seconds (429 until then); no account or address is ever locked.

Keys are derived from the installation secret, so nothing else needs configuring.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from commsguard.store.tables import ApiToken, LoginAttempt, User, WebSession

SESSION_COOKIE = "cg_session"
PRESESSION_COOKIE = "cg_pre"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
TOKEN_PREFIX = "cg_"
#: Token scopes; a token's power is its owner's role narrowed to its scopes.
#: ``check:on-behalf`` lets a publishing tool file a check under another author's name; it is
#: granted only by an administrator (and never implied by ``admin``).
ON_BEHALF = "check:on-behalf"
SCOPES: tuple[str, ...] = ("check", "read", "review", "admin", ON_BEHALF)


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Keys:
    """Keys derived from the installation secret, one per purpose."""

    session: bytes
    csrf: bytes
    pseudonym: bytes
    #: Keys the in-memory per-address counters (``throttle.py``): no address kept in clear.
    throttle: bytes

    @classmethod
    def derive(cls, secret: bytes) -> Keys:
        def k(purpose: str) -> bytes:
            return hmac.new(secret, f"commsguard-web:{purpose}".encode(), hashlib.sha256).digest()

        return cls(session=k("session"), csrf=k("csrf"), pseudonym=k("pseudonym"),
                   throttle=k("throttle"))


class Passwords:
    """Hashing and the strength rule for new passwords.

    ``context`` names words a password of this installation must not be built on besides the
    user's own name and the product's: the office's name, from the pack's ``organisation``.
    """

    def __init__(
        self, *, time_cost: int = 2, memory_kib: int = 19456, context: Sequence[str] = ()
    ) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        self.context = tuple(c for c in context if c.strip())

    def problem(self, password: str, *, username: str = "") -> str | None:
        """Why ``password`` may not be set for ``username``, or None."""
        return validate_password(password, username=username, context=self.context)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)


_DUMMY_HASH: dict[int, str] = {}


def check_password(passwords: Passwords, user: User | None, password: str) -> bool:
    """Verify; with no such user, spend the same time on a dummy hash (no user enumeration)."""
    if user is None or not user.active:
        dummy = _DUMMY_HASH.setdefault(id(passwords), passwords.hash("not a password"))
        passwords.verify(dummy, password)
        return False
    return passwords.verify(user.password_hash, password)


def generate_password() -> str:
    return secrets.token_urlsafe(15)


#: The least zxcvbn score a new password must reach: 3 is "safely unguessable" (about 10^8
#: guesses), the bar zxcvbn's authors set against an online attack that is slowed down.
MIN_PASSWORD_SCORE = 3
#: Words every password here is checked against, besides the username and the office's name.
PRODUCT_WORDS: tuple[str, ...] = ("commsguard",)
#: zxcvbn's matching is quadratic in length; a long password is judged on its first part.
_JUDGED_CHARS = 100


def _context_words(username: str, context: Sequence[str]) -> dict[str, str]:
    """Words a password must not be built on, each with what it is (for the error)."""
    words: dict[str, str] = {}
    for value, what in ((username, "your username"),
                        *((w, "the product's name") for w in PRODUCT_WORDS),
                        *((c, "the office's name") for c in context)):
        folded = value.strip().lower()
        if not folded:
            continue
        # "Victorian Ombudsman": the whole name, its words, and the name run together.
        parts = [p for p in re.split(r"[\W_]+", folded) if len(p) >= 3]
        for form in (folded, "".join(parts), *parts):
            if form:
                words.setdefault(form, what)
    return words


def _flat(sequence: Iterable[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], int]]:
    """zxcvbn's matches, a repeat's base matches included, each with the characters it covers
    (a repeated word covers the whole repeat)."""
    for m in sequence:
        covered = len(str(m["token"]))
        yield m, covered
        for base, _ in _flat(m.get("base_matches") or ()):
            yield base, covered


def validate_password(
    password: str, *, username: str = "", context: Sequence[str] = ()
) -> str | None:
    """Why a new password is unacceptable, or None.

    Beyond the length: a commonly used password (zxcvbn's lists of leaked passwords, words
    and names), or one built on the username, the product's name or the office's name, is
    refused, with the reason named.
    """
    if len(password) < 10:
        return "a password needs at least 10 characters"
    if len(password) > 1024:
        return "a password may have at most 1024 characters"
    from zxcvbn import zxcvbn

    words = _context_words(username, context)
    result = zxcvbn(password[:_JUDGED_CHARS], user_inputs=list(words))
    judged = min(len(password), _JUDGED_CHARS)
    matches = list(_flat(result["sequence"]))
    # Built on a context word: weak overall, or the word (repeated or not) is half of it.
    for m, covered in matches:
        if m.get("dictionary_name") != "user_inputs":
            continue
        if result["score"] < MIN_PASSWORD_SCORE or 2 * covered >= judged:
            what = words.get(str(m["matched_word"]), "a word of this installation")
            return f"that password is built on {what} ({m['token']!r}): choose another"
    if result["score"] >= MIN_PASSWORD_SCORE:
        return None
    if any(m.get("dictionary_name") == "passwords" for m, _ in matches):
        return ("that password is a commonly used one, or built on one, and is among the "
                "first an attacker tries: choose another")
    warning = str(result["feedback"].get("warning") or "").rstrip(".")
    hint = warning or "it follows a common pattern"
    return (f"that password is too easy to guess ({hint}): add another uncommon word or two")


# --- sessions -------------------------------------------------------------------------------


class SessionSigner:
    def __init__(self, keys: Keys, *, max_age_seconds: int) -> None:
        self._s = URLSafeTimedSerializer(keys.session, salt="session")
        self._csrf_key = keys.csrf
        self.max_age = max_age_seconds

    def dumps(self, raw: str) -> str:
        return self._s.dumps(raw)

    def loads(self, cookie: str) -> str | None:
        try:
            value = self._s.loads(cookie, max_age=self.max_age)
        except BadSignature:
            return None
        return value if isinstance(value, str) else None

    def csrf_for(self, raw: str) -> str:
        return hmac.new(self._csrf_key, raw.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, raw: str | None, token: str | None) -> bool:
        if not raw or not token:
            return False
        return hmac.compare_digest(self.csrf_for(raw), token)


def start_session(
    session: Session, *, user: User, hours: int, user_agent: str = ""
) -> str:
    """Create a browser session; returns the raw token for the (signed) cookie."""
    raw = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            token_hash=sha256_hex(raw),
            user_id=user.id,
            expires_at=datetime.now(UTC) + timedelta(hours=hours),
            user_agent=user_agent[:300],
        )
    )
    user.last_login_at = datetime.now(UTC)
    session.flush()
    return raw


def _aware(d: datetime) -> datetime:
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def session_user(session: Session, *, raw: str) -> tuple[WebSession, User] | None:
    row = session.scalars(
        select(WebSession).where(WebSession.token_hash == sha256_hex(raw))
    ).first()
    if row is None or row.revoked_at is not None or _aware(row.expires_at) <= datetime.now(UTC):
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return row, user


def end_session(session: Session, *, raw: str) -> None:
    row = session.scalars(
        select(WebSession).where(WebSession.token_hash == sha256_hex(raw))
    ).first()
    if row is not None and row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)


def end_sessions(session: Session, *, user: User, keep: str | None = None) -> int:
    """End every live browser session of ``user`` except ``keep`` (a raw token); how many."""
    now = datetime.now(UTC)
    keep_hash = sha256_hex(keep) if keep else None
    rows = session.scalars(
        select(WebSession).where(WebSession.user_id == user.id, WebSession.revoked_at.is_(None))
    )
    ended = 0
    for row in rows:
        if row.token_hash != keep_hash:
            row.revoked_at = now
            ended += 1
    return ended


# --- API tokens -----------------------------------------------------------------------------


def parse_scopes(scopes: str | list[str] | tuple[str, ...]) -> list[str]:
    items = scopes.replace(",", " ").split() if isinstance(scopes, str) else list(scopes)
    unknown = [s for s in items if s not in SCOPES]
    if unknown:
        raise ValueError(f"unknown scope {unknown[0]!r}; use {', '.join(SCOPES)}")
    if not items:
        raise ValueError(f"give at least one scope: {', '.join(SCOPES)}")
    return sorted(set(items), key=SCOPES.index)


def create_token(
    session: Session, *, user: User, scopes: list[str], name: str = ""
) -> tuple[ApiToken, str]:
    """A new token for ``user``; the raw token is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        name=name[:200],
        token_hash=sha256_hex(raw),
        prefix=raw[:10],
        scopes=" ".join(parse_scopes(scopes)),
    )
    session.add(row)
    session.flush()
    return row, raw


def token_user(session: Session, *, raw: str) -> tuple[ApiToken, User] | None:
    if not raw.startswith(TOKEN_PREFIX):
        return None
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == sha256_hex(raw))).first()
    if row is None or row.revoked_at is not None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    now = datetime.now(UTC)
    # Recorded at most once a minute, so a busy tool does not write on every call.
    if row.last_used_at is None or now - _aware(row.last_used_at) > timedelta(minutes=1):
        row.last_used_at = now
    return row, user


def revoke_token(session: Session, *, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = datetime.now(UTC)


def revoke_tokens(session: Session, *, user: User) -> int:
    """Revoke every live API token of ``user``; how many."""
    rows = list(session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ))
    for row in rows:
        revoke_token(session, token=row)
    return len(rows)


# --- sign-in rate limiting ------------------------------------------------------------------


def login_delay(
    session: Session, *, username: str, address: str, now: datetime, free_failures: int,
    window_seconds: int, max_delay_seconds: int,
) -> int:
    """Seconds to wait before an attempt for ``username`` from ``address`` is even checked.

    Failures count per account *and* address, since that pair's last success (and within the
    window): the first ``free_failures`` cost nothing, then each waits twice as long as the
    one before (1, 2, 4 … seconds, up to ``max_delay_seconds``) after the last failure. No
    account is ever locked: the right password from another address is checked at once, and
    failures on other accounts never slow this one.
    """
    since = now - timedelta(seconds=window_seconds)
    pair = (LoginAttempt.username == username.lower()[:200],
            LoginAttempt.address == address[:100])
    last_ok = session.scalar(
        select(func.max(LoginAttempt.at)).where(*pair, LoginAttempt.success.is_(True),
                                                LoginAttempt.at >= since)
    )
    after = max(since, _aware(last_ok)) if last_ok is not None else since
    count, last = session.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(
            *pair, LoginAttempt.success.is_(False), LoginAttempt.at > after)
    ).one()
    if count < free_failures or last is None:
        return 0
    delay: int = min(max_delay_seconds, 2 ** min(int(count) - free_failures, 30))
    remaining = delay - (now - _aware(last)).total_seconds()
    return max(0, int(math.ceil(remaining)))


def record_login(
    session: Session, *, username: str, address: str, success: bool, at: datetime | None = None,
) -> None:
    session.add(LoginAttempt(username=username.lower()[:200], address=address[:100],
                             success=success, at=at or datetime.now(UTC)))
    session.flush()
