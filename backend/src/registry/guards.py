"""General-role requirements of routes: declared in a route's `opt`, checked by the
token check (`auth.tokens.authenticate`) as soon as the token is verified.

(Not Litestar guards: Litestar 2 hands every guard call a copy of the route handler, which cost
a list page more than its access rule does in SQL.)
"""

from __future__ import annotations

from typing import Any

from registry.access.roles import GENERAL_ROLE_NAMES, GeneralRole, Principal
from registry.errors import Forbidden

_REQUIRED_ROLE = "required_role"


def requires(role: GeneralRole) -> dict[str, Any]:
    """A route's `opt`: only users with `role` may call it (403 otherwise)."""
    return {_REQUIRED_ROLE: role}


def check_required_role(principal: Principal, opt: dict[str, Any]) -> None:
    role: GeneralRole | None = opt.get(_REQUIRED_ROLE)
    if role is not None and not principal.has(role):
        raise Forbidden(f"This needs the {GENERAL_ROLE_NAMES[role]} role. Ask a registry administrator for it.")
