"""Routes: subtypes, create, fetch, update, history, explore and permissions-check."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, MediaType, Response, get, post, put
from litestar.datastructures import ResponseHeader
from litestar.params import HeaderParameter, PathParameter, QueryParameter
from sqlalchemy.exc import IntegrityError

from registry.access.roles import GeneralRole
from registry.errors import FieldError, ValidationFailed
from registry.guards import requires
from registry.http import ApiRequest, CurrentUser, decode_json, documents_body, problems, read_body
from registry.items import service
from registry.items.idempotency import KEY_PATTERN, IdempotencyClaim
from registry.items.schemas import (
    History,
    Item,
    ItemCreate,
    ItemCreateDocument,
    ItemIdentity,
    ItemPage,
    ItemUpdateDocument,
    Permissions,
    SortOrder,
    SubtypeInfo,
)
from registry.items.subtypes import SUBTYPES

SUBTYPE_INFOS = [
    SubtypeInfo(subtype=s.name, category=s.category, label=s.label, json_schema=s.json_schema, ui_schema=s.ui_schema)
    for s in SUBTYPES.values()
]
# Path ids are taken as text: one that is not a UUID names no record (404), not a bad request.
ItemId = Annotated[str, PathParameter(title="Record id", description="The record's UUID.")]
# Every response carrying an Item has the record's revision as a strong ETag.
ETAG = ResponseHeader(name="ETag", description='The revision, quoted: `"3"`. Send it back as If-Match to change the record.', documentation_only=True)


def _with_etag(item: Item) -> Response[Item]:
    return Response(item, headers={"ETag": f'"{item.revision}"'})


_item_id_and_revision = msgspec.json.Decoder(ItemIdentity)


def _created(body: bytes) -> Response[Item]:
    """The 201 of a create, from its encoded Item (the same bytes when a retry replays it)."""
    item = _item_id_and_revision.decode(body)
    headers = {"Location": f"/api/v1/items/{item.id}", "ETag": f'"{item.revision}"'}
    return Response(body, status_code=201, media_type=MediaType.JSON, headers=headers)


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
        response_description="The new record",
        response_headers=[ETAG, ResponseHeader(name="Location", description="The new record's address.", documentation_only=True)],
        summary="Register a new record",
        description="`data` holds the subtype's fields (GET /subtypes gives its schema). To clone a record, fetch it, change its `data`, and post it here.",
    )
    async def create(
        self,
        request: ApiRequest,
        user: CurrentUser,
        idempotency_key: Annotated[
            str | None,
            HeaderParameter(
                name="Idempotency-Key",
                description="Retry safely: the same key and body within 24 h return the first 201.",
                # Documented only: the handler checks it, so that a bad key is a 422 naming the header.
                schema_extra={"pattern": KEY_PATTERN, "minLength": 1, "maxLength": 255},
            ),
        ] = None,
    ) -> Response[Item]:
        body = await read_body(request)
        # The body first: a key compares bodies as JSON values, so a body that is not JSON is a 400 here.
        envelope = decode_json(body, ItemCreate)
        claim = IdempotencyClaim(user.username, idempotency_key, body) if idempotency_key is not None else None
        if claim is not None and (replay := await claim.stored_response(request.db)) is not None:
            return _created(replay)
        subtype = SUBTYPES.get(envelope.item_subtype)
        if subtype is None:
            raise ValidationFailed.one("item_subtype", f"Unknown subtype. Use one of: {', '.join(SUBTYPES)}.")
        data = subtype.decode(bytes(envelope.data))
        try:
            return _created(await service.create_item(request.db, user, subtype, data, claim))
        except IntegrityError:
            # A concurrent request with the same key committed first: answer as it did.
            if claim is None or (replay := await claim.stored_response(request.db)) is None:
                raise
            return _created(replay)

    @put(
        "/items/{item_id:str}",
        dependencies=documents_body(ItemUpdateDocument),
        responses=problems(400, 401, 403, 404, 412, 413, 428),
        response_headers=[ETAG],
        summary="Change a record: a new revision with its reason, if If-Match names the current one",
    )
    async def update(
        self,
        request: ApiRequest,
        user: CurrentUser,
        item_id: ItemId,
        if_match: Annotated[str | None, HeaderParameter(name="If-Match", description='The ETag you read, e.g. "3". Without it the answer is 428.')] = None,
    ) -> Response[Item]:
        body = await read_body(request)
        item = await service.update_item(request.db, user, service.parse_item_id(item_id), body, if_match)
        return _with_etag(item)

    @get("/items/{item_id:str}/history", responses=problems(401, 403, 404), summary="Every revision of a record, newest first")
    async def history(self, item_id: ItemId, user: CurrentUser, request: ApiRequest) -> History:
        async with request.db.read() as conn:
            return await service.history(conn, user, service.parse_item_id(item_id))

    @get("/items/{item_id:str}", responses=problems(401, 403, 404), response_headers=[ETAG], summary="One record")
    async def fetch(self, item_id: ItemId, user: CurrentUser, request: ApiRequest) -> Response[Item]:
        return _with_etag(await service.get_item(request.db, user, service.parse_item_id(item_id)))

    @get("/items/{item_id:str}/permissions", responses=problems(401, 404), summary="What the signed-in user may do with a record")
    async def permissions(self, item_id: ItemId, user: CurrentUser, request: ApiRequest) -> Permissions:
        return await service.permissions(request.db, user, service.parse_item_id(item_id))

    @get("/items", guards=[requires(GeneralRole.READ)], responses=problems(401, 403), summary="Explore the records you may view")
    async def explore(
        self,
        user: CurrentUser,
        request: ApiRequest,
        # The enum and the pattern are documentation: the checks below name the parameter in a 422.
        subtype: Annotated[str | None, QueryParameter(description="Only records of this subtype.", schema_extra={"enum": list(SUBTYPES)})] = None,
        q: Annotated[
            str | None,
            QueryParameter(
                min_length=1,
                max_length=256,
                description="Case-insensitive text in the display name or any text field.",
                schema_extra={"pattern": r"^[^\x00-\x1f]+$"},
            ),
        ] = None,
        owner: Annotated[str | None, QueryParameter(max_length=64, description="Only records owned by this username.")] = None,
        sort: Annotated[SortOrder, QueryParameter(description="Order; names sort case-insensitively, ties by id.")] = "-created_at",
        limit: Annotated[int, QueryParameter(ge=1, le=100, description="Page size.")] = 25,
        cursor: Annotated[str | None, QueryParameter(max_length=1024, description="`next_cursor` of the previous page.")] = None,
    ) -> ItemPage:
        errors = []
        if subtype is not None and subtype not in SUBTYPES:
            errors.append(FieldError("subtype", f"Unknown subtype. Use one of: {', '.join(SUBTYPES)}."))
        if q is not None and any(ord(c) < 32 for c in q):
            errors.append(FieldError("q", "Search text cannot contain control characters."))
        if errors:
            raise ValidationFailed(errors)
        query = service.ListQuery(sort=sort, limit=limit, subtype=subtype, q=q, owner=owner, cursor=cursor)
        return await service.list_items(request.db, user, query)


