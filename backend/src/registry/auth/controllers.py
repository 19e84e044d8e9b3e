"""Routes: sign in (bearer tokens, browser sessions, the identity provider), who am I, personal
access tokens, and user administration."""

from __future__ import annotations

import logging
import re
from typing import Annotated
from urllib.parse import urlencode

from litestar import Controller, Response, delete, get, patch, post, put
from litestar.datastructures import Cookie
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect

from registry import logs
from registry.access.roles import GeneralRole, Principal
from registry.auth import access_tokens, service, sessions
from registry.auth.oidc import CALLBACK_PATH, LOGIN_TIMEOUT, STATE_COOKIE, SignInFailed
from registry.auth.schemas import (
    AccessTokenCreated,
    AccessTokenInfo,
    AuthConfig,
    Me,
    OidcOffer,
    PasswordChange,
    PasswordReset,
    TokenCreate,
    TokenRequest,
    TokenResponse,
    User,
    UserCreate,
    UserUpdate,
)
from registry.auth.tokens import issue_token
from registry.errors import BadRequest, NotFound, ValidationFailed
from registry.guards import requires
from registry.http import ApiRequest, CurrentUser, decode_json, documents_body, problems, read_body, read_json

# A path of this site: one `/`, then anything but a second `/` or `\` (which browsers read as
# another host), and no control characters.
_LOCAL_PATH = re.compile(r"/(?![/\\])[^\x00-\x1f\x7f]{0,2047}")
# The state cookie goes only to the sign-in routes (login and callback).
_OIDC_PATH = CALLBACK_PATH.rsplit("/", 1)[0]


async def _sign_in(request: ApiRequest) -> tuple[Principal, int]:
    """The local account the body's username and password name, and its token generation."""
    credentials = await read_json(request, TokenRequest)
    address = request.client.host if request.client else "unknown"
    return await service.authenticate(request.db, request.settings, credentials.username, credentials.password, address)


def _public_base(request: ApiRequest) -> str:
    return request.settings.public_url or f"{request.url.scheme}://{request.url.netloc}"


def _state_cookie(request: ApiRequest, value: str, max_age: int) -> Cookie:
    return Cookie(key=STATE_COOKIE, value=value, path=_OIDC_PATH, httponly=True, samesite="lax", secure=sessions.secure(request.settings, request), max_age=max_age)


class AuthController(Controller):
    path = "/auth"
    tags = ["accounts"]

    @post(
        "/token",
        status_code=200,
        opt={"exclude_from_auth": True},
        dependencies=documents_body(TokenRequest),
        responses=problems(400, 401, 403, 413, 429),
        summary="Sign in: exchange a local account's username and password for a bearer token (for scripts)",
    )
    async def token(self, request: ApiRequest) -> TokenResponse:
        principal, generation = await _sign_in(request)
        ttl = request.settings.token_ttl
        return TokenResponse(access_token=issue_token(request.settings.secret_key, ttl, principal.username, generation), expires_in=ttl)

    @get("/config", opt={"exclude_from_auth": True}, summary="What the sign-in page offers: local accounts, the identity provider, or both")
    async def config(self, request: ApiRequest) -> AuthConfig:
        oidc = request.settings.oidc
        return AuthConfig(local=request.settings.local_accounts, oidc=OidcOffer(oidc.name) if oidc else None)

    @post(
        "/session",
        status_code=204,
        opt={"exclude_from_auth": True},
        dependencies=documents_body(TokenRequest),
        responses=problems(400, 401, 403, 413, 429),
        summary="Sign in the web app with a local account: sets the session cookie and its CSRF cookie",
    )
    async def start_session(self, request: ApiRequest) -> Response[None]:
        # A form on another site can post a body that reads as JSON (as text/plain), but cannot
        # set this content type without the browser asking first: no signing in a browser to an
        # account of someone else's choosing.
        if request.headers.get("content-type", "").partition(";")[0].strip().lower() != "application/json":
            raise BadRequest("Send the username and password as JSON, with Content-Type: application/json.")
        principal, _ = await _sign_in(request)
        secret = await sessions.start(request.db, request.settings, principal.username)
        return Response(None, status_code=204, cookies=sessions.cookies(request.settings, request, secret))

    @delete("/session", status_code=204, responses=problems(401, 403), summary="Sign out: ends this session and clears its cookies")
    async def end_session(self, user: CurrentUser, request: ApiRequest) -> Response[None]:
        if user.session is not None:
            await sessions.end(request.db, user.session)
        return Response(None, status_code=204, cookies=sessions.cleared_cookies(request.settings, request))

    @get(
        "/oidc/login",
        status_code=302,
        opt={"exclude_from_auth": True},
        responses=problems(404),
        summary="Sign in at the identity provider: redirects there (authorization code flow with PKCE)",
    )
    async def oidc_login(
        self,
        request: ApiRequest,
        next_path: Annotated[str, QueryParameter(name="next", description="Where to return after signing in: a path of this site.")] = "/",
    ) -> Redirect:
        provider = request.oidc
        if provider is None:
            raise NotFound("Sign-in through an identity provider is not set up here; sign in with a local account.")
        if not _LOCAL_PATH.fullmatch(next_path):
            raise ValidationFailed.one("next", "Give a path of this site, starting with a single /.")
        try:
            url, state = await provider.begin(request.db, _public_base(request) + CALLBACK_PATH, next_path)
        except SignInFailed as failure:
            return _failed_sign_in(failure)
        return Redirect(url, status_code=302, cookies=[_state_cookie(request, state, int(LOGIN_TIMEOUT.total_seconds()))])

    @get(
        "/oidc/callback",
        status_code=302,
        # The provider adds parameters of its own (`iss`, `session_state`, …): the query is read as a whole.
        opt={"exclude_from_auth": True, "any_query": True},
        responses=problems(404),
        summary="Where the identity provider returns: signs in and redirects to `next`, or to /signin?error=<code>",
    )
    async def oidc_callback(self, request: ApiRequest) -> Redirect:
        provider = request.oidc
        if provider is None:
            raise NotFound("Sign-in through an identity provider is not set up here.")
        query = {name: value for name, value in request.query_params.items() if isinstance(value, str)}
        try:
            username, next_path = await provider.finish(request.db, _public_base(request) + CALLBACK_PATH, query, request.cookies.get(STATE_COOKIE))
        except SignInFailed as failure:
            return _failed_sign_in(failure, clear=[_state_cookie(request, "", 0)])
        secret = await sessions.start(request.db, request.settings, username)
        logs.event(logging.INFO, "signed_in", username=username, via="oidc")
        return Redirect(next_path, status_code=302, cookies=[*sessions.cookies(request.settings, request, secret), _state_cookie(request, "", 0)])


def _failed_sign_in(failure: SignInFailed, clear: list[Cookie] | None = None) -> Redirect:
    logs.event(logging.WARNING, "oidc_sign_in_failed", code=failure.code, detail=str(failure))
    return Redirect("/signin?" + urlencode({"error": failure.code}), status_code=302, cookies=clear or [])


class AccountsController(Controller):
    tags = ["accounts"]

    @get("/me", responses=problems(401), summary="The signed-in user, with general roles (implied ones included) and groups")
    async def me(self, user: CurrentUser, request: ApiRequest) -> Me:
        async with request.db.read() as conn:
            return await service.me(conn, user.username)

    @put(
        "/me/password",
        status_code=204,
        dependencies=documents_body(PasswordChange),
        responses=problems(400, 401, 403, 413),
        summary="Change your password (local accounts); your other sessions end",
    )
    async def change_password(self, user: CurrentUser, request: ApiRequest) -> None:
        await service.change_own_password(request.db, user, await read_json(request, PasswordChange))

    @get("/me/tokens", responses=problems(401), summary="Your personal access tokens (never their secrets)")
    async def list_tokens(self, user: CurrentUser, request: ApiRequest) -> list[AccessTokenInfo]:
        async with request.db.read() as conn:
            return await access_tokens.list_tokens(conn, user.username)

    @post(
        "/me/tokens",
        dependencies=documents_body(TokenCreate),
        responses=problems(400, 401, 403, 413),
        summary="Create a personal access token; its secret (`token`) is shown only in this answer",
    )
    async def create_token(self, user: CurrentUser, request: ApiRequest) -> AccessTokenCreated:
        return await access_tokens.create_token(request.db, user.username, await read_json(request, TokenCreate))

    @delete("/me/tokens/{token_id:str}", status_code=204, responses=problems(401, 403, 404), summary="Revoke one of your personal access tokens")
    async def revoke_token(self, user: CurrentUser, token_id: FromPath[str], request: ApiRequest) -> None:
        await access_tokens.revoke_token(request.db, user.username, access_tokens.parse_token_id(token_id))

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

    @patch(
        "/users/{username:str}",
        guards=[requires(GeneralRole.ADMIN)],
        dependencies=documents_body(UserUpdate),
        responses=problems(400, 401, 403, 404, 413),
        summary="Change a user's name, email, roles or whether the account is active (registry-admin); deactivating ends its sessions",
    )
    async def update_user(self, user: CurrentUser, username: FromPath[str], request: ApiRequest) -> User:
        body = await read_body(request)
        await service.require_user(request.db, username)
        return await service.update_user(request.db, user.username, username, decode_json(body, UserUpdate))

    @put(
        "/users/{username:str}/password",
        guards=[requires(GeneralRole.ADMIN)],
        status_code=204,
        dependencies=documents_body(PasswordReset),
        responses=problems(400, 401, 403, 404, 413),
        summary="Set a local account's password (registry-admin); its sessions and bearer tokens end",
    )
    async def reset_password(self, username: FromPath[str], request: ApiRequest) -> None:
        body = await read_body(request)
        await service.require_user(request.db, username)
        await service.reset_password(request.db, username, decode_json(body, PasswordReset).password)
