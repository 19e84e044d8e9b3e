"""Sign-in at an OpenID Connect provider: the Registry's server against a real provider (the npm
`oidc-provider`, tests/oidc_provider.py), over HTTP, through the provider's own login and consent
pages. Every failure must end on /signin with a short code, never an error page or a loop."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from conftest import Api
from oidc_provider import Provider, sign_in_at_provider, start_provider
from sqlalchemy import update
from support import Server, free_port, start_server, stop_server

from registry.auth import oidc
from registry.db.engine import Database
from registry.db.models import oidc_logins
from registry.settings import OidcSettings, Settings, SettingsError

LOGIN = "/api/v1/auth/oidc/login"


@pytest.fixture(scope="module")
def provider_and_server(migrated_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Provider, Server]]:
    port = free_port()
    provider = start_provider([f"http://127.0.0.1:{port}/api/v1/auth/oidc/callback"])
    folder = tmp_path_factory.mktemp("oidc")
    server = start_server(
        migrated_url,
        folder / "server.log",
        port=port,
        REGISTRY_OIDC_ISSUER=provider.issuer,
        REGISTRY_OIDC_CLIENT_ID=provider.client_id,
        REGISTRY_OIDC_CLIENT_SECRET=provider.client_secret,
        REGISTRY_OIDC_NAME="Sign in with Test Provider",
        REGISTRY_OIDC_ROLES_CLAIM="registry_roles",
        REGISTRY_OIDC_GROUPS_CLAIM="registry_groups",
    )
    try:
        yield provider, server
    finally:
        stop_server(server)
        provider.stop()


@pytest.fixture
def provider(provider_and_server: tuple[Provider, Server]) -> Iterator[Provider]:
    running = provider_and_server[0]
    yield running
    if running.process is None or running.process.poll() is not None:  # a test stopped it
        running.restart()


@pytest.fixture
def oidc_server(provider_and_server: tuple[Provider, Server]) -> Server:
    return provider_and_server[1]


class Browser:
    """A browser at the Registry: a cookie jar and no redirects followed, to see each step."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.url, timeout=30)

    def start(self, next_path: str = "/explore") -> str:
        """Open the sign-in; returns the provider's authorization address it is sent to."""
        response = self.http.get(LOGIN, params={"next": next_path})
        assert response.status_code == 302, response.text
        return response.headers["location"]

    def callback(self, url: str) -> httpx.Response:
        response = self.http.get(url)
        assert response.status_code == 302, response.text
        return response

    def sign_in(self, login: str, next_path: str = "/explore", *, consent: bool = True) -> httpx.Response:
        return self.callback(sign_in_at_provider(self.start(next_path), login, consent=consent))


def error_code(response: httpx.Response) -> str | None:
    location = urlsplit(response.headers["location"])
    assert location.path == "/signin", response.headers["location"]
    return parse_qs(location.query)["error"][0]


def test_the_sign_in_page_offers_the_provider(oidc_server: Server) -> None:
    assert httpx.get(f"{oidc_server.url}/api/v1/auth/config").json() == {"local": True, "oidc": {"name": "Sign in with Test Provider"}}


def test_the_redirect_carries_pkce_state_and_nonce(oidc_server: Server, provider: Provider) -> None:
    browser = Browser(oidc_server)
    location = browser.start()
    assert location.startswith(f"{provider.issuer}/")
    query = parse_qs(urlsplit(location).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0] and query["response_type"] == ["code"]
    assert query["redirect_uri"] == [f"{oidc_server.url}/api/v1/auth/oidc/callback"]
    assert set(query["scope"][0].split()) == {"openid", "profile", "email"}
    assert browser.http.cookies.get("registry_oidc") == query["state"][0]


def test_a_first_sign_in_creates_the_account_with_roles_and_groups_from_claims(oidc_server: Server, admin: Api) -> None:
    hydrology = admin.post("/groups", json={"name": "Hydrology", "description": "from the provider's groups claim"}).json()
    browser = Browser(oidc_server)
    signed_in = browser.sign_in("alice", "/items/some-record?tab=history")
    assert signed_in.headers["location"] == "/items/some-record?tab=history"
    assert {"registry_session", "registry_csrf"} <= set(browser.http.cookies.keys())
    me = browser.http.get("/api/v1/me").json()
    assert (me["username"], me["display_name"], me["email"], me["source"]) == ("alice", "Alice Federated", "alice@example.org", "oidc")
    assert me["roles"] == ["registry-read", "registry-write"]
    assert [g["id"] for g in me["groups"]] == [hydrology["id"]]
    # No password lives here for a federated account.
    csrf = {"X-CSRF-Token": browser.http.cookies["registry_csrf"]}
    assert browser.http.put("/api/v1/me/password", json={"current_password": "", "new_password": "a-long-password"}, headers=csrf).status_code == 403
    assert admin.put("/users/alice/password", json={"password": "a-long-password"}).status_code == 422
    assert httpx.post(f"{oidc_server.url}/api/v1/auth/token", json={"username": "alice", "password": ""}).status_code == 401


def test_roles_and_groups_follow_the_claims_at_each_sign_in(oidc_server: Server, admin: Api) -> None:
    Browser(oidc_server).sign_in("alice")
    assert admin.patch("/users/alice", json={"roles": []}).status_code == 200
    group = next(g for g in admin.get("/groups").json() if g["name"] == "Hydrology")
    assert admin.delete(f"/groups/{group['id']}/members/alice").status_code == 204
    browser = Browser(oidc_server)
    browser.sign_in("alice")
    me = browser.http.get("/api/v1/me").json()
    assert me["roles"] == ["registry-read", "registry-write"] and [g["name"] for g in me["groups"]] == ["Hydrology"]
    assert [u for u in admin.get("/users").json() if u["username"] == "alice"][0]["source"] == "oidc"


def test_denied_consent_ends_on_the_sign_in_page(oidc_server: Server) -> None:
    assert error_code(Browser(oidc_server).sign_in("alice", consent=False)) == "access_denied"


def test_a_missing_claim_ends_on_the_sign_in_page(oidc_server: Server) -> None:
    """carol's token has no registry_roles claim, which this server maps."""
    browser = Browser(oidc_server)
    assert error_code(browser.sign_in("carol")) == "claim_missing"
    assert browser.http.get("/api/v1/me").status_code == 401


def test_a_callback_from_another_browser_or_a_replay_is_refused(oidc_server: Server) -> None:
    started = Browser(oidc_server)
    callback = sign_in_at_provider(started.start(), "bob")
    assert error_code(Browser(oidc_server).callback(callback)) == "state_mismatch"  # no state cookie
    # The state was used up by that attempt: its own browser cannot use it either.
    assert error_code(started.callback(callback)) == "state_mismatch"
    query = urlsplit(callback).query
    assert error_code(Browser(oidc_server).callback(f"/api/v1/auth/oidc/callback?{query.replace('code=', 'x=')}")) == "invalid_callback"


async def test_a_nonce_that_does_not_match_is_refused(oidc_server: Server, db: Database) -> None:
    browser = Browser(oidc_server)
    callback = sign_in_at_provider(browser.start(), "bob")
    state = parse_qs(urlsplit(callback).query)["state"][0]
    async with db.write() as conn:
        await conn.execute(update(oidc_logins).where(oidc_logins.c.state == state).values(nonce="another-nonce"))
    assert error_code(browser.callback(callback)) == "nonce_mismatch"


def test_a_username_taken_by_a_local_account_is_a_conflict(oidc_server: Server, admin: Api) -> None:
    body = {"username": "bob", "password": "bob-local-password", "display_name": "Local Bob", "email": "bob@example.com", "roles": ["registry-read"]}
    assert admin.post("/users", json=body).status_code in (201, 409)
    assert error_code(Browser(oidc_server).sign_in("bob")) == "account_conflict"


def test_a_deactivated_federated_account_cannot_sign_in(oidc_server: Server, admin: Api) -> None:
    browser = Browser(oidc_server)
    browser.sign_in("alice")
    assert admin.patch("/users/alice", json={"active": False}).status_code == 200
    try:
        assert browser.http.get("/api/v1/me").status_code == 401
        assert error_code(Browser(oidc_server).sign_in("alice")) == "account_deactivated"
    finally:
        assert admin.patch("/users/alice", json={"active": True}).status_code == 200


def test_a_rotated_signing_key_is_fetched_again(oidc_server: Server, provider: Provider) -> None:
    """The server keeps the provider's keys; after a rotation the ID token names a key it has not
    seen, and it fetches the key set again rather than refusing."""
    assert Browser(oidc_server).sign_in("alice").headers["location"] == "/explore"
    provider.restart()  # a new signing key, the old one gone
    browser = Browser(oidc_server)
    assert browser.sign_in("alice").headers["location"] == "/explore"
    assert browser.http.get("/api/v1/me").json()["username"] == "alice"


def test_a_provider_that_is_down_ends_on_the_sign_in_page(oidc_server: Server, provider: Provider) -> None:
    browser = Browser(oidc_server)
    callback = sign_in_at_provider(browser.start(), "alice")
    provider.stop()
    assert error_code(browser.callback(callback)) == "provider_unavailable"
    refused = Browser(oidc_server).http.get(LOGIN, params={"next": "/"})
    assert refused.status_code == 302 and error_code(refused) == "provider_unavailable"


@pytest.mark.parametrize("next_path", ["//evil.example/", "https://evil.example/", "/\\evil.example", "explore", "/x\n"])
def test_next_must_be_a_path_of_this_site(oidc_server: Server, next_path: str) -> None:
    refused = httpx.get(f"{oidc_server.url}{LOGIN}", params={"next": next_path})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "next"


def test_without_a_provider_the_routes_are_404(server: Server) -> None:
    assert httpx.get(f"{server.url}{LOGIN}").status_code == 404
    assert httpx.get(f"{server.url}/api/v1/auth/oidc/callback", params={"code": "c", "state": "s", "iss": "x"}).status_code == 404


async def test_a_groups_claim_left_out_means_no_groups(db: Database, admin: Api) -> None:
    """Entra ID and Okta leave the groups claim out for a person in no group: that is no group,
    not a failed sign-in. A roles claim left out is a failure (tested above with carol)."""
    group = admin.post("/groups", json={"name": "Left-out claim", "description": "membership ended by the next sign-in"}).json()
    settings = OidcSettings("https://idp.example.org", "registry", None, "Sign in", "preferred_username", "roles", "groups")
    claims = {"sub": "frank-1", "preferred_username": "frank", "roles": ["registry-write"], "groups": ["Left-out claim"]}
    assert await oidc._account(db, settings, claims) == "frank"
    assert admin.get("/groups").json() and "frank" in next(g for g in admin.get("/groups").json() if g["id"] == group["id"])["members"]
    assert await oidc._account(db, settings, {k: v for k, v in claims.items() if k != "groups"}) == "frank"
    assert "frank" not in next(g for g in admin.get("/groups").json() if g["id"] == group["id"])["members"]
    with pytest.raises(oidc.SignInFailed) as failure:
        await oidc._account(db, settings, {k: v for k, v in claims.items() if k != "roles"})
    assert failure.value.code == "claim_missing"


def test_local_accounts_off_needs_a_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGISTRY_LOCAL_ACCOUNTS", "off")
    monkeypatch.delenv("REGISTRY_OIDC_ISSUER", raising=False)
    monkeypatch.delenv("REGISTRY_OIDC_CLIENT_ID", raising=False)
    with pytest.raises(SettingsError, match="nobody could sign in"):
        Settings.from_env()
    monkeypatch.setenv("REGISTRY_OIDC_ISSUER", "https://idp.example.org/realms/research")
    monkeypatch.setenv("REGISTRY_OIDC_CLIENT_ID", "registry")
    settings = Settings.from_env()
    assert settings.local_accounts is False and settings.oidc is not None and settings.oidc.issuer == "https://idp.example.org/realms/research"
