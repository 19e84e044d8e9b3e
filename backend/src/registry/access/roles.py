"""Roles and the one function that decides what a user may do with a record (DESIGN.md §2).

`evaluate()` is the rule. `readable_where()` is the same rule for `view`, written as SQL so
lists are filtered in the database; tests/test_access_property.py checks that the two agree.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

import msgspec
from sqlalchemy import Boolean, ColumnElement, Select, bindparam, false, func, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal

from registry.db.models import group_members, items


class GeneralRole(enum.IntFlag):
    READ = 1
    WRITE = 2
    ADMIN = 4


GENERAL_ROLE_NAMES: dict[GeneralRole, str] = {
    GeneralRole.READ: "registry-read",
    GeneralRole.WRITE: "registry-write",
    GeneralRole.ADMIN: "registry-admin",
}
_GENERAL_IMPLIES = {GeneralRole.READ: 0, GeneralRole.WRITE: GeneralRole.READ, GeneralRole.ADMIN: GeneralRole.WRITE}


class ItemRole(enum.IntFlag):
    METADATA_READ = 1
    METADATA_WRITE = 2
    DATASET_DATA_READ = 4
    DATASET_DATA_WRITE = 8
    ADMIN = 16


ITEM_ROLE_NAMES: dict[ItemRole, str] = {
    ItemRole.METADATA_READ: "metadata-read",
    ItemRole.METADATA_WRITE: "metadata-write",
    ItemRole.DATASET_DATA_READ: "dataset-data-read",
    ItemRole.DATASET_DATA_WRITE: "dataset-data-write",
    ItemRole.ADMIN: "admin",
}
ALL_ITEM_ROLES = ItemRole(sum(ITEM_ROLE_NAMES))
DATASET_ONLY_ROLES = ItemRole.DATASET_DATA_READ | ItemRole.DATASET_DATA_WRITE
_ITEM_IMPLIES = {
    ItemRole.METADATA_READ: 0,
    ItemRole.METADATA_WRITE: ItemRole.METADATA_READ,
    ItemRole.DATASET_DATA_READ: ItemRole.METADATA_READ,
    ItemRole.DATASET_DATA_WRITE: ItemRole.DATASET_DATA_READ,
    ItemRole.ADMIN: ALL_ITEM_ROLES,
}

DEFAULT_GENERAL_ACCESS = ItemRole.METADATA_READ
DATASET = "DATASET"


def _close(roles: int, implies: Mapping[int, int]) -> int:
    closed = roles
    while True:
        grown = closed
        for role, implied in implies.items():
            if closed & role:
                grown |= implied
        if grown == closed:
            return closed
        closed = grown


def close_general(roles: int) -> GeneralRole:
    return GeneralRole(_close(roles, _GENERAL_IMPLIES))


def item_roles_for_subtype(subtype: str) -> ItemRole:
    return ALL_ITEM_ROLES if subtype == DATASET else ALL_ITEM_ROLES & ~DATASET_ONLY_ROLES


# Closures of every set of item roles, for datasets and for the other subtypes: evaluate() runs
# on every request, and IntFlag arithmetic costs a microsecond per operation.
_CLOSED_ITEM_ROLES = {
    is_dataset: [ItemRole(_close(roles, _ITEM_IMPLIES) & item_roles_for_subtype(DATASET if is_dataset else "")) for roles in range(32)]
    for is_dataset in (True, False)
}


def close_item(roles: int, subtype: str) -> ItemRole:
    return _CLOSED_ITEM_ROLES[subtype == DATASET][int(roles) & ALL_ITEM_ROLES.value]


def general_role_names(roles: int) -> list[str]:
    return [name for role, name in GENERAL_ROLE_NAMES.items() if roles & role]


def item_role_names(roles: int) -> list[str]:
    return [name for role, name in ITEM_ROLE_NAMES.items() if roles & role]


class Principal(msgspec.Struct, frozen=True):
    """The signed-in user: name and general roles (closed under implication) as the database has
    them for this request, and the session the request came with, if it came with one."""

    username: str
    roles: GeneralRole
    # The SHA-256 of the session cookie's secret (auth.credentials), for ending this session.
    session: str | None = None

    def has(self, role: GeneralRole) -> bool:
        return int.__and__(self.roles, role) != 0  # plain int arithmetic: IntFlag's is slow


class Actions(msgspec.Struct, frozen=True):
    view: bool
    edit: bool
    clone: bool
    manage_access: bool
    read_files: bool
    write_files: bool


class Decision(msgspec.Struct, frozen=True):
    item_roles: ItemRole
    actions: Actions


def evaluate(
    principal: Principal,
    *,
    subtype: str,
    owner: str,
    general: int,
    member_group_roles: Iterable[int],
) -> Decision:
    """Effective item roles and allowed actions of `principal` on one record.

    `member_group_roles`: the record's group grants for the groups the principal belongs to.
    """
    is_dataset = subtype == DATASET
    if not principal.has(GeneralRole.READ):
        roles = 0
    elif principal.username == owner or principal.has(GeneralRole.ADMIN):
        roles = _CLOSED_ITEM_ROLES[is_dataset][_ALL]
    else:
        granted = general
        for group_roles in member_group_roles:
            granted |= group_roles
        roles = _CLOSED_ITEM_ROLES[is_dataset][granted & _ALL]
    can_write = principal.has(GeneralRole.WRITE)
    return Decision(
        item_roles=_CLOSED_ITEM_ROLES[is_dataset][roles],
        actions=Actions(
            view=int.__and__(roles, _METADATA_READ) != 0,
            edit=can_write and int.__and__(roles, _METADATA_WRITE) != 0,
            clone=can_write and int.__and__(roles, _METADATA_READ) != 0,
            manage_access=int.__and__(roles, _ADMIN) != 0,
            read_files=is_dataset and int.__and__(roles, _DATASET_DATA_READ) != 0,
            write_files=is_dataset and can_write and int.__and__(roles, _DATASET_DATA_WRITE) != 0,
        ),
    )


_ALL = ALL_ITEM_ROLES.value
_METADATA_READ, _METADATA_WRITE = ItemRole.METADATA_READ.value, ItemRole.METADATA_WRITE.value
_DATASET_DATA_READ, _DATASET_DATA_WRITE = ItemRole.DATASET_DATA_READ.value, ItemRole.DATASET_DATA_WRITE.value
_ADMIN = ItemRole.ADMIN.value


# The signed-in user's name in the SQL below. Statements are built once per shape and reused
# (building and keying a statement costs more than running it): the name is a parameter.
READER = "reader"


class Readability(enum.Enum):
    """How `readable_where` filters records for a principal."""

    NONE = "none"  # no registry-read: nothing
    ALL = "all"  # registry-admin: everything
    GRANTED = "granted"  # owner, general access or a group grant


def readability(principal: Principal) -> Readability:
    if not principal.has(GeneralRole.READ):
        return Readability.NONE
    return Readability.ALL if principal.has(GeneralRole.ADMIN) else Readability.GRANTED


class InReadersGroups(ColumnElement[bool]):
    """`group_id` is one of the groups of the user the parameter READER names.

    On PostgreSQL `group_id = ANY(ARRAY(SELECT ...))`: the user's groups are looked up once per
    statement, and the record's grants are then one probe of their primary key (a shared
    record's fetch cost it 77 µs, against 86 µs with `IN (SELECT ...)`, in pgbench on the
    benchmark's data). SQLite runs an `IN (SELECT ...)` once per statement anyway.
    """

    inherit_cache = True
    type = Boolean()
    # A condition in itself: SQLite needs no `= 1` after it.
    _is_implicitly_boolean = True
    _traverse_internals = [("group_id", InternalTraversal.dp_clauseelement), ("groups", InternalTraversal.dp_clauseelement)]

    def __init__(self, group_id: ColumnElement[uuid.UUID]) -> None:
        self.group_id = group_id
        self.groups = _readers_groups()


@compiles(InReadersGroups)
def _in_readers_groups(element: InReadersGroups, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.group_id.in_(element.groups), **kw)


@compiles(InReadersGroups, "postgresql")
def _in_readers_groups_postgresql(element: InReadersGroups, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{compiler.process(element.group_id, **kw)} = ANY(ARRAY({compiler.process(element.groups, **kw)}))"


class GrantedToReadersGroups(ColumnElement[bool]):
    """One of the groups in `granted` (a record's `granted_groups`) is a group of the user the
    parameter READER names.

    The user's groups are looked up once per statement; each record then costs a comparison of
    the short list on its own row, never a look-up in `item_group_roles`. That also keeps
    PostgreSQL's estimates true: a look-up per record, though only private records get there,
    is costed for every record (walking the sort's index through a million records: 10.3
    million against 0.53 million), which steered searches away from the walk; and a search
    reading its 1,700 matches took 87 ms with the look-up, 30 ms without."""

    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True
    _traverse_internals = [("granted", InternalTraversal.dp_clauseelement)]

    def __init__(self, granted: ColumnElement[Any]) -> None:
        self.granted = granted


def _readers_groups(group_id: ColumnElement[Any] = group_members.c.group_id) -> Select[tuple[Any]]:
    """The groups of the user the parameter READER names, as `group_id` gives each."""
    return select(group_id).where(group_members.c.username == bindparam(READER))


@compiles(GrantedToReadersGroups)
def _granted_to_readers_groups(element: GrantedToReadersGroups, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite keeps the list as JSON text of the ids' hex digits (models.GroupIds).
    groups = _readers_groups(func.lower(func.hex(group_members.c.group_id)))
    return f"EXISTS (SELECT 1 FROM json_each({compiler.process(element.granted, **kw)}) WHERE value IN ({compiler.process(groups, **kw)}))"


@compiles(GrantedToReadersGroups, "postgresql")
def _granted_to_readers_groups_postgresql(element: GrantedToReadersGroups, compiler: SQLCompiler, **kw: Any) -> str:
    # Never NULL (a record without grants has none): the condition keeps its meaning under NOT.
    return f"coalesce({compiler.process(element.granted, **kw)} && ARRAY({compiler.process(_readers_groups(), **kw)}), false)"


def granted_groups(grants: Mapping[uuid.UUID, int]) -> list[uuid.UUID] | None:
    """A record's `granted_groups` for its group grants (role bit sets by group id)."""
    return sorted(group_id for group_id, roles in grants.items() if roles) or None


def readable_where(kind: Readability) -> ColumnElement[bool]:
    """SQL for `evaluate(...).actions.view` on `items`, for users of `kind`; the user's name is
    the parameter READER.

    Every item role implies metadata-read, so a record is readable as soon as any role reaches
    the principal: no closure is needed in SQL, only "some role granted", which the record's
    `granted_groups` says for its groups.
    """
    if kind is Readability.NONE:
        return false()
    if kind is Readability.ALL:
        return true()
    return or_(items.c.owner == bindparam(READER), items.c.general_roles != 0, GrantedToReadersGroups(items.c.granted_groups))
