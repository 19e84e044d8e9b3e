"""Request and response bodies of the accounts routes."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

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


class TokenRequest(msgspec.Struct, forbid_unknown_fields=True):
    username: Annotated[str, Meta(max_length=256)]
    password: Annotated[str, Meta(max_length=1024)]


class TokenResponse(msgspec.Struct):
    access_token: str
    expires_in: int
    token_type: Literal["bearer"] = "bearer"


class UserCreate(msgspec.Struct, forbid_unknown_fields=True):
    username: Username
    password: Annotated[str, Meta(min_length=8, max_length=1024, description="At least 8 characters.")]
    display_name: Annotated[str, Meta(min_length=1, max_length=256)]
    email: Email
    roles: Annotated[list[GeneralRoleName], Meta(max_length=3)]


class User(msgspec.Struct):
    username: str
    display_name: str
    email: str
    roles: list[GeneralRoleName]


class GroupRef(msgspec.Struct):
    id: uuid.UUID
    name: str


class Me(msgspec.Struct):
    username: str
    display_name: str
    email: str
    roles: list[GeneralRoleName]
    groups: list[GroupRef]
