"""Users: create, look up, sign in, and the first administrator."""

from __future__ import annotations

import datetime
import secrets

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from registry.access.roles import GENERAL_ROLE_NAMES, GeneralRole, Principal, close_general, general_role_names
from registry.auth import limits
from registry.auth.passwords import hash_password, verify_password
from registry.auth.schemas import GroupRef, Me, User, UserCreate
from registry.db.engine import Connection, Database
from registry.db.models import group_members, groups, users
from registry.errors import Conflict, NotAuthenticated, NotFound, ValidationFailed
from registry.items.subtypes import email_length_problem
from registry.settings import Settings

_ROLE_BY_NAME = {name: role for role, name in GENERAL_ROLE_NAMES.items()}
BOOTSTRAP_ADMIN = "admin"


def roles_from_names(names: list[str]) -> GeneralRole:
    return close_general(sum({_ROLE_BY_NAME[name] for name in names}))


def _user(row: object) -> User:
    return User(row.username, row.display_name, row.email, general_role_names(row.roles))  # type: ignore[attr-defined]


async def create_user(db: Database, new: UserCreate) -> User:
    if (problem := email_length_problem(new.email)) is not None:
        raise ValidationFailed.one("email", problem)
    password_hash = await hash_password(new.password)
    values = {
        "username": new.username,
        "password_hash": password_hash,
        "display_name": new.display_name,
        "email": new.email,
        "roles": int(roles_from_names(list(new.roles))),
        "created_at": datetime.datetime.now(datetime.UTC),
    }
    try:
        async with db.write() as conn:
            await conn.execute(insert(users).values(values))
    except IntegrityError:
        raise Conflict(f"The username {new.username!r} is already taken. Choose another.") from None
    return User(new.username, new.display_name, new.email, general_role_names(values["roles"]))


async def list_users(conn: Connection) -> list[User]:
    rows = await conn.rows(select(users).order_by(users.c.username))
    return [_user(row) for row in rows]


async def me(conn: Connection, username: str) -> Me:
    found = await conn.rows(select(users).where(users.c.username == username))
    if not found:
        raise NotFound(f"There is no user {username!r}.")
    row = found[0]
    member_of = await conn.rows(
        select(groups.c.id, groups.c.name)
        .join(group_members, group_members.c.group_id == groups.c.id)
        .where(group_members.c.username == username)
        .order_by(groups.c.name)
    )
    user = _user(row)
    return Me(user.username, user.display_name, user.email, user.roles, [GroupRef(g.id, g.name) for g in member_of])


async def authenticate(db: Database, settings: Settings, username: str, password: str, address: str) -> Principal:
    """The principal for these credentials; 429 while this username or address is rate limited."""
    await limits.begin_attempt(db, settings, username, address)
    async with db.read() as conn:
        found = await conn.rows(select(users.c.password_hash, users.c.roles).where(users.c.username == username))
    row = found[0] if found else None
    if not await verify_password(row.password_hash if row else None, password) or row is None:
        limits.failed(username, address)
        raise NotAuthenticated("Wrong username or password.")
    await limits.succeeded(db, username, address)
    return Principal(username=username, roles=GeneralRole(row.roles))


async def ensure_admin(db: Database, password: str | None) -> str | None:
    """On a first start with no users, create `admin`. Returns the generated password, if one was made."""
    async with db.read() as conn:
        if await conn.rows(select(users.c.username).limit(1)):
            return None
    generated = None if password else secrets.token_urlsafe(12)
    try:
        await create_user(
            db,
            UserCreate(
                username=BOOTSTRAP_ADMIN,
                password=password or generated or "",
                display_name="Administrator",
                email="admin@localhost.localdomain",
                roles=["registry-admin"],
            ),
        )
    except Conflict:  # another process created it first
        return None
    return generated
