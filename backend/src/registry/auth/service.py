"""Users: create, look up, change, sign in, and the first administrator."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

import msgspec
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from registry.access.roles import GENERAL_ROLE_NAMES, GeneralRole, Principal, close_general, general_role_names
from registry.auth import limits, sessions
from registry.auth.passwords import hash_password, verify_password
from registry.auth.schemas import GroupRef, Me, PasswordChange, User, UserCreate, UserUpdate
from registry.db.engine import Connection, Database
from registry.db.models import group_members, groups, users
from registry.errors import Conflict, FieldError, Forbidden, NotAuthenticated, NotFound, ValidationFailed
from registry.items.subtypes import email_length_problem
from registry.settings import Settings

_ROLE_BY_NAME = {name: role for role, name in GENERAL_ROLE_NAMES.items()}
BOOTSTRAP_ADMIN = "admin"


def roles_from_names(names: list[str]) -> GeneralRole:
    return close_general(sum({_ROLE_BY_NAME[name] for name in names}))


def _user(row: Any) -> User:  # noqa: ANN401 - a row of `users`
    return User(row.username, row.display_name, row.email, general_role_names(row.roles), row.active, row.source)


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
        "active": True,
        "source": "local",
    }
    try:
        async with db.write() as conn:
            await conn.execute(insert(users).values(values))
    except IntegrityError:
        raise Conflict(f"The username {new.username!r} is already taken. Choose another.") from None
    return User(new.username, new.display_name, new.email, general_role_names(values["roles"]), True, "local")


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
    return Me(user.username, user.display_name, user.email, user.roles, [GroupRef(g.id, g.name) for g in member_of], user.source)


async def authenticate(db: Database, settings: Settings, username: str, password: str, address: str) -> tuple[Principal, int]:
    """The principal for a local account's credentials and the account's token generation (for
    a bearer JWT); 429 while this username or address is rate limited; 401 for a wrong password
    or a deactivated account."""
    if not settings.local_accounts:
        raise Forbidden("Local accounts are switched off here: sign in through your organisation in the web app, and use personal access tokens for scripts.")
    await limits.begin_attempt(db, settings, username, address)
    async with db.read() as conn:
        found = await conn.rows(select(users.c.password_hash, users.c.roles, users.c.active, users.c.token_generation).where(users.c.username == username))
    row = found[0] if found else None
    if not await verify_password(row.password_hash if row else None, password) or row is None:
        limits.failed(username, address)
        raise NotAuthenticated("Wrong username or password.")
    await limits.succeeded(db, username, address)
    if not row.active:
        raise NotAuthenticated("This account is deactivated. Ask a registry administrator.")
    return Principal(username=username, roles=GeneralRole(row.roles)), row.token_generation


async def require_user(db: Database, username: str) -> None:
    async with db.read() as conn:
        if not await conn.rows(select(users.c.username).where(users.c.username == username)):
            raise NotFound(f"There is no user {username!r}.")


async def update_user(db: Database, actor: str | None, username: str, change: UserUpdate) -> User:
    """An administrator's change of an account (`actor`: their username; None for the command
    line); deactivating it ends its sessions at once."""
    values: dict[str, Any] = {name: value for name in change.__struct_fields__ if (value := getattr(change, name)) is not msgspec.UNSET}
    if not values:
        raise ValidationFailed.one("body", "Give at least one of display_name, email, roles and active.")
    errors = []
    if "email" in values and (problem := email_length_problem(values["email"])) is not None:
        errors.append(FieldError("email", problem))
    if username == actor and values.get("active") is False:
        errors.append(FieldError("active", "You cannot deactivate your own account. Ask another administrator."))
    if "roles" in values:
        values["roles"] = int(roles_from_names(values["roles"]))
        if username == actor and not values["roles"] & GeneralRole.ADMIN:
            errors.append(FieldError("roles", "You cannot take registry-admin from yourself. Ask another administrator."))
    if errors:
        raise ValidationFailed(errors)
    async with db.write() as conn:
        changed = await conn.rows(update(users).where(users.c.username == username).values(values).returning(*users.c))
        if changed and values.get("active") is False:
            await sessions.end_all(conn, username)
    if not changed:
        raise NotFound(f"There is no user {username!r}.")
    return _user(changed[0])


async def reset_password(db: Database, username: str, password: str) -> None:
    """An administrator sets a local account's password: its sessions and bearer JWTs end."""
    async with db.read() as conn:
        found = await conn.rows(select(users.c.source).where(users.c.username == username))
    if not found:
        raise NotFound(f"There is no user {username!r}.")
    if found[0].source != "local":
        raise ValidationFailed.one("password", "This account signs in at the organisation's identity provider; it has no password here.")
    password_hash = await hash_password(password)
    async with db.write() as conn:
        await conn.execute(update(users).where(users.c.username == username).values(password_hash=password_hash, token_generation=users.c.token_generation + 1))
        await sessions.end_all(conn, username)


async def change_own_password(db: Database, principal: Principal, change: PasswordChange) -> None:
    """The signed-in user's new password; their other sessions end."""
    async with db.read() as conn:
        (row,) = await conn.rows(select(users.c.password_hash, users.c.source).where(users.c.username == principal.username))
    if row.source != "local":
        raise Forbidden("Your account signs in at your organisation's identity provider: change your password there.")
    if not await verify_password(row.password_hash, change.current_password):
        raise ValidationFailed.one("current_password", "This is not your current password.")
    if change.new_password == change.current_password:
        raise ValidationFailed.one("new_password", "Choose a password different from the current one.")
    password_hash = await hash_password(change.new_password)
    async with db.write() as conn:
        await conn.execute(update(users).where(users.c.username == principal.username).values(password_hash=password_hash))
        await sessions.end_all(conn, principal.username, keep=principal.session)


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
