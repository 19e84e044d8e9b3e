"""The engines and the three ways to use them: a read connection, a write transaction, or one
of the hottest reads run on the driver itself (`DriverQuery`)."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import asyncpg
import asyncpg.exceptions
import msgspec
from advanced_alchemy.types import GUID, DateTimeUTC
from sqlalchemy import Dialect, Executable, event, literal_column, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.types import TypeEngine

_json_encoder = msgspec.json.Encoder()


def _json_serializer(value: Any) -> str:
    return _json_encoder.encode(value).decode()


# PostgreSQL connections per worker process. Fixed pools without overflow: a request that finds
# every connection busy waits for one (up to POOL_TIMEOUT) rather than opening and closing a
# connection of its own, which under load costs more than the query.
POSTGRES_POOLS = {"reader": 10, "writer": 10, "driver reader": 20, "driver planner": 10, "driver writer": 10}
SQLITE_READ_POOL = 8
POOL_TIMEOUT = 10
Role = Literal["any", "reader", "writer"]
DriverRole = Literal["driver reader", "driver planner", "driver writer"]


def create_engine(url: str, *, role: Role = "any") -> AsyncEngine:
    """An engine for `url`, with the pool of its `role`.

    "reader": connections in autocommit mode, so a read is its statements alone, without BEGIN
    and ROLLBACK round trips (each statement sees committed data, as in a READ COMMITTED
    transaction), and that refuse to change data. "writer": transactions; on SQLite exactly one
    connection. "any" (migrations and tools): transactions, the driver's default pool.
    """
    options: dict[str, Any] = {}
    # A database that does not answer must fail a request in seconds, not hang it.
    connect_args: dict[str, Any] = {"timeout": 5}
    if role == "reader":
        # Nothing to reset when a connection comes back: autocommit leaves no transaction open.
        options |= {"isolation_level": "AUTOCOMMIT", "pool_reset_on_return": None}
    if url.startswith("sqlite"):
        if role == "writer":
            # Database.write() takes turns before it checks out, so this one connection is never waited for.
            options |= {"pool_size": 1, "max_overflow": 0}
        elif role == "reader":
            # A fixed pool here too: an overflow connection opened and closed per request (a thread
            # and its PRAGMAs each time) made a fetch under load eight times slower.
            options |= {"pool_size": SQLITE_READ_POOL, "max_overflow": 0, "pool_timeout": POOL_TIMEOUT}
    elif role != "any":
        options |= {"pool_size": POSTGRES_POOLS[role], "max_overflow": 0, "pool_timeout": POOL_TIMEOUT}
        if role == "reader":
            connect_args["server_settings"] = _READ_ONLY
    engine = create_async_engine(
        url,
        json_serializer=_json_serializer,
        json_deserializer=msgspec.json.decode,
        connect_args=connect_args,
        **options,
    )
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _configure_sqlite_reader if role == "reader" else _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _configure_sqlite_reader(dbapi_connection: Any, record: Any) -> None:
    """A read connection: as any other, and a write through it fails (SQLITE_READONLY) instead of
    becoming a second writer. Last, because switching a new database to WAL is itself a write."""
    _configure_sqlite(dbapi_connection, record)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


_READ_ONLY = {"default_transaction_read_only": "on"}
# Plans for the values of each call (see `DriverQuery.plan_per_call`), made for records in memory:
# a registry's records fit in memory many times over, and with the default random_page_cost
# (4, for spinning disks) PostgreSQL walked 20,000 records in sort order for a term in 0.2 % of
# a million (76 ms) rather than read the 1,700 that hold it (30 ms).
PLANNED_PER_CALL_SETTINGS = {"plan_cache_mode": "force_custom_plan", "random_page_cost": "1.1"}
# The session settings of each driver pool (`_DriverPool`). "driver reader" serves most reads;
# "driver planner" plans each query for its values (see `DriverQuery.plan_per_call`); "driver
# writer" runs the statements that need no transaction around them. Reader and planner
# connections are read-only and in autocommit mode, and nothing changes their session: nothing
# needs resetting when one comes back.
_DRIVER_SERVER_SETTINGS: dict[DriverRole, dict[str, str]] = {
    "driver reader": _READ_ONLY,
    "driver planner": _READ_ONLY | PLANNED_PER_CALL_SETTINGS,
    "driver writer": {},
}


class _DriverPool:
    """PostgreSQL: a fixed number of the driver's own connections of one role (see
    `_DRIVER_SERVER_SETTINGS`), for `Database.rows`, the hottest reads, and
    `Database.execute_alone`. Checking a connection out of SQLAlchemy's pool and back cost a fifth
    of a record fetch. Connections are handed out last in, first out, and open on first use,
    inside the server's event loop.

    asyncpg's own pool costs a tenth of a record fetch per use: it returns a connection through
    `asyncio.shield` (a task per call), inside a timeout scope even without a timeout, and bounds
    a wait with `asyncio.wait_for`. Here a free connection is taken and given back with no await
    at all; only a request that finds every connection busy waits (up to POOL_TIMEOUT), in line.

    A connection that comes back after anything but a finished statement or an error the server
    reported (a lost server, a request cancelled mid-answer) is never handed out again: it is
    closed, and its place opened afresh on demand. So is one found closed while it sat idle.
    """

    def __init__(self, dsn: str, size: int, server_settings: dict[str, str]) -> None:
        self._dsn = dsn
        self._size = size
        self._server_settings = server_settings
        self._idle: list[asyncpg.Connection] = []
        # Connections open, being opened, or promised to a waiter.
        self._places_taken = 0
        # Each resolves to a connection, or to None: a place is free, open a connection in it.
        self._waiters: collections.deque[asyncio.Future[asyncpg.Connection | None]] = collections.deque()
        self._closing: set[asyncio.Task[None]] = set()

    async def send(self, db: Database, query: DriverQuery, parameters: Mapping[str, Any], *, fetch: bool) -> list[Any]:
        """`query` on one of the pool's connections (see `DriverQuery._send`)."""
        driver = await self._acquire()
        try:
            rows = await query._send(db, driver, parameters, fetch=fetch)
        except asyncpg.PostgresError:
            # The server refused the statement and answered: the connection is as good as before.
            self._release(driver)
            raise
        except BaseException:
            self._discard(driver)
            raise
        self._release(driver)
        return rows

    async def _acquire(self) -> asyncpg.Connection:
        while self._idle:
            driver = self._idle.pop()
            if not driver.is_closed():
                return driver
            self._places_taken -= 1
        if self._places_taken < self._size:
            self._places_taken += 1
            return await self._open()
        waiter: asyncio.Future[asyncpg.Connection | None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(POOL_TIMEOUT):
                driver = await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                # Handed a connection or a place just as the wait ended: pass it on.
                handed = waiter.result()
                if handed is None:
                    self._free_place()
                else:
                    self._hand_over(handed)
            raise
        return driver if driver is not None else await self._open()

    async def _open(self) -> asyncpg.Connection:
        """A new connection in a place already taken (given up again if it cannot be opened)."""
        try:
            driver = await asyncpg.connect(self._dsn, timeout=5, server_settings=self._server_settings)
            await _json_codecs(driver)
        except BaseException:
            self._free_place()
            raise
        return driver

    def _release(self, driver: asyncpg.Connection) -> None:
        if driver.is_closed():
            self._free_place()
        else:
            self._hand_over(driver)

    def _discard(self, driver: asyncpg.Connection) -> None:
        """Closed in the background, its place freed once it is: a statement cancelled midway
        is first cancelled on the server (asyncpg sends the request), not left running there."""
        closing = asyncio.get_running_loop().create_task(self._close(driver))
        self._closing.add(closing)
        closing.add_done_callback(self._closing.discard)

    async def _close(self, driver: asyncpg.Connection) -> None:
        try:
            await driver.close(timeout=5)
        except Exception:  # noqa: BLE001 - a connection that cannot close politely is cut off
            driver.terminate()
        finally:
            self._free_place()

    def _free_place(self) -> None:
        self._places_taken -= 1
        self._hand_over(None)

    def _hand_over(self, driver: asyncpg.Connection | None) -> None:
        """A connection (or, for None, a free place) to the longest waiter still waiting."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                if driver is None:
                    self._places_taken += 1
                waiter.set_result(driver)
                return
        if driver is not None:
            self._idle.append(driver)

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for driver in idle:
            await driver.close()
        await asyncio.gather(*self._closing)


async def _json_codecs(conn: asyncpg.Connection) -> None:
    """JSON values as SQLAlchemy's asyncpg dialect handles them: written as the text the column
    type's bind processor made of them (`DriverQuery` applies it), read decoded by the driver."""
    for name in ("json", "jsonb"):
        await conn.set_type_codec(name, schema="pg_catalog", encoder=str, decoder=msgspec.json.decode, format="text")


StatementObserver = Callable[[str, Any], None]
# A unique constraint refused a row: as SQLAlchemy reports it, and as each driver does on `DriverQuery`.
UNIQUE_VIOLATIONS: tuple[type[Exception], ...] = (IntegrityError, asyncpg.exceptions.UniqueViolationError, sqlite3.IntegrityError)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # Per positional parameter: its name, its value when the statement fixes it, its type's processor.
    parameters: tuple[tuple[str, Any, Callable[[Any], Any] | None], ...]
    # Per column its type's result processor; None when no column has one (decided once here,
    # not on every call).
    results: tuple[Callable[[Any], Any] | None, ...] | None


class DriverQuery:
    """A statement built with SQLAlchemy Core, compiled once per database, and run on the pooled
    connection's own driver (asyncpg, aiosqlite).

    For the statements every request makes (a record, a page of records, a create's inserts),
    SQLAlchemy's execution layer (parameter and result objects, cursor adaptation, a greenlet
    switch per call) costs more than the database takes to answer. This sends the very SQL
    SQLAlchemy would, through the same pools, with parameters and results passed through the
    column types' own processors, so the values are the same as SQLAlchemy's. IN lists must be
    written as one parameter per value (no "expanding" parameters). Values the statement fixes
    (`!= 0`, `LIMIT 26`) are written into its SQL: see `_constants_inline`.
    """

    def __init__(self, statement: Executable, *, plan_per_call: bool = False, named_rows: bool = True) -> None:
        self.statement = statement
        # Rows as named tuples, or (False) as the driver's own sequences in column order: for a
        # page of many rows read by position, the named tuples cost more than the rest of it.
        self.named_rows = named_rows
        # PostgreSQL keeps one generic plan for a statement prepared again and again. A search's
        # or a filter's best plan depends on its value (the trigram or the owner's index for a
        # rare one, the sort's index for a common one): planned blind to the value it can be a
        # thousand times slower. Such queries run on connections that plan every call (at a
        # planning's cost, which others are spared).
        self.plan_per_call = plan_per_call
        # What it returns: a SELECT's columns, or what an INSERT or UPDATE lists in RETURNING.
        columns = statement.exported_columns  # type: ignore[attr-defined]
        self._columns = list(columns)
        self.row = collections.namedtuple("Row", [column.key for column in columns])  # type: ignore[misc]
        self._compiled: dict[str, _Compiled] = {}

    def _for(self, dialect: Dialect) -> _Compiled:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            sql = _constants_inline(self.statement, dialect).compile(dialect=dialect)
            binds = sql.binds
            assert sql.positiontup is not None, "both drivers take positional parameters"
            compiled = self._compiled[dialect.name] = _Compiled(
                sql=sql.string,
                parameters=tuple(
                    (name, binds[name].effective_value, binds[name].type.dialect_impl(dialect).bind_processor(dialect))
                    for name in sql.positiontup
                ),
                results=_result_processors([_result_processor(column.type, dialect) for column in self._columns]),
            )
        return compiled

    def sql_and_arguments(self, dialect: Dialect, parameters: Mapping[str, Any]) -> tuple[str, list[Any]]:
        """What `Database.rows` sends for `parameters` (for EXPLAIN in the benchmark's report)."""
        compiled = self._for(dialect)
        return compiled.sql, self._arguments(compiled, parameters)

    def _arguments(self, compiled: _Compiled, parameters: Mapping[str, Any]) -> list[Any]:
        arguments = []
        for name, fixed, process in compiled.parameters:
            value = parameters[name] if name in parameters else fixed
            arguments.append(process(value) if process is not None else value)
        return arguments

    async def _send(self, db: Database, driver: Any, parameters: Mapping[str, Any], *, fetch: bool) -> list[Any]:  # noqa: ANN401
        compiled = self._for(db.engine.dialect)
        arguments = self._arguments(compiled, parameters)
        for observe in db.statement_observers:
            observe(compiled.sql, driver)
        if db.is_sqlite:
            async with driver.execute(compiled.sql, arguments) as cursor:
                records = await cursor.fetchall() if fetch else []
        elif fetch:
            records = await driver.fetch(compiled.sql, *arguments)
        else:
            await driver.execute(compiled.sql, *arguments)
            records = []
        processors = compiled.results
        if processors is not None:
            records = [[value if process is None else process(value) for process, value in zip(processors, record)] for record in records]
        if not self.named_rows:
            return list(records)
        make = self.row._make
        return [make(record) for record in records]


def _constants_inline(statement: Executable, dialect: Dialect) -> Executable:
    """`statement` with the values it fixes written as SQL literals, where their type can be.

    A statement prepared once is planned for parameters it has not seen: PostgreSQL's generic
    plan for `LIMIT $5` does not know the page holds 26 rows, and ran a list page three times
    slower than the same statement with `LIMIT 26`. Only the values a request supplies stay
    parameters.
    """

    def inline(element: Any) -> Any:  # noqa: ANN401
        if isinstance(element, BindParameter) and not element.required and not element.expanding:
            render = element.type.dialect_impl(dialect).literal_processor(dialect)
            if render is not None:
                return literal_column(render(element.effective_value), element.type)
        return None

    return visitors.replacement_traverse(statement, {}, inline)


# asyncpg itself returns UUIDs as uuid objects and timestamps with time zone as aware datetimes,
# which these types' result processors would hand back unchanged: on PostgreSQL, skipping them
# saves a Python call per value (a hundred per list page).
_NATIVE_ON_ASYNCPG = (GUID, DateTimeUTC)


def _result_processors(processors: list[Callable[[Any], Any] | None]) -> tuple[Callable[[Any], Any] | None, ...] | None:
    return tuple(processors) if any(processors) else None


def _result_processor(column_type: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    if dialect.name == "postgresql" and isinstance(column_type, _NATIVE_ON_ASYNCPG):
        return None
    return column_type.dialect_impl(dialect).result_processor(dialect, None)


class DriverTransaction:
    """`DriverQuery` statements in one transaction on the write pool (see `Database.driver_write`)."""

    def __init__(self, db: Database, driver: Any) -> None:  # noqa: ANN401
        self._db = db
        self._driver = driver

    async def rows(self, query: DriverQuery, parameters: Mapping[str, Any]) -> list[Any]:
        return await query._send(self._db, self._driver, parameters, fetch=True)

    async def execute(self, query: DriverQuery, parameters: Mapping[str, Any]) -> None:
        await query._send(self._db, self._driver, parameters, fetch=False)


class Database:
    """Owns the engines: one for reads (autocommit) and one for write transactions; on
    PostgreSQL also pools of the driver's own connections for `rows` (see `_DriverPool`).

    SQLite has one writer at a time, and pooled connections racing for its lock wait far longer
    than a queue in this process does: every write transaction goes through one dedicated
    connection, taking turns for it in order, while reads use a pool of read-only connections
    (WAL lets them run alongside the writer).
    """

    def __init__(self, url: str) -> None:
        self.is_sqlite = url.startswith("sqlite")
        self.engine = create_engine(url, role="reader")
        self.write_engine = create_engine(url, role="writer")
        self._driver_pools: dict[DriverRole, _DriverPool] = {}
        if not self.is_sqlite:
            dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
            self._driver_pools = {role: _DriverPool(dsn, POSTGRES_POOLS[role], settings) for role, settings in _DRIVER_SERVER_SETTINGS.items()}
        self._write_turn = asyncio.Lock() if self.is_sqlite else None
        # Called with every statement sent (its SQL and the driver connection), whichever way.
        self.statement_observers: list[StatementObserver] = []
        for engine in self.engines:
            event.listen(engine.sync_engine, "before_cursor_execute", self._sent_by_sqlalchemy)

    def _sent_by_sqlalchemy(self, conn: Any, _cursor: Any, statement: str, *_: Any) -> None:  # noqa: ANN401
        for observe in self.statement_observers:
            observe(statement, conn.connection.driver_connection)

    @property
    def engines(self) -> tuple[AsyncEngine, ...]:
        """Every engine this Database uses (for event listeners): the read one first."""
        return (self.engine, self.write_engine)

    @contextlib.asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as conn:
            yield conn

    async def rows(self, query: DriverQuery, parameters: Mapping[str, Any]) -> list[Any]:
        """The rows of `query` (named tuples), read on a pooled read connection's driver."""
        if self._driver_pools:
            return await self._driver_pools["driver planner" if query.plan_per_call else "driver reader"].send(self, query, parameters, fetch=True)
        # SQLite plans every statement anew: one read pool serves every query.
        async with self.engine.connect() as conn:
            driver = (await conn.get_raw_connection()).driver_connection
            try:
                return await query._send(self, driver, parameters, fetch=True)
            except BaseException:
                # Whatever went wrong (a lost server, a cancelled request mid-answer), the pool
                # must not hand this connection out again: SQLAlchemy would have done the same.
                await conn.invalidate()
                raise

    @contextlib.asynccontextmanager
    async def driver_write(self) -> AsyncIterator[DriverTransaction]:
        """`write()` for `DriverQuery` statements: one transaction on the write pool's driver,
        committed when the block ends, rolled back if it raises."""
        async with self._turn(), self.write_engine.connect() as conn:
            driver = (await conn.get_raw_connection()).driver_connection
            if self.is_sqlite:
                # The one writer takes SQLite's write lock at once rather than on its first change.
                await driver.execute("BEGIN IMMEDIATE")
                finish, undo = driver.commit, driver.rollback
            else:
                transaction = driver.transaction()
                await transaction.start()
                finish, undo = transaction.commit, transaction.rollback
            try:
                yield DriverTransaction(self, driver)
            except BaseException:
                try:
                    await undo()
                except BaseException:
                    # A connection that cannot even roll back (lost, or cancelled mid-answer)
                    # must not go back to the pool.
                    await conn.invalidate()
                raise
            try:
                await finish()
            except BaseException:
                await conn.invalidate()
                raise

    async def execute_alone(self, query: DriverQuery, parameters: Mapping[str, Any]) -> None:
        """One statement that needs no transaction around it (it is atomic on its own): on
        PostgreSQL committed by itself, without BEGIN and COMMIT, on the "driver writer" pool
        (see `_DriverPool`); on SQLite through the one writer."""
        if self.is_sqlite:
            async with self.driver_write() as tx:
                await tx.execute(query, parameters)
            return
        await self._driver_pools["driver writer"].send(self, query, parameters, fetch=False)

    def _turn(self) -> contextlib.AbstractAsyncContextManager[Any]:
        """SQLite's writes take turns in this process (see the class); PostgreSQL's need not."""
        return self._write_turn if self._write_turn is not None else contextlib.nullcontext()

    @contextlib.asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        async with self._turn(), self.write_engine.begin() as conn:
            yield conn

    async def dispose(self) -> None:
        for engine in self.engines:
            await engine.dispose()
        for pool in self._driver_pools.values():
            await pool.close()
