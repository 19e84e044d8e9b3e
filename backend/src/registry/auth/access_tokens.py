"""Personal access tokens: named, read or write, expiring, revocable credentials for scripts."""

from __future__ import annotations

import datetime
import secrets
import uuid

from sqlalchemy import delete, insert, select

from registry.auth.credentials import ACCESS_TOKEN_PREFIX, secret_hash
from registry.auth.schemas import AccessTokenCreated, AccessTokenInfo, TokenCreate
from registry.db.engine import Connection, Database
from registry.db.models import access_tokens
from registry.errors import NotFound

_LISTED = (
    access_tokens.c.id,
    access_tokens.c.name,
    access_tokens.c.scope,
    access_tokens.c.created_at,
    access_tokens.c.expires_at,
    access_tokens.c.last_used_at,
)


async def list_tokens(conn: Connection, username: str) -> list[AccessTokenInfo]:
    rows = await conn.rows(select(*_LISTED).where(access_tokens.c.username == username).order_by(access_tokens.c.created_at.desc(), access_tokens.c.id))
    return [AccessTokenInfo(row.id, row.name, row.scope, row.created_at, row.expires_at, row.last_used_at) for row in rows]


async def create_token(db: Database, username: str, new: TokenCreate) -> AccessTokenCreated:
    secret = ACCESS_TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    created = AccessTokenCreated(
        id=uuid.uuid4(), name=new.name, scope=new.scope, created_at=now, expires_at=now + datetime.timedelta(days=new.expires_in_days), token=secret
    )
    async with db.write() as conn:
        await conn.execute(
            insert(access_tokens).values(
                id=created.id,
                username=username,
                name=new.name,
                scope=new.scope,
                token_hash=secret_hash(secret),
                created_at=created.created_at,
                expires_at=created.expires_at,
            )
        )
    return created


def parse_token_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise NotFound(f"You have no personal access token {raw!r}.") from None


async def revoke_token(db: Database, username: str, token_id: uuid.UUID) -> None:
    async with db.write() as conn:
        removed = await conn.rows(delete(access_tokens).where(access_tokens.c.id == token_id, access_tokens.c.username == username).returning(access_tokens.c.id))
    if not removed:
        raise NotFound(f"You have no personal access token {token_id}.")
