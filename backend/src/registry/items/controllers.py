"""Routes: subtypes, create, fetch, explore and permissions-check."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.params import Parameter

from registry.access.roles import GeneralRole, Principal
from registry.errors import FieldError, ValidationFailed
from registry.guards import requires
from registry.http import documents_body, problems, read_json
from registry.items import service
from registry.items.schemas import Item, ItemCreate, ItemCreateDocument, ItemPage, Permissions, SortOrder, SubtypeInfo
from registry.items.subtypes import SUBTYPES

SUBTYPE_INFOS = [
    SubtypeInfo(subtype=s.name, category=s.category, label=s.label, json_schema=s.json_schema, ui_schema=s.ui_schema)
    for s in SUBTYPES.values()
]
ItemId = Annotated[str, Parameter(title="Record id", description="The record's UUID.")]


def _with_etag(item: Item, status_code: int = 200, headers: dict[str, str] | None = None) -> Response[Item]:
    return Response(item, status_code=status_code, headers={"ETag": f'"{item.revision}"', **(headers or {})})


class ItemsController(Controller):
    tags = ["records"]

    @get("/subtypes", responses=problems(401), summary="What can be registered: per subtype a JSON Schema and a UI schema for forms")
    async def subtypes(self) -> list[SubtypeInfo]:
        return SUBTYPE_INFOS

    @post(
        "/items",
        guards=[requires(GeneralRole.WRITE)],
        dependencies=documents_body(ItemCreateDocument),
        responses=problems(400, 401, 403, 413),
        summary="Register a new record",
        description="`data` holds the subtype's fields (GET /subtypes gives its schema). To clone a record, fetch it, change its `data`, and post it here.",
    )
    async def create(self, request: Request[Any, Any, Any], principal: Principal, state: State) -> Response[Item]:
        envelope = await read_json(request, ItemCreate)
        subtype = SUBTYPES.get(envelope.item_subtype)
        if subtype is None:
            raise ValidationFailed.one("item_subtype", f"Unknown subtype. Use one of: {', '.join(SUBTYPES)}.")
        item = await service.create_item(state.db, principal, subtype, subtype.decode(bytes(envelope.data)))
        return _with_etag(item, 201, {"Location": f"/api/v1/items/{item.id}"})

    @get("/items/{item_id:str}", responses=problems(401, 403, 404), summary="One record")
    async def fetch(self, item_id: ItemId, principal: Principal, state: State) -> Response[Item]:
        async with state.db.read() as conn:
            return _with_etag(await service.get_item(conn, principal, service.parse_item_id(item_id)))

    @get("/items/{item_id:str}/permissions", responses=problems(401, 404), summary="What the signed-in user may do with a record")
    async def permissions(self, item_id: ItemId, principal: Principal, state: State) -> Permissions:
        async with state.db.read() as conn:
            return await service.permissions(conn, principal, service.parse_item_id(item_id))

    @get("/items", guards=[requires(GeneralRole.READ)], responses=problems(401, 403), summary="Explore the records you may view")
    async def explore(
        self,
        principal: Principal,
        state: State,
        subtype: Annotated[str | None, Parameter(description="Only records of this subtype.")] = None,
        q: Annotated[
            str | None,
            Parameter(min_length=1, max_length=256, description="Case-insensitive text in the display name or any text field."),
        ] = None,
        owner: Annotated[str | None, Parameter(max_length=64, description="Only records owned by this username.")] = None,
        sort: Annotated[SortOrder, Parameter(description="Order; names sort case-insensitively, ties by id.")] = "-created_at",
        limit: Annotated[int, Parameter(ge=1, le=100, description="Page size.")] = 25,
        cursor: Annotated[str | None, Parameter(max_length=1024, description="`next_cursor` of the previous page.")] = None,
    ) -> ItemPage:
        errors = []
        if subtype is not None and subtype not in SUBTYPES:
            errors.append(FieldError("subtype", f"Unknown subtype. Use one of: {', '.join(SUBTYPES)}."))
        if q is not None and any(ord(c) < 32 for c in q):
            errors.append(FieldError("q", "Search text cannot contain control characters."))
        if errors:
            raise ValidationFailed(errors)
        query = service.ListQuery(sort=sort, limit=limit, subtype=subtype, q=q, owner=owner, cursor=cursor)
        async with state.db.read() as conn:
            return await service.list_items(conn, principal, query)


