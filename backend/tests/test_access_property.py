"""The access rule lives twice — `evaluate()` in Python and `readable_where()` in SQL.
On random users, groups and access settings, the two must always agree."""

from __future__ import annotations

import asyncio
import datetime
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select

from registry.access.roles import ALL_ITEM_ROLES, READER, GeneralRole, Principal, close_general, evaluate, granted_groups, readability, readable_where
from registry.db.engine import Database
from registry.db.models import group_members, groups, item_group_roles, items, users

USERS = [f"prop-user-{i}" for i in range(4)]
GROUPS = [uuid.UUID(int=0xA000 + i) for i in range(3)]
SUBTYPES = ["STUDY", "DATASET"]
item_roles = st.integers(min_value=0, max_value=int(ALL_ITEM_ROLES))

records = st.lists(
    st.fixed_dictionaries(
        {
            "owner": st.sampled_from(USERS),
            "subtype": st.sampled_from(SUBTYPES),
            "general": item_roles,
            "grants": st.dictionaries(st.sampled_from(GROUPS), item_roles, max_size=3),
        }
    ),
    min_size=1,
    max_size=6,
)
memberships = st.sets(st.tuples(st.sampled_from(GROUPS), st.sampled_from(USERS)), max_size=8)
principal_roles = st.sampled_from([0, 1, 2, 4]).map(close_general)


async def _setup(db: Database) -> None:
    now = datetime.datetime.now(datetime.UTC)
    async with db.write() as conn:
        existing = {row.username for row in await conn.rows(select(users.c.username).where(users.c.username.in_(USERS)))}
        for name in set(USERS) - existing:
            await conn.execute(insert(users).values(username=name, password_hash="-", display_name=name, email=f"{name}@example.org", roles=1, created_at=now))
        known = {row.id for row in await conn.rows(select(groups.c.id).where(groups.c.id.in_(GROUPS)))}
        for group_id in set(GROUPS) - known:
            await conn.execute(insert(groups).values(id=group_id, name=f"prop-{group_id.hex[-4:]}", description="", created_at=now))


async def _check(db: Database, records_: list[dict], members: set[tuple[uuid.UUID, str]], username: str, roles: GeneralRole) -> None:
    now = datetime.datetime.now(datetime.UTC)
    principal = Principal(username=username, roles=roles)
    ids = [uuid.uuid4() for _ in records_]
    async with db.write() as conn:
        await conn.execute(delete(group_members).where(group_members.c.group_id.in_(GROUPS)))
        for group_id, member in members:
            await conn.execute(insert(group_members).values(group_id=group_id, username=member))
        for item_id, record in zip(ids, records_, strict=True):
            await conn.execute(
                insert(items).values(
                    id=item_id, item_subtype=record["subtype"], item_category="X", owner=record["owner"], created_at=now, updated_at=now,
                    revision=1, data={}, display_name="p", sort_name="p", search_text="", general_roles=record["general"],
                    granted_groups=granted_groups(record["grants"]),
                )
            )
            for group_id, grant in record["grants"].items():
                await conn.execute(insert(item_group_roles).values(item_id=item_id, group_id=group_id, roles=grant))
    try:
        async with db.read() as conn:
            # Only this check's records have the category "X".
            readable = select(items.c.id).where(items.c.item_category == "X", readable_where(readability(principal)))
            in_sql = {row.id for row in await conn.rows(readable, {READER: username})}
        for item_id, record in zip(ids, records_, strict=True):
            mine = [grant for group_id, grant in record["grants"].items() if (group_id, username) in members]
            decision = evaluate(principal, subtype=record["subtype"], owner=record["owner"], general=record["general"], member_group_roles=mine)
            assert decision.actions.view == (item_id in in_sql), (record, members, username, roles)
    finally:
        async with db.write() as conn:
            await conn.execute(delete(items).where(items.c.id.in_(ids)))


def test_python_rule_and_sql_filter_agree(server: object, migrated_url: str) -> None:
    """`server` first: it bootstraps `admin` into an empty users table, which these rows would not be."""
    # The hypothesis loop drives its own event loop: one engine per test run, made inside it.
    loop = asyncio.new_event_loop()
    db = Database(migrated_url)
    loop.run_until_complete(_setup(db))

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(records, memberships, st.sampled_from(USERS), principal_roles)
    def agree(records_: list[dict], members: set, username: str, roles: GeneralRole) -> None:
        loop.run_until_complete(_check(db, records_, members, username, roles))

    try:
        agree()
    finally:
        loop.run_until_complete(db.dispose())
        loop.close()
