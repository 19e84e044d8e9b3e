"""Search (`q`) finds exactly the records whose text holds the term, whichever way the database
goes about it: PostgreSQL's planner walks the sort's index for a common term and reads a rare
one's records through the trigram index (which also names records holding every trigram of the
term but not the term); SQLite walks. A database of its own, with enough records to make a
term common."""

from __future__ import annotations

import asyncio
import datetime
import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import delete, insert, update

from conftest import TEST_DATABASE
from registry.access.roles import GeneralRole, ItemRole, Principal
from registry.db.engine import Database
from registry.db.migrate import upgrade
from registry.db.models import items, users
from registry.items import service
from registry.items.service import ListQuery
from support import create_database, drop_database

COMMON = 5200
READER = Principal(username="search-reader", roles=GeneralRole.READ)
START = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def _record(index: int, text: str) -> dict:
    at = START + datetime.timedelta(minutes=index)
    return {
        "id": uuid.UUID(int=index + 1),
        "item_subtype": "STUDY",
        "item_category": "ACTIVITY",
        "owner": "search-owner",
        "created_at": at,
        "updated_at": at,
        "revision": 1,
        "data": {},
        "display_name": f"Record {index}",
        "sort_name": f"record {index}",
        "search_text": text,
        "general_roles": int(ItemRole.METADATA_READ),
        "granted_groups": None,
    }


# Record index → its text: COMMON records hold "commonplace"; 30 hold "rarity"; three hold every
# trigram of "rarity" but not the word (a trigram index names them, the page must not show them).
TEXTS = {index: f"commonplace text {index}" for index in range(COMMON)}
TEXTS |= {COMMON + n: f"a rarity, number {n}" for n in range(30)}
TEXTS |= {COMMON + 30 + n: "rarit and arity apart" for n in range(3)}


@pytest.fixture(scope="module")
def search_url() -> Iterator[str]:
    url = create_database(TEST_DATABASE, f"registry_search_{os.getpid()}")
    upgrade(url)

    async def seed() -> None:
        db = Database(url)
        try:
            async with db.write() as conn:
                await conn.execute(insert(users).values(username="search-owner", password_hash="-", display_name="o", email="o@example.org", roles=1, created_at=START))
                await conn.execute(insert(items), [_record(index, text) for index, text in TEXTS.items()])
        finally:
            await db.dispose()

    asyncio.run(seed())
    yield url
    drop_database(url)


@pytest.fixture(scope="module")
async def database(search_url: str) -> AsyncIterator[Database]:
    database = Database(search_url)
    yield database
    await database.dispose()


async def _search(db: Database, q: str, pages: int | None = None) -> list[str]:
    """The record names of the first `pages` pages (all if None), newest first."""
    names: list[str] = []
    cursor = None
    while pages is None or pages > 0:
        page = await service.list_items(db, READER, ListQuery(q=q, cursor=cursor))
        names += [item.display_name for item in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
        pages = None if pages is None else pages - 1
    return names


def _newest_first(word: str, count: int | None = None) -> list[str]:
    holding = sorted((index for index, text in TEXTS.items() if word in text), reverse=True)
    return [f"Record {index}" for index in holding[:count]]


async def test_a_rare_term_is_found_exactly(database: Database) -> None:
    assert await _search(database, "rarity") == _newest_first("rarity")


async def test_a_common_term_is_found_exactly(database: Database) -> None:
    assert await _search(database, "commonplace", pages=4) == _newest_first("commonplace", 100)


async def test_a_term_no_record_holds_finds_nothing(database: Database) -> None:
    assert await _search(database, "absent") == []


async def test_search_follows_changes_and_removals(database: Database) -> None:
    async with database.write() as conn:
        await conn.execute(update(items).where(items.c.id == uuid.UUID(int=COMMON + 1)).values(search_text="no longer so"))
        await conn.execute(update(items).where(items.c.id == uuid.UUID(int=1)).values(search_text="now a rarity too"))
        await conn.execute(delete(items).where(items.c.id == uuid.UUID(int=COMMON + 2)))
    try:
        names = await _search(database, "rarity")
        expected = [name for name in _newest_first("rarity") if name not in ("Record " + str(COMMON), "Record " + str(COMMON + 1))]
        assert names == [*expected, "Record 0"]
    finally:
        async with database.write() as conn:
            await conn.execute(update(items).where(items.c.id == uuid.UUID(int=COMMON + 1)).values(search_text=TEXTS[COMMON]))
            await conn.execute(update(items).where(items.c.id == uuid.UUID(int=1)).values(search_text=TEXTS[0]))
            await conn.execute(insert(items).values(_record(COMMON + 1, TEXTS[COMMON + 1])))
