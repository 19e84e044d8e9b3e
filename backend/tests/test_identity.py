"""Sessions, CSRF, personal access tokens and the account lifecycle, against the real server and
database: every credential is checked against the account on every request, so deactivation,
role changes, revocation and password resets apply from the very next request."""

from __future__ import annotations

import datetime
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from conftest import Api, UserFactory, sign_in
from litestar.testing import TestClient
from sqlalchemy import select, update
from support import Server, in_process_settings

from registry.app import create_app
from registry.db.engine import Database
from registry.db.models import access_tokens, sessions

API = "/api/v1"


class Browser:
    """A signed-in browser: the session cookies, sent by an httpx client's cookie jar as a
    browser sends them, and the CSRF header the web app adds to its changes."""

    def __init__(self, server: Server, username: str, password: str) -> None:
        self.http = httpx.Client(base_url=f"{server.url}{API}", timeout=30)
        self.response = self.http.post("/auth/session", json={"username": username, "password": password})

    @property
    def csrf(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.http.cookies.get("registry_csrf") or ""}


def browser(server: Server, api: Api) -> Browser:
    signed_in = Browser(server, api.username or "", api.password or "")
    assert signed_in.response.status_code == 204, signed_in.response.text
    return signed_in


# --- sessions ----------------------------------------------------------------------------------


def test_a_session_is_an_http_only_cookie_with_a_readable_csrf_companion(server: Server, make_user: UserFactory) -> None:
    user = make_user("registry-write")
    signed_in = browser(server, user)
    cookies = {header.split("=", 1)[0]: header for header in signed_in.response.headers.get_list("set-cookie")}
    assert set(cookies) == {"registry_session", "registry_csrf"}
    session, csrf = cookies["registry_session"].lower(), cookies["registry_csrf"].lower()
    assert "httponly" in session and "samesite=lax" in session and "path=/;" in session + ";"
    assert "httponly" not in csrf and "samesite=lax" in csrf
    assert "secure" not in session  # served over http here; see test_cookies_are_secure_behind_https
    assert signed_in.response.content == b""
    assert signed_in.http.get("/me").json()["username"] == user.username


async def test_the_session_secret_is_stored_only_as_its_hash(server: Server, make_user: UserFactory, db: Database) -> None:
    signed_in = browser(server, make_user("registry-read"))
    secret = signed_in.http.cookies["registry_session"]
    async with db.read() as conn:
        hashes = [row.token_hash for row in await conn.rows(select(sessions.c.token_hash))]
    assert hashlib.sha256(secret.encode()).hexdigest() in hashes and secret not in hashes


def test_a_form_on_another_site_cannot_sign_a_browser_in(server: Server, make_user: UserFactory) -> None:
    """A cross-site form can post text/plain that reads as JSON (the `=` inside the password);
    only a JSON request starts a session."""
    user = make_user("registry-read")
    body = f'{{"username": "{user.username}", "password": "{user.password}"}}'
    refused = httpx.post(f"{server.url}{API}/auth/session", content=body, headers={"Content-Type": "text/plain"})
    assert refused.status_code == 400 and "set-cookie" not in refused.headers
    assert httpx.post(f"{server.url}{API}/auth/session", content=body, headers={"Content-Type": "application/json; charset=utf-8"}).status_code == 204


def test_cookie_changes_need_the_csrf_header_equal_to_the_cookie(server: Server, make_user: UserFactory) -> None:
    signed_in = browser(server, make_user("registry-write"))
    body = {"item_subtype": "ORGANISATION", "data": {"display_name": "CSRF Org", "name": "CSRF Org", "ror": "https://ror.org/03yrm5c26"}}
    refused = signed_in.http.post("/items", json=body)
    assert refused.status_code == 403 and "X-CSRF-Token" in refused.json()["detail"]
    assert signed_in.http.post("/items", json=body, headers={"X-CSRF-Token": "not-the-cookie"}).status_code == 403
    assert signed_in.http.post("/items", json=body, headers=signed_in.csrf).status_code == 201
    # Reads need no header.
    assert signed_in.http.get("/items").status_code == 200


def test_a_csrf_token_planted_in_both_places_does_not_pass(server: Server, make_user: UserFactory) -> None:
    """The token belongs to its session: one chosen by an attacker, put in the cookie and the
    header alike, is refused."""
    signed_in = browser(server, make_user("registry-write"))
    signed_in.http.cookies.set("registry_csrf", "a" * 64)
    assert signed_in.http.post("/me/tokens", json={"name": "x", "scope": "read", "expires_in_days": 1}, headers={"X-CSRF-Token": "a" * 64}).status_code == 403


def test_signing_out_ends_the_session(server: Server, make_user: UserFactory) -> None:
    signed_in = browser(server, make_user("registry-read"))
    secret = signed_in.http.cookies["registry_session"]
    ended = signed_in.http.delete("/auth/session", headers=signed_in.csrf)
    assert ended.status_code == 204
    assert all("max-age=0" in header.lower() for header in ended.headers.get_list("set-cookie"))
    # The old cookie, sent again, no longer works: the row is gone.
    assert httpx.get(f"{server.url}{API}/me", cookies={"registry_session": secret}).status_code == 401


def test_wrong_password_and_deactivated_account_cannot_start_a_session(server: Server, admin: Api, make_user: UserFactory) -> None:
    user = make_user("registry-read")
    assert Browser(server, user.username or "", "wrong-password!").response.status_code == 401
    assert admin.patch(f"/users/{user.username}", json={"active": False}).status_code == 200
    for route in ("/auth/session", "/auth/token"):
        refused = httpx.post(f"{server.url}{API}{route}", json={"username": user.username, "password": user.password})
        assert refused.status_code == 401 and "deactivated" in refused.json()["detail"]


def test_cookies_are_secure_behind_https(migrated_url: str, tmp_path: Path) -> None:
    settings = in_process_settings(migrated_url, tmp_path, public_url="https://registry.example.org")
    with TestClient(create_app(settings)) as client:
        from support import ADMIN_PASSWORD

        signed_in = client.post(f"{API}/auth/session", json={"username": "admin", "password": ADMIN_PASSWORD})
        assert signed_in.status_code == 204
        assert all("secure" in header.lower() for header in signed_in.headers.get_list("set-cookie"))


def test_local_accounts_can_be_switched_off(migrated_url: str, tmp_path: Path) -> None:
    from support import ADMIN_PASSWORD

    settings = in_process_settings(migrated_url, tmp_path, local_accounts=False)
    with TestClient(create_app(settings)) as client:
        assert client.get(f"{API}/auth/config").json() == {"local": False, "oidc": None}
        for route in ("/auth/session", "/auth/token"):
            refused = client.post(f"{API}{route}", json={"username": "admin", "password": ADMIN_PASSWORD})
            assert refused.status_code == 403 and "switched off" in refused.json()["detail"]


def test_the_sign_in_page_is_told_what_to_offer(anonymous: Api) -> None:
    assert anonymous.get("/auth/config").json() == {"local": True, "oidc": None}


# --- the account lifecycle: every credential, from the next request --------------------------


def test_deactivation_ends_every_credential_at_the_next_request(server: Server, admin: Api, make_user: UserFactory) -> None:
    user = make_user("registry-write")
    signed_in = browser(server, user)
    token = user.post("/me/tokens", json={"name": "script", "scope": "write", "expires_in_days": 30}).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert signed_in.http.get("/me").status_code == 200 and user.get("/me").status_code == 200
    assert httpx.get(f"{server.url}{API}/me", headers=bearer).status_code == 200

    assert admin.patch(f"/users/{user.username}", json={"active": False}).json()["active"] is False
    assert signed_in.http.get("/me").status_code == 401
    assert user.get("/me").status_code == 401
    assert httpx.get(f"{server.url}{API}/me", headers=bearer).status_code == 401

    # Reactivated: the token and JWT work again; the session was ended for good.
    assert admin.patch(f"/users/{user.username}", json={"active": True}).json()["active"] is True
    assert httpx.get(f"{server.url}{API}/me", headers=bearer).status_code == 200
    assert user.get("/me").status_code == 200
    assert signed_in.http.get("/me").status_code == 401


def test_new_roles_apply_from_the_next_request_for_every_credential(server: Server, admin: Api, make_user: UserFactory) -> None:
    user = make_user("registry-read")
    signed_in = browser(server, user)
    token = user.post("/me/tokens", json={"name": "script", "scope": "write", "expires_in_days": 30}).json()["token"]
    bearer = httpx.Client(base_url=f"{server.url}{API}", headers={"Authorization": f"Bearer {token}"})
    for client in (user.http, signed_in.http, bearer):
        assert client.get("/users").status_code == 403
    assert admin.patch(f"/users/{user.username}", json={"roles": ["registry-admin"]}).json()["roles"] == ["registry-read", "registry-write", "registry-admin"]
    for client in (user.http, signed_in.http, bearer):
        assert client.get("/users").status_code == 200
        assert client.get("/me").json()["roles"] == ["registry-read", "registry-write", "registry-admin"]
    assert admin.patch(f"/users/{user.username}", json={"roles": []}).status_code == 200
    for client in (user.http, signed_in.http, bearer):
        assert client.get("/items").status_code == 403


def test_an_admin_cannot_deactivate_or_demote_themself(admin: Api) -> None:
    for body, field in (({"active": False}, "active"), ({"roles": ["registry-write"]}, "roles")):
        refused = admin.patch("/users/admin", json=body)
        assert refused.status_code == 422 and [e["field"] for e in refused.json()["errors"]] == [field]
    assert admin.get("/me").json()["roles"][-1] == "registry-admin"


def test_patching_a_user_is_strict(admin: Api, make_user: UserFactory) -> None:
    user = make_user("registry-read")
    assert admin.patch("/users/nobody-here", json={"active": "maybe"}).status_code == 404  # 404 before 422
    for body, field in (({}, "body"), ({"active": None}, "active"), ({"roles": ["superuser"]}, "roles"), ({"shoe_size": 9}, "shoe_size")):
        refused = admin.patch(f"/users/{user.username}", json=body)
        assert refused.status_code == 422, body
        assert field in refused.text
    changed = admin.patch(f"/users/{user.username}", json={"display_name": "Renamed", "email": "renamed@example.org"}).json()
    assert (changed["display_name"], changed["email"], changed["roles"], changed["source"]) == ("Renamed", "renamed@example.org", ["registry-read"], "local")


def test_passwords_have_at_least_twelve_characters(admin: Api, make_user: UserFactory) -> None:
    user = make_user("registry-read")
    short = "eleven-char"
    body = {"username": "shorty", "password": short, "display_name": "S", "email": "s@example.org", "roles": []}
    assert [e["field"] for e in admin.post("/users", json=body).json()["errors"]] == ["password"]
    assert [e["field"] for e in admin.put(f"/users/{user.username}/password", json={"password": short}).json()["errors"]] == ["password"]
    refused = user.put("/me/password", json={"current_password": user.password, "new_password": short})
    assert [e["field"] for e in refused.json()["errors"]] == ["new_password"]


def test_changing_ones_password_ends_the_other_sessions(server: Server, make_user: UserFactory) -> None:
    user = make_user("registry-write")
    here, elsewhere = browser(server, user), browser(server, user)
    wrong = here.http.put("/me/password", json={"current_password": "not-my-password", "new_password": "a-new-password-1"}, headers=here.csrf)
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "current_password"
    changed = here.http.put("/me/password", json={"current_password": user.password, "new_password": "a-new-password-1"}, headers=here.csrf)
    assert changed.status_code == 204
    assert here.http.get("/me").status_code == 200
    assert elsewhere.http.get("/me").status_code == 401
    assert httpx.post(f"{server.url}{API}/auth/token", json={"username": user.username, "password": user.password}).status_code == 401
    assert sign_in(server, user.username or "", "a-new-password-1").get("/me").status_code == 200


def test_an_admin_password_reset_ends_sessions_and_bearer_tokens(server: Server, admin: Api, make_user: UserFactory) -> None:
    user = make_user("registry-write")
    signed_in = browser(server, user)
    assert admin.put(f"/users/{user.username}/password", json={"password": "reset-by-admin-1"}).status_code == 204
    assert signed_in.http.get("/me").status_code == 401
    refused = user.get("/me")
    assert refused.status_code == 401 and "reset" in refused.json()["detail"]
    assert sign_in(server, user.username or "", "reset-by-admin-1").get("/me").status_code == 200
    assert admin.put("/users/nobody-here/password", json={"password": "x"}).status_code == 404  # 404 before 422


# --- personal access tokens -------------------------------------------------------------------


async def test_a_personal_access_token_is_shown_once_and_stored_hashed(server: Server, make_user: UserFactory, db: Database) -> None:
    user = make_user("registry-write")
    created = user.post("/me/tokens", json={"name": "nightly harvest", "scope": "write", "expires_in_days": 90})
    assert created.status_code == 201
    body = created.json()
    assert body["token"].startswith("rgt_") and len(body["token"]) > 40
    expires = datetime.datetime.fromisoformat(body["expires_at"]) - datetime.datetime.fromisoformat(body["created_at"])
    assert expires == datetime.timedelta(days=90)
    listed = user.get("/me/tokens")
    assert body["token"] not in listed.text
    assert [(t["id"], t["name"], t["scope"], t["last_used_at"]) for t in listed.json()] == [(body["id"], "nightly harvest", "write", None)]
    async with db.read() as conn:
        (row,) = await conn.rows(select(access_tokens.c.token_hash).where(access_tokens.c.name == "nightly harvest"))
    assert row.token_hash == hashlib.sha256(body["token"].encode()).hexdigest()

    script = httpx.Client(base_url=f"{server.url}{API}", headers={"Authorization": f"Bearer {body['token']}"})
    assert script.get("/me").json()["username"] == user.username
    assert user.get("/me/tokens").json()[0]["last_used_at"] is not None


def test_a_read_token_reads_and_changes_nothing(server: Server, make_user: UserFactory) -> None:
    user = make_user("registry-write")
    token = user.post("/me/tokens", json={"name": "reader", "scope": "read", "expires_in_days": 1}).json()["token"]
    script = httpx.Client(base_url=f"{server.url}{API}", headers={"Authorization": f"Bearer {token}"})
    assert script.get("/items").status_code == 200
    refused = script.post("/items", json={"item_subtype": "STUDY", "data": {}})
    assert refused.status_code == 403 and "write scope" in refused.json()["detail"]
    assert script.post("/me/tokens", json={"name": "escalate", "scope": "write", "expires_in_days": 1}).status_code == 403


async def test_expired_and_revoked_tokens_answer_401(server: Server, make_user: UserFactory, db: Database) -> None:
    user = make_user("registry-read")
    first = user.post("/me/tokens", json={"name": "soon expired", "scope": "read", "expires_in_days": 1}).json()
    second = user.post("/me/tokens", json={"name": "revoked", "scope": "read", "expires_in_days": 1}).json()
    async with db.write() as conn:
        await conn.execute(update(access_tokens).where(access_tokens.c.name == "soon expired").values(expires_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)))
    expired = httpx.get(f"{server.url}{API}/me", headers={"Authorization": f"Bearer {first['token']}"})
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]
    assert httpx.get(f"{server.url}{API}/me", headers={"Authorization": f"Bearer {second['token']}"}).status_code == 200
    assert user.delete(f"/me/tokens/{second['id']}").status_code == 204
    assert httpx.get(f"{server.url}{API}/me", headers={"Authorization": f"Bearer {second['token']}"}).status_code == 401
    assert httpx.get(f"{server.url}{API}/me", headers={"Authorization": "Bearer rgt_made-up"}).status_code == 401


def test_only_its_owner_revokes_a_token(make_user: UserFactory) -> None:
    owner, other = make_user("registry-read"), make_user("registry-admin")
    token = owner.post("/me/tokens", json={"name": "mine", "scope": "read", "expires_in_days": 1}).json()
    assert other.delete(f"/me/tokens/{token['id']}").status_code == 404
    assert other.delete("/me/tokens/not-a-uuid").status_code == 404
    assert [t["id"] for t in owner.get("/me/tokens").json()] == [token["id"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "scope": "read", "expires_in_days": 1}, "name"),
        ({"name": "x" * 101, "scope": "read", "expires_in_days": 1}, "name"),
        ({"name": "t", "scope": "admin", "expires_in_days": 1}, "scope"),
        ({"name": "t", "scope": "read", "expires_in_days": 0}, "expires_in_days"),
        ({"name": "t", "scope": "read", "expires_in_days": 366}, "expires_in_days"),
        ({"name": "t", "scope": "read"}, "expires_in_days"),
        ({"name": "t", "scope": "read", "expires_in_days": 1, "owner": "admin"}, "owner"),
    ],
)
def test_token_requests_are_strict(admin: Api, body: dict, field: str) -> None:
    refused = admin.post("/me/tokens", json=body)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == [field]


# --- the command line -------------------------------------------------------------------------


def _registry(migrated_url: str, *arguments: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "REGISTRY_DATABASE_URL": migrated_url}
    return subprocess.run([sys.executable, "-m", "registry", "users", *arguments], env=environment, input=stdin, capture_output=True, text=True, check=False)


def test_the_command_line_deactivates_changes_roles_and_resets_passwords(server: Server, migrated_url: str, make_user: UserFactory) -> None:
    user = make_user("registry-read")
    name = user.username or ""
    assert "deactivated" in _registry(migrated_url, "deactivate", name).stdout
    assert user.get("/me").status_code == 401
    assert _registry(migrated_url, "activate", name).returncode == 0
    assert user.get("/me").status_code == 200
    assert _registry(migrated_url, "roles", name, "--role", "registry-write").returncode == 0
    assert user.get("/me").json()["roles"] == ["registry-read", "registry-write"]
    listed = _registry(migrated_url, "list").stdout
    assert any(line.startswith(f"{name}\t") and line.endswith("\tlocal\tactive") for line in listed.splitlines())
    short = _registry(migrated_url, "reset-password", name, "--password-stdin", stdin="short\n")
    assert short.returncode != 0 and "12" in short.stderr
    assert _registry(migrated_url, "reset-password", name, "--password-stdin", stdin="set-on-the-command-line\n").returncode == 0
    assert user.get("/me").status_code == 401
    assert sign_in(server, name, "set-on-the-command-line").get("/me").status_code == 200
    unknown = _registry(migrated_url, "deactivate", "nobody-here")
    assert unknown.returncode != 0 and "no user" in unknown.stderr
