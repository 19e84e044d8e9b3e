"""Security headers on every response.

The web app loads only its own scripts (no inline script): the policy says so. The API
documentation page (Swagger UI) is the one exception: it loads its viewer from a CDN and starts
it with an inline script, so it gets a policy of its own. API answers are JSON, never a page:
they get the policy that lets them load nothing and be framed nowhere, and only the headers that
matter for a document that is not a page (a referrer or opener policy applies to pages; each
header costs every answer, and uvicorn checks each one).
"""

from __future__ import annotations

from litestar.types import Message, Scope

APP_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
API_DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https://cdn.jsdelivr.net; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)
_COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
_NAMES = {name.lower().encode() for name in [*_COMMON, "Content-Security-Policy"]}
# Encoded once: every response carries them, and header objects that decode and compare each
# existing header per change cost more than the rest of this hook.
_APP_HEADERS = [(name.lower().encode(), value.encode()) for name, value in [*_COMMON.items(), ("Content-Security-Policy", APP_POLICY)]]
_API_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", API_POLICY.encode()),
]
_API_DOCS_HEADERS = [*_APP_HEADERS[:-1], (b"content-security-policy", API_DOCS_POLICY.encode())]


def add_security_headers(message: Message, scope: Scope) -> None:
    """Onto a response's start (`http.Edge` calls it for every response, routing errors
    included). Its headers replace any of the same name."""
    path = scope["path"]
    ours = _API_HEADERS if path.startswith("/api/") else _API_DOCS_HEADERS if path.startswith("/schema/swagger") else _APP_HEADERS
    message["headers"] = [header for header in message.get("headers", ()) if bytes(header[0]).lower() not in _NAMES] + ours
