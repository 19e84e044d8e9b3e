"""Request and response bodies of the records routes (the subtypes' `data` lives in subtypes.py)."""

from __future__ import annotations

import datetime
import uuid
from typing import Annotated, Any, Literal, Union

import msgspec
from msgspec import Meta

from registry.access.roles import Actions
from registry.items.subtypes import SUBTYPES

SortOrder = Literal["-created_at", "created_at", "-updated_at", "updated_at", "display_name", "-display_name"]


class ItemCreate(msgspec.Struct, forbid_unknown_fields=True):
    """The envelope of `POST /items`; `data` is decoded by the subtype's own Struct afterwards."""

    item_subtype: str
    data: msgspec.Raw


# What `POST /items` takes, as the OpenAPI document shows it: one variant per subtype, told apart
# by `item_subtype`. (Requests are decoded through ItemCreate, so errors name `data.…` paths.)
ItemCreateDocument = Union[  # type: ignore[valid-type]  # noqa: UP007
    tuple(
        msgspec.defstruct(
            f"New{subtype.data_type.__name__}",
            [("data", subtype.data_type)],
            tag_field="item_subtype",
            tag=subtype.name,
            forbid_unknown_fields=True,
        )
        for subtype in SUBTYPES.values()
    )
]


class ItemIdentity(msgspec.Struct):
    """The two fields of an encoded Item that its response headers need."""

    id: uuid.UUID
    revision: int


class ItemUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """The body of `PUT /items/{id}`: the whole new `data` and why it changed."""

    data: msgspec.Raw
    reason: Annotated[str, Meta(min_length=1, max_length=1000, description="Why the record changed (shown in its history).")]


class ItemUpdateDocument(msgspec.Struct, forbid_unknown_fields=True):
    """`PUT /items/{id}` as the OpenAPI document shows it: `data` is the record's subtype's fields."""

    data: Annotated[dict[str, Any], Meta(description="All fields of the record's subtype (see GET /subtypes).")]
    reason: Annotated[str, Meta(min_length=1, max_length=1000)]


class HistoryEntry(msgspec.Struct):
    revision: int
    at: datetime.datetime
    by: str
    reason: str
    data: dict[str, Any]


class History(msgspec.Struct):
    entries: list[HistoryEntry]


class Item(msgspec.Struct):
    id: uuid.UUID
    item_subtype: str
    item_category: str
    owner: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    revision: int
    data: dict[str, Any]


class Summary(msgspec.Struct):
    id: uuid.UUID
    item_subtype: str
    item_category: str
    display_name: str
    owner: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ItemPage(msgspec.Struct):
    items: list[Summary]
    next_cursor: str | None


class Permissions(msgspec.Struct):
    item_id: uuid.UUID
    general_roles: list[str]
    item_roles: list[str]
    actions: Actions


class SubtypeInfo(msgspec.Struct):
    subtype: str
    category: str
    label: str
    json_schema: dict[str, Any]
    ui_schema: dict[str, Any]
