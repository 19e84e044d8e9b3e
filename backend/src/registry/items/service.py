"""Records: create, fetch, update, history, explore, permissions. Core SQL throughout; one
transaction per write."""

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
from sqlalchemy import Select, and_, bindparam, insert, select, tuple_, update

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
from registry.db.engine import Connection, Database
from registry.db.models import item_group_roles, item_history, items
from registry.errors import FieldError, Forbidden, NotFound, PreconditionFailed, PreconditionRequired, ValidationFailed
from registry.http import decode_json
from registry.items.idempotency import IdempotencyClaim
from registry.items.schemas import History, HistoryEntry, Item, ItemPage, ItemUpdate, Permissions, SortOrder, Summary
from registry.items.subtypes import SUBTYPES, Subtype, search_text

CREATED_REASON = "Created"
# The largest revision the database holds (a 32-bit integer column).
MAX_REVISION = 2**31 - 1

# In the order of the structs' fields, so that a row's first values build the struct positionally.
_ITEM_COLUMNS = (*(items.c[name] for name in Item.__struct_fields__), items.c.general_roles)
_SUMMARY_COLUMNS = tuple(items.c[name] for name in Summary.__struct_fields__)
_encoder = msgspec.json.Encoder()
SORT_COLUMNS = {"created_at": items.c.created_at, "updated_at": items.c.updated_at, "display_name": items.c.sort_name}

# The statements every request makes are built once, with bind parameters, and reused.

# A record with the caller's group grants on it, one row per grant (none: one row, roles NULL).
# (The grants are joined on the record's id with "group in the user's groups" as a condition, not
# as a join of grants and memberships: SQLite would build that join for all of the user's
# grants first, on every fetch.)
ITEM_WITH_GRANTS = (
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
# The same, holding the record's row until the transaction ends (on SQLite the one writer does).
_ITEM_WITH_GRANTS_LOCKED = ITEM_WITH_GRANTS.with_for_update(of=items)
# A new revision, if the record is still at the revision the change was made from.
_UPDATE_REVISION = (
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


_INSERT_ITEM = insert(items)
_INSERT_HISTORY = insert(item_history)


@functools.cache
def _readable_refs(kind: Readability, count: int) -> Select[Any]:
    """Which of `count` ids (parameters id0, id1, …) name records the user may read, and their subtypes."""
    ids = [bindparam(f"id{n}", type_=items.c.id.type) for n in range(count)]
    return select(items.c.id, items.c.item_subtype).where(items.c.id.in_(ids), readable_where(kind))


def parse_item_id(value: str) -> uuid.UUID:
    """Ids are UUIDs; anything else names no record."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(f"There is no record with id {value!r}.") from None


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


async def check_refs(conn: Connection, principal: Principal, subtype: Subtype, data: msgspec.Struct) -> None:
    """Each ref must name a record of the right subtype that the caller may read.

    Missing and unreadable records get the same answer, so a ref reveals nothing.
    """
    refs = subtype.refs(data)
    if not refs:
        return
    ids = sorted({uuid.UUID(ref_id) for _, ref_id, _ in refs})
    parameters: dict[str, Any] = {f"id{n}": ref_id for n, ref_id in enumerate(ids)}
    rows = await conn.rows(_readable_refs(readability(principal), len(ids)), parameters | {READER: principal.username})
    found = {str(row.id): row.item_subtype for row in rows}
    errors = []
    for field, ref_id, target in refs:
        label = SUBTYPES[target].label.lower()
        if ref_id not in found:
            errors.append(FieldError(field, f"No {label} with this id exists that you can read. Pick one from the list."))
        elif found[ref_id] != target:
            errors.append(FieldError(field, f"This record is {_with_article(SUBTYPES[found[ref_id]].label.lower())}, not {_with_article(label)}."))
    if errors:
        raise ValidationFailed(errors)


def _with_article(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _derived_columns(data: dict[str, Any]) -> dict[str, Any]:
    name = data["display_name"]
    return {"display_name": name, "sort_name": name.lower(), "search_text": search_text(data)}


async def create_item(
    db: Database, principal: Principal, subtype: Subtype, data: msgspec.Struct, idempotency: IdempotencyClaim | None = None
) -> bytes:
    """Create the record with its first history entry (and its Idempotency-Key) in one
    transaction; returns the encoded 201 body (what an idempotent retry replays)."""
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
    async with db.write() as conn:
        await check_refs(conn, principal, subtype, data)
        await conn.execute(_INSERT_ITEM, row)
        await conn.execute(_INSERT_HISTORY, {"item_id": item.id, "revision": 1, "at": now, "by": principal.username, "reason": CREATED_REASON, "data": stored})
        if idempotency is not None:
            await idempotency.record(conn, item.id, body, now)
    return body


async def _load_with_decision(conn: Connection, principal: Principal, item_id: uuid.UUID, *, lock: bool = False) -> tuple[Any, Decision]:
    """One statement: the record and the caller's group grants on it (`lock`: holding the
    record's row until the caller's transaction ends)."""
    statement = _ITEM_WITH_GRANTS_LOCKED if lock else ITEM_WITH_GRANTS
    rows = await conn.rows(statement, {"item_id": item_id, READER: principal.username})
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


async def authorize(conn: Connection, principal: Principal, item_id: uuid.UUID, action: str, *, lock: bool = False) -> Any:  # noqa: ANN401
    """The record, if `principal` may do `action` with it: 404 when it does not exist, else 403.
    `lock`: in a write transaction, the record's row is held until it ends."""
    row, decision = await _load_with_decision(conn, principal, item_id, lock=lock)
    if not getattr(decision.actions, action):
        raise Forbidden(_REFUSALS[action])
    return row


async def get_item(db: Database, principal: Principal, item_id: uuid.UUID) -> Item:
    async with db.read() as conn:
        return _item(await authorize(conn, principal, item_id, "view"))


async def permissions(db: Database, principal: Principal, item_id: uuid.UUID) -> Permissions:
    async with db.read() as conn:
        _, decision = await _load_with_decision(conn, principal, item_id)
    return Permissions(
        item_id=item_id,
        general_roles=general_role_names(principal.roles),
        item_roles=item_role_names(decision.item_roles),
        actions=decision.actions,
    )


_STRONG_ETAG = re.compile(r'^"([0-9]{1,10})"$')


def _expected_revision(if_match: str) -> int:
    """If-Match must be exactly one strong `"<revision>"`; anything else cannot match."""
    match = _STRONG_ETAG.match(if_match.strip())
    if match is None or int(match[1]) > MAX_REVISION:
        raise PreconditionFailed('If-Match must be the record\'s ETag, e.g. "3". Fetch the record again and retry.')
    return int(match[1])


async def update_item(db: Database, principal: Principal, item_id: uuid.UUID, body: bytes, if_match: str | None) -> Item:
    """A new revision of `data`, with its history entry, if `If-Match` names the current revision.

    Checks run in the contract's order: 404, 403, 428, 422, 412.
    """
    async with db.write() as conn:
        row, decision = await _load_with_decision(conn, principal, item_id)
        if not decision.actions.edit:
            raise Forbidden(_REFUSALS["edit"])
        if if_match is None:
            raise PreconditionRequired('Send If-Match with the record\'s ETag (e.g. If-Match: "3") so no change is lost.')
        change = decode_json(body, ItemUpdate)
        subtype = SUBTYPES[row.item_subtype]
        data = subtype.decode(bytes(change.data))
        await check_refs(conn, principal, subtype, data)
        expected = _expected_revision(if_match)
        stored = subtype.to_builtins(data)
        now = _utcnow()
        changed = await conn.rows(
            _UPDATE_REVISION,
            {"item_id": item_id, "expected": expected, "revision": expected + 1, "updated_at": now, "data": stored, **_derived_columns(stored)},
        )
        if not changed:
            raise PreconditionFailed(
                f"The record has changed since you read it (it is at revision {row.revision}, not {expected}). "
                "Fetch it again, reapply your change and retry."
            )
        await conn.execute(
            _INSERT_HISTORY, {"item_id": item_id, "revision": expected + 1, "at": now, "by": principal.username, "reason": change.reason, "data": stored}
        )
    return _item(row, updated_at=now, revision=expected + 1, data=stored)


async def history(conn: Connection, principal: Principal, item_id: uuid.UUID) -> History:
    await authorize(conn, principal, item_id, "view")
    rows = await conn.rows(_HISTORY, {"item_id": item_id})
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


@functools.lru_cache(maxsize=256)
def list_query(sort: SortOrder, kind: Readability, by_subtype: bool, by_owner: bool, by_text: bool, after: bool) -> Select[Any]:
    """The list query for one shape of request; the values, the row count (`rows`) included,
    are bind parameters."""
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
    return statement.order_by(*order).limit(bindparam("rows"))


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
    # One more than the page: whether there is a next page.
    parameters["rows"] = query.limit + 1
    statement = list_query(
        query.sort,
        readability(principal),
        query.subtype is not None,
        query.owner is not None,
        query.q is not None,
        query.cursor is not None,
    )
    # A search may read many records: it takes its turn among the connections searches may hold.
    async with db.read(may_run_long=query.q is not None) as conn:
        rows = await conn.rows(statement, parameters)
    page, more = rows[: query.limit], len(rows) > query.limit
    next_cursor = encode_cursor(query, page[-1][_SORT_VALUE_AT[query.sort.lstrip("-")]], page[-1][0]) if more else None
    return ItemPage(
        items=[Summary(*row[:_SUMMARY_FIELD_COUNT]) for row in page],
        next_cursor=next_cursor,
    )
