"""The PostgreSQL driver pool (`db.engine._DriverPool`), on the PostgreSQL server of the tests
(in either suite: the pool exists only for PostgreSQL). Each test opens a pool of its own on
the server's maintenance database; none reads or writes a table."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy import Float, Integer, String, bindparam, cast, func, select

from registry.db import engine
from registry.db.engine import Database, DriverQuery, _DriverPool
from support import POSTGRES_URL

SLEEP_THEN_PID = DriverQuery(select(func.pg_sleep(bindparam("seconds", type_=Float)).label("slept"), func.pg_backend_pid().label("pid")))
AS_NUMBER = DriverQuery(select(cast(bindparam("text", type_=String), Integer).label("number")))


@pytest.fixture
async def database() -> AsyncIterator[Database]:
    """The Database whose statement observers a pool calls (its own pools stay unopened)."""
    database = Database(POSTGRES_URL.replace("postgresql://", "postgresql+asyncpg://", 1))
    yield database
    await database.dispose()


@contextlib.asynccontextmanager
async def _pool(size: int) -> AsyncIterator[_DriverPool]:
    pool = _DriverPool(POSTGRES_URL, size, {})
    try:
        yield pool
    finally:
        await pool.close()


async def _pid(pool: _DriverPool, database: Database, seconds: float = 0) -> int:
    rows = await pool.send(database, SLEEP_THEN_PID, {"seconds": seconds}, fetch=True)
    return rows[0].pid


async def _backends(pids: set[int]) -> set[int]:
    conn = await asyncpg.connect(POSTGRES_URL)
    try:
        return {row["pid"] for row in await conn.fetch("SELECT pid FROM pg_stat_activity WHERE pid = ANY($1::int[])", list(pids))}
    finally:
        await conn.close()


async def test_callers_beyond_its_size_wait_in_line_and_are_all_served_on_its_connections(database: Database) -> None:
    async with _pool(2) as pool:
        pids = await asyncio.gather(*(_pid(pool, database, 0.05) for _ in range(8)))
        assert len(set(pids)) == 2
        assert set(await asyncio.gather(*(_pid(pool, database) for _ in range(4)))) == set(pids)


async def test_a_wait_beyond_the_pool_timeout_fails_and_the_pool_serves_on(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "POOL_TIMEOUT", 0.2)
    async with _pool(1) as pool:
        busy = asyncio.create_task(_pid(pool, database, 1))
        await asyncio.sleep(0.1)
        # TimeoutError is an OSError: the app answers it with 503 (`http._database_unreachable`).
        with pytest.raises(TimeoutError):
            await _pid(pool, database)
        first = await busy
        assert await _pid(pool, database) == first


async def test_an_error_the_server_reports_keeps_the_connection(database: Database) -> None:
    async with _pool(1) as pool:
        before = await _pid(pool, database)
        with pytest.raises(asyncpg.InvalidTextRepresentationError):
            await pool.send(database, AS_NUMBER, {"text": "not a number"}, fetch=True)
        assert await _pid(pool, database) == before


async def test_a_connection_cancelled_mid_statement_is_closed_and_replaced(database: Database) -> None:
    async with _pool(1) as pool:
        cancelled = await _pid(pool, database)
        request = asyncio.create_task(_pid(pool, database, 30))
        await asyncio.sleep(0.2)
        request.cancel()
        with pytest.raises(asyncio.CancelledError):
            await request
        assert await _pid(pool, database) != cancelled
        for _ in range(50):
            if not await _backends({cancelled}):
                break
            await asyncio.sleep(0.1)
        assert not await _backends({cancelled}), "the cancelled connection's backend is still there"


async def test_a_connection_the_server_closed_while_idle_is_replaced(database: Database) -> None:
    async with _pool(1) as pool:
        closed = await _pid(pool, database)
        conn = await asyncpg.connect(POSTGRES_URL)
        try:
            assert await conn.fetchval("SELECT pg_terminate_backend($1)", closed)
        finally:
            await conn.close()
        await asyncio.sleep(0.5)
        assert await _pid(pool, database) != closed
