"""`create_app`: the Litestar application, wired from its domains."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Router
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.routes import HTTPRoute

from registry import logs
from registry.access.controllers import AccessController, GroupsController
from registry.auth.controllers import AccountsController, AuthController
from registry.auth.credentials import Credentials
from registry.auth.oidc import Provider
from registry.datastore.controllers import FilesController
from registry.datastore.storage import LocalFileStore
from registry.db.engine import Database
from registry.health import health
from registry.http import JSON_BODY_LIMIT, USER, ApiRequest, BodyLimit, Edge, check_query_parameters, exception_to_problem, record_query_names
from registry.items.controllers import ItemsController
from registry.openapi import MsgspecStructSchemaPlugin, finish_openapi
from registry.runtime import tune_garbage_collector
from registry.settings import Settings
from registry.spa import spa_router

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def database(app: Litestar) -> AsyncIterator[None]:
        app.state.db = Database(settings.database_url, pool_size=settings.db_pool_size, statement_timeout=settings.statement_timeout)
        tune_garbage_collector()
        try:
            yield
        finally:
            await app.state.db.dispose()

    api = Router(
        path=API_PREFIX,
        route_handlers=[AuthController, AccountsController, ItemsController, AccessController, GroupsController, FilesController, health],
        request_max_body_size=JSON_BODY_LIMIT,
        request_class=ApiRequest,
        # The body limit first: the contract puts 413 before 401.
        middleware=[BodyLimit(), DefineMiddleware(Credentials)],
        dependencies=USER,
        before_request=check_query_parameters,
        security=[{"bearer": []}, {"session": []}],
    )
    app = Litestar(
        route_handlers=[api, spa_router],
        lifespan=[database],
        exception_handlers={Exception: exception_to_problem},
        plugins=[MsgspecStructSchemaPlugin()],
        openapi_config=OpenAPIConfig(
            title="Registry API",
            version="1.0.0",
            description=(
                "Register, explore and share research records. Scripts send `Authorization: Bearer <token>`: a personal access "
                "token (`rgt_…`, from your account page or POST /api/v1/me/tokens) or a token from POST /api/v1/auth/token."
            ),
            path="/schema",
            render_plugins=[JsonRenderPlugin(), SwaggerRenderPlugin()],
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(type="http", scheme="bearer", description="A personal access token (`rgt_…`) or a JWT from POST /api/v1/auth/token."),
                    "session": SecurityScheme(
                        type="apiKey",
                        name="registry_session",
                        security_scheme_in="cookie",
                        description="The web app's session; POST, PUT, PATCH and DELETE also need the X-CSRF-Token header.",
                    ),
                }
            ),
        ),
        debug=False,
        # The app logs through `registry.logs` alone (Litestar's own logging would start a second writer thread).
        logging_config=None,
    )
    app.state.settings = settings
    app.state.files = LocalFileStore(settings.files_dir)
    app.state.oidc = Provider(settings.oidc) if settings.oidc else None
    record_query_names([handler for route in app.routes if isinstance(route, HTTPRoute) for handler in route.route_handler_map.values()])
    finish_openapi(app)
    return app


def create_asgi_app() -> Edge:
    """What each server process runs: the application inside its edge (security headers, request log)."""
    settings = Settings.from_env()
    logs.configure(settings.log_level)
    return Edge(create_app(settings))
