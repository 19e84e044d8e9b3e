"""Roles and the one function that decides what a user may do with a record (DESIGN.md §2).

`evaluate()` is the rule. `readable_clause()` is the same rule for `view`, written as SQL so
lists are filtered in the database; tests/test_access_property.py checks that the two agree.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable, Mapping

import msgspec
from sqlalchemy import ColumnElement, Select, exists, false, or_, select, true

from registry.db.models import group_members, item_group_roles, items


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


def close_item(roles: int, subtype: str) -> ItemRole:
    return ItemRole(_close(roles, _ITEM_IMPLIES) & item_roles_for_subtype(subtype))


def general_role_names(roles: int) -> list[str]:
    return [name for role, name in GENERAL_ROLE_NAMES.items() if roles & role]


def item_role_names(roles: int) -> list[str]:
    return [name for role, name in ITEM_ROLE_NAMES.items() if roles & role]


class Principal(msgspec.Struct, frozen=True):
    """The signed-in user as the token says: name and general roles (closed under implication)."""

    username: str
    roles: GeneralRole

    def has(self, role: GeneralRole) -> bool:
        return bool(self.roles & role)


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
    if not principal.has(GeneralRole.READ):
        roles = ItemRole(0)
    elif principal.username == owner or principal.has(GeneralRole.ADMIN):
        roles = item_roles_for_subtype(subtype)
    else:
        granted = general
        for group_roles in member_group_roles:
            granted |= group_roles
        roles = close_item(granted, subtype)
    can_write = principal.has(GeneralRole.WRITE)
    is_dataset = subtype == DATASET
    return Decision(
        item_roles=roles,
        actions=Actions(
            view=bool(roles & ItemRole.METADATA_READ),
            edit=can_write and bool(roles & ItemRole.METADATA_WRITE),
            clone=can_write and bool(roles & ItemRole.METADATA_READ),
            manage_access=bool(roles & ItemRole.ADMIN),
            read_files=is_dataset and bool(roles & ItemRole.DATASET_DATA_READ),
            write_files=is_dataset and can_write and bool(roles & ItemRole.DATASET_DATA_WRITE),
        ),
    )


def member_group_roles_of(principal: Principal, item_id: ColumnElement[uuid.UUID]) -> Select[tuple[int]]:
    """Rows of the record's group grants for the groups `principal` belongs to."""
    return (
        select(item_group_roles.c.roles)
        .join(group_members, group_members.c.group_id == item_group_roles.c.group_id)
        .where(item_group_roles.c.item_id == item_id, group_members.c.username == principal.username)
    )


def readable_clause(principal: Principal) -> ColumnElement[bool]:
    """SQL for `evaluate(...).actions.view` on `items`.

    Every item role implies metadata-read, so a record is readable as soon as any role reaches
    the principal: no closure is needed in SQL, only "some role granted".
    """
    if not principal.has(GeneralRole.READ):
        return false()
    if principal.has(GeneralRole.ADMIN):
        return true()
    grants = member_group_roles_of(principal, items.c.id).where(item_group_roles.c.roles != 0)
    return or_(items.c.owner == principal.username, items.c.general_roles != 0, exists(grants))

