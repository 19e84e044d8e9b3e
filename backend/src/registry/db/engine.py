"""The engines and the three ways to use them: a read connection, a write transaction, or one
of the hottest reads run on the driver itself (`DriverQuery`)."""

from __future__ import annotations

import asyncio
import collections
import contextlib
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import msgspec
from sqlalchemy import Dialect, Select, event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

_json_encoder = msgspec.json.Encoder()


def _json_serializer(value: Any) -> str:
    return _json_encoder.encode(value).decode()


# PostgreSQL connections per worker process. Fixed pools without overflow: a request that finds
# every connection busy waits for one (up to POOL_TIMEOUT) rather than opening and closing a
# connection of its own, which under load costs more than the query.
POSTGRES_READ_POOL = 20
POSTGRES_WRITE_POOL = 10
POOL_TIMEOUT = 10


def create_engine(url: str, *, role: Literal["any", "reader", "writer"] = "any") -> AsyncEngine:
    """An engine for `url`, with the pool of its `role`.

    "reader": connections in autocommit mode, so a read is its statements alone, without BEGIN
    and ROLLBACK round trips (each statement sees committed data, as in a READ COMMITTED
    transaction), and that refuse to change data. "writer": transactions; on SQLite
    exactly one connection. "any" (migrations and tools): transactions, the driver's default pool.
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
    elif role != "any":
        size = POSTGRES_READ_POOL if role == "reader" else POSTGRES_WRITE_POOL
        options |= {"pool_size": size, "max_overflow": 0, "pool_timeout": POOL_TIMEOUT}
        if role == "reader":
            connect_args["server_settings"] = {"default_transaction_read_only": "on"}
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


StatementObserver = Callable[[str, Any], None]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # Per positional parameter: its name, its value when the statement fixes it, its type's processor.
    parameters: tuple[tuple[str, Any, Callable[[Any], Any] | None], ...]
    results: tuple[Callable[[Any], Any] | None, ...]


class DriverQuery:
    """A SELECT built with SQLAlchemy Core, compiled once per database, and run on the pooled
    connection's own driver (asyncpg, aiosqlite).

    For the reads every request makes (a record, a page of records), SQLAlchemy's execution
    layer (parameter and result objects, cursor adaptation, a greenlet switch per call) costs
    more than the database takes to answer. This sends the very SQL SQLAlchemy would, through the
    same pool, with parameters and results passed through the column types' own processors, so
    the values are the same as SQLAlchemy's.
    """

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self.row = collections.namedtuple("Row", [column.key for column in statement.selected_columns])  # type: ignore[misc]
        self._compiled: dict[str, _Compiled] = {}

    def compiled(self, dialect: Dialect) -> _Compiled:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            sql = self.statement.compile(dialect=dialect)
            binds = sql.binds
            assert sql.positiontup is not None, "both drivers take positional parameters"
            compiled = self._compiled[dialect.name] = _Compiled(
                sql=sql.string,
                parameters=tuple(
                    (name, binds[name].effective_value, binds[name].type.dialect_impl(dialect).bind_processor(dialect))
                    for name in sql.positiontup
                ),
                results=tuple(
                    column.type.dialect_impl(dialect).result_processor(dialect, None) for column in self.statement.selected_columns
                ),
            )
        return compiled


class Database:
    """Owns the engines: one for reads (autocommit) and one for write transactions.

    SQLite has one writer at a time, and pooled connections racing for its lock wait far longer
    than a queue in this process does: every write transaction goes through one dedicated
    connection, taking turns for it in order, while reads use a pool of read-only connections
    (WAL lets them run alongside the writer).
    """

    def __init__(self, url: str) -> None:
        self.is_sqlite = url.startswith("sqlite")
        self.engine = create_engine(url, role="reader")
        self.write_engine = create_engine(url, role="writer")
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
        compiled = query.compiled(self.engine.dialect)
        arguments = []
        for name, fixed, process in compiled.parameters:
            value = parameters[name] if name in parameters else fixed
            arguments.append(process(value) if process is not None else value)
        async with self.engine.connect() as conn:
            driver = (await conn.get_raw_connection()).driver_connection
            for observe in self.statement_observers:
                observe(compiled.sql, driver)
            try:
                if self.is_sqlite:
                    async with driver.execute(compiled.sql, arguments) as cursor:
                        records = await cursor.fetchall()
                else:
                    records = await driver.fetch(compiled.sql, *arguments)
            except BaseException:
                # Whatever went wrong (a lost server, a cancelled request mid-answer), the pool
                # must not hand this connection out again: SQLAlchemy would have done the same.
                await conn.invalidate()
                raise
        make = query.row._make
        processors = compiled.results
        return [make([value if process is None else process(value) for process, value in zip(processors, record)]) for record in records]

    @contextlib.asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        if self._write_turn is None:
            async with self.write_engine.begin() as conn:
                yield conn
            return
        async with self._write_turn, self.write_engine.begin() as conn:
            yield conn

    async def dispose(self) -> None:
        for engine in self.engines:
            await engine.dispose()
