"""Access settings of records, their change log, and groups."""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from registry.access.roles import ITEM_ROLE_NAMES, Principal, granted_groups, item_role_names, item_roles_for_subtype
from registry.access.schemas import AccessChange, AccessLog, AccessLogEntry, AccessSettings, AccessUpdate, Group, GroupCreate
from registry.auth.schemas import USERNAME_PATTERN
from registry.db.engine import Connection, Database
from registry.db.models import group_members, groups, item_access_log, item_group_roles, items, users
from registry.errors import Conflict, FieldError, NotFound, ValidationFailed
from registry.http import decode_json
from registry.items.service import authorize

_ROLE_BY_NAME = {name: role for role, name in ITEM_ROLE_NAMES.items()}
_USERNAME = re.compile(USERNAME_PATTERN)


def _mask(names: list[str]) -> int:
    return sum({_ROLE_BY_NAME[name] for name in names})


async def _settings(conn: Connection, item_id: uuid.UUID, owner: str, general: int) -> AccessSettings:
    rows = await conn.rows(select(item_group_roles.c.group_id, item_group_roles.c.roles).where(item_group_roles.c.item_id == item_id))
    return AccessSettings(
        owner=owner,
        general=item_role_names(general),  # type: ignore[arg-type]
        groups={row.group_id: item_role_names(row.roles) for row in sorted(rows, key=lambda r: str(r.group_id))},  # type: ignore[misc]
    )


async def get_access(conn: Connection, principal: Principal, item_id: uuid.UUID) -> AccessSettings:
    row = await authorize(conn, principal, item_id, "manage_access")
    return await _settings(conn, item_id, row.owner, row.general_roles)


async def _validate(conn: Connection, subtype: str, change: AccessUpdate) -> None:
    """Only the subtype's roles, and only groups that exist (422 naming each offender)."""
    allowed = item_roles_for_subtype(subtype)
    errors: list[FieldError] = []

    def check_roles(names: list[str], path: str) -> None:
        for index, name in enumerate(names):
            if not _ROLE_BY_NAME[name] & allowed:
                errors.append(FieldError(f"{path}.{index}", f"{name} exists only on datasets."))

    check_roles(list(change.general), "general")
    existing = {row.id for row in await conn.rows(select(groups.c.id).where(groups.c.id.in_(change.groups)))} if change.groups else set()
    for group_id, names in change.groups.items():
        if group_id not in existing:
            errors.append(FieldError(f"groups.{group_id}", "There is no group with this id."))
        check_roles(list(names), f"groups.{group_id}")
    if errors:
        raise ValidationFailed(errors)


def _decode_access(body: bytes) -> AccessUpdate:
    try:
        return decode_json(body, AccessUpdate)
    except ValidationFailed as failed:
        # The one unknown field worth its own words: people expect to hand records over.
        failed.errors = [
            FieldError("owner", "The owner is fixed when the record is created and never changes.") if e.field == "owner" else e
            for e in failed.errors
        ]
        raise


async def put_access(db: Database, principal: Principal, item_id: uuid.UUID, body: bytes) -> AccessSettings:
    """Replace the access settings; the old and new ones go to the access log in the same transaction.

    404 and 403 come before anything about the body."""
    async with db.write() as conn:
        # The record's row is held until the change commits, so that the settings read as "old"
        # are those this change replaces, however many changes arrive at once.
        row = await authorize(conn, principal, item_id, "manage_access", lock=True)
        change = _decode_access(body)
        await _validate(conn, row.item_subtype, change)
        old = await _settings(conn, item_id, row.owner, row.general_roles)
        general = _mask(list(change.general))
        grants = {group_id: _mask(list(names)) for group_id, names in change.groups.items()}
        await conn.execute(update(items).where(items.c.id == item_id).values(general_roles=general, granted_groups=granted_groups(grants)))
        await conn.execute(delete(item_group_roles).where(item_group_roles.c.item_id == item_id))
        if grants:
            await conn.execute(
                insert(item_group_roles),
                [{"item_id": item_id, "group_id": group_id, "roles": roles} for group_id, roles in grants.items()],
            )
        new = await _settings(conn, item_id, row.owner, general)
        await conn.execute(
            insert(item_access_log).values(
                item_id=item_id,
                at=datetime.datetime.now(datetime.UTC),
                by=principal.username,
                old=_change(old),
                new=_change(new),
            )
        )
    return new


def _change(settings: AccessSettings) -> dict[str, Any]:
    return {"general": settings.general, "groups": {str(group_id): roles for group_id, roles in settings.groups.items()}}


async def access_log(conn: Connection, principal: Principal, item_id: uuid.UUID) -> AccessLog:
    await authorize(conn, principal, item_id, "manage_access")
    rows = await conn.rows(
        select(item_access_log).where(item_access_log.c.item_id == item_id).order_by(item_access_log.c.seq.desc())
    )
    return AccessLog(
        entries=[
            AccessLogEntry(at=r.at, by=r.by, old=AccessChange(**r.old), new=AccessChange(**r.new))  # type: ignore[arg-type]
            for r in rows
        ]
    )


def parse_group_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(f"There is no group with id {value!r}.") from None


async def list_groups(conn: Connection) -> list[Group]:
    found = {row.id: Group(id=row.id, name=row.name, description=row.description, members=[]) for row in await conn.rows(select(groups).order_by(groups.c.name))}
    for row in await conn.rows(select(group_members).order_by(group_members.c.username)):
        found[row.group_id].members.append(row.username)
    return list(found.values())


async def create_group(db: Database, new: GroupCreate) -> Group:
    group = Group(id=uuid.uuid4(), name=new.name, description=new.description, members=[])
    try:
        async with db.write() as conn:
            await conn.execute(
                insert(groups).values(id=group.id, name=group.name, description=group.description, created_at=datetime.datetime.now(datetime.UTC))
            )
    except IntegrityError:
        raise Conflict(f"The group name {new.name!r} is already taken. Choose another.") from None
    return group


async def _require_group_and_user(conn: Connection, group_id: uuid.UUID, username: str) -> None:
    if not await conn.rows(select(groups.c.id).where(groups.c.id == group_id)):
        raise NotFound(f"There is no group with id {group_id}.")
    # A name no account can have (too long, a NUL) names no user, and never reaches the database.
    if not _USERNAME.match(username) or not await conn.rows(select(users.c.username).where(users.c.username == username)):
        raise NotFound(f"There is no user {username!r}.")


async def add_member(db: Database, group_id: uuid.UUID, username: str) -> None:
    """Idempotent: adding a member twice leaves one membership."""
    try:
        async with db.write() as conn:
            await _require_group_and_user(conn, group_id, username)
            member = group_members.c.group_id == group_id, group_members.c.username == username
            if not await conn.rows(select(group_members.c.username).where(*member)):
                await conn.execute(insert(group_members).values(group_id=group_id, username=username))
    except IntegrityError:  # a concurrent request added the same membership first
        pass


async def remove_member(db: Database, group_id: uuid.UUID, username: str) -> None:
    """Idempotent: removing someone who is not a member changes nothing."""
    async with db.write() as conn:
        await _require_group_and_user(conn, group_id, username)
        await conn.execute(delete(group_members).where(group_members.c.group_id == group_id, group_members.c.username == username))


