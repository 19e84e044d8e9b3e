"""Signed, expiring bearer tokens (JWT, HS256) for scripts, from POST /auth/token.

A token names its user and nothing else: the user's roles, and whether the account is still
active, are read from the database on every request (auth.credentials), so no role lives only
inside a token.
"""

from __future__ import annotations

import functools
import time

import jwt

from registry.errors import NotAuthenticated

ALGORITHM = "HS256"
EXPIRED = "Your sign-in has expired. Sign in again."
_INVALID = "The access token is not valid. Sign in again."


def issue_token(secret_key: str, ttl: int, username: str, generation: int) -> str:
    """`generation`: the account's token generation now; a password reset counts it up, which
    ends every token issued before."""
    now = int(time.time())
    return jwt.encode({"sub": username, "gen": generation, "iat": now, "exp": now + ttl}, secret_key, algorithm=ALGORITHM)


def verify_token(secret_key: str, token: str) -> tuple[str, int]:
    """The token's username and token generation; 401 if it is invalid or expired."""
    username, generation, expires_at = _verified(secret_key, token)
    if expires_at <= time.time():
        raise NotAuthenticated(EXPIRED)
    return username, generation


# A client sends the same token with every request for its whole lifetime, and checking it (JWT
# parsing and the HMAC) costs more than the rest of a record fetch: a token that passed once is
# remembered with its expiry, which `verify_token` still checks on every use. Refused tokens are
# not remembered (an exception is not cached), so they cost the full check each time.
@functools.lru_cache(maxsize=4096)
def _verified(secret_key: str, token: str) -> tuple[str, int, int]:
    try:
        claims = jwt.decode(token, secret_key, algorithms=[ALGORITHM], options={"require": ["sub", "exp", "iat"]})
    except jwt.ExpiredSignatureError:
        raise NotAuthenticated(EXPIRED) from None
    except jwt.InvalidTokenError:
        raise NotAuthenticated(_INVALID) from None
    generation = claims.get("gen", 0)
    if not isinstance(claims["sub"], str) or not isinstance(generation, int):
        raise NotAuthenticated(_INVALID)
    return claims["sub"], generation, int(claims["exp"])
