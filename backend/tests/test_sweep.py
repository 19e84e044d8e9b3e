"""The authorization sweep: every API route × every kind of caller × a readable and an unreadable
record. The routes come from the server's own OpenAPI document, so a new route without a row
here fails the test. Refusals must not reveal anything of a record the caller may not read.

Callers are users of each general role, the record's owner, a group member and a stranger, each
with a bearer JWT; and a registry-write user with every other kind of credential: the session
cookie with and without the X-CSRF-Token header, a read and a write personal access token, a
revoked token, and the JWT of a deactivated account."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import jwt
import pytest
import samples
from conftest import Api, Sharing, UserFactory
from support import ADMIN_PASSWORD, SECRET_KEY, Server

ACTORS = [
    "anonymous",
    "expired token",
    "registry-read",
    "registry-write",
    "registry-admin",
    "owner",
    "group member",
    "stranger",
    "session",
    "session without CSRF",
    "read token",
    "write token",
    "revoked token",
    "deactivated user",
]
# Every caller refused as not signed in, and the kinds of credential that may only read.
SIGNED_OUT = {"anonymous", "expired token", "revoked token", "deactivated user"}
READ_ONLY = {"session without CSRF", "read token"}
# The other credentials are a registry-write user's: they may do what that user may.
LIKE_A_WRITER = {"session", "session without CSRF", "read token", "write token"}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
RECORDS = ["readable", "unreadable"]
SECRET = "Sweep secret"  # in every unreadable record's data: no refusal may show it


@dataclass
class World:
    server: Server
    clients: dict[str, httpx.Client]
    usernames: dict[str, str]
    records: dict[str, str]
    group: str
    owner: Api
    # Each caller's user, signed in with a bearer JWT (for setting up what a request needs).
    apis: dict[str, Api]
    # An account the admin routes change, used by nothing else.
    victim: str
    actor: str = ""
    counter: list[int] = field(default_factory=lambda: [0])

    def unique(self, prefix: str) -> str:
        self.counter[0] += 1
        return f"{prefix}-{self.counter[0]}-{uuid.uuid4().hex[:6]}"

    def ensure_file(self, record: str) -> str:
        """A file at a fixed path, present again for every request that reads or deletes it."""
        item = self.records[record]
        listing = self.owner.get(f"/items/{item}/files").json()["files"]
        current = next((f for f in listing if f["path"] == "sweep.txt"), None)
        if current is None:
            assert self.owner.put(f"/items/{item}/files/sweep.txt", content=b"sweep").status_code == 201
            return self.owner.get(f"/items/{item}/files").json()["files"][0]["sha256"]
        return current["sha256"]


def _client(server: Server, token: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=f"{server.url}/api/v1", headers=headers, timeout=30)


def _session_client(server: Server, api: Api, *, csrf: bool) -> httpx.Client:
    """A client that sends the session's cookies as a header of its own: the routes that sign in
    set cookies of another session, which must not replace the caller's."""
    client = _client(server, None)
    _use_session(server, client, api, csrf=csrf)
    return client


def _use_session(server: Server, client: httpx.Client, api: Api, *, csrf: bool) -> None:
    signed_in = httpx.post(f"{server.url}/api/v1/auth/session", json={"username": api.username, "password": api.password})
    assert signed_in.status_code == 204, signed_in.text
    client.headers["Cookie"] = f"registry_session={signed_in.cookies['registry_session']}; registry_csrf={signed_in.cookies['registry_csrf']}"
    if csrf:
        client.headers["X-CSRF-Token"] = signed_in.cookies["registry_csrf"]


def _access_token(api: Api, scope: str) -> str:
    created = api.post("/me/tokens", json={"name": f"sweep {scope}", "scope": scope, "expires_in_days": 1})
    assert created.status_code == 201, created.text
    return created.json()["token"]


@pytest.fixture(scope="module")
def world(server: Server, make_user: UserFactory, admin: Api, sharing: Sharing) -> World:
    users = {
        "registry-read": make_user("registry-read", prefix="sweepr"),
        "registry-write": make_user("registry-write", prefix="sweepw"),
        "registry-admin": make_user("registry-admin", prefix="sweepa"),
        "owner": make_user("registry-write", prefix="sweepo"),
        "group member": make_user("registry-write", prefix="sweepg"),
        "stranger": make_user(prefix="sweeps"),  # signed in, no general role
    }
    owner = users["owner"]
    org = owner.create("ORGANISATION", samples.organisation())
    records = {
        "readable": owner.create("DATASET", samples.dataset(org["id"], "Sweep readable"))["id"],
        "unreadable": owner.create("DATASET", {**samples.dataset(org["id"], SECRET), "display_name": SECRET})["id"],
    }
    group = sharing.new_group(users["group member"].username)
    sharing.set_access(records["readable"], ["metadata-read"], {group: ["metadata-write", "dataset-data-write"]})
    sharing.set_access(records["unreadable"], [], {group: []})
    expired = jwt.encode({"sub": owner.username, "iat": 0, "exp": int(time.time()) - 60}, SECRET_KEY, algorithm="HS256")
    clients = {name: _client(server, api.token) for name, api in users.items()}
    clients["anonymous"] = _client(server, None)
    clients["expired token"] = _client(server, expired)
    for actor in ("session", "session without CSRF", "read token", "write token", "revoked token", "deactivated user"):
        users[actor] = make_user("registry-write", prefix="sweepc")
    clients["session"] = _session_client(server, users["session"], csrf=True)
    clients["session without CSRF"] = _session_client(server, users["session without CSRF"], csrf=False)
    clients["read token"] = _client(server, _access_token(users["read token"], "read"))
    clients["write token"] = _client(server, _access_token(users["write token"], "write"))
    revoked = users["revoked token"].post("/me/tokens", json={"name": "revoked", "scope": "write", "expires_in_days": 1}).json()
    assert users["revoked token"].delete(f"/me/tokens/{revoked['id']}").status_code == 204
    clients["revoked token"] = _client(server, revoked["token"])
    clients["deactivated user"] = _client(server, users["deactivated user"].token)
    assert admin.patch(f"/users/{users['deactivated user'].username}", json={"active": False}).status_code == 200
    victim = make_user("registry-read", prefix="sweepv").username or ""
    return World(server, clients, {name: api.username or "" for name, api in users.items()}, records, group, owner, users, victim)


Request = tuple[str, dict]  # (path, httpx keyword arguments)
SIGNED_IN = {"registry-read", "registry-write", "registry-admin", "owner", "group member", "stranger"}
READERS = {"registry-read", "registry-write", "registry-admin", "owner", "group member"}
WRITERS = {"registry-write", "registry-admin", "owner", "group member"}
ADMINS = {"registry-admin"}


def item_rule(on_readable: set[str]) -> Callable[[str, str], bool]:
    """The owner and registry admins may do anything; on the readable record, `on_readable` too."""
    return lambda actor, record: actor in {"owner", "registry-admin"} or (record == "readable" and actor in on_readable)


@dataclass
class Route:
    success: int
    allowed: Callable[[str, str], bool]
    request: Callable[[World, str], Request]
    per_record: bool = True


def _item(world: World, record: str, suffix: str = "") -> str:
    return f"/items/{world.records[record]}{suffix}"


def _item_update(world: World, record: str) -> Request:
    """The record's own data again: a new revision that keeps the secret in place."""
    current = world.owner.get(_item(world, record))
    body = {"data": current.json()["data"], "reason": "sweep"}
    return _item(world, record), {"json": body, "headers": {"If-Match": current.headers["etag"]}}


def _settings_without_owner(world: World, record: str) -> dict:
    """The record's access settings as they are, to put back unchanged (the owner is never sent)."""
    settings = world.owner.get(_item(world, record, "/access")).json()
    return {"general": settings["general"], "groups": settings["groups"]}


def _file_put(world: World, record: str) -> Request:
    return _item(world, record, f"/files/{world.unique('upload')}.txt"), {"content": b"sweep"}


def _file_get(world: World, record: str) -> Request:
    world.ensure_file(record)
    return _item(world, record, "/files/sweep.txt"), {}


ROUTES: dict[tuple[str, str], Route] = {
    ("POST", "/api/v1/auth/token"): Route(200, lambda a, r: True, lambda w, r: ("/auth/token", {"json": {"username": "admin", "password": ADMIN_PASSWORD}}), False),
    ("GET", "/api/v1/health"): Route(200, lambda a, r: True, lambda w, r: ("/health", {}), False),
    ("GET", "/api/v1/me"): Route(200, lambda a, r: a in SIGNED_IN, lambda w, r: ("/me", {}), False),
    ("GET", "/api/v1/subtypes"): Route(200, lambda a, r: a in SIGNED_IN, lambda w, r: ("/subtypes", {}), False),
    ("GET", "/api/v1/groups"): Route(200, lambda a, r: a in SIGNED_IN, lambda w, r: ("/groups", {}), False),
    ("GET", "/api/v1/users"): Route(200, lambda a, r: a in ADMINS, lambda w, r: ("/users", {}), False),
    ("POST", "/api/v1/users"): Route(
        201,
        lambda a, r: a in ADMINS,
        lambda w, r: ("/users", {"json": {"username": w.unique("swept"), "password": "long-enough-pw", "display_name": "S", "email": "s@example.org", "roles": []}}),
        False,
    ),
    ("POST", "/api/v1/groups"): Route(201, lambda a, r: a in ADMINS, lambda w, r: ("/groups", {"json": {"name": w.unique("swept"), "description": ""}}), False),
    ("PUT", "/api/v1/groups/{group_id}/members/{username}"): Route(
        204, lambda a, r: a in ADMINS, lambda w, r: (f"/groups/{w.group}/members/{w.usernames['group member']}", {}), False
    ),
    ("DELETE", "/api/v1/groups/{group_id}/members/{username}"): Route(
        204, lambda a, r: a in ADMINS, lambda w, r: (f"/groups/{w.group}/members/{w.usernames['registry-read']}", {}), False
    ),
    ("GET", "/api/v1/items"): Route(200, lambda a, r: a in READERS, lambda w, r: ("/items", {"params": {"q": SECRET.lower()}}), False),
    ("POST", "/api/v1/items"): Route(201, lambda a, r: a in WRITERS, lambda w, r: ("/items", {"json": {"item_subtype": "STUDY", "data": samples.study()}}), False),
    ("GET", "/api/v1/items/{item_id}"): Route(200, item_rule(READERS), lambda w, r: (_item(w, r), {})),
    ("PUT", "/api/v1/items/{item_id}"): Route(200, item_rule({"group member"}), _item_update),
    ("GET", "/api/v1/items/{item_id}/history"): Route(200, item_rule(READERS), lambda w, r: (_item(w, r, "/history"), {})),
    ("GET", "/api/v1/items/{item_id}/permissions"): Route(200, lambda a, r: a in SIGNED_IN, lambda w, r: (_item(w, r, "/permissions"), {})),
    ("GET", "/api/v1/items/{item_id}/access"): Route(200, item_rule(set()), lambda w, r: (_item(w, r, "/access"), {})),
    ("PUT", "/api/v1/items/{item_id}/access"): Route(
        200,
        item_rule(set()),
        lambda w, r: (_item(w, r, "/access"), {"json": _settings_without_owner(w, r)}),
    ),
    ("GET", "/api/v1/items/{item_id}/access-log"): Route(200, item_rule(set()), lambda w, r: (_item(w, r, "/access-log"), {})),
    ("GET", "/api/v1/items/{item_id}/files"): Route(200, item_rule({"group member"}), lambda w, r: (_item(w, r, "/files"), {})),
    ("GET", "/api/v1/items/{item_id}/file-log"): Route(200, item_rule({"group member"}), lambda w, r: (_item(w, r, "/file-log"), {})),
    ("PUT", "/api/v1/items/{item_id}/files/{file_path}"): Route(201, item_rule({"group member"}), _file_put),
    ("GET", "/api/v1/items/{item_id}/files/{file_path}"): Route(200, item_rule({"group member"}), _file_get),
    ("DELETE", "/api/v1/items/{item_id}/files/{file_path}"): Route(204, item_rule({"group member"}), _file_get),
}


def _token_to_revoke(world: World, record: str) -> Request:
    """One of the caller's own tokens (the owner's for callers with no account to make one)."""
    api = world.apis.get(world.actor) if world.actor not in SIGNED_OUT else None
    created = (api or world.owner).post("/me/tokens", json={"name": "to revoke", "scope": "read", "expires_in_days": 1}).json()
    return f"/me/tokens/{created['id']}", {}


def _own_password_change(world: World, record: str) -> Request:
    api = world.apis.get(world.actor) or world.owner
    current = api.password or ""
    return "/me/password", {"json": {"current_password": current, "new_password": current + "+"}}


SIGN_IN = {"json": {"username": "admin", "password": ADMIN_PASSWORD}}
ANYONE = lambda a, r: True  # noqa: E731
IDENTITY_ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/auth/config"): Route(200, ANYONE, lambda w, r: ("/auth/config", {}), False),
    ("POST", "/api/v1/auth/session"): Route(204, ANYONE, lambda w, r: ("/auth/session", SIGN_IN), False),
    ("DELETE", "/api/v1/auth/session"): Route(204, lambda a, r: a in SIGNED_IN, lambda w, r: ("/auth/session", {}), False),
    # This server has no identity provider: both answer 404 to anyone (tests/test_oidc.py has one).
    ("GET", "/api/v1/auth/oidc/login"): Route(404, ANYONE, lambda w, r: ("/auth/oidc/login", {"params": {"next": "/"}}), False),
    ("GET", "/api/v1/auth/oidc/callback"): Route(404, ANYONE, lambda w, r: ("/auth/oidc/callback", {"params": {"code": "c", "state": "s"}}), False),
    ("GET", "/api/v1/me/tokens"): Route(200, lambda a, r: a in SIGNED_IN, lambda w, r: ("/me/tokens", {}), False),
    ("POST", "/api/v1/me/tokens"): Route(
        201, lambda a, r: a in SIGNED_IN, lambda w, r: ("/me/tokens", {"json": {"name": "sweep", "scope": "read", "expires_in_days": 1}}), False
    ),
    ("DELETE", "/api/v1/me/tokens/{token_id}"): Route(204, lambda a, r: a in SIGNED_IN, _token_to_revoke, False),
    ("PUT", "/api/v1/me/password"): Route(204, lambda a, r: a in SIGNED_IN, _own_password_change, False),
    ("PATCH", "/api/v1/users/{username}"): Route(200, lambda a, r: a in ADMINS, lambda w, r: (f"/users/{w.victim}", {"json": {"display_name": "Swept"}}), False),
    ("PUT", "/api/v1/users/{username}/password"): Route(
        204, lambda a, r: a in ADMINS, lambda w, r: (f"/users/{w.victim}/password", {"json": {"password": "swept-password-1"}}), False
    ),
}
ROUTES.update(IDENTITY_ROUTES)
# The routes anyone may call, signed in or not.
PUBLIC = {("POST", "/api/v1/auth/token"), ("GET", "/api/v1/health")} | {route for route, spec in IDENTITY_ROUTES.items() if spec.allowed is ANYONE}


def expected_status(route: tuple[str, str], actor: str, record: str) -> int:
    spec = ROUTES[route]
    if route in PUBLIC:
        return spec.success
    if actor in SIGNED_OUT:
        return 401
    if actor in READ_ONLY and route[0] in WRITE_METHODS:
        return 403
    return spec.success if spec.allowed("registry-write" if actor in LIKE_A_WRITER else actor, record) else 403


def test_every_route_has_a_row(server: Server) -> None:
    document = httpx.get(f"{server.url}/schema/openapi.json").json()
    operations = {(method.upper(), path) for path, item in document["paths"].items() for method in item if method != "parameters"}
    assert operations == set(ROUTES), "add the new route to ROUTES (and decide who may call it)"


CASES = [(route, actor, record) for route, spec in ROUTES.items() for actor in ACTORS for record in (RECORDS if spec.per_record else ["-"])]


@pytest.mark.parametrize(("route", "actor", "record"), CASES, ids=[f"{m} {p} | {a} | {r}" for (m, p), a, r in CASES])
def test_sweep(world: World, route: tuple[str, str], actor: str, record: str) -> None:
    spec = ROUTES[route]
    world.actor = actor
    path, kwargs = spec.request(world, record)
    client = world.clients[actor]
    response = client.request(route[0], path, **kwargs)
    client.cookies.clear()  # what sign-in routes set; a session caller sends its own as a header
    expected = expected_status(route, actor, record)
    assert response.status_code == expected, response.text
    if route == ("PUT", "/api/v1/me/password") and response.status_code == 204:
        api = world.apis[actor]
        api.password = kwargs["json"]["new_password"]
    if route == ("DELETE", "/api/v1/auth/session") and actor == "session":
        _use_session(world.server, client, world.apis[actor], csrf=True)
    if expected >= 400:
        assert response.headers["content-type"] == "application/problem+json"
    if record == "unreadable" and not spec.allowed(actor, "unreadable"):
        assert SECRET not in response.text and SECRET.lower() not in response.text
    if route == ("GET", "/api/v1/items") and actor not in ("owner", "registry-admin"):
        assert SECRET not in response.text  # search never finds what the caller may not read


def test_sweep_size() -> None:
    """For the record: how many combinations the sweep checks."""
    print(f"authorization sweep: {len(ROUTES)} routes, {len(CASES)} route × caller × record combinations")
    assert len(CASES) >= len(ROUTES) * len(ACTORS)
