"""Migrations, health, OpenAPI, the SPA fallback, and the command line."""

from __future__ import annotations

import asyncio
import datetime
import json
import os
import re
import subprocess
import sys
import time
import uuid
import warnings
from pathlib import Path

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import TEST_DATABASE, Api
from litestar.exceptions import LitestarDeprecationWarning
from sqlalchemy import insert, select, text
from support import FAKE_INDEX, Server, create_database, drop_database, free_port, in_process_settings, start_server, stop_server

from registry.app import create_app
from registry.db.engine import Database, sqlalchemy_engine
from registry.db.migrate import compare_type, objects_of, upgrade
from registry.db.models import Base, groups, item_group_roles, items, users
from registry.settings import REPO_ROOT


async def test_migrations_match_the_models(migrated_url: str) -> None:
    def differences(connection) -> list:  # noqa: ANN001
        options = {"compare_type": compare_type, "include_object": objects_of(connection.dialect.name)}
        context = MigrationContext.configure(connection, opts=options)
        return compare_metadata(context, Base.metadata)

    engine = sqlalchemy_engine(migrated_url)
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(differences) == []
    finally:
        await engine.dispose()


def test_migration_fills_granted_groups_from_the_grants() -> None:
    """Records shared before `items.granted_groups` existed stay visible in lists: the migration
    that adds it fills it from their grants (a grant of no role gives none)."""
    url = create_database(TEST_DATABASE, f"registry_granted_{os.getpid()}")
    shared, unshared = uuid.uuid4(), uuid.uuid4()
    granting, empty = uuid.UUID(int=1), uuid.UUID(int=2)
    now = datetime.datetime.now(datetime.UTC)

    async def seed_at_0006() -> None:
        db = Database(url)
        try:
            async with db.write() as conn:
                await conn.execute(insert(users).values(username="owner", password_hash="-", display_name="o", email="o@example.org", roles=1, created_at=now))
                await conn.execute(insert(groups), [{"id": g, "name": str(g), "description": "", "created_at": now} for g in (granting, empty)])
                for item_id in (shared, unshared):
                    # Only the columns revision 0006 has.
                    await conn.execute(
                        insert(items).values(
                            id=item_id, item_subtype="STUDY", item_category="ACTIVITY", owner="owner", created_at=now, updated_at=now,
                            revision=1, data={}, display_name="s", sort_name="s", search_text="", general_roles=0,
                        )
                    )
                grants = [(shared, granting, 1), (shared, empty, 0), (unshared, empty, 0)]
                await conn.execute(insert(item_group_roles), [{"item_id": i, "group_id": g, "roles": r} for i, g, r in grants])
        finally:
            await db.dispose()

    async def granted() -> dict[uuid.UUID, list[uuid.UUID] | None]:
        db = Database(url)
        try:
            async with db.read() as conn:
                return {row.id: row.granted_groups for row in await conn.rows(select(items.c.id, items.c.granted_groups))}
        finally:
            await db.dispose()

    try:
        upgrade(url, "0006")
        asyncio.run(seed_at_0006())
        upgrade(url)
        assert asyncio.run(granted()) == {shared: [granting], unshared: None}
    finally:
        drop_database(url)


def test_health(anonymous: Api) -> None:
    response = anonymous.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


UNREACHABLE = {
    "sqlite": "sqlite+aiosqlite:////nonexistent-folder/registry.db",
    "postgresql": "postgresql+asyncpg://postgres@127.0.0.1:1/registry",
}


def test_health_is_503_and_routes_are_503_when_the_database_is_unreachable(tmp_path) -> None:  # noqa: ANN001
    port = free_port()
    env = {**os.environ, "REGISTRY_DATABASE_URL": UNREACHABLE[TEST_DATABASE], "REGISTRY_SECRET_KEY": "x" * 64}
    # uvicorn directly: `registry serve` would stop at the migration step
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "registry.app:create_app", "--factory", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "log").open("wb"),
    )
    try:
        url = f"http://127.0.0.1:{port}/api/v1"
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"{url}/health", timeout=10)
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "log").read_text()
                time.sleep(0.1)
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        token = httpx.post(f"{url}/auth/token", json={"username": "admin", "password": "x"}, timeout=10)
        assert token.status_code == 503
    finally:
        process.terminate()
        process.wait(10)


def test_openapi_describes_every_route(server: Server) -> None:
    document = httpx.get(f"{server.url}/schema/openapi.json").json()
    paths = document["paths"]
    expected = {
        "/api/v1/auth/token": {"post"},
        "/api/v1/me": {"get"},
        "/api/v1/users": {"get", "post"},
        "/api/v1/subtypes": {"get"},
        "/api/v1/items": {"get", "post"},
        "/api/v1/items/{item_id}": {"get", "put"},
        "/api/v1/items/{item_id}/permissions": {"get"},
        "/api/v1/items/{item_id}/history": {"get"},
        "/api/v1/items/{item_id}/access": {"get", "put"},
        "/api/v1/items/{item_id}/access-log": {"get"},
        "/api/v1/groups": {"get", "post"},
        "/api/v1/groups/{group_id}/members/{username}": {"put", "delete"},
        "/api/v1/health": {"get"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
        for method in methods:
            responses = paths[path][method]["responses"]
            assert "422" in responses, (path, method)
            assert responses["422"]["content"]["application/problem+json"]
    assert paths["/api/v1/items"]["post"]["requestBody"]["content"]["application/json"]["schema"]["oneOf"]
    assert {"401", "403", "404"} <= set(paths["/api/v1/items/{item_id}"]["get"]["responses"])
    assert {"412", "428"} <= set(paths["/api/v1/items/{item_id}"]["put"]["responses"])
    headers = {p["name"] for p in paths["/api/v1/items/{item_id}"]["put"]["parameters"] if p["in"] == "header"}
    assert headers == {"If-Match"}
    assert httpx.get(f"{server.url}/schema/swagger").status_code == 200


def test_every_parameter_and_dependency_is_declared_explicitly(database_url: str, tmp_path: Path) -> None:
    """Litestar 3.0 no longer infers where a handler's parameter comes from (path, query, header or
    dependency); Litestar 2 warns of each inferred one while building the app. Mark each with
    `FromPath`, `QueryParameter`, `HeaderParameter`, `NamedDependency` and the like."""
    settings = in_process_settings(database_url, tmp_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", LitestarDeprecationWarning)
        create_app(settings)
    assert [str(w.message) for w in caught if issubclass(w.category, LitestarDeprecationWarning)] == []


def test_subtypes_serve_form_schemas(writer: Api) -> None:
    subtypes = writer.get("/subtypes").json()
    assert [s["subtype"] for s in subtypes] == ["ORGANISATION", "PERSON", "MODEL", "DATASET_TEMPLATE", "MODEL_RUN_WORKFLOW_TEMPLATE", "STUDY", "DATASET"]
    for entry in subtypes:
        assert entry["json_schema"]["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert entry["ui_schema"]["ui:order"][0] == "display_name"
        assert entry["label"] and entry["category"] in {"AGENT", "ENTITY", "ACTIVITY"}
    assert "null" not in str(subtypes)


# `?path=` is a client route's query like any other, not the file to serve.
@pytest.mark.parametrize("path", ["/", "/items/00000000-0000-0000-0000-000000000000", "/register/MODEL?clone=x", "/?path=assets/app.js"])
def test_client_routes_get_the_app(server: Server, path: str) -> None:
    response = httpx.get(f"{server.url}{path}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == FAKE_INDEX


def test_app_files_are_served_as_themselves(server: Server) -> None:
    response = httpx.get(f"{server.url}/assets/app.js")
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    assert httpx.get(f"{server.url}/../../etc/passwd").text == FAKE_INDEX


def test_command_line_help() -> None:
    result = subprocess.run([sys.executable, "-m", "registry", "--help"], capture_output=True, text=True, check=True)
    for verb in ("serve", "migrate", "users"):
        assert verb in result.stdout
    users = subprocess.run([sys.executable, "-m", "registry", "users", "--help"], capture_output=True, text=True, check=True)
    assert "add" in users.stdout and "list" in users.stdout


def test_users_add_from_the_terminal(server: Server, migrated_url: str) -> None:
    env = {**os.environ, "REGISTRY_DATABASE_URL": migrated_url}
    subprocess.run(
        [sys.executable, "-m", "registry", "users", "add", "terminal-user", "--email", "t@example.org", "--role", "registry-write", "--password-stdin"],
        input="terminal-password\n",
        text=True,
        env=env,
        check=True,
        capture_output=True,
    )
    listed = subprocess.run([sys.executable, "-m", "registry", "users", "list"], env=env, capture_output=True, text=True, check=True)
    assert "terminal-user" in listed.stdout
    token = httpx.post(f"{server.url}/api/v1/auth/token", json={"username": "terminal-user", "password": "terminal-password"})
    assert token.status_code == 200


async def test_database_settings(db: Database) -> None:
    async def value(sql: str) -> object:
        async with db.read() as conn:
            ((found,),) = await conn.rows(text(sql))
        return found

    if db.is_sqlite:
        assert await value("PRAGMA journal_mode") == "wal"
        assert await value("PRAGMA foreign_keys") == 1
    else:
        assert await value("SHOW TimeZone") is not None
        # Every statement planned for its values (docs/performance.md), by a named, bounded session.
        assert await value("SHOW plan_cache_mode") == "force_custom_plan"
        assert await value("SHOW application_name") == "registry"
        assert await value("SHOW statement_timeout") == "10s"
        assert await value("SELECT collation_name FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'sort_name'") == "C"


def test_first_start_without_a_password_prints_a_generated_one(tmp_path) -> None:  # noqa: ANN001
    url = create_database(TEST_DATABASE, f"registry_bootstrap_{os.getpid()}")
    try:
        first = start_server(url, tmp_path / "first.log", REGISTRY_ADMIN_PASSWORD="")
        stop_server(first)
        log = (tmp_path / "first.log").read_text()
        match = re.search(r"password '([^']+)'", log)
        assert match, log
        second = start_server(url, tmp_path / "second.log", REGISTRY_ADMIN_PASSWORD="")
        try:
            assert "password" not in (tmp_path / "second.log").read_text()
            token = httpx.post(f"{second.url}/api/v1/auth/token", json={"username": "admin", "password": match[1]})
            assert token.status_code == 200
        finally:
            stop_server(second)
    finally:
        drop_database(url)


@pytest.mark.parametrize("verb", ["openapi", "subtypes"])
def test_the_web_apps_copies_of_the_api_descriptions_are_current(verb: str) -> None:
    """The frontend's client types and form validators are generated from these copies: `make api-types` refreshes them."""
    checked_in = json.loads((REPO_ROOT / "frontend" / "src" / "api" / f"{verb}.json").read_text())
    live = json.loads(subprocess.run([sys.executable, "-m", "registry", verb], capture_output=True, text=True, check=True).stdout)
    assert checked_in == live, f"frontend/src/api/{verb}.json is stale: run `make api-types`"


def test_options_names_every_method_of_a_path_without_a_token(server: Server) -> None:
    answer = httpx.options(f"{server.url}/api/v1/items")
    assert answer.status_code == 204
    assert {"GET", "POST"} <= {method.strip() for method in answer.headers["allow"].split(",")}


@pytest.mark.parametrize("path", ["/", "/items/x", "/assets/app.js"])
def test_security_headers(server: Server, path: str) -> None:
    headers = httpx.get(f"{server.url}{path}").headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    policy = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src


@pytest.mark.parametrize("path", ["/api/v1/health", "/api/v1/nope", "/api/v1/items"])
def test_api_answers_may_load_nothing_and_be_framed_nowhere(server: Server, path: str) -> None:
    headers = httpx.get(f"{server.url}{path}").headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"


def test_one_structured_line_per_request_and_per_refusal_without_secrets(migrated_url: str, tmp_path) -> None:  # noqa: ANN001
    server = start_server(migrated_url, tmp_path / "server.log", log_level="info")
    try:
        api = f"{server.url}/api/v1"
        secret_password = "a-password-that-must-never-be-logged"
        httpx.post(f"{api}/auth/token", json={"username": "nobody-logged", "password": secret_password})
        token = httpx.post(f"{api}/auth/token", json={"username": "admin", "password": "admin-test-password"}).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        httpx.get(f"{api}/items?limit=1", headers=headers)
        httpx.get(f"{api}/users", headers={"Authorization": "Bearer forged.token.value"})
    finally:
        stop_server(server)
    text = (tmp_path / "server.log").read_text()
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line["event"] == "request"]
    assert {"method", "path", "status", "duration_ms", "user", "at", "level"} <= set(requests[0])
    assert any(r["path"] == "/api/v1/items" and r["status"] == 200 and r["user"] == "admin" for r in requests)
    refusals = [line for line in lines if line["event"] == "refused"]
    assert {(r["path"], r["status"]) for r in refusals} >= {("/api/v1/auth/token", 401), ("/api/v1/users", 401)}
    assert any(line["event"] == "sign_in_failed" and line["username"] == "nobody-logged" for line in lines)
    for secret in (secret_password, "admin-test-password", token, "forged.token.value"):
        assert secret not in text
