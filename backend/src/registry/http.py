"""HTTP plumbing shared by every controller: strict JSON bodies, strict query strings, body
limits, and the one exception mapper that turns every error into a problem document."""

from __future__ import annotations

import errno
import logging
import socket
import time
from http import HTTPStatus
from typing import Any, TypeVar

import asyncpg.exceptions
import msgspec
from litestar import Request, Response
from litestar.datastructures import MutableScopeHeaders
from litestar.di import NamedDependency, Provide
from litestar.enums import ScopeType
from litestar.exceptions import HTTPException, ValidationException
from litestar.handlers import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.openapi import ResponseSpec
from litestar.routes import HTTPRoute
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from registry import logs
from registry.access.roles import Principal
from registry.auth.oidc import Provider
from registry.datastore.storage import FileStore
from registry.db.engine import Database, DatabaseBusy
from registry.errors import (
    BadRequest,
    FieldError,
    InsufficientStorage,
    PayloadTooLarge,
    Problem,
    RegistryError,
    ServiceUnavailable,
    ValidationFailed,
    field_errors_from_msgspec,
    join_path,
)
from registry.security import add_security_headers
from registry.settings import Settings

log = logs.log

T = TypeVar("T")

JSON_BODY_LIMIT = 1024 * 1024
PROBLEM_JSON = "application/problem+json"


class ApiRequest(Request[Principal, Any, Any]):
    """The request class of every API route: `user` is the signed-in Principal (set by
    `auth.credentials.Credentials`; absent on the routes that need no credential), and the app's
    database, file store, settings and identity provider, typed.

    A class of its own rather than the subscripted `Request[Principal, Any, Any]`: Litestar checks
    each handler argument with `isinstance` against its annotation, and against a subscripted
    generic that check raises and recovers on every request. Handlers reach the app's services
    here rather than through Litestar's `state` parameter, which builds a `State` for each call
    (docs/performance.md, "What each piece costs a fetch").
    """

    @property
    def db(self) -> Database:
        return self.app.state.db  # type: ignore[no-any-return]

    @property
    def files(self) -> FileStore:
        return self.app.state.files  # type: ignore[no-any-return]

    @property
    def settings(self) -> Settings:
        return self.app.state.settings  # type: ignore[no-any-return]

    @property
    def oidc(self) -> Provider | None:
        return self.app.state.oidc  # type: ignore[no-any-return]


async def read_body(request: Request[Any, Any, Any]) -> bytes:
    body = await request.body()
    if len(body) > JSON_BODY_LIMIT:
        raise PayloadTooLarge(f"The body is larger than {JSON_BODY_LIMIT} bytes.")
    return body


def decode_json(body: bytes, body_type: type[T]) -> T:
    """Decode strictly as `body_type`: 400 if it is not JSON, 422 naming the field otherwise."""
    try:
        decoded = msgspec.json.decode(body, type=body_type)
    except msgspec.ValidationError as error:
        raise ValidationFailed(field_errors_from_msgspec(error, body, body_type)) from None
    except msgspec.DecodeError:
        raise BadRequest("The body is not valid JSON. Send a JSON object with Content-Type: application/json.") from None
    except RecursionError:
        raise ValidationFailed.one("body", "The body nests too deeply.") from None
    # JSON can carry U+0000 only as an escape; no database stores it in text.
    if b"\\u0000" in body:
        errors = [FieldError(path, "Text cannot contain the NUL character (U+0000).") for path in _paths_with_nul(msgspec.json.decode(body))]
        if errors:
            raise ValidationFailed(errors)
    return decoded


async def read_json(request: Request[Any, Any, Any], body_type: type[T]) -> T:
    return decode_json(await read_body(request), body_type)


def _paths_with_nul(value: Any, path: str = "") -> list[str]:
    if isinstance(value, str):
        return [path or "body"] if "\x00" in value else []
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in ([join_path(path, key)] if "\x00" in key else []) + _paths_with_nul(item, join_path(path, key))]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _paths_with_nul(item, join_path(path, index))]
    return []


def documents_body(body_type: type) -> dict[str, Provide]:
    """Show `body_type` as the route's request body in the OpenAPI document.

    Handlers decode bodies themselves (`read_json`) so that errors name their fields and come in
    the contract's order (404 and 403 before 422). Litestar documents a body it finds on any
    dependency of the route; this dependency is never requested, so it never runs.
    """

    def request_body(data: Any) -> None:
        raise AssertionError("documentation only")

    request_body.__annotations__ = {"data": body_type, "return": None}

    return {"request_body": Provide(request_body, sync_to_thread=False)}


_STATUS_MEANINGS = {
    400: "The body is not JSON.",
    401: "No token, or an expired or invalid one: sign in again.",
    403: "Signed in, but not allowed.",
    404: "No such record, user or group.",
    409: "The name is already taken.",
    412: "The record changed since it was read (stale If-Match).",
    413: "The body is larger than 1 MiB.",
    416: "The Range asks for bytes beyond the end of the file.",
    422: "Invalid input; `errors` names each field (body path, query parameter or header).",
    428: "If-Match is missing.",
    429: "Too many failed sign-ins: wait as long as Retry-After says.",
    503: "The database cannot be reached.",
}


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the error statuses a route answers with problem documents.

    Every route may answer 422 (unknown query parameters), so it is always included.
    """
    return {
        status: ResponseSpec(Problem, description=_STATUS_MEANINGS[status], media_type=PROBLEM_JSON, generate_examples=False)
        for status in sorted({*statuses, 422})
    }


class BodyLimit(ASGIMiddleware):
    """413 for a body larger than its route takes, from Content-Length, before anything else
    looks at the request (the contract puts 413 before 401: Litestar itself checks the limit
    only when the handler reads the body, after authentication).

    JSON routes take 1 MiB; a route whose `opt` has `body_limit="files"` takes up to the file
    size limit of the settings (and counts the bytes as they stream, as Content-Length may be
    absent).
    """

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        limit = JSON_BODY_LIMIT
        if scope["route_handler"].opt.get("body_limit") == "files":
            limit = scope["app"].state.settings.max_file_size
        length = next((value for name, value in scope["headers"] if name == b"content-length"), b"")
        if length.isdigit() and int(length) > limit:
            await _send_problem(send, PayloadTooLarge(f"The body is larger than {limit} bytes. Send less data in one request."))
            return
        await next_app(scope, receive, send)


async def _send_problem(send: Send, error: RegistryError) -> None:
    body = _problem_encoder.encode(error.problem())
    headers = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
    # The client may still be sending a body nobody will read: close rather than reuse the connection.
    headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": error.status.value, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def check_query_parameters(request: Request[Any, Any, Any]) -> None:
    """The API's `before_request` hook: a query parameter the route does not declare is a 422,
    as is a repeated one or one holding U+0000 (which no database stores in text). A route whose
    `opt` says `any_query` reads its query as a whole (the identity provider's callback)."""
    if not request.scope["query_string"] or request.route_handler.opt.get("any_query"):
        return
    allowed: frozenset[str] = request.route_handler.opt.get("query_names", frozenset())
    seen: set[str] = set()
    errors: list[FieldError] = []
    for name, value in request.query_params.multi_items():
        if name not in allowed:
            errors.append(FieldError(name, "Unknown query parameter: remove it."))
        elif name in seen:
            errors.append(FieldError(name, "Give this query parameter once."))
        elif "\x00" in value:
            errors.append(FieldError(name, "Remove the NUL character (U+0000)."))
        seen.add(name)
    if errors:
        raise ValidationFailed(errors)


def _signed_in_user(request: ApiRequest) -> Principal:
    return request.user


# The API's dependencies: `user`, the signed-in Principal (set by `auth.credentials.Credentials`),
# which a handler takes as a parameter `user: CurrentUser`.
USER = {"user": Provide(_signed_in_user, sync_to_thread=False)}
CurrentUser = NamedDependency[Principal]


def record_query_names(route_handlers: list[tuple[BaseRouteHandler, Any]]) -> None:
    """Store each route's declared query parameter names in its `opt`, for `check_query_parameters`."""
    for handler, kwargs_model in route_handlers:
        handler.opt["query_names"] = frozenset(p.field_alias for p in kwargs_model.expected_query_params)


_problem_encoder = msgspec.json.Encoder()


def problem_response(error: RegistryError) -> Response[bytes]:
    return Response(
        _problem_encoder.encode(error.problem()),
        status_code=error.status.value,
        media_type=PROBLEM_JSON,
        headers=error.headers,
    )


def _from_litestar(exc: HTTPException) -> RegistryError:
    if isinstance(exc, ValidationException):
        return ValidationFailed(_litestar_field_errors(exc))
    error = RegistryError(exc.detail, headers=dict(exc.headers or {}))
    error.status = HTTPStatus(exc.status_code)
    return error


def _litestar_field_errors(exc: ValidationException) -> list[FieldError]:
    errors = [
        FieldError(str(item.get("key") or "body"), str(item.get("message") or "Invalid value."))
        for item in (exc.extra if isinstance(exc.extra, list) else [])
        if isinstance(item, dict)
    ]
    return errors or [FieldError("body", exc.detail)]


def exception_to_problem(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    """The one exception mapper (registered for every exception type)."""
    if isinstance(exc, RegistryError):
        error = exc
    elif isinstance(exc, HTTPException):
        error = _from_litestar(exc)
    elif (failure := infrastructure_failure(exc)) is not None:
        event, error = failure
        logs.event(logging.WARNING, event, method=request.method, path=request.url.path, error=exc.__class__.__name__)
    else:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        error = RegistryError("Something went wrong on the server. It has been logged; try again later.")
    if error.status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
        user = request.scope.get("user")
        logs.event(
            logging.WARNING,
            "refused",
            method=request.method,
            path=request.url.path,
            status=error.status.value,
            user=getattr(user, "username", None),
            reason=error.detail,
        )
    return problem_response(error)


_RETRY = {"Retry-After": "5"}
_UNREACHABLE = ("database_unavailable", "The database cannot be reached. Try again in a moment.")
_BUSY = ("database_busy", "The database is busy. Try again in a moment.")
_TOO_SLOW = ("statement_timeout", "The database took too long to answer, so the request was stopped. Try again in a moment, or narrow it down.")
# SQLSTATEs of a lost or refused connection (class 08), of a server shutting down, crashed or
# starting up, of one with no connection slot free, and of a statement cancelled by its timeout.
_SQLSTATES = {"57P01": _UNREACHABLE, "57P02": _UNREACHABLE, "57P03": _UNREACHABLE, "53300": _BUSY, "57014": _TOO_SLOW}
_SQLITE_ERRORS = {"SQLITE_CANTOPEN": _UNREACHABLE, "SQLITE_BUSY": _BUSY, "SQLITE_LOCKED": _BUSY, "SQLITE_INTERRUPT": _TOO_SLOW}
# What asyncpg raises when the connection goes in the middle of a statement (seen when the server
# shuts down), and what the network raises while connecting.
_CONNECTION_LOST = (asyncpg.exceptions.ConnectionDoesNotExistError, asyncpg.exceptions.InternalClientError, ConnectionError, socket.gaierror, TimeoutError)
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


def infrastructure_failure(exc: Exception) -> tuple[str, RegistryError] | None:
    """The log event and problem for a lost or refused database connection, a busy or timed-out
    database (503 with Retry-After) or a full disk (507); None for anything else (a bug: 500)."""
    for cause in _causes(exc):
        if isinstance(cause, OSError) and cause.errno in _DISK_FULL or getattr(cause, "sqlite_errorname", None) == "SQLITE_FULL":
            return "storage_full", InsufficientStorage("The server's storage is full. Tell the registry's operators; try again later.")
        if (kind := _database_failure(cause)) is not None:
            event, detail = kind
            return event, ServiceUnavailable(detail, headers=_RETRY)
    return None


def _database_failure(cause: BaseException) -> tuple[str, str] | None:
    if isinstance(cause, (PoolTimeoutError, DatabaseBusy)):
        return _BUSY
    sqlstate = getattr(cause, "sqlstate", None) or ""
    if sqlstate.startswith("08") or isinstance(cause, _CONNECTION_LOST):
        return _UNREACHABLE
    return _SQLSTATES.get(sqlstate) or _SQLITE_ERRORS.get(getattr(cause, "sqlite_errorname", None) or "")


def _causes(exc: BaseException) -> list[BaseException]:
    """`exc`, the driver's error SQLAlchemy wrapped in it, and what that was raised from or while
    handling (asyncpg's transaction, closing on a lost connection, raises "connection is closed"
    while the loss itself is being handled)."""
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in found and len(found) < 5:
        found.append(current)
        current = getattr(current, "orig", None) or current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return found


class Edge:
    """What wraps the whole application, so that it sees every request from its start to its
    answer, routing errors included: the request's log line (with its duration), the security
    headers (`security.add_security_headers`) and the `Allow` of automatic OPTIONS answers.
    Litestar's middleware runs only for requests that reach a route, and its `before_send` hooks
    see the answer but not when the request began.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_from_edge(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                add_security_headers(message, scope)
                if scope["method"] == "OPTIONS" and status == 204:
                    _allow_every_method(message, scope)
            await send(message)

        try:
            await self.app(scope, receive, send_from_edge)
        finally:
            logs.request(scope, status, started)


def _allow_every_method(message: Message, scope: Scope) -> None:
    """The `Allow` of Litestar's automatic OPTIONS answer names every method of the path.
    (Litestar 2 lists only those of the first handler registered for a path:
    litestar-org/litestar#4169, fixed in 3.0.)"""
    template = scope.get("path_template")
    methods = next((route.methods for route in scope["litestar_app"].routes if isinstance(route, HTTPRoute) and route.path_format == template), None)
    if methods:
        MutableScopeHeaders.from_message(message)["Allow"] = ", ".join(sorted(methods))
