"""Accounts and tokens: sign in, /me, users, and what a token must be to be accepted."""

from __future__ import annotations

import os
import time
import uuid

import httpx
import jwt
import pytest
from conftest import TEST_DATABASE, Api, Sharing, UserFactory
from support import SECRET_KEY, Server, create_database, drop_database, start_server, stop_server


def test_sign_in_returns_a_bearer_token(server: Server, make_user: UserFactory) -> None:
    user = make_user("registry-read")
    assert user.token and user.token.count(".") == 2


def test_token_response_shape(server: Server, admin: Api) -> None:
    response = httpx.post(f"{server.url}/api/v1/auth/token", json={"username": "admin", "password": "admin-test-password"})
    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600


@pytest.mark.parametrize(
    "credentials",
    [{"username": "admin", "password": "wrong-password"}, {"username": "nobody-here", "password": "whatever1"}],
    ids=["wrong password", "unknown user"],
)
def test_bad_credentials_are_401(anonymous: Api, credentials: dict) -> None:
    response = anonymous.post("/auth/token", json=credentials)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "Wrong username or password."


def test_sign_in_body_is_checked(anonymous: Api) -> None:
    assert anonymous.post("/auth/token", content=b"{not json").status_code == 400
    response = anonymous.post("/auth/token", json={"username": "admin", "password": "x", "remember": True})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "remember", "message": "Unknown field: remove it."}]
    response = anonymous.post("/auth/token", json={"username": "admin"})
    assert response.json()["errors"][0]["field"] == "password"


def test_me_lists_implied_roles(make_user: UserFactory) -> None:
    writer = make_user("registry-write")
    me = writer.get("/me").json()
    assert me["username"] == writer.username
    assert me["roles"] == ["registry-read", "registry-write"]
    assert me["groups"] == []


def test_me_shows_groups(make_user: UserFactory, sharing: Sharing) -> None:
    user = make_user("registry-read")
    group_id = sharing.new_group(user.username)
    groups = user.get("/me").json()["groups"]
    assert [g["id"] for g in groups] == [group_id]


def test_admin_has_every_general_role(admin: Api) -> None:
    assert admin.get("/me").json()["roles"] == ["registry-read", "registry-write", "registry-admin"]


def forge(claims: dict, key: str = SECRET_KEY, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def valid_claims(**changes: object) -> dict:
    now = int(time.time())
    return {"sub": "admin", "roles": ["registry-read", "registry-write", "registry-admin"], "iat": now, "exp": now + 600, **changes}


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(forge(valid_claims(exp=int(time.time()) - 5)), id="expired"),
        pytest.param(forge(valid_claims(), key="another-key-of-sufficient-length-0123456789"), id="wrong key"),
        pytest.param(forge(valid_claims(), algorithm="HS512"), id="wrong algorithm"),
        pytest.param(jwt.encode(valid_claims(), None, algorithm="none"), id="unsigned"),
        pytest.param(forge({k: v for k, v in valid_claims().items() if k != "exp"}), id="no expiry"),
        pytest.param(forge(valid_claims(sub=["admin"])), id="subject not a string"),
        pytest.param("not-a-token", id="garbage"),
    ],
)
def test_bad_tokens_are_401(server: Server, token: str) -> None:
    response = httpx.get(f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_token_accepted_before_is_refused_once_it_expires(server: Server) -> None:
    """The server remembers tokens it has verified; it must still check their expiry every time."""
    token = forge(valid_claims(exp=int(time.time()) + 2))
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{server.url}/api/v1/me", headers=headers).status_code == 200
    time.sleep(3)
    response = httpx.get(f"{server.url}/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_roles_written_into_a_token_count_for_nothing(server: Server, make_user: UserFactory) -> None:
    """Roles come from the account on every request, never from the token."""
    user = make_user("registry-read")
    token = forge(valid_claims(sub=user.username, roles=["registry-admin"]))
    me = httpx.get(f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["roles"] == ["registry-read"]
    assert httpx.get(f"{server.url}/api/v1/users", headers={"Authorization": f"Bearer {token}"}).status_code == 403


def test_tampered_token_is_401(server: Server, make_user: UserFactory) -> None:
    user = make_user("registry-read")
    assert user.token is not None
    header, payload, signature = user.token.split(".")
    admin_payload = forge(valid_claims(sub=user.username)).split(".")[1]
    tampered = ".".join([header, admin_payload, signature])
    assert httpx.get(f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {tampered}"}).status_code == 401


def test_no_token_is_401(anonymous: Api) -> None:
    for path in ("/me", "/items", "/subtypes", "/users"):
        response = anonymous.get(path)
        assert response.status_code == 401, path
        assert response.json()["status"] == 401


def test_admin_creates_users_without_exposing_passwords(admin: Api, server: Server) -> None:
    body = {"username": "carol.x", "password": "long-enough-pw", "display_name": "Carol", "email": "carol@example.org", "roles": ["registry-write"]}
    response = admin.post("/users", json=body)
    assert response.status_code == 201
    assert response.json() == {
        "username": "carol.x",
        "display_name": "Carol",
        "email": "carol@example.org",
        "roles": ["registry-read", "registry-write"],
        "active": True,
        "source": "local",
    }
    assert admin.post("/users", json=body).status_code == 409
    listing = admin.get("/users")
    assert listing.status_code == 200
    assert "long-enough-pw" not in listing.text and "argon2" not in listing.text
    assert any(u["username"] == "carol.x" for u in listing.json())
    signed_in = httpx.post(f"{server.url}/api/v1/auth/token", json={"username": "carol.x", "password": "long-enough-pw"})
    assert signed_in.status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"username": "has space"}, "username"),
        ({"password": "short"}, "password"),
        ({"email": "not-an-email"}, "email"),
        ({"roles": ["registry-owner"]}, "roles.0"),
        ({"display_name": ""}, "display_name"),
        ({"is_admin": True}, "is_admin"),
    ],
)
def test_user_creation_rejects_bad_fields(admin: Api, change: dict, field: str) -> None:
    body = {"username": "dave", "password": "long-enough-pw", "display_name": "Dave", "email": "dave@example.org", "roles": [], **change}
    response = admin.post("/users", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert all(u["username"] != "dave" for u in admin.get("/users").json())


@pytest.mark.parametrize("roles", [["registry-read"], ["registry-write"]])
def test_only_admins_manage_users(make_user: UserFactory, roles: list[str]) -> None:
    user = make_user(*roles)
    assert user.get("/users").status_code == 403
    body = {"username": "eve", "password": "long-enough-pw", "display_name": "Eve", "email": "eve@example.org", "roles": ["registry-admin"]}
    assert user.post("/users", json=body).status_code == 403
    # 403 comes before 422: a non-admin learns nothing about the body's validity
    assert user.post("/users", json={"bogus": 1}).status_code == 403


def test_failed_sign_ins_are_rate_limited_per_user_and_address(server: Server, make_user: UserFactory) -> None:
    user = make_user("registry-read")
    other = make_user("registry-read")
    token = f"{server.url}/api/v1/auth/token"
    for _ in range(5):
        assert httpx.post(token, json={"username": user.username, "password": "wrong"}).status_code == 401
    limited = httpx.post(token, json={"username": user.username, "password": "wrong"})
    assert limited.status_code == 429
    assert 0 < int(limited.headers["retry-after"]) <= 15 * 60
    assert limited.headers["content-type"] == "application/problem+json"
    # even the right password waits: guessing must not go on
    assert httpx.post(token, json={"username": user.username, "password": user.password}).status_code == 429
    # other users are not affected
    assert httpx.post(token, json={"username": other.username, "password": "wrong"}).status_code == 401


def test_a_successful_sign_in_clears_the_count(server: Server, migrated_url: str, admin: Api, tmp_path) -> None:  # noqa: ANN001
    password = "long-enough-pw"
    username = f"counted-{uuid.uuid4().hex[:6]}"
    admin.post("/users", json={"username": username, "password": password, "display_name": "C", "email": "c@example.org", "roles": []})
    token = f"{server.url}/api/v1/auth/token"
    for _ in range(4):
        assert httpx.post(token, json={"username": username, "password": "wrong"}).status_code == 401
    assert httpx.post(token, json={"username": username, "password": password}).status_code == 200
    for _ in range(4):
        assert httpx.post(token, json={"username": username, "password": "wrong"}).status_code == 401


def test_failed_sign_ins_per_address(tmp_path) -> None:  # noqa: ANN001
    # A database of its own: the other tests' failures from 127.0.0.1 would count here too.
    url = create_database(TEST_DATABASE, f"registry_limits_{os.getpid()}")
    strict = start_server(url, tmp_path / "server.log", REGISTRY_SIGN_IN_LIMIT_PER_ADDRESS="3")
    try:
        token = f"{strict.url}/api/v1/auth/token"
        statuses = [httpx.post(token, json={"username": f"guess-{n}", "password": "x"}).status_code for n in range(4)]
        assert statuses == [401, 401, 401, 429]
    finally:
        stop_server(strict)
        drop_database(url)
