"""Sign-in at the institution's OpenID Connect provider: the authorization code flow with PKCE,
`state` and `nonce`, run by the backend. Authlib does the protocol (discovery, the authorization
address, the token exchange, the ID token's signature against the provider's JWKS — fetched again
when a token names a key it has not seen, which is how a provider rotates keys — and its claims);
this module keeps the sign-in under way in the database, and turns the ID token's claims into a
Registry account.

Every failure raises `SignInFailed` with a short code; the callback sends the browser to
`/signin?error=<code>`, where the web app says what happened in plain words.
"""

from __future__ import annotations

import datetime
import logging
import re
from typing import Any

import httpx2
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import BaseApp
from authlib.integrations.base_client.async_app import AsyncOAuth2Mixin
from authlib.integrations.base_client.async_openid import AsyncOpenIDMixin
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc.errors import JoseError
from sqlalchemy import delete, insert, select, update

from registry import logs
from registry.access.roles import GENERAL_ROLE_NAMES, GeneralRole, close_general
from registry.auth.schemas import USERNAME_PATTERN
from registry.db.engine import Connection, Database
from registry.db.models import group_members, groups, oidc_logins, users
from registry.settings import OidcSettings

CALLBACK_PATH = "/api/v1/auth/oidc/callback"
STATE_COOKIE = "registry_oidc"
# How long a sign-in at the provider may take, from the Registry's redirect to the callback.
LOGIN_TIMEOUT = datetime.timedelta(minutes=10)
SCOPE = "openid profile email"
_ROLE_BY_NAME = {name: role for role, name in GENERAL_ROLE_NAMES.items()}
_USERNAME = re.compile(USERNAME_PATTERN)
# Clock difference allowed between the provider and the Registry when the ID token's times are checked.
_LEEWAY_SECONDS = 60


class SignInFailed(Exception):
    """A sign-in at the provider that cannot go on: `code` goes to /signin?error=, the detail to the log."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


class _ProviderClient(AsyncOAuth2Mixin, AsyncOpenIDMixin, BaseApp):
    """Authlib's OpenID Connect client for one provider (its framework integrations would bring
    their own session store; the Registry keeps sign-ins under way in its database)."""

    client_cls = AsyncOAuth2Client


class Provider:
    """The configured provider; one per process, so its discovery document and keys are fetched once."""

    def __init__(self, settings: OidcSettings) -> None:
        self.settings = settings
        self._client = _ProviderClient(
            framework=None,
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            server_metadata_url=f"{settings.issuer}/.well-known/openid-configuration",
            client_kwargs={
                "scope": SCOPE,
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": "client_secret_basic" if settings.client_secret else "none",
                "timeout": 10,
            },
        )

    async def _metadata(self) -> dict[str, Any]:
        try:
            metadata = await self._client.load_server_metadata()
        except (httpx2.HTTPError, ValueError) as error:
            # Not cached: the next sign-in tries again.
            self._client.server_metadata.pop("_loaded_at", None)
            raise SignInFailed("provider_unavailable", f"The identity provider did not answer ({error.__class__.__name__}).") from None
        if str(metadata.get("issuer", "")).rstrip("/") != self.settings.issuer:
            raise SignInFailed("provider_misconfigured", f"The provider's discovery document names the issuer {metadata.get('issuer')!r}, not {self.settings.issuer!r}.")
        return metadata

    async def begin(self, db: Database, redirect_uri: str, next_path: str) -> tuple[str, str]:
        """The provider's authorization address to send the browser to, and the `state` it carries.
        The discovery document is read again for each sign-in (they are rare), so that a provider
        that is down is noticed here rather than in the browser, and changed endpoints are seen."""
        self._client.server_metadata.pop("_loaded_at", None)
        await self._metadata()
        authorization = await self._client.create_authorization_url(redirect_uri)
        now = datetime.datetime.now(datetime.UTC)
        async with db.write() as conn:
            await conn.execute(delete(oidc_logins).where(oidc_logins.c.created_at < now - LOGIN_TIMEOUT))
            await conn.execute(
                insert(oidc_logins).values(
                    state=authorization["state"],
                    nonce=authorization["nonce"],
                    code_verifier=authorization["code_verifier"],
                    next_path=next_path,
                    created_at=now,
                )
            )
        return authorization["url"], authorization["state"]

    async def finish(self, db: Database, redirect_uri: str, query: dict[str, str], state_cookie: str | None) -> tuple[str, str]:
        """Check the provider's answer and sign the user in: the account's username and the path to return to."""
        if error := query.get("error"):
            if error == "access_denied":
                raise SignInFailed("access_denied", "The sign-in was cancelled at the identity provider.")
            raise SignInFailed("provider_error", f"The identity provider answered {error!r}: {query.get('error_description', '')}")
        state, code = query.get("state"), query.get("code")
        if not state or not code:
            raise SignInFailed("invalid_callback", "The callback came without `state` and `code`.")
        async with db.write() as conn:
            # Used once: a replayed callback finds nothing.
            found = await conn.rows(delete(oidc_logins).where(oidc_logins.c.state == state).returning(*oidc_logins.c))
        if not found or state_cookie != state:
            raise SignInFailed("state_mismatch", "The sign-in's state does not match one this browser started.")
        login = found[0]
        if login.created_at < datetime.datetime.now(datetime.UTC) - LOGIN_TIMEOUT:
            raise SignInFailed("login_expired", "The sign-in took longer than ten minutes.")
        metadata = await self._metadata()
        try:
            token = await self._client.fetch_access_token(redirect_uri=redirect_uri, code=code, code_verifier=login.code_verifier)
        except httpx2.HTTPError as error:
            raise SignInFailed("provider_unavailable", f"The token exchange failed ({error.__class__.__name__}).") from None
        except AuthlibBaseError as error:
            raise SignInFailed("token_exchange_failed", f"The provider refused the code: {error}") from None
        claims = await self._id_token_claims(token, login.nonce, metadata["issuer"])
        username = await _account(db, self.settings, claims)
        return username, login.next_path

    async def _id_token_claims(self, token: dict[str, Any], nonce: str, issuer: str) -> dict[str, Any]:
        if "id_token" not in token:
            raise SignInFailed("invalid_id_token", "The provider sent no ID token.")
        # Beyond the signature: the issuer, this client as the audience; Authlib checks the times and the nonce.
        options = {"iss": {"essential": True, "values": [issuer]}, "aud": {"essential": True, "values": [self.settings.client_id]}}
        try:
            return dict(await self._client.parse_id_token(token, nonce=nonce, claims_options=options, leeway=_LEEWAY_SECONDS))
        except httpx2.HTTPError as error:
            raise SignInFailed("provider_unavailable", f"The provider's keys could not be fetched ({error.__class__.__name__}).") from None
        except (JoseError, AuthlibBaseError, ValueError) as error:
            code = "nonce_mismatch" if "nonce" in str(error) else "invalid_id_token"
            raise SignInFailed(code, f"The ID token was refused: {error}") from None


def _claim(claims: dict[str, Any], path: str) -> Any:  # noqa: ANN401 - a claim's JSON value
    """A claim by name, or by a dotted path into nested objects (Keycloak's `realm_access.roles`)."""
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _names(claims: dict[str, Any], path: str, *, absent_means_none: bool = False) -> list[str]:
    value = _claim(claims, path)
    if value is None and absent_means_none:
        return []
    if isinstance(value, str):
        value = value.split()
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise SignInFailed("claim_missing", f"The ID token has no list of names in the claim {path!r}.")
    return value


async def _account(db: Database, settings: OidcSettings, claims: dict[str, Any]) -> str:
    """The Registry account of the signed-in person: created on the first sign-in; roles and group
    memberships set from the claims the operator maps, on every sign-in."""
    username = _claim(claims, settings.username_claim)
    if not isinstance(username, str) or not _USERNAME.match(username):
        raise SignInFailed("claim_missing", f"The ID token's {settings.username_claim!r} claim is missing or not a valid username.")
    roles = None
    if settings.roles_claim:
        roles = int(close_general(sum({_ROLE_BY_NAME[name] for name in _names(claims, settings.roles_claim) if name in _ROLE_BY_NAME})))
    # Providers leave a groups claim out for a person in no group (Entra ID, Okta's filters).
    group_names = _names(claims, settings.groups_claim, absent_means_none=True) if settings.groups_claim else None
    subject = f"{settings.issuer} {claims['sub']}"
    profile = {
        key: value[:limit]
        for key, claim, limit in (("display_name", "name", 256), ("email", "email", 320))
        if isinstance(value := claims.get(claim), str) and value
    }
    async with db.write() as conn:
        found = await conn.rows(select(users.c.username, users.c.active).where(users.c.oidc_subject == subject))
        if found:
            if not found[0].active:
                raise SignInFailed("account_deactivated", "This account is deactivated.")
            username = found[0].username
            changes = {**profile, **({"roles": roles} if roles is not None else {})}
            if changes:
                await conn.execute(update(users).where(users.c.username == username).values(changes))
        else:
            if await conn.rows(select(users.c.username).where(users.c.username == username)):
                raise SignInFailed("account_conflict", f"The username {username!r} belongs to another account here.")
            await conn.execute(
                insert(users).values(
                    username=username,
                    password_hash="",
                    display_name=profile.get("display_name", username),
                    email=profile.get("email", ""),
                    roles=roles if roles is not None else int(GeneralRole.READ),
                    created_at=datetime.datetime.now(datetime.UTC),
                    active=True,
                    source="oidc",
                    oidc_subject=subject,
                )
            )
            logs.event(logging.INFO, "user_created", username=username, source="oidc")
        if group_names is not None:
            await _set_memberships(conn, username, group_names)
    return username


async def _set_memberships(conn: Connection, username: str, group_names: list[str]) -> None:
    """Membership of exactly the named groups that exist here (others are the provider's own)."""
    wanted = {row.id for row in await conn.rows(select(groups.c.id).where(groups.c.name.in_(group_names)))}
    current = {row.group_id for row in await conn.rows(select(group_members.c.group_id).where(group_members.c.username == username))}
    if gone := current - wanted:
        await conn.execute(delete(group_members).where(group_members.c.username == username, group_members.c.group_id.in_(gone)))
    for group_id in wanted - current:
        await conn.execute(insert(group_members).values(group_id=group_id, username=username))
