"""`python bench/layers.py`: what one record fetch's database work costs the process, through
SQLAlchemy's asyncio engine, through asyncpg's own pool (with no reset round trip) and through
the app's `Database`, measured in the same run against the benchmark's PostgreSQL database
(`make bench` seeds it). The pool and the `Database` run the same statement runner, so they
differ only in what the `Database` adds around the pool (turns in arrival order).

Each way runs the app's own fetch statement for a random readable record, 8 at a time, in
rounds that alternate the ways; the figure is the process's CPU time per fetch (median of the
rounds). docs/decisions.md quotes it for "The database layer".
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable

import asyncpg
import msgspec
from sqlalchemy.ext.asyncio import create_async_engine

import seed as seeding
from run import VAR, database_url
from registry.access.roles import READER
from registry.db.engine import Database, _PostgresConnection
from registry.items.service import ITEM_WITH_GRANTS

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
FETCHES = 2000
CONCURRENCY = 8


async def _cpu_per_fetch(fetch: Callable[[uuid.UUID], Awaitable[object]], ids: list[uuid.UUID]) -> float:
    async def worker(count: int) -> None:
        for _ in range(count):
            await fetch(random.choice(ids))

    await worker(100)  # connections open, statements prepared
    started = time.process_time()
    await asyncio.gather(*(worker(FETCHES // CONCURRENCY) for _ in range(CONCURRENCY)))
    return (time.process_time() - started) / FETCHES * 1e6


async def main() -> None:
    seeded = msgspec.json.decode((VAR / "seeded-postgresql.json").read_bytes(), type=seeding.Seeded)
    url = database_url("postgresql")
    ids = [uuid.UUID(i) for i in seeded.readable_ids]
    reader = {READER: seeded.reader}
    # SQLAlchemy's fastest form for reads: an engine of its own in autocommit, nothing reset on return.
    engine = create_async_engine(
        url, pool_size=10, max_overflow=0, isolation_level="AUTOCOMMIT", pool_reset_on_return=None, json_deserializer=msgspec.json.decode
    )
    db = Database(url, pool_size=10)
    # The pool alone, set up as the Database sets up its own.
    pool = await asyncpg.create_pool(**db._pool_options)

    async def through_sqlalchemy(item_id: uuid.UUID) -> object:
        async with engine.connect() as conn:
            return (await conn.execute(ITEM_WITH_GRANTS, {"item_id": item_id, **reader})).all()

    async def through_asyncpg_pool(item_id: uuid.UUID) -> object:
        async with pool.acquire() as driver:
            return await _PostgresConnection(driver).rows(ITEM_WITH_GRANTS, {"item_id": item_id, **reader})

    async def through_the_app(item_id: uuid.UUID) -> object:
        async with db.read() as conn:
            return await conn.rows(ITEM_WITH_GRANTS, {"item_id": item_id, **reader})

    ways = {
        "SQLAlchemy's asyncio engine": through_sqlalchemy,
        "asyncpg's pool, nothing reset": through_asyncpg_pool,
        "the app's Database": through_the_app,
    }
    figures: dict[str, list[float]] = {name: [] for name in ways}
    try:
        for _ in range(ROUNDS):
            for name, fetch in ways.items():
                figures[name].append(await _cpu_per_fetch(fetch, ids))
    finally:
        await engine.dispose()
        await pool.close()
        await db.dispose()
    for name, runs in figures.items():
        print(f"{name:<40} {statistics.median(runs):6.0f} µs of CPU per fetch (rounds: {', '.join(f'{r:.0f}' for r in runs)})")


if __name__ == "__main__":
    import uvloop

    uvloop.run(main())
