"""Guards for the general roles a route requires (Litestar guards; 403 otherwise)."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.types import Guard

from registry.access.roles import GENERAL_ROLE_NAMES, GeneralRole
from registry.errors import Forbidden


def requires(role: GeneralRole) -> Guard:
    """A guard: only users with `role` may call the route."""
    refusal = f"This needs the {GENERAL_ROLE_NAMES[role]} role. Ask a registry administrator for it."

    async def has_role(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if not connection.user.has(role):
            raise Forbidden(refusal)

    return has_role
