"""Who is asking: every API request's credential — a bearer JWT from POST /auth/token, a personal
access token (`rgt_…`) or the browser's session cookie — resolved to a Principal whose roles are
the account's roles in the database now. One indexed lookup per request: a deactivated account, a
revoked token or an ended session is refused from the very next request, on every replica.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.authentication import AbstractAuthenticationMiddleware, AuthenticationResult
from sqlalchemy import bindparam, select, update

from registry.access.roles import GeneralRole, Principal
from registry.auth.tokens import verify_token
from registry.db.engine import Database
from registry.db.models import access_tokens, sessions, users
from registry.errors import Forbidden, NotAuthenticated

SESSION_COOKIE = "registry_session"
CSRF_COOKIE = "registry_csrf"
ACCESS_TOKEN_PREFIX = "rgt_"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# How stale a personal access token's `last_used_at` may get before a request writes it: a write
# per request would make every read a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)

_SIGN_IN = "Sign in first: in the web app, or send `Authorization: Bearer <token>` (a personal access token, or one from POST /api/v1/auth/token)."
_ACCOUNT_GONE = "This account is deactivated or no longer exists. Ask a registry administrator."


def secret_hash(secret: str) -> str:
    """What is stored of a session's or personal access token's secret: its SHA-256 (the secrets
    are 256 random bits, so a slow password hash would add nothing)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def csrf_token(secret_key: str, session_secret: str) -> str:
    """The `registry_csrf` value that goes with a session: bound to it, so a token planted from
    another session does not pass."""
    return hmac.new(secret_key.encode(), session_secret.encode(), hashlib.sha256).hexdigest()


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


# Built once, with bound parameters: the database layer compiles each statement object once.
_NOW = bindparam("now", type_=sessions.c.expires_at.type)
_ACCOUNT = select(users.c.roles, users.c.token_generation).where(users.c.username == bindparam("username"), users.c.active)
_SESSION_ACCOUNT = (
    select(users.c.username, users.c.roles)
    .join(sessions, sessions.c.username == users.c.username)
    .where(sessions.c.token_hash == bindparam("token_hash"), sessions.c.expires_at > _NOW, users.c.active)
)
_TOKEN_ACCOUNT = (
    select(access_tokens.c.id, access_tokens.c.scope, access_tokens.c.expires_at, access_tokens.c.last_used_at, users.c.username, users.c.roles)
    .join(users, users.c.username == access_tokens.c.username)
    .where(access_tokens.c.token_hash == bindparam("token_hash"), users.c.active)
)
_TOKEN_USED = update(access_tokens).where(access_tokens.c.id == bindparam("token_id", type_=access_tokens.c.id.type)).values(last_used_at=_NOW)


class Credentials(AbstractAuthenticationMiddleware):
    """Litestar's authentication middleware with the Registry's credentials: every API request
    needs one, except OPTIONS and routes whose `opt` says `exclude_from_auth`. A request with an
    `Authorization` header is judged by it alone; one without, by the session cookie."""

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        state = connection.app.state
        method = connection.scope["method"]
        # The raw headers: decoding them all into `connection.headers` costs more than this check.
        header = next((value.decode("latin-1") for name, value in connection.scope["headers"] if name == b"authorization"), "")
        if header:
            scheme, _, token = header.partition(" ")
            token = token.strip()
            if scheme.lower() != "bearer" or not token:
                raise NotAuthenticated(_SIGN_IN)
            if token.startswith(ACCESS_TOKEN_PREFIX):
                principal = await _by_access_token(state.db, token, method)
            else:
                principal = await _by_jwt(state.db, state.settings.secret_key, token)
        else:
            secret = connection.cookies.get(SESSION_COOKIE)
            if not secret:
                raise NotAuthenticated(_SIGN_IN)
            principal = await _by_session(state.db, secret)
            if method not in READ_METHODS:
                _check_csrf(connection, state.settings.secret_key, secret)
        return AuthenticationResult(user=principal, auth=None)


async def _by_jwt(db: Database, secret_key: str, token: str) -> Principal:
    username, generation = verify_token(secret_key, token)
    async with db.read() as conn:
        found = await conn.rows(_ACCOUNT, {"username": username})
    if not found:
        raise NotAuthenticated(_ACCOUNT_GONE)
    if generation != found[0].token_generation:
        raise NotAuthenticated("This sign-in was ended when the account's password was reset. Sign in again.")
    return Principal(username=username, roles=GeneralRole(found[0].roles))


async def _by_session(db: Database, secret: str) -> Principal:
    token_hash = secret_hash(secret)
    async with db.read() as conn:
        found = await conn.rows(_SESSION_ACCOUNT, {"token_hash": token_hash, "now": _now()})
    if not found:
        raise NotAuthenticated("Your session has ended. Sign in again.")
    return Principal(username=found[0].username, roles=GeneralRole(found[0].roles), session=token_hash)


async def _by_access_token(db: Database, token: str, method: str) -> Principal:
    token_hash = secret_hash(token)
    now = _now()
    async with db.read() as conn:
        found = await conn.rows(_TOKEN_ACCOUNT, {"token_hash": token_hash})
    if not found:
        raise NotAuthenticated("This personal access token is not valid: it was revoked, or its account deactivated. Create a new one on your account page.")
    row = found[0]
    if row.expires_at <= now:
        raise NotAuthenticated(f"This personal access token expired on {row.expires_at:%Y-%m-%d}. Create a new one on your account page.")
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        async with db.write() as conn:
            await conn.execute(_TOKEN_USED, {"token_id": row.id, "now": now})
    if row.scope == "read" and method not in READ_METHODS:
        raise Forbidden("This personal access token may only read. Use a token with the write scope to make changes.")
    return Principal(username=row.username, roles=GeneralRole(row.roles))


def _check_csrf(connection: ASGIConnection[Any, Any, Any, Any], secret_key: str, session_secret: str) -> None:
    sent = next((value.decode("latin-1") for name, value in connection.scope["headers"] if name == b"x-csrf-token"), "")
    cookie = connection.cookies.get(CSRF_COOKIE, "")
    expected = csrf_token(secret_key, session_secret)
    if not (sent and hmac.compare_digest(sent, cookie) and hmac.compare_digest(sent, expected)):
        raise Forbidden("A change made with the session cookie needs the X-CSRF-Token header, equal to the registry_csrf cookie. Reload the page and try again.")
