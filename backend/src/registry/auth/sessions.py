"""Browser sessions: a database row behind the opaque `registry_session` cookie, and the
`registry_csrf` cookie the web app echoes in the X-CSRF-Token header of its changes."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie
from sqlalchemy import delete, insert

from registry.auth.credentials import CSRF_COOKIE, SESSION_COOKIE, csrf_token, secret_hash
from registry.db.engine import Connection, Database
from registry.db.models import sessions
from registry.settings import Settings


async def start(db: Database, settings: Settings, username: str) -> str:
    """A new session for `username`; returns the cookie's secret (stored only as its hash)."""
    secret = secrets.token_urlsafe(32)
    now = datetime.datetime.now(datetime.UTC)
    async with db.write() as conn:
        # Ended sessions are deleted as they end; expired ones go when their user signs in again.
        await conn.execute(delete(sessions).where(sessions.c.username == username, sessions.c.expires_at <= now))
        await conn.execute(
            insert(sessions).values(
                token_hash=secret_hash(secret), username=username, created_at=now, expires_at=now + datetime.timedelta(seconds=settings.session_ttl)
            )
        )
    return secret


async def end(db: Database, token_hash: str) -> None:
    async with db.write() as conn:
        await conn.execute(delete(sessions).where(sessions.c.token_hash == token_hash))


async def end_all(conn: Connection, username: str, *, keep: str | None = None) -> None:
    """End every session of `username`, but the one whose hash is `keep`."""
    condition = sessions.c.username == username
    if keep is not None:
        condition &= sessions.c.token_hash != keep
    await conn.execute(delete(sessions).where(condition))


def secure(settings: Settings, request: Request[Any, Any, Any]) -> bool:
    """Whether cookies get the Secure flag: when users reach the Registry over https."""
    if settings.public_url:
        return settings.public_url.startswith("https://")
    return request.url.scheme == "https"


def cookies(settings: Settings, request: Request[Any, Any, Any], secret: str) -> list[Cookie]:
    """The session cookie (script-proof) and its CSRF companion (read by the web app)."""
    common = {"path": "/", "samesite": "lax", "secure": secure(settings, request), "max_age": settings.session_ttl}
    return [
        Cookie(key=SESSION_COOKIE, value=secret, httponly=True, **common),  # type: ignore[arg-type]
        Cookie(key=CSRF_COOKIE, value=csrf_token(settings.secret_key, secret), httponly=False, **common),  # type: ignore[arg-type]
    ]


def cleared_cookies(settings: Settings, request: Request[Any, Any, Any]) -> list[Cookie]:
    over_https = secure(settings, request)
    return [
        Cookie(key=name, value="", path="/", samesite="lax", secure=over_https, httponly=name == SESSION_COOKIE, max_age=0)
        for name in (SESSION_COOKIE, CSRF_COOKIE)
    ]
