"""Route guards: plain functions over the principal the token carries.

Hooks and guards are coroutines throughout: Litestar runs a sync one in a worker thread, a
thread hop per call on the hot path.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.types import Guard

from registry.access.roles import GENERAL_ROLE_NAMES, GeneralRole
from registry.errors import Forbidden


def requires(role: GeneralRole) -> Guard:
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if not connection.user.has(role):
            raise Forbidden(f"This needs the {GENERAL_ROLE_NAMES[role]} role. Ask a registry administrator for it.")

    return guard
