"""Records: create, fetch, explore, permissions. Core SQL throughout; one transaction per write."""

from __future__ import annotations

import base64
import binascii
import datetime
import functools
import hashlib
import re
import uuid
from collections.abc import Sequence
from typing import Any

import msgspec
from sqlalchemy import Row, and_, bindparam, insert, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from registry.access.roles import (
    DEFAULT_GENERAL_ACCESS,
    READER,
    Decision,
    InReadersGroups,
    Principal,
    Readability,
    evaluate,
    general_role_names,
    item_role_names,
    readability,
    readable_where,
)
from registry.db.engine import Database, DriverQuery, DriverTransaction
from registry.db.models import item_group_roles, item_history, items
from registry.errors import FieldError, Forbidden, NotFound, PreconditionFailed, PreconditionRequired, ValidationFailed
from registry.http import decode_json
from registry.items.schemas import History, HistoryEntry, Item, ItemPage, ItemUpdate, Permissions, SortOrder, Summary
from registry.items.idempotency import IDEMPOTENCY_EXPIRED, IdempotencyClaim
from registry.items.subtypes import SUBTYPES, Subtype, search_text

CREATED_REASON = "Created"

# In the order of the structs' fields, so that a row's first values build the struct positionally.
_ITEM_COLUMNS = (*(items.c[name] for name in Item.__struct_fields__), items.c.general_roles)
_SUMMARY_COLUMNS = tuple(items.c[name] for name in Summary.__struct_fields__)
_encoder = msgspec.json.Encoder()
SORT_COLUMNS = {"created_at": items.c.created_at, "updated_at": items.c.updated_at, "display_name": items.c.sort_name}

# The hot paths' statements are built once, with bind parameters, and reused: building a
# statement and computing its cache key cost SQLAlchemy more than the database takes to run it.

# A record with the caller's group grants on it, one row per grant (none: one row, roles NULL).
# (The grants are joined on the record's id with "group in the user's groups" as a condition, not
# as a join of grants and memberships: SQLite would build that join for all of the user's
# grants first, on every fetch.)
ITEM_WITH_GRANTS_STATEMENT = (
    select(*_ITEM_COLUMNS, item_group_roles.c.roles.label("group_roles"))
    .select_from(
        items.outerjoin(
            item_group_roles,
            and_(
                item_group_roles.c.item_id == items.c.id,
                InReadersGroups(item_group_roles.c.group_id),
            ),
        )
    )
    .where(items.c.id == bindparam("item_id"))
)
ITEM_WITH_GRANTS = DriverQuery(ITEM_WITH_GRANTS_STATEMENT)
_INSERT_ITEM = DriverQuery(insert(items))
_INSERT_HISTORY = DriverQuery(insert(item_history))


def _create_in_one_statement(with_key: bool) -> DriverQuery:
    """PostgreSQL: the record, its history entry and (`with_key`) its Idempotency-Key row in one
    statement (data-modifying CTEs), atomic on its own: one round trip where a transaction of
    separate inserts takes four, each waited for. The parameters are `_INSERT_ITEM`'s, `reason`,
    and (`with_key`) the key's `username`, `key`, `request_hash` and `response_body`."""
    new_item = insert(items).returning(items.c.id, items.c.revision, items.c.created_at, items.c.owner, items.c.data).cte("new_item")
    history = insert(item_history).from_select(
        ["item_id", "revision", "at", "by", "reason", "data"],
        select(new_item.c.id, new_item.c.revision, new_item.c.created_at, new_item.c.owner, bindparam("reason", type_=item_history.c.reason.type), new_item.c.data),
    )
    if with_key:
        history = history.add_cte(IdempotencyClaim.insert_for(new_item))
    return DriverQuery(history)


_CREATE = {with_key: _create_in_one_statement(with_key) for with_key in (False, True)}
# A new revision, if the record is still at the revision the change was made from.
_UPDATE_REVISION = DriverQuery(
    update(items)
    .where(items.c.id == bindparam("item_id"), items.c.revision == bindparam("expected"))
    .values(
        revision=bindparam("revision"),
        updated_at=bindparam("updated_at"),
        data=bindparam("data"),
        display_name=bindparam("display_name"),
        sort_name=bindparam("sort_name"),
        search_text=bindparam("search_text"),
    )
    .returning(items.c.id)
)
_HISTORY = (
    select(item_history.c.revision, item_history.c.at, item_history.c.by, item_history.c.reason, item_history.c.data)
    .where(item_history.c.item_id == bindparam("item_id"))
    .order_by(item_history.c.revision.desc())
)


@functools.cache
def _readable_refs(kind: Readability, count: int) -> DriverQuery:
    """Which of `count` ids (parameters id0, id1, …) name records the user may read, and their subtypes."""
    ids = [bindparam(f"id{n}", type_=items.c.id.type) for n in range(count)]
    return DriverQuery(select(items.c.id, items.c.item_subtype).where(items.c.id.in_(ids), readable_where(kind)))


def parse_item_id(value: str) -> uuid.UUID:
    """Ids are UUIDs; anything else names no record."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(f"There is no record with id {value!r}.") from None


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


async def check_refs(source: Database | DriverTransaction, principal: Principal, subtype: Subtype, data: msgspec.Struct) -> None:
    """Each ref must name a record of the right subtype that the caller may read.

    Missing and unreadable records get the same answer, so a ref reveals nothing.
    """
    refs = subtype.refs(data)
    if not refs:
        return
    ids = sorted({uuid.UUID(ref_id) for _, ref_id, _ in refs})
    parameters: dict[str, Any] = {f"id{n}": ref_id for n, ref_id in enumerate(ids)}
    rows = await source.rows(_readable_refs(readability(principal), len(ids)), parameters | {READER: principal.username})
    found = {str(row.id): row.item_subtype for row in rows}
    errors = []
    for field, ref_id, target in refs:
        label = SUBTYPES[target].label.lower()
        if ref_id not in found:
            errors.append(FieldError(field, f"No {label} with this id exists that you can read. Pick one from the list."))
        elif found[ref_id] != target:
            errors.append(FieldError(field, f"This record is a {SUBTYPES[found[ref_id]].label.lower()}, not a {label}."))
    if errors:
        raise ValidationFailed(errors)


def _derived_columns(data: dict[str, Any]) -> dict[str, Any]:
    name = data["display_name"]
    return {"display_name": name, "sort_name": name.lower(), "search_text": search_text(data)}


async def create_item(
    db: Database, principal: Principal, subtype: Subtype, data: msgspec.Struct, idempotency: IdempotencyClaim | None = None
) -> bytes:
    """Create the record; returns the encoded 201 body (what an idempotent retry replays)."""
    stored = subtype.to_builtins(data)
    now = _utcnow()
    item = Item(
        id=uuid.uuid4(),
        item_subtype=subtype.name,
        item_category=subtype.category,
        owner=principal.username,
        created_at=now,
        updated_at=now,
        revision=1,
        data=stored,
    )
    body = _encoder.encode(item)
    row = {
        "id": item.id,
        "item_subtype": item.item_subtype,
        "item_category": item.item_category,
        "owner": item.owner,
        "created_at": now,
        "updated_at": now,
        "revision": 1,
        "data": stored,
        "general_roles": int(DEFAULT_GENERAL_ACCESS),
        **_derived_columns(stored),
    }
    if db.is_sqlite:
        # One local writer: a transaction of separate statements costs no waiting.
        async with db.driver_write() as tx:
            await check_refs(tx, principal, subtype, data)
            await tx.execute(_INSERT_ITEM, row)
            await tx.execute(_INSERT_HISTORY, {"item_id": item.id, "revision": 1, "at": now, "by": principal.username, "reason": CREATED_REASON, "data": stored})
            if idempotency is not None:
                await idempotency.record(tx, item.id, body, now)
        return body
    # PostgreSQL: the checks, then one statement. No transaction spans them, and none is needed:
    # a transaction would not stop a ref from becoming unreadable between its check and the
    # insert either (READ COMMITTED), and clearing expired keys is housekeeping that stands alone.
    await check_refs(db, principal, subtype, data)
    parameters: dict[str, Any] = row | {"reason": CREATED_REASON}
    if idempotency is not None:
        await db.execute_alone(IDEMPOTENCY_EXPIRED, idempotency.expired_parameters(now))
        parameters |= idempotency.row_parameters(body)
    await db.execute_alone(_CREATE[idempotency is not None], parameters)
    return body


async def _load_with_decision(conn: AsyncConnection, principal: Principal, item_id: uuid.UUID) -> tuple[Row[Any], Decision]:
    """One statement, in the caller's transaction: the record and the caller's group grants on it."""
    rows = (await conn.execute(ITEM_WITH_GRANTS_STATEMENT, {"item_id": item_id, READER: principal.username})).all()
    return _decide(principal, item_id, rows)


async def _read_with_decision(source: Database | DriverTransaction, principal: Principal, item_id: uuid.UUID) -> tuple[Any, Decision]:
    """`_load_with_decision` on the driver directly: a read on its own (fetch, permissions), or
    in a driver transaction (update)."""
    rows = await source.rows(ITEM_WITH_GRANTS, {"item_id": item_id, READER: principal.username})
    return _decide(principal, item_id, rows)


def _decide(principal: Principal, item_id: uuid.UUID, rows: Sequence[Any]) -> tuple[Any, Decision]:
    if not rows:
        raise NotFound(f"There is no record with id {item_id}.")
    row = rows[0]
    decision = evaluate(
        principal,
        subtype=row.item_subtype,
        owner=row.owner,
        general=row.general_roles,
        member_group_roles=[r.group_roles for r in rows if r.group_roles is not None],
    )
    return row, decision


_ITEM_FIELD_COUNT = len(Item.__struct_fields__)
_SUMMARY_FIELD_COUNT = len(Summary.__struct_fields__)
# Where a list row holds its sort value for the next page's cursor: a Summary field, or (the
# name's sort key) one more column after them (see list_query).
_SORT_VALUE_AT = {
    sort: Summary.__struct_fields__.index(column.key) if column.key in Summary.__struct_fields__ else _SUMMARY_FIELD_COUNT
    for sort, column in SORT_COLUMNS.items()
}


def _item(row: Sequence[Any], **changes: Any) -> Item:
    """The Item of a row (of `_ITEM_COLUMNS`), with `changes` applied (an update's new revision, time and data)."""
    item = Item(*row[:_ITEM_FIELD_COUNT])
    return msgspec.structs.replace(item, **changes) if changes else item


_REFUSALS = {
    "view": "You do not have permission to view this record. Ask its owner to share it with you.",
    "edit": "You may not edit this record: that needs registry-write and the record's metadata-write role. Ask its owner.",
    "manage_access": "Only the record's owner, a registry administrator or someone granted its admin role may manage its access.",
    "read_files": "You may see this dataset's description but not its files. Ask its owner for the dataset-data-read role.",
    "write_files": "You may not change this dataset's files: that needs registry-write and the dataset-data-write role.",
}


async def authorize(conn: AsyncConnection, principal: Principal, item_id: uuid.UUID, action: str) -> Row[Any]:
    """The record, if `principal` may do `action` with it: 404 when it does not exist, else 403."""
    row, decision = await _load_with_decision(conn, principal, item_id)
    if not getattr(decision.actions, action):
        raise Forbidden(_REFUSALS[action])
    return row


async def get_item(db: Database, principal: Principal, item_id: uuid.UUID) -> Item:
    row, decision = await _read_with_decision(db, principal, item_id)
    if not decision.actions.view:
        raise Forbidden(_REFUSALS["view"])
    return _item(row)


async def permissions(db: Database, principal: Principal, item_id: uuid.UUID) -> Permissions:
    _, decision = await _read_with_decision(db, principal, item_id)
    return Permissions(
        item_id=item_id,
        general_roles=general_role_names(principal.roles),
        item_roles=item_role_names(decision.item_roles),
        actions=decision.actions,
    )


_STRONG_ETAG = re.compile(r'^"([0-9]{1,18})"$')


def _expected_revision(if_match: str) -> int:
    """If-Match must be exactly one strong `"<revision>"`; anything else cannot match."""
    match = _STRONG_ETAG.match(if_match.strip())
    if match is None:
        raise PreconditionFailed('If-Match must be the record\'s ETag, e.g. "3". Fetch the record again and retry.')
    return int(match[1])


async def update_item(db: Database, principal: Principal, item_id: uuid.UUID, body: bytes, if_match: str | None) -> Item:
    """A new revision of `data`, with its history entry, if `If-Match` names the current revision.

    Checks run in the contract's order: 404, 403, 428, 422, 412.
    """
    async with db.driver_write() as tx:
        row, decision = await _read_with_decision(tx, principal, item_id)
        if not decision.actions.edit:
            raise Forbidden(_REFUSALS["edit"])
        if if_match is None:
            raise PreconditionRequired('Send If-Match with the record\'s ETag (e.g. If-Match: "3") so no change is lost.')
        change = decode_json(body, ItemUpdate)
        subtype = SUBTYPES[row.item_subtype]
        data = subtype.decode(bytes(change.data))
        await check_refs(tx, principal, subtype, data)
        expected = _expected_revision(if_match)
        stored = subtype.to_builtins(data)
        now = _utcnow()
        changed = await tx.rows(
            _UPDATE_REVISION,
            {"item_id": item_id, "expected": expected, "revision": expected + 1, "updated_at": now, "data": stored, **_derived_columns(stored)},
        )
        if not changed:
            raise PreconditionFailed(
                f"The record has changed since you read it (it is at revision {row.revision}, not {expected}). "
                "Fetch it again, reapply your change and retry."
            )
        await tx.execute(
            _INSERT_HISTORY, {"item_id": item_id, "revision": expected + 1, "at": now, "by": principal.username, "reason": change.reason, "data": stored}
        )
    return _item(row, updated_at=now, revision=expected + 1, data=stored)


async def history(conn: AsyncConnection, principal: Principal, item_id: uuid.UUID) -> History:
    await authorize(conn, principal, item_id, "view")
    rows = await conn.execute(_HISTORY, {"item_id": item_id})
    return History(entries=[HistoryEntry(revision=r.revision, at=r.at, by=r.by, reason=r.reason, data=r.data) for r in rows])


class ListQuery(msgspec.Struct, frozen=True):
    sort: SortOrder = "-created_at"
    limit: int = 25
    subtype: str | None = None
    q: str | None = None
    owner: str | None = None
    cursor: str | None = None


class _Cursor(msgspec.Struct, array_like=True):
    filters: str
    value: str
    id: uuid.UUID


def _filters_fingerprint(query: ListQuery) -> str:
    """Ties a cursor to the sort and filters it was made for."""
    return _fingerprint(query.sort, query.subtype, query.q, query.owner)


@functools.lru_cache(maxsize=4096)
def _fingerprint(sort: str, subtype: str | None, q: str | None, owner: str | None) -> str:
    # Cached: every page of a listing, its first included, hashes the same filters.
    return hashlib.sha256(msgspec.json.encode([sort, subtype, q, owner])).hexdigest()[:16]


def encode_cursor(query: ListQuery, sort_value: Any, item_id: uuid.UUID) -> str:
    value = sort_value.isoformat() if isinstance(sort_value, datetime.datetime) else sort_value
    raw = msgspec.json.encode(_Cursor(_filters_fingerprint(query), value, item_id))
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(query: ListQuery, cursor: str) -> tuple[Any, uuid.UUID]:
    try:
        decoded = msgspec.json.decode(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)), type=_Cursor)
        value: Any = decoded.value
        if query.sort.lstrip("-") != "display_name":
            value = datetime.datetime.fromisoformat(value)
            if value.tzinfo is None:
                raise ValueError("naive time")
    except (ValueError, binascii.Error, msgspec.DecodeError):
        raise ValidationFailed.one("cursor", "This cursor is not valid. Start again from the first page.") from None
    if decoded.filters != _filters_fingerprint(query):
        raise ValidationFailed.one("cursor", "This cursor belongs to another sort or filter. Start again from the first page.")
    return value, decoded.id


@functools.lru_cache(maxsize=1024)
def list_query(sort: SortOrder, kind: Readability, by_subtype: bool, by_owner: bool, by_text: bool, after: bool, rows: int) -> DriverQuery:
    """The list query for one shape of request, `rows` rows at most; the values are bind
    parameters. (The row count is part of the statement: see `DriverQuery`.)"""
    descending = sort.startswith("-")
    column = SORT_COLUMNS[sort.lstrip("-")]
    # Rows by position: Summary's fields, then the sort value if it is not one of them (_SORT_VALUE_AT).
    sort_value = (column.label("sort_value"),) if _SORT_VALUE_AT[sort.lstrip("-")] == _SUMMARY_FIELD_COUNT else ()
    statement = select(*_SUMMARY_COLUMNS, *sort_value).where(readable_where(kind))
    if by_subtype:
        statement = statement.where(items.c.item_subtype == bindparam("subtype"))
    if by_owner:
        statement = statement.where(items.c.owner == bindparam("owner"))
    if by_text:
        statement = statement.where(items.c.search_text.like(bindparam("pattern"), escape=_LIKE_ESCAPE))
    if after:
        position = tuple_(column, items.c.id)
        bound = tuple_(bindparam("after_value", type_=column.type), bindparam("after_id", type_=items.c.id.type))
        statement = statement.where(position < bound if descending else position > bound)
    order = (column.desc(), items.c.id.desc()) if descending else (column.asc(), items.c.id.asc())
    # Planned for its values when it filters: a generic plan walks the sort's index for "Only
    # mine" whatever the owner, and for one who owns nothing it read all of a million records
    # (3.5 s, where the owner's index answers in 1 ms).
    filtered = by_subtype or by_owner or by_text
    return DriverQuery(statement.order_by(*order).limit(rows), plan_per_call=filtered, named_rows=False)


_LIKE_ESCAPE = "/"


def _substring_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its own `%` and `_` taken literally."""
    escaped = text.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", _LIKE_ESCAPE + "%").replace("_", _LIKE_ESCAPE + "_")
    return f"%{escaped}%"


async def list_items(db: Database, principal: Principal, query: ListQuery) -> ItemPage:
    parameters: dict[str, Any] = {READER: principal.username}
    if query.subtype is not None:
        parameters["subtype"] = query.subtype
    if query.owner is not None:
        parameters["owner"] = query.owner
    if query.q is not None:
        parameters["pattern"] = _substring_pattern(query.q.lower())
    if query.cursor is not None:
        parameters["after_value"], parameters["after_id"] = decode_cursor(query, query.cursor)
    statement = list_query(
        query.sort,
        readability(principal),
        query.subtype is not None,
        query.owner is not None,
        query.q is not None,
        query.cursor is not None,
        # One more than the page: whether there is a next page.
        rows=query.limit + 1,
    )
    rows = await db.rows(statement, parameters)
    page, more = rows[: query.limit], len(rows) > query.limit
    next_cursor = encode_cursor(query, page[-1][_SORT_VALUE_AT[query.sort.lstrip("-")]], page[-1][0]) if more else None
    return ItemPage(
        items=[Summary(*row[:_SUMMARY_FIELD_COUNT]) for row in page],
        next_cursor=next_cursor,
    )
