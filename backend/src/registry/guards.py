"""Route guards: plain functions over the principal the token carries."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.types import Guard

from registry.access.roles import GENERAL_ROLE_NAMES, GeneralRole
from registry.errors import Forbidden


def requires(role: GeneralRole) -> Guard:
    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if not connection.user.has(role):
            raise Forbidden(f"This needs the {GENERAL_ROLE_NAMES[role]} role. Ask a registry administrator for it.")

    return guard
