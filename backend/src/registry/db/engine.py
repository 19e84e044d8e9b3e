"""The engine and the two ways to use it: a read connection, or a write transaction."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import msgspec
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

_json_encoder = msgspec.json.Encoder()


def _json_serializer(value: Any) -> str:
    return _json_encoder.encode(value).decode()


def create_engine(url: str) -> AsyncEngine:
    engine = create_async_engine(
        url,
        json_serializer=_json_serializer,
        json_deserializer=msgspec.json.decode,
        # A database that does not answer must fail a request in seconds, not hang it.
        connect_args={"timeout": 5},
        **({} if url.startswith("sqlite") else {"pool_size": 10, "max_overflow": 10, "pool_timeout": 10}),
    )
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Database:
    """Owns the engine. Writes on SQLite take turns: SQLite has one writer at a time, and pooled
    connections racing for its lock wait far longer than a queue in this process does."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._write_turn = asyncio.Lock() if self.is_sqlite else None

    @contextlib.asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as conn:
            yield conn

    @contextlib.asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        if self._write_turn is None:
            async with self.engine.begin() as conn:
                yield conn
            return
        async with self._write_turn, self.engine.begin() as conn:
            yield conn

    async def dispose(self) -> None:
        await self.engine.dispose()
