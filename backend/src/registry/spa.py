"""Serving the built single-page app: files from its folder, index.html for every client route."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from litestar import Response, Router, get, route
from litestar.datastructures import State
from litestar.enums import HttpMethod
from litestar.params import FromPath
from litestar.response import File

from registry.errors import NotFound

_NOT_BUILT = """<!doctype html><meta charset="utf-8"><title>Registry</title>
<h1>The web app has not been built</h1><p>Run <code>make run</code> from the repository root; it builds the app and serves it here.</p>"""


# On "/" there is no `path` part: the default stands, whatever the query string holds.
@get(["/", "/{path:path}"], include_in_schema=False, opt={"exclude_from_auth": True})
async def spa(state: State, path: FromPath[str] = "/") -> Response[str] | File:
    dist: Path = state.settings.spa_dir
    if path.startswith(("/api/", "/schema/")):
        raise NotFound(f"There is nothing at {path}.")
    requested = (dist / path.lstrip("/")).resolve()
    if path != "/" and requested.is_file() and requested.is_relative_to(dist.resolve()):
        return File(requested, content_disposition_type="inline", media_type=mimetypes.guess_type(requested.name)[0])
    index = dist / "index.html"
    if not index.is_file():
        return Response(_NOT_BUILT, media_type="text/html", status_code=503)
    # index.html names the hashed asset files of the current build: never cache it.
    return File(index, content_disposition_type="inline", media_type="text/html", headers={"Cache-Control": "no-cache"})


@route(
    "/api/{path:path}",
    http_method=[m for m in HttpMethod],
    include_in_schema=False,
    opt={"exclude_from_auth": True},
)
async def api_not_found(path: FromPath[str]) -> None:
    raise NotFound(f"There is no API route at /api{path}. See /schema/swagger for the routes.")


spa_router = Router(path="/", route_handlers=[spa, api_not_found])
