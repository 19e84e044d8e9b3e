"""Test fixtures: a real database (SQLite file or a fresh PostgreSQL database) and the real
server in a subprocess, spoken to over HTTP.

REGISTRY_TEST_DATABASE=sqlite (default) or postgresql picks the database;
REGISTRY_TEST_POSTGRES_URL points at the PostgreSQL server (default: 127.0.0.1:5432, user postgres).
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import pytest

from registry.db.engine import Database
from registry.db.migrate import upgrade
from support import ADMIN_PASSWORD, Server, fake_spa, create_database, drop_database, start_server, stop_server

TEST_DATABASE = os.environ.get("REGISTRY_TEST_DATABASE", "sqlite")


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    try:
        url = create_database(TEST_DATABASE, f"registry_test_{os.getpid()}")
    except OSError as error:
        pytest.exit(f"PostgreSQL is not reachable: {error}. Start it (see .ci/run).", returncode=3)
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def migrated_url(database_url: str) -> str:
    upgrade(database_url)
    return database_url


@pytest.fixture(scope="session")
async def db(migrated_url: str) -> AsyncIterator[Database]:
    """Direct database access for setting up what no API route does yet, and for checks."""
    database = Database(migrated_url)
    yield database
    await database.dispose()


@pytest.fixture(scope="session")
def server(migrated_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("server")
    running = start_server(migrated_url, folder / "server.log", REGISTRY_SPA_DIR=str(fake_spa(folder / "spa")))
    yield running
    stop_server(running)


class Api:
    """An HTTP client on /api/v1, signed in as one user (or anonymous)."""

    def __init__(self, base_url: str, username: str | None = None, token: str | None = None, password: str | None = None) -> None:
        self.username = username
        self.token = token
        self.password = password
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(base_url=f"{base_url}/api/v1", headers=headers, timeout=30)

    def __getattr__(self, name: str):  # noqa: ANN204 - get, post, put, delete, request of httpx.Client
        return getattr(self.http, name)

    def create(self, subtype: str, data: dict, **kwargs) -> dict:  # noqa: ANN003
        response = self.http.post("/items", json={"item_subtype": subtype, "data": data}, **kwargs)
        assert response.status_code == 201, response.text
        return response.json()


_user_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def anonymous(server: Server) -> Api:
    return Api(server.url)


def sign_in(server: Server, username: str, password: str) -> Api:
    response = httpx.post(f"{server.url}/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return Api(server.url, username, response.json()["access_token"], password)


@pytest.fixture(scope="session")
def admin(server: Server) -> Api:
    return sign_in(server, "admin", ADMIN_PASSWORD)


UserFactory = Callable[..., Api]


@pytest.fixture(scope="session")
def make_user(server: Server, admin: Api) -> UserFactory:
    """`make_user("registry-write")` → a new user with those roles, signed in."""

    def make(*roles: str, prefix: str = "user") -> Api:
        username = f"{prefix}{next(_user_numbers)}-{uuid.uuid4().hex[:6]}"
        password = f"pw-{uuid.uuid4().hex}"
        body = {"username": username, "password": password, "display_name": username.title(), "email": f"{username}@example.org", "roles": list(roles)}
        response = admin.post("/users", json=body)
        assert response.status_code == 201, response.text
        return sign_in(server, username, password)

    return make


@pytest.fixture
def writer(make_user: UserFactory) -> Api:
    return make_user("registry-write", prefix="writer")


@pytest.fixture
def reader(make_user: UserFactory) -> Api:
    return make_user("registry-read", prefix="reader")


class Sharing:
    """Groups and access settings through the API, as a registry admin."""

    def __init__(self, admin: Api) -> None:
        self.admin = admin

    def new_group(self, *members: str) -> str:
        response = self.admin.post("/groups", json={"name": f"group-{uuid.uuid4().hex[:10]}", "description": "for a test"})
        assert response.status_code == 201, response.text
        group_id = response.json()["id"]
        for member in members:
            assert self.admin.put(f"/groups/{group_id}/members/{member}").status_code == 204
        return group_id

    def set_access(self, item_id: str, general: list[str], groups: dict[str, list[str]] | None = None) -> dict:
        response = self.admin.put(f"/items/{item_id}/access", json={"general": general, "groups": groups or {}})
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="session")
def sharing(admin: Api) -> Sharing:
    return Sharing(admin)
