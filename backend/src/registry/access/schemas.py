"""Request and response bodies of access settings and groups."""

from __future__ import annotations

import datetime
import uuid
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

ItemRoleName = Literal["metadata-read", "metadata-write", "dataset-data-read", "dataset-data-write", "admin"]
RoleList = Annotated[list[ItemRoleName], Meta(max_length=5)]


class AccessUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """New access settings of a record. The owner is not part of them: it never changes."""

    general: Annotated[RoleList, Meta(description="Roles every user with registry-read gets.")]
    groups: Annotated[dict[uuid.UUID, RoleList], Meta(max_length=500, description="Roles per group id.")]


class AccessSettings(msgspec.Struct):
    owner: str
    general: list[ItemRoleName]
    groups: dict[uuid.UUID, list[ItemRoleName]]


class AccessChange(msgspec.Struct):
    general: list[ItemRoleName]
    groups: dict[uuid.UUID, list[ItemRoleName]]


class AccessLogEntry(msgspec.Struct):
    at: datetime.datetime
    by: str
    old: AccessChange
    new: AccessChange


class AccessLog(msgspec.Struct):
    entries: list[AccessLogEntry]


class GroupCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, Meta(min_length=1, max_length=128)]
    description: Annotated[str, Meta(max_length=4000)]


class Group(msgspec.Struct):
    id: uuid.UUID
    name: str
    description: str
    members: list[str]
