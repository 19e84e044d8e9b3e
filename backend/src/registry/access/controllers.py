"""Routes: a record's access settings and their log, and groups."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, PathParameter

from registry.access import service
from registry.access.roles import GeneralRole
from registry.access.schemas import AccessLog, AccessSettings, AccessUpdate, Group, GroupCreate
from registry.guards import requires
from registry.http import ApiRequest, CurrentUser, documents_body, problems, read_body, read_json
from registry.items.controllers import ItemId
from registry.items.service import parse_item_id

GroupId = Annotated[str, PathParameter(title="Group id", description="The group's UUID.")]


class AccessController(Controller):
    path = "/items/{item_id:str}"
    tags = ["access"]

    @get("/access", responses=problems(401, 403, 404), summary="A record's access settings (item admins)")
    async def get_access(self, item_id: ItemId, user: CurrentUser, request: ApiRequest) -> AccessSettings:
        async with request.db.read() as conn:
            return await service.get_access(conn, user, parse_item_id(item_id))

    @put(
        "/access",
        dependencies=documents_body(AccessUpdate),
        responses=problems(400, 401, 403, 404, 413),
        summary="Replace a record's access settings (item admins); takes effect on the next request",
    )
    async def put_access(self, request: ApiRequest, user: CurrentUser, item_id: ItemId) -> AccessSettings:
        body = await read_body(request)
        return await service.put_access(request.db, user, parse_item_id(item_id), body)

    @get("/access-log", responses=problems(401, 403, 404), summary="Every change of a record's access settings, newest first")
    async def access_log(self, item_id: ItemId, user: CurrentUser, request: ApiRequest) -> AccessLog:
        async with request.db.read() as conn:
            return await service.access_log(conn, user, parse_item_id(item_id))


class GroupsController(Controller):
    path = "/groups"
    tags = ["groups"]

    @get(responses=problems(401), summary="Every group with its members")
    async def list_groups(self, request: ApiRequest) -> list[Group]:
        async with request.db.read() as conn:
            return await service.list_groups(conn)

    @post(
        guards=[requires(GeneralRole.ADMIN)],
        dependencies=documents_body(GroupCreate),
        responses=problems(400, 401, 403, 409, 413),
        summary="Create a group (registry-admin)",
    )
    async def create_group(self, request: ApiRequest) -> Group:
        return await service.create_group(request.db, await read_json(request, GroupCreate))

    @put(
        "/{group_id:str}/members/{username:str}",
        guards=[requires(GeneralRole.ADMIN)],
        status_code=204,
        responses=problems(401, 403, 404),
        summary="Add a member (registry-admin; idempotent)",
    )
    async def add_member(self, group_id: GroupId, username: FromPath[str], request: ApiRequest) -> None:
        await service.add_member(request.db, service.parse_group_id(group_id), username)

    @delete(
        "/{group_id:str}/members/{username:str}",
        guards=[requires(GeneralRole.ADMIN)],
        status_code=204,
        responses=problems(401, 403, 404),
        summary="Remove a member (registry-admin); their group roles end at once",
    )
    async def remove_member(self, group_id: GroupId, username: FromPath[str], request: ApiRequest) -> None:
        await service.remove_member(request.db, service.parse_group_id(group_id), username)

