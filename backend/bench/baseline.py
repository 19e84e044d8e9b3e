"""The benchmark's two baselines, served like the app (uvicorn, uvloop, httptools, one worker,
the same garbage collector setting).

- framework ceiling: `GET /constant` returns a constant 2 KB JSON document; no database.
- driver ceiling: minimal hand-written routes on the raw driver (asyncpg, or aiosqlite for the
  embedded default), against the same `items` rows the app serves: fetch one row by primary key,
  list the first 25 rows by keyset on (created_at, id), insert one row (the row the app would
  store for the same body). No access checks, no validation, no history: what the database and
  driver cost, and nothing else.

Run with `uvicorn --factory baseline:create_app`; BENCH_DATABASE_URL names the database (the
app's SQLAlchemy URL).
"""

from __future__ import annotations

import datetime
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

import aiosqlite
import asyncpg
import msgspec
from litestar import Litestar, MediaType, Response, get, post
from litestar.params import Body

from registry.runtime import tune_garbage_collector

CONSTANT = {"items": [{"id": str(uuid.UUID(int=n)), "display_name": f"Constant record {n}", "note": "x" * 40} for n in range(19)]}
OWNER = "bench-writer"


class NewRow(msgspec.Struct):
    item_subtype: str
    data: dict[str, Any]


class Driver(Protocol):
    async def fetch(self, item_id: uuid.UUID) -> dict[str, Any] | None: ...
    async def first_page(self) -> list[dict[str, Any]]: ...
    async def insert(self, row: NewRow) -> uuid.UUID: ...
    async def close(self) -> None: ...


_FETCH = "SELECT id, item_subtype, item_category, owner, created_at, updated_at, revision, data FROM items WHERE id = {p}"
_FIRST_PAGE = "SELECT id, item_subtype, item_category, display_name, owner, created_at, updated_at FROM items ORDER BY created_at DESC, id DESC LIMIT 25"
_INSERT = (
    "INSERT INTO items (id, item_subtype, item_category, owner, created_at, updated_at, revision, data, display_name, sort_name, search_text, general_roles) "
    "VALUES ({p})"
)


def _strings(value: Any) -> list[str]:  # noqa: ANN401
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def _new_values(row: NewRow) -> tuple[uuid.UUID, datetime.datetime, str, str]:
    """Id, time, name and search text: the same row the app would store, so the same indexes
    (the trigram index on the search text above all) do the same work."""
    return uuid.uuid4(), datetime.datetime.now(datetime.UTC), row.data["display_name"], "\x1f".join(_strings(row.data)).lower()


class Postgres:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self.fetch_sql = _FETCH.format(p="$1")
        self.insert_sql = _INSERT.format(p=", ".join(f"${n}" for n in range(1, 13)))

    @classmethod
    async def open(cls, url: str) -> Postgres:
        async def json_codecs(conn: asyncpg.Connection) -> None:
            await conn.set_type_codec("jsonb", schema="pg_catalog", encoder=lambda v: msgspec.json.encode(v).decode(), decoder=msgspec.json.decode)

        dsn = url.replace("postgresql+asyncpg://", "postgresql://", 1)
        return cls(await asyncpg.create_pool(dsn, min_size=10, max_size=10, init=json_codecs))

    async def fetch(self, item_id: uuid.UUID) -> dict[str, Any] | None:
        row = await self.pool.fetchrow(self.fetch_sql, item_id)
        return dict(row) if row is not None else None

    async def first_page(self) -> list[dict[str, Any]]:
        return [dict(row) for row in await self.pool.fetch(_FIRST_PAGE)]

    async def insert(self, row: NewRow) -> uuid.UUID:
        item_id, now, name, search = _new_values(row)
        await self.pool.execute(self.insert_sql, item_id, row.item_subtype, "ENTITY", OWNER, now, now, 1, row.data, name, name.lower(), search, 1)
        return item_id

    async def close(self) -> None:
        await self.pool.close()


class Sqlite:
    """One aiosqlite connection, stored values in the app's formats (advanced-alchemy's GUID as
    16 bytes, DateTimeUTC as UTC text, JSON as text)."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn
        self.fetch_sql = _FETCH.format(p="?")
        self.insert_sql = _INSERT.format(p=", ".join("?" * 12))

    @classmethod
    async def open(cls, url: str) -> Sqlite:
        conn = await aiosqlite.connect(url.removeprefix("sqlite+aiosqlite:///"))
        conn.row_factory = aiosqlite.Row
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA synchronous=NORMAL")
        return cls(conn)

    @staticmethod
    def _decoded(row: aiosqlite.Row) -> dict[str, Any]:
        values = dict(row)
        values["id"] = uuid.UUID(bytes=values["id"]) if isinstance(values["id"], bytes) else values["id"]
        if "data" in values:
            values["data"] = msgspec.json.decode(values["data"])
        return values

    async def fetch(self, item_id: uuid.UUID) -> dict[str, Any] | None:
        async with self.conn.execute(self.fetch_sql, (item_id.bytes,)) as cursor:
            row = await cursor.fetchone()
        return self._decoded(row) if row is not None else None

    async def first_page(self) -> list[dict[str, Any]]:
        async with self.conn.execute(_FIRST_PAGE) as cursor:
            return [self._decoded(row) for row in await cursor.fetchall()]

    async def insert(self, row: NewRow) -> uuid.UUID:
        item_id, now, name, search = _new_values(row)
        stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite DATETIME text, in UTC
        values = (item_id.bytes, row.item_subtype, "ENTITY", OWNER, stamp, stamp, 1, msgspec.json.encode(row.data).decode(), name, name.lower(), search, 1)
        await self.conn.execute(self.insert_sql, values)
        await self.conn.commit()
        return item_id

    async def close(self) -> None:
        await self.conn.close()


def create_app() -> Litestar:
    url = os.environ["BENCH_DATABASE_URL"]

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        driver: Driver = await (Postgres.open(url) if url.startswith("postgresql") else Sqlite.open(url))
        app.state.driver = driver
        tune_garbage_collector()
        try:
            yield
        finally:
            await driver.close()

    @get("/constant")
    async def constant() -> dict[str, Any]:
        return CONSTANT

    @get("/driver/items/{item_id:uuid}")
    async def fetch(item_id: uuid.UUID) -> Response[Any]:
        row = await app.state.driver.fetch(item_id)
        return Response(row, status_code=200 if row is not None else 404, media_type=MediaType.JSON)

    @get("/driver/items")
    async def first_page() -> dict[str, Any]:
        return {"items": await app.state.driver.first_page()}

    @post("/driver/items")
    async def insert(data: NewRow = Body()) -> dict[str, Any]:
        return {"id": await app.state.driver.insert(data)}

    app = Litestar([constant, fetch, first_page, insert], lifespan=[lifespan])
    return app
