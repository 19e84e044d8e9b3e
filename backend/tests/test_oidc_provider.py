"""The test OpenID Connect provider and the helper that signs in at it (tests/oidc_provider.py):
what the Registry's sign-in tests rely on, checked without the Registry."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from oidc_provider import Provider, sign_in_at_provider, start_provider

REDIRECT_URI = "http://127.0.0.1:9/callback"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with start_provider([REDIRECT_URI]) as running:
        yield running


def authorization_request(provider: Provider) -> tuple[str, dict[str, str]]:
    """An authorization URL as a client would build it, and the secrets it keeps for later."""
    verifier = secrets.token_urlsafe(48)
    sent = {"state": secrets.token_urlsafe(16), "nonce": secrets.token_urlsafe(16), "verifier": verifier}
    query = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid profile email",
        "state": sent["state"],
        "nonce": sent["nonce"],
        "code_challenge": base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode(),
        "code_challenge_method": "S256",
    }
    return f"{provider.issuer}/auth?{urlencode(query)}", sent


def jwt_part(token: str, index: int) -> dict:
    """The header (0) or payload (1) of a JWT, unverified: these tests check the provider, not signatures."""
    part = token.split(".")[index]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def jwt_payload(token: str) -> dict:
    return jwt_part(token, 1)


def redeem(provider: Provider, code: str, verifier: str) -> httpx.Response:
    token_endpoint = httpx.get(f"{provider.issuer}/.well-known/openid-configuration").json()["token_endpoint"]
    return httpx.post(
        token_endpoint,
        auth=(provider.client_id, provider.client_secret),
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, "code_verifier": verifier},
    )


def kids(provider: Provider) -> set[str]:
    jwks_uri = httpx.get(f"{provider.issuer}/.well-known/openid-configuration").json()["jwks_uri"]
    return {key["kid"] for key in httpx.get(jwks_uri).json()["keys"]}


def test_discovery_names_the_issuer(provider: Provider) -> None:
    document = httpx.get(f"{provider.issuer}/.well-known/openid-configuration").json()
    assert document["issuer"] == provider.issuer == f"http://127.0.0.1:{provider.port}"
    assert "S256" in document["code_challenge_methods_supported"]
    assert "RS256" in document["id_token_signing_alg_values_supported"]


def test_sign_in_returns_code_and_state_then_an_id_token_with_the_claims(provider: Provider) -> None:
    url, sent = authorization_request(provider)
    callback = sign_in_at_provider(url, "alice")
    assert callback.startswith(REDIRECT_URI + "?")
    query = {name: values[0] for name, values in parse_qs(urlsplit(callback).query).items()}
    assert query["state"] == sent["state"]
    assert query["iss"] == provider.issuer  # RFC 9207: oidc-provider names itself in the redirect
    response = redeem(provider, query["code"], sent["verifier"])
    assert response.status_code == 200, response.text
    claims = jwt_payload(response.json()["id_token"])
    assert claims["iss"] == provider.issuer
    assert claims["aud"] == provider.client_id
    assert claims["nonce"] == sent["nonce"]
    assert claims["sub"] == "alice"
    assert claims["preferred_username"] == "alice"
    assert claims["name"] == "Alice Federated"
    assert claims["email"] == "alice@example.org"
    assert claims["registry_roles"] == ["registry-write"]
    assert claims["registry_groups"] == ["Hydrology"]


def test_the_code_needs_its_verifier(provider: Provider) -> None:
    url, _ = authorization_request(provider)
    code = parse_qs(urlsplit(sign_in_at_provider(url, "bob")).query)["code"][0]
    assert redeem(provider, code, secrets.token_urlsafe(48)).json()["error"] == "invalid_grant"


def test_users_without_role_claims_and_invented_users(provider: Provider) -> None:
    for login, expected in [
        ("carol", {"sub": "carol", "preferred_username": "carol", "name": "Carol Norole", "email": "carol@example.org"}),
        ("someone-new", {"sub": "someone-new", "preferred_username": "someone-new"}),
    ]:
        url, sent = authorization_request(provider)
        code = parse_qs(urlsplit(sign_in_at_provider(url, login)).query)["code"][0]
        claims = jwt_payload(redeem(provider, code, sent["verifier"]).json()["id_token"])
        assert {name: claims.get(name) for name in expected} == expected
        assert "registry_roles" not in claims and "registry_groups" not in claims


def test_denied_consent_redirects_with_access_denied(provider: Provider) -> None:
    url, sent = authorization_request(provider)
    callback = sign_in_at_provider(url, "alice", consent=False)
    assert callback.startswith(REDIRECT_URI + "?")
    query = parse_qs(urlsplit(callback).query)
    assert query["error"] == ["access_denied"]
    assert query["state"] == [sent["state"]]
    assert "code" not in query


def test_restart_rotates_the_signing_key(provider: Provider) -> None:
    before = kids(provider)
    assert len(before) == 1
    provider.restart()
    after = kids(provider)
    assert len(after) == 1 and after != before
    url, sent = authorization_request(provider)  # and it still signs users in, on the same issuer
    code = parse_qs(urlsplit(sign_in_at_provider(url, "bob")).query)["code"][0]
    token = redeem(provider, code, sent["verifier"]).json()["id_token"]
    header = jwt_part(token, 0)
    assert (header["alg"], header["kid"]) == ("RS256", next(iter(after)))
