"""The database: this module owns the connections, and `Database.read()` and `Database.write()`
are the two ways to use them.

Statements are built with SQLAlchemy Core and compiled by it, once each; the drivers run them
(asyncpg on its own pool; aiosqlite on connections from SQLAlchemy's pool, which sets them up and
begins and ends their transactions). SQLAlchemy's execution layer cost more than the database
itself on every request (docs/decisions.md, "The database layer").
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Any, NamedTuple, Protocol

import asyncpg
import msgspec
from sqlalchemy import Dialect, Executable, event, make_url
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.schema import ExecutableDDLElement

# How the app's connections name themselves to PostgreSQL (pg_stat_activity.application_name).
APPLICATION_NAME = "registry"
# Settings of every PostgreSQL connection besides its name and statement timeout. Each statement
# is planned for its values: a search's or a filter's best plan depends on the value (the trigram
# or the owner's index for a rare one, the sort's index for a common one), and a plan prepared
# blind to it was a thousand times slower for some terms. Costs are those of records in memory,
# which a registry's are many times over. See docs/performance.md.
POSTGRES_SESSION = {"plan_cache_mode": "force_custom_plan", "random_page_cost": "1.1"}
# Seconds a request waits for a connection (or SQLite's write lock) when no statement timeout is set.
UNBOUNDED_WAIT = 30

# Every statement sent, at DEBUG level (`REGISTRY_LOG_LEVEL=debug` shows them).
statements_log = logging.getLogger("registry.sql")
_json_encoder = msgspec.json.Encoder()
_POSTGRESQL = postgresql.asyncpg.dialect()
_SQLITE = sqlite.aiosqlite.dialect()
Parameters = Mapping[str, Any] | Sequence[Mapping[str, Any]]
Processor = Callable[[Any], Any]


def _json_text(value: Any) -> str:  # noqa: ANN401
    return _json_encoder.encode(value).decode()


class DatabaseBusy(Exception):
    """No connection could be had within the statement timeout: every one was busy."""


class Connection(Protocol):
    """What `Database.read()` and `Database.write()` give: statements run on one connection (in
    `write()`, one transaction). A list of parameter mappings runs the statement once for each.
    Rows read by position or by column name, as attributes."""

    async def rows(self, statement: Executable, parameters: Mapping[str, Any] | None = None) -> Sequence[Any]: ...

    async def execute(self, statement: Executable, parameters: Parameters | None = None) -> None: ...


class _Row(asyncpg.Record):
    """A row from asyncpg, also readable by attribute, as SQLite's (named tuples) are."""

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class _Compiled(NamedTuple):
    """A statement as SQLAlchemy compiled it for one database."""

    sql: str
    # Per parameter of the SQL, in order: its name, whether the caller gives its value, the value
    # the statement fixes otherwise, and its type's conversion for the driver (SQLite only).
    parameters: tuple[tuple[str, bool, Any, Processor | None], ...]
    # SQLite: rows as named tuples, each value through its column type's conversion. None:
    # rows as the driver gives them (asyncpg's codecs turn PostgreSQL's types).
    row: Callable[..., Any] | None
    results: tuple[Processor | None, ...]

    def arguments(self, values: Mapping[str, Any]) -> list[Any]:
        arguments = []
        for name, given, fixed, process in self.parameters:
            value = values[name] if given else fixed
            arguments.append(value if process is None else process(value))
        return arguments

    def rows(self, records: Sequence[Any]) -> Sequence[Any]:
        if self.row is None:
            return records
        make, results = self.row, self.results
        return [make(*(value if process is None else process(value) for process, value in zip(results, record, strict=True))) for record in records]


@functools.lru_cache(maxsize=1024)
def _compiled(statement: Executable, keys: tuple[str, ...], dialect: Dialect) -> _Compiled | None:
    """`statement` for `dialect` (an INSERT or UPDATE for the columns `keys` name), or None when
    it holds an IN list of values, which each call compiles for its values (`_expanded`)."""
    if isinstance(statement, ExecutableDDLElement):
        return _Compiled(str(statement.compile(dialect=dialect)), (), None, ())
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))  # type: ignore[attr-defined]
    if compiled.post_compile_params:
        return None
    return _from(statement, compiled, dialect)


def _expanded(statement: Executable, parameters: Mapping[str, Any], dialect: Dialect) -> _Compiled:
    """An IN list of values: SQLAlchemy writes a parameter for each value, which it needs to see
    (values given as parameters are bound first, which SQLAlchemy allows on SELECTs)."""
    bound = statement.params(parameters) if parameters else statement  # type: ignore[attr-defined]
    compiled = bound.compile(dialect=dialect, column_keys=list(parameters), compile_kwargs={"render_postcompile": True})
    return _from(statement, compiled, dialect, compiled.construct_params())


def _from(statement: Executable, compiled: Any, dialect: Dialect, expanded: dict[str, Any] | None = None) -> _Compiled:  # noqa: ANN401
    """`expanded`: the values of a statement whose IN lists were written out (`_expanded`)."""
    binds = compiled.binds
    on_sqlite = dialect is _SQLITE

    def parameter(name: str) -> tuple[str, bool, Any, Processor | None]:
        # An IN list's values are named after its parameter: `id_1` writes out as `id_1_1`, `id_1_2`...
        bind = binds[name] if name in binds else binds[name.rsplit("_", 1)[0]]
        process = bind.type.dialect_impl(dialect).bind_processor(dialect) if on_sqlite else None
        if expanded is not None:
            return name, False, expanded[name], process
        return name, bind.required, bind.effective_value, process

    parameters = tuple(parameter(name) for name in compiled.positiontup or ())
    columns = list(getattr(statement, "exported_columns", ()))
    if not on_sqlite or not columns:
        return _Compiled(compiled.string, parameters, None, ())
    row = collections.namedtuple("Row", [column.key for column in columns], rename=True)  # type: ignore[misc]
    results = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns)
    return _Compiled(compiled.string, parameters, row, results)


def _compile(statement: Executable, parameters: Mapping[str, Any], dialect: Dialect) -> _Compiled:
    return _compiled(statement, tuple(parameters), dialect) or _expanded(statement, parameters, dialect)


def _log(sql: str, driver: Any) -> None:  # noqa: ANN401
    if statements_log.isEnabledFor(logging.DEBUG):
        statements_log.debug(sql, extra={"connection": id(driver)})


class _DriverConnection:
    """`Connection` on a driver's connection: each statement compiled for `dialect` (once, see
    `_compiled`), sent by the driver, logged, and a constraint violation raised as SQLAlchemy's
    `IntegrityError`, as the rest of the app expects."""

    dialect: Dialect
    integrity_error: type[Exception]
    _fetch: Callable[[str, list[Any]], Awaitable[Sequence[Any]]]  # the rows of one statement

    def __init__(self, driver: Any) -> None:  # noqa: ANN401
        self._driver = driver

    async def rows(self, statement: Executable, parameters: Mapping[str, Any] | None = None) -> Sequence[Any]:
        values = parameters or {}
        compiled = _compile(statement, values, self.dialect)
        return compiled.rows(await self._run(compiled.sql, self._fetch, compiled.arguments(values)))

    async def execute(self, statement: Executable, parameters: Parameters | None = None) -> None:
        if not isinstance(parameters, Sequence):
            await self.rows(statement, parameters)
        elif parameters:
            compiled = _compile(statement, parameters[0], self.dialect)
            await self._run(compiled.sql, self._driver.executemany, [compiled.arguments(row) for row in parameters])

    async def _run(self, sql: str, send: Callable[..., Any], arguments: Any) -> Any:  # noqa: ANN401
        _log(sql, self._driver)
        try:
            return await send(sql, arguments)
        except self.integrity_error as error:
            raise IntegrityError(sql, arguments, error) from error


class _PostgresConnection(_DriverConnection):
    """On an asyncpg connection: asyncpg's own codecs turn values to and from PostgreSQL's types
    (UUIDs, times with time zone, arrays; JSON through `_set_up_connection`), and asyncpg
    prepares and caches each statement."""

    dialect = _POSTGRESQL
    integrity_error = asyncpg.IntegrityConstraintViolationError

    async def _fetch(self, sql: str, arguments: list[Any]) -> Sequence[Any]:
        return await self._driver.fetch(sql, *arguments)


class _SqliteConnection(_DriverConnection):
    """On an aiosqlite connection: values pass through their SQLAlchemy types' conversions to and
    from SQLite's storage (UUIDs as 16 bytes, times as text, JSON as text). A statement still
    running after `statement_timeout` seconds is interrupted."""

    dialect = _SQLITE
    integrity_error = sqlite3.IntegrityError

    def __init__(self, driver: Any, statement_timeout: float | None) -> None:  # noqa: ANN401
        super().__init__(driver)
        self._timeout = statement_timeout

    async def _fetch(self, sql: str, arguments: list[Any]) -> Sequence[Any]:
        return await self._driver.execute_fetchall(sql, arguments)

    async def _run(self, sql: str, send: Callable[..., Any], arguments: Any) -> Any:  # noqa: ANN401
        running = [True]
        clock = None if self._timeout is None else asyncio.get_running_loop().call_later(self._timeout, _interrupt, self._driver, running)
        try:
            return await super()._run(sql, send, arguments)
        except asyncio.CancelledError:
            # The statement runs on in the driver's thread, where the connection's next user would wait for it.
            await self._driver.interrupt()
            raise
        finally:
            running[0] = False
            if clock is not None:
                clock.cancel()


def sqlalchemy_engine(url: str, *, wait: float = UNBOUNDED_WAIT, **options: Any) -> AsyncEngine:  # noqa: ANN401
    """A SQLAlchemy engine for `url`: for SQLite in `Database`, and for migrations and tools on
    either database. SQLite's connections are set up as the app's are, and wait up to `wait`
    seconds for another's write lock."""
    engine = create_async_engine(url, json_serializer=_json_text, json_deserializer=msgspec.json.decode, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", functools.partial(_configure_sqlite, wait=wait))
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any, *, wait: float) -> None:  # noqa: ANN401
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={round(wait * 1000)}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Database:
    """The connections of one process, within one budget of `pool_size` connections.

    PostgreSQL: one asyncpg pool serves both ways in. A read runs its statements in autocommit
    mode (each alone, without BEGIN and ROLLBACK round trips); a write is a transaction. A
    connection comes back with nothing to reset (the app changes no session state; asyncpg rolls
    back a transaction left open), so the pool's reset round trip is skipped.

    SQLite lets one connection write at a time, and connections racing for its lock wait far
    longer than a queue in the process does: every write transaction goes through one connection,
    taking turns for it in arrival order (`BEGIN IMMEDIATE` takes the lock against other
    processes), while reads use the rest of the budget, read-only connections that WAL lets run
    alongside the writer.

    Requests take turns for connections in arrival order (`_connections`): the pools hand a
    connection that comes back to whoever asks first, so under load a newcomer overtook requests
    that had waited, and some waited many times as long as the rest.

    A statement running past `statement_timeout` seconds is cancelled (PostgreSQL's own
    `statement_timeout`; on SQLite the connection is interrupted), and a request that waits as
    long for a connection gives up: either way the caller gets an error, and the connection serves
    the next request. None (migrations, tools): statements run as long as they take.
    """

    def __init__(self, url: str, *, pool_size: int = 10, statement_timeout: float | None = 10.0) -> None:
        self.is_sqlite = url.startswith("sqlite")
        self.statement_timeout = statement_timeout
        self._longest_wait = statement_timeout or UNBOUNDED_WAIT
        if self.is_sqlite:
            read_connections = max(pool_size - 1, 1)
            # Another process holding the write lock is waited for as long as a request waits for a connection.
            options = {"wait": self._longest_wait, "max_overflow": 0, "pool_timeout": self._longest_wait, "pool_reset_on_return": None}
            self._write_engine = sqlalchemy_engine(url, pool_size=1, **options)
            self._read_engine = sqlalchemy_engine(url, pool_size=read_connections, isolation_level="AUTOCOMMIT", **options)
            event.listen(self._write_engine.sync_engine, "connect", _no_transactions_of_the_drivers_own)
            event.listen(self._read_engine.sync_engine, "connect", _read_only)
            self._writer = asyncio.Semaphore(1)
        else:
            read_connections = pool_size
            dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
            timeout_ms = round((statement_timeout or 0) * 1000)  # 0: none
            self._pool: asyncpg.Pool | None = None
            self._pool_options = dict(
                dsn=dsn,
                min_size=0,
                max_size=pool_size,
                # A database that does not answer must fail a request in seconds, not hang it.
                timeout=5,
                init=_set_up_connection,
                reset=_nothing_to_reset,
                record_class=_Row,
                server_settings={"application_name": APPLICATION_NAME, "statement_timeout": f"{timeout_ms}ms", **POSTGRES_SESSION},
            )
            self._pool_opening = asyncio.Lock()
        # Turns for the connections reads use (PostgreSQL: every connection).
        self._connections = asyncio.Semaphore(read_connections)
        self._long_reads = asyncio.Semaphore(max(read_connections // 2, 1))

    @contextlib.asynccontextmanager
    async def read(self, *, may_run_long: bool = False) -> AsyncIterator[Connection]:
        """A connection for reading: each statement sees what was committed before it began.

        `may_run_long` (a search, which may read many records): at most half of the read
        connections serve such reads at once, so the others stay free for everything else.
        """
        if may_run_long:
            await self._take_turn(self._long_reads)
        try:
            await self._take_turn(self._connections)
            try:
                if self.is_sqlite:
                    async with self._read_engine.connect() as conn:
                        yield _SqliteConnection((await conn.get_raw_connection()).driver_connection, self.statement_timeout)
                else:
                    async with (self._pool or await self._open_pool()).acquire() as driver:
                        yield _PostgresConnection(driver)
            finally:
                self._connections.release()
        finally:
            if may_run_long:
                self._long_reads.release()

    @contextlib.asynccontextmanager
    async def write(self) -> AsyncIterator[Connection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        turns = self._writer if self.is_sqlite else self._connections
        await self._take_turn(turns)
        try:
            if self.is_sqlite:
                async with self._write_engine.connect() as conn:
                    driver = (await conn.get_raw_connection()).driver_connection
                    # IMMEDIATE: the write lock at once, as other processes would take it (not on
                    # the first change, which could find the lock taken after this transaction read).
                    await driver.execute("BEGIN IMMEDIATE")
                    try:
                        yield _SqliteConnection(driver, self.statement_timeout)
                    except BaseException:
                        await driver.rollback()
                        raise
                    await driver.commit()
            else:
                async with (self._pool or await self._open_pool()).acquire() as driver, driver.transaction():
                    yield _PostgresConnection(driver)
        finally:
            turns.release()

    async def _take_turn(self, turns: asyncio.Semaphore) -> None:
        """One of `turns`, in arrival order; DatabaseBusy if none comes within the longest wait.
        (No timeout scope when one is free: it would cost as much as taking a connection.)"""
        if not turns.locked():
            await turns.acquire()
            return
        try:
            async with asyncio.timeout(self._longest_wait):
                await turns.acquire()
        except TimeoutError:
            raise DatabaseBusy from None

    async def _open_pool(self) -> asyncpg.Pool:
        """The pool opens on first use: asyncpg binds it to the event loop it opens in."""
        async with self._pool_opening:
            if self._pool is None:
                self._pool = await asyncpg.create_pool(**self._pool_options)
        return self._pool

    async def dispose(self) -> None:
        if self.is_sqlite:
            await self._write_engine.dispose()
            await self._read_engine.dispose()
        elif self._pool is not None:
            await self._pool.close()
            self._pool = None


async def _set_up_connection(driver: asyncpg.Connection) -> None:
    """JSON values as msgspec writes and reads them."""
    for name in ("json", "jsonb"):
        await driver.set_type_codec(name, schema="pg_catalog", encoder=_json_text, decoder=msgspec.json.decode, format="text")


async def _nothing_to_reset(_driver: asyncpg.Connection) -> None:
    """The app changes no session state (asyncpg itself rolls back a transaction left open)."""


def _no_transactions_of_the_drivers_own(dbapi_connection: Any, _record: Any) -> None:  # noqa: ANN401
    """The writer's transactions begin as `Database.write` begins them, and nowhere else."""
    dbapi_connection.isolation_level = None


def _read_only(dbapi_connection: Any, _record: Any) -> None:  # noqa: ANN401
    """A write through a read connection fails (SQLITE_READONLY) instead of becoming a second
    writer. After the connection's set-up, because switching a new database to WAL is a write."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def _interrupt(driver: Any, running: list[bool]) -> None:  # noqa: ANN401
    """Stop the statement the aiosqlite connection `driver` runs in its thread (it fails with
    SQLITE_INTERRUPT), if it still runs when the task gets its turn: not the connection's next one."""

    async def interrupt() -> None:
        if running[0]:
            await driver.interrupt()

    asyncio.ensure_future(interrupt())
