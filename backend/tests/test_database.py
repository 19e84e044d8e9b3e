"""`registry.db.engine.Database`, the app's one way to its database, on the real database of the
suite: values going in and out, errors, the statement timeout, the turns requests take for
connections, and the connection budget."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import os
import time
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from conftest import TEST_DATABASE
from sqlalchemy import bindparam, delete, insert, select, text
from sqlalchemy.exc import IntegrityError
from support import POSTGRES_URL, create_database, drop_database

from registry.db.engine import APPLICATION_NAME, Database, DatabaseBusy
from registry.db.migrate import upgrade
from registry.db.models import group_members, groups, items, users
from registry.http import infrastructure_failure

# A statement that runs for seconds on either database.
SLOW = {
    "sqlite": text("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000000000) SELECT count(*) FROM n"),
    "postgresql": text("SELECT pg_sleep(5)"),
}[TEST_DATABASE]


# The read connections of a Database of four (on SQLite one of the four is the writer).
READ_CONNECTIONS = 3 if TEST_DATABASE == "sqlite" else 4


@pytest.fixture(scope="module")
def url() -> AsyncIterator[str]:
    """A database of this module's own, so that its sessions can be counted."""
    created = create_database(TEST_DATABASE, f"registry_database_{os.getpid()}")
    upgrade(created)
    yield created
    drop_database(created)


@pytest.fixture
async def database(url: str) -> AsyncIterator[Database]:
    db = Database(url, pool_size=4, statement_timeout=0.5)
    yield db
    await db.dispose()


async def _open_sessions(url: str, monitor: asyncpg.Connection | None) -> int:
    """Sessions of the app on this module's database (SQLite: connections to its file)."""
    if monitor is None:
        path = os.path.realpath(url.removeprefix("sqlite+aiosqlite:///"))
        return sum(1 for fd in os.listdir("/proc/self/fd") if _points_to(f"/proc/self/fd/{fd}", path))
    return await monitor.fetchval(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2", url.rsplit("/", 1)[1], APPLICATION_NAME
    )


def _points_to(link: str, path: str) -> bool:
    try:
        return os.readlink(link) == path
    except OSError:
        return False


async def test_values_come_back_as_they_went_in(database: Database) -> None:
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=123000)
    group_id = uuid.uuid4()
    async with database.write() as conn:
        await conn.execute(insert(users), {"username": "values", "password_hash": "-", "display_name": "V", "email": "v@example.org", "roles": 3, "created_at": now})
        await conn.execute(insert(groups), [{"id": group_id, "name": "values", "description": "", "created_at": now}])
        item = {
            "id": uuid.uuid4(), "item_subtype": "STUDY", "item_category": "ACTIVITY", "owner": "values", "created_at": now,
            "updated_at": now, "revision": 1, "data": {"display_name": "ünïcode", "nested": [1, {"a": None}]}, "display_name": "ünïcode",
            "sort_name": "ünïcode", "search_text": "ünïcode", "general_roles": 0, "granted_groups": [group_id],
        }  # fmt: skip
        await conn.execute(insert(items), item)
    async with database.read() as conn:
        (row,) = await conn.rows(select(items).where(items.c.id == bindparam("id")), {"id": item["id"]})
    assert {column: getattr(row, column) for column in item} == item
    assert row.created_at.tzinfo is not None and row[0] == item["id"]
    async with database.write() as conn:
        await conn.execute(delete(items).where(items.c.id == item["id"]))
        await conn.execute(delete(groups).where(groups.c.id == group_id))
        await conn.execute(delete(users).where(users.c.username == "values"))


async def test_in_lists_of_values_and_empty_lists_of_rows(database: Database) -> None:
    async with database.write() as conn:
        await conn.execute(insert(groups), [])  # nothing to insert: nothing happens
    async with database.read() as conn:
        assert await conn.rows(select(groups.c.id).where(groups.c.id.in_([uuid.uuid4(), uuid.uuid4()]))) == []


async def test_a_unique_violation_is_an_integrity_error_and_rolls_the_transaction_back(database: Database) -> None:
    now = datetime.datetime.now(datetime.UTC)
    row = {"id": uuid.uuid4(), "name": f"twice-{uuid.uuid4().hex[:6]}", "description": "", "created_at": now}
    async with database.write() as conn:
        await conn.execute(insert(groups), row)
    with pytest.raises(IntegrityError):
        async with database.write() as conn:
            await conn.execute(insert(groups), row | {"id": uuid.uuid4(), "name": row["name"] + "-other"})
            await conn.execute(insert(groups), row | {"id": uuid.uuid4()})
    async with database.read() as conn:
        assert len(await conn.rows(select(groups.c.id).where(groups.c.name.like(row["name"] + "%")))) == 1
    async with database.write() as conn:
        await conn.execute(delete(groups).where(groups.c.id == row["id"]))


async def test_a_statement_past_the_timeout_is_stopped_and_its_connection_serves_on(url: str) -> None:
    db = Database(url, pool_size=1, statement_timeout=0.3)
    try:
        started = time.monotonic()
        with pytest.raises(Exception) as stopped:
            async with db.read() as conn:
                await conn.rows(SLOW)
        assert time.monotonic() - started < 3
        event, problem = infrastructure_failure(stopped.value) or ("", None)
        assert event == "statement_timeout" and problem is not None and problem.status == 503 and problem.headers["Retry-After"]
        # The one connection serves the next statement, in a read and in a write.
        async with db.read() as conn:
            assert await conn.rows(text("SELECT 1")) == [(1,)]
        async with db.write() as conn:
            assert await conn.rows(text("SELECT 2")) == [(2,)]
    finally:
        await db.dispose()


async def test_a_read_cancelled_mid_statement_is_stopped_and_the_connection_serves_the_next_read(url: str) -> None:
    """A request's task cancelled while its statement runs (on one connection, with no timeout to
    stop the statement): the statement stops, and the next read does not wait for it."""
    db = Database(url, pool_size=1, statement_timeout=None)
    try:

        async def slow() -> None:
            async with db.read() as conn:
                await conn.rows(SLOW)

        reading = asyncio.create_task(slow())
        await asyncio.sleep(0.3)
        reading.cancel()
        with pytest.raises(asyncio.CancelledError):
            await reading
        started = time.monotonic()
        async with db.read() as conn:
            assert await conn.rows(text("SELECT 1")) == [(1,)]
        assert time.monotonic() - started < 2
        if TEST_DATABASE == "postgresql":
            monitor = await asyncpg.connect(POSTGRES_URL)
            try:
                for _ in range(40):
                    sleeping = await monitor.fetchval(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'SELECT pg_sleep%' AND state = 'active'",
                        url.rsplit("/", 1)[1],
                    )
                    if not sleeping:
                        break
                    await asyncio.sleep(0.05)
                assert sleeping == 0
            finally:
                await monitor.close()
    finally:
        await db.dispose()


if TEST_DATABASE == "postgresql":  # SQLite has no server to lose a connection to

    async def test_a_write_whose_connection_is_cut_is_a_503_and_the_next_write_gets_a_working_one(database: Database) -> None:
        """The outage drill's case, made certain: the server ends the session in the middle of a
        write transaction, so asyncpg's transaction raises "connection is closed" while handling the loss."""
        killer = await asyncpg.connect(POSTGRES_URL)
        try:
            with pytest.raises(Exception) as cut:
                async with database.write() as conn:
                    ((pid,),) = await conn.rows(text("SELECT pg_backend_pid()"))
                    await killer.execute("SELECT pg_terminate_backend($1)", pid)
                    await conn.rows(text("SELECT 1"))
        finally:
            await killer.close()
        event, problem = infrastructure_failure(cut.value) or ("", None)
        assert event == "database_unavailable" and problem is not None and problem.status == 503
        async with database.write() as conn:
            assert await conn.rows(text("SELECT 2")) == [(2,)]


async def test_long_reads_leave_half_the_connections_to_everything_else(database: Database) -> None:
    """Four connections (on SQLite one of them the writer), six searches under way: half the read
    connections serve searches, the other searches wait for their turn, and a fetch meanwhile gets
    a connection at once."""
    searching_at_most = READ_CONNECTIONS // 2
    running = 0
    most = 0
    finish = asyncio.Event()

    async def search() -> None:
        nonlocal running, most
        async with database.read(may_run_long=True) as conn:
            running += 1
            most = max(most, running)
            await conn.rows(text("SELECT 1"))
            await finish.wait()
            running -= 1

    # Every read connection opened beforehand: the fetch's wait below is for a turn, not a connect.
    async with contextlib.AsyncExitStack() as opened:
        for _ in range(READ_CONNECTIONS):
            await (await opened.enter_async_context(database.read())).rows(text("SELECT 1"))
    searches = [asyncio.create_task(search()) for _ in range(6)]
    try:
        # The searches get their turns (slowly on a busy machine); then no more start.
        async with asyncio.timeout(10):
            while running < searching_at_most:
                await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)
        assert running == searching_at_most
        started = time.monotonic()
        async with database.read() as conn:
            assert await conn.rows(text("SELECT 1")) == [(1,)]
        assert time.monotonic() - started < 0.25
    finally:
        finish.set()
        await asyncio.gather(*searches)
    assert most == searching_at_most


async def test_a_request_that_waits_past_the_timeout_for_a_connection_gives_up(database: Database) -> None:
    """Every connection busy for longer than the statement timeout: a request waiting for one gets
    DatabaseBusy (the API's 503) after that long, and the others carry on."""
    release = asyncio.Event()

    async def hold() -> None:
        async with database.read():
            await release.wait()

    holders = [asyncio.create_task(hold()) for _ in range(READ_CONNECTIONS)]
    await asyncio.sleep(0.05)
    started = time.monotonic()
    with pytest.raises(DatabaseBusy):
        async with database.read():
            pass
    assert 0.4 < time.monotonic() - started < 2
    release.set()
    await asyncio.gather(*holders)
    async with database.read() as conn:
        assert await conn.rows(text("SELECT 1")) == [(1,)]


async def test_reads_and_writes_together_never_hold_more_connections_than_the_budget() -> None:
    # A database of its own: only this Database's connections count.
    url = await asyncio.to_thread(create_database, TEST_DATABASE, f"registry_budget_{os.getpid()}")
    await asyncio.to_thread(upgrade, url)
    db = Database(url, pool_size=3, statement_timeout=5)
    most = 0
    stop = asyncio.Event()

    async def sample() -> None:
        nonlocal most
        monitor = await asyncpg.connect(POSTGRES_URL) if TEST_DATABASE == "postgresql" else None
        try:
            while not stop.is_set():
                most = max(most, await _open_sessions(url, monitor))
                await asyncio.sleep(0.01)
        finally:
            if monitor is not None:
                await monitor.close()

    async def read() -> None:
        async with db.read() as conn:
            await conn.rows(text("SELECT 1"))
            await asyncio.sleep(0.01)

    async def write(n: int) -> None:
        async with db.write() as conn:
            await conn.execute(delete(group_members).where(group_members.c.username == f"nobody-{n}"))
            await asyncio.sleep(0.01)

    sampler = asyncio.create_task(sample())
    try:
        for _ in range(5):
            await asyncio.gather(*(read() for _ in range(20)), *(write(n) for n in range(10)), *(_long_read(db) for _ in range(5)))
    finally:
        stop.set()
        await sampler
        await db.dispose()
        await asyncio.to_thread(drop_database, url)
    assert 1 <= most <= 3


async def _long_read(db: Database) -> None:
    async with db.read(may_run_long=True) as conn:
        await conn.rows(text("SELECT 1"))
