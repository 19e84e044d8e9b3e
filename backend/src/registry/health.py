"""`GET /health`: is this process up, and can it reach its database?"""

from __future__ import annotations

from typing import Literal

import msgspec
from litestar import get
from sqlalchemy import text

from registry.errors import ServiceUnavailable
from registry.http import ApiRequest, problems

_PING = text("SELECT 1")


class Health(msgspec.Struct):
    status: Literal["ok"]
    database: Literal["ok"]


@get("/health", opt={"exclude_from_auth": True}, responses=problems(503), tags=["operations"], summary="Liveness and database check")
async def health(request: ApiRequest) -> Health:
    # No asyncio timeout here: cancelling a query midway would hand its connection back to the
    # pool mid-operation. The engine's connect timeout bounds how long an unreachable database takes.
    try:
        async with request.db.read() as conn:
            await conn.rows(_PING)
    except Exception:  # any failure to answer SELECT 1 means the database is unusable to us
        raise ServiceUnavailable(
            "The database cannot be reached. Check REGISTRY_DATABASE_URL and that the database is running.",
            headers={"Retry-After": "5"},
        ) from None
    return Health(status="ok", database="ok")
