"""Routes: sign in, who am I, and user administration."""

from __future__ import annotations

from litestar import Controller, get, post

from registry.access.roles import GeneralRole
from registry.auth import service
from registry.auth.schemas import Me, TokenRequest, TokenResponse, User, UserCreate
from registry.auth.tokens import issue_token
from registry.guards import requires
from registry.http import ApiRequest, CurrentUser, documents_body, problems, read_json


class AuthController(Controller):
    path = "/auth"
    tags = ["accounts"]

    @post(
        "/token",
        status_code=200,
        opt={"exclude_from_auth": True},
        dependencies=documents_body(TokenRequest),
        responses=problems(400, 401, 413, 429),
        summary="Sign in: exchange a username and password for a bearer token",
    )
    async def token(self, request: ApiRequest) -> TokenResponse:
        credentials = await read_json(request, TokenRequest)
        address = request.client.host if request.client else "unknown"
        principal = await service.authenticate(request.db, request.settings, credentials.username, credentials.password, address)
        ttl = request.settings.token_ttl
        return TokenResponse(access_token=issue_token(request.settings.secret_key, ttl, principal.username, principal.roles), expires_in=ttl)


class AccountsController(Controller):
    tags = ["accounts"]

    @get("/me", responses=problems(401), summary="The signed-in user, with general roles (implied ones included) and groups")
    async def me(self, user: CurrentUser, request: ApiRequest) -> Me:
        async with request.db.read() as conn:
            return await service.me(conn, user.username)

    @get("/users", guards=[requires(GeneralRole.ADMIN)], responses=problems(401, 403), summary="Every user (registry-admin)")
    async def list_users(self, request: ApiRequest) -> list[User]:
        async with request.db.read() as conn:
            return await service.list_users(conn)

    @post(
        "/users",
        guards=[requires(GeneralRole.ADMIN)],
        dependencies=documents_body(UserCreate),
        responses=problems(400, 401, 403, 409, 413),
        summary="Create a user (registry-admin)",
    )
    async def create_user(self, request: ApiRequest) -> User:
        return await service.create_user(request.db, await read_json(request, UserCreate))
