"""Alembic environment: runs migrations on the async engine for the configured URL."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from registry.db.engine import sqlalchemy_engine
from registry.db.migrate import compare_type
from registry.db.models import Base

# Any number of app processes may start at once against one PostgreSQL: they take turns here.
_MIGRATION_LOCK_ID = 0x5265_6769


def _run(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True, compare_type=compare_type)
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str) -> None:
    engine = sqlalchemy_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_run)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported: run `registry migrate`.")
asyncio.run(_run_async(context.config.attributes["database_url"]))
