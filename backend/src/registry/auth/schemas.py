"""Request and response bodies of the accounts routes."""

from __future__ import annotations

import datetime
import uuid
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from registry.items.subtypes import EMAIL_PATTERN

USERNAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?!\n)$"
Username = Annotated[
    str,
    Meta(
        pattern=USERNAME_PATTERN,
        description="1–64 characters: letters, digits, `.`, `_` or `-`, starting with a letter or digit.",
    ),
]
Email = Annotated[str, Meta(pattern=EMAIL_PATTERN, max_length=320, extra_json_schema={"format": "email"})]
GeneralRoleName = Literal["registry-read", "registry-write", "registry-admin"]
MIN_PASSWORD_LENGTH = 12
Password = Annotated[str, Meta(min_length=MIN_PASSWORD_LENGTH, max_length=1024, description=f"At least {MIN_PASSWORD_LENGTH} characters.")]
DisplayName = Annotated[str, Meta(min_length=1, max_length=256)]
Roles = Annotated[list[GeneralRoleName], Meta(max_length=3)]
AccountSource = Literal["local", "oidc"]


class TokenRequest(msgspec.Struct, forbid_unknown_fields=True):
    username: Annotated[str, Meta(max_length=256)]
    password: Annotated[str, Meta(max_length=1024)]


class TokenResponse(msgspec.Struct):
    access_token: str
    expires_in: int
    token_type: Literal["bearer"] = "bearer"


class UserCreate(msgspec.Struct, forbid_unknown_fields=True):
    username: Username
    password: Password
    display_name: DisplayName
    email: Email
    roles: Roles


class UserUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """PATCH /users/{username}: the fields given change; the others stay."""

    display_name: DisplayName | UnsetType = UNSET
    email: Email | UnsetType = UNSET
    roles: Roles | UnsetType = UNSET
    active: bool | UnsetType = UNSET


class PasswordReset(msgspec.Struct, forbid_unknown_fields=True):
    password: Password


class PasswordChange(msgspec.Struct, forbid_unknown_fields=True):
    current_password: Annotated[str, Meta(max_length=1024)]
    new_password: Password


class User(msgspec.Struct):
    username: str
    display_name: str
    email: str
    roles: list[GeneralRoleName]
    active: bool
    source: AccountSource


class OidcOffer(msgspec.Struct):
    name: str


class AuthConfig(msgspec.Struct):
    """What the sign-in page offers."""

    local: bool
    oidc: OidcOffer | None


class TokenCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, Meta(min_length=1, max_length=100)]
    scope: Literal["read", "write"]
    expires_in_days: Annotated[int, Meta(ge=1, le=365)]


class AccessTokenInfo(msgspec.Struct):
    id: uuid.UUID
    name: str
    scope: Literal["read", "write"]
    created_at: datetime.datetime
    expires_at: datetime.datetime
    last_used_at: datetime.datetime | None


class AccessTokenCreated(msgspec.Struct):
    """The new token's secret is in `token`, shown only in this answer."""

    id: uuid.UUID
    name: str
    scope: Literal["read", "write"]
    created_at: datetime.datetime
    expires_at: datetime.datetime
    token: str


class GroupRef(msgspec.Struct):
    id: uuid.UUID
    name: str


class Me(msgspec.Struct):
    username: str
    display_name: str
    email: str
    roles: list[GeneralRoleName]
    groups: list[GroupRef]
    # Whether the password is kept here ("local") or at the identity provider ("oidc").
    source: AccountSource
