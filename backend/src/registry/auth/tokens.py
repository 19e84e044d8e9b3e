"""Signed, expiring bearer tokens (JWT, HS256), and the authentication of each API request by its token."""

from __future__ import annotations

import functools
import time
from typing import Any

import jwt
from litestar.connection import ASGIConnection
from litestar.middleware.authentication import AbstractAuthenticationMiddleware, AuthenticationResult

from registry.access.roles import GENERAL_ROLE_NAMES, GeneralRole, Principal, general_role_names
from registry.errors import NotAuthenticated

ALGORITHM = "HS256"
_ROLE_BY_NAME = {name: role for role, name in GENERAL_ROLE_NAMES.items()}


def issue_token(secret_key: str, ttl: int, username: str, roles: GeneralRole) -> str:
    """The token carries the user's general roles: a role change applies from the next sign-in."""
    now = int(time.time())
    claims = {"sub": username, "roles": general_role_names(roles), "iat": now, "exp": now + ttl}
    return jwt.encode(claims, secret_key, algorithm=ALGORITHM)


def verify_token(secret_key: str, token: str) -> Principal:
    principal, expires_at = _verified(secret_key, token)
    if expires_at <= time.time():
        raise NotAuthenticated(_EXPIRED)
    return principal


_EXPIRED = "Your session has expired. Sign in again."


# A client sends the same token with every request for its whole lifetime, and checking it (JWT
# parsing and the HMAC) costs more than the rest of a record fetch: a token that passed once is
# remembered with its expiry, which `verify_token` still checks on every use. Refused tokens are
# not remembered (an exception is not cached), so they cost the full check each time.
@functools.lru_cache(maxsize=4096)
def _verified(secret_key: str, token: str) -> tuple[Principal, int]:
    try:
        claims = jwt.decode(token, secret_key, algorithms=[ALGORITHM], options={"require": ["sub", "exp", "iat"]})
    except jwt.ExpiredSignatureError:
        raise NotAuthenticated(_EXPIRED) from None
    except jwt.InvalidTokenError:
        raise NotAuthenticated("The access token is not valid. Sign in again.") from None
    roles = claims.get("roles")
    if not isinstance(claims["sub"], str) or not isinstance(roles, list) or not all(r in _ROLE_BY_NAME for r in roles):
        raise NotAuthenticated("The access token is not valid. Sign in again.")
    return Principal(username=claims["sub"], roles=GeneralRole(sum({_ROLE_BY_NAME[r] for r in roles}))), int(claims["exp"])


DOWNLOAD_COOKIE = "registry_token"


class TokenAuthentication(AbstractAuthenticationMiddleware):
    """Litestar's authentication middleware with the Registry's bearer tokens: every API request
    needs a valid token, except OPTIONS and routes whose `opt` says `exclude_from_auth`.

    File downloads also take the token from the `registry_token` cookie, so that a plain link
    can stream a file of any size to disk (and resume it). The web app sets that cookie
    `SameSite=Strict` on the files path, and only the routes whose `opt` says `cookie_auth` read it.
    """

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        # The raw headers: decoding them all into `connection.headers` costs more than this check.
        header = next((value.decode("latin-1") for name, value in connection.scope["headers"] if name == b"authorization"), "")
        if not header and connection.route_handler.opt.get("cookie_auth") and connection.scope["method"] == "GET":
            header = f"Bearer {connection.cookies.get(DOWNLOAD_COOKIE, '')}"
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("Sign in first: send `Authorization: Bearer <token>` from POST /api/v1/auth/token.")
        principal = verify_token(connection.app.state.settings.secret_key, token.strip())
        return AuthenticationResult(user=principal, auth=token)
