"""How many SQL statements each records endpoint sends at most, so that an N+1 fails CI; and, on
SQLite, that every write goes through one connection.

The real app runs in-process (Litestar's TestClient) on a database of its own, created and
migrated like the suite's. The statements are those the app's `registry.sql` logger reports at
DEBUG level, which is every statement the app sends on either database: a new query per request
fails here, and so does a count that grows with refs, revisions, page size or group memberships.

Not counted: BEGIN and COMMIT, and the PRAGMAs each new SQLite connection gets. Every path is
requested once before it is counted, so no first connection's set-up lands in a count. Nothing
here measures time.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime
import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import samples
from conftest import TEST_DATABASE
from litestar.testing import TestClient
from sqlalchemy import insert, text
from support import ADMIN_PASSWORD, create_database, drop_database, in_process_settings

from registry.app import create_app
from registry.auth.service import ensure_admin
from registry.db.engine import Database, statements_log
from registry.db.migrate import upgrade
from registry.db.models import sign_in_failures
from registry.settings import Settings

API = "/api/v1"
# Every request's credential check (auth.credentials): one indexed lookup of the account, before
# the route's own statements, and the same for every route.
CREDENTIAL_CHECK = 1
CONCURRENT_CREATES = 32
# A create's writes, in one transaction on either database: the record and its history entry.
RECORD_WRITES = 2
# Storing an Idempotency-Key beyond that: clearing the user's expired keys, and the key's row.
KEY_WRITES = 2
# The HTTP method of the request a statement belongs to (set by `_tagged` in the burst below).
_method: contextvars.ContextVar[str | None] = contextvars.ContextVar("method", default=None)


class StatementLog(logging.Handler):
    """Every statement the app sends, and the driver connection it went through (from the
    `registry.sql` logger)."""

    def __init__(self, db: Database) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []
        self.connections: list[tuple[str | None, Any, str]] = []
        self.recording = False
        self.remembering_connections = False
        statements_log.addHandler(self)
        statements_log.setLevel(logging.DEBUG)

    def emit(self, record: logging.LogRecord) -> None:
        if self.recording:
            self.statements.append(record.getMessage())
        if self.remembering_connections:
            self.connections.append((_method.get(), record.connection, record.getMessage()))  # type: ignore[attr-defined]

    @contextlib.contextmanager
    def count(self) -> Iterator[list[str]]:
        self.statements = []
        self.recording = True
        try:
            yield self.statements
        finally:
            self.recording = False


@dataclass
class World:
    client: TestClient[Any]
    log: StatementLog
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)

    def headers(self, user: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}", **extra}

    def request(self, user: str, method: str, path: str, expect: int, **kwargs: Any) -> httpx.Response:  # noqa: ANN401
        headers = self.headers(user, **kwargs.pop("headers", {}))
        response = self.client.request(method, f"{API}{path}", headers=headers, **kwargs)
        assert response.status_code == expect, response.text
        return response

    def statements(self, user: str, method: str, path: str, expect: int = 200, **kwargs: Any) -> list[str]:  # noqa: ANN401
        """The statements of one request (made once before, uncounted, when it is a GET)."""
        if method == "GET":
            self.request(user, method, path, expect, **kwargs)
        with self.log.count() as statements:
            self.request(user, method, path, expect, **kwargs)
        return list(statements)

    def create(self, user: str, subtype: str, data: dict[str, Any], **headers: str) -> str:
        response = self.request(user, "POST", "/items", 201, json={"item_subtype": subtype, "data": data}, headers=headers)
        return response.json()["id"]

    def share(self, item_id: str, groups: dict[str, list[str]]) -> None:
        """No general access: the viewers see the record only through their groups."""
        self.request("admin", "PUT", f"/items/{item_id}/access", 200, json={"general": [], "groups": groups})


def _shown(statements: list[str]) -> str:
    return "\n---\n".join(statements)


def workflow(model_id: str, inputs: list[str], outputs: list[str], name: str) -> dict[str, Any]:
    """A workflow template with 1 + len(inputs) + len(outputs) refs."""
    return {
        "display_name": name,
        "software_id": model_id,
        "input_templates": [{"template_id": t, "optional": False} for t in inputs],
        "output_templates": [{"template_id": t, "optional": True} for t in outputs],
    }


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    folder = tmp_path_factory.mktemp("statements")
    url = create_database(TEST_DATABASE, f"registry_statements_{os.getpid()}")
    try:
        upgrade(url)

        async def bootstrap() -> None:
            db = Database(url)
            try:
                await ensure_admin(db, ADMIN_PASSWORD)
            finally:
                await db.dispose()

        asyncio.run(bootstrap())
        # Every request signs in from one address: only the per-username limit is in play.
        yield in_process_settings(url, folder, sign_in_limit_per_address=1_000_000)
    finally:
        drop_database(url)


@pytest.fixture(scope="module")
def world(settings: Settings) -> Iterator[World]:
    """Records owned by `owner`, shared only with groups. `viewer` is in one group the records are
    shared with (metadata-write); `busy` is in that one and five more, each also granted on them."""
    with TestClient(create_app(settings)) as client:
        world = World(client, StatementLog(client.app.state.db))

        def sign_in(username: str, password: str) -> None:
            response = client.post(f"{API}/auth/token", json={"username": username, "password": password})
            assert response.status_code == 200, response.text
            world.tokens[username] = response.json()["access_token"]

        sign_in("admin", ADMIN_PASSWORD)
        for username in ("owner", "viewer", "busy"):
            body = {"username": username, "password": f"{username}-password", "display_name": username.title(), "email": f"{username}@example.org", "roles": ["registry-write"]}
            world.request("admin", "POST", "/users", 201, json=body)
            sign_in(username, f"{username}-password")

        def group(name: str, *members: str) -> str:
            group_id = world.request("admin", "POST", "/groups", 201, json={"name": name, "description": "statement counts"}).json()["id"]
            for member in members:
                world.request("admin", "PUT", f"/groups/{group_id}/members/{member}", 204)
            world.groups[name] = group_id
            return group_id

        shared = group("shared", "viewer", "busy")
        extra = [group(f"extra-{n}", "busy") for n in range(5)]
        grants = {shared: ["metadata-write"], **{g: ["metadata-read"] for g in extra}}

        ids = world.ids
        ids["organisation"] = world.create("owner", "ORGANISATION", samples.organisation())
        ids["model"] = world.create("owner", "MODEL", samples.model())
        for n in range(1, 5):
            ids[f"template{n}"] = world.create("owner", "DATASET_TEMPLATE", samples.dataset_template(f"Template {n}"))
        ids["workflow1"] = world.create("owner", "MODEL_RUN_WORKFLOW_TEMPLATE", workflow(ids["model"], [], [], "One ref"))
        ids["workflow5"] = world.create(
            "owner",
            "MODEL_RUN_WORKFLOW_TEMPLATE",
            workflow(ids["model"], [ids["template1"], ids["template2"]], [ids["template3"], ids["template4"]], "Five refs"),
        )
        for n in range(30):  # more than a default page
            ids[f"study{n}"] = world.create("owner", "STUDY", samples.study(f"Drought study {n}"))
        for item_id in ids.values():
            world.share(item_id, grants)
        # One record with six revisions, by the viewer (a non-owner editing through its group).
        ids["revised"] = ids["study0"]
        for revision in range(1, 6):
            world.request(
                "viewer",
                "PUT",
                f"/items/{ids['revised']}",
                200,
                json={"data": samples.study(f"Drought study 0, take {revision + 1}"), "reason": "statement counts"},
                headers={"If-Match": f'"{revision}"'},
            )
        yield world


def _assert_count(statements: list[str], route_statements: int, what: str) -> None:
    """At most `route_statements` of the route's own, after the credential check."""
    at_most = CREDENTIAL_CHECK + route_statements
    assert CREDENTIAL_CHECK < len(statements) <= at_most, f"{what}: {len(statements)} statements, at most {at_most}:\n{_shown(statements)}"


# --- reads -------------------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["viewer", "busy"])
def test_fetch_is_one_statement(world: World, user: str) -> None:
    statements = world.statements(user, "GET", f"/items/{world.ids['workflow5']}")
    _assert_count(statements, 1, f"GET /items/{{id}} as {user}")


@pytest.mark.parametrize("user", ["viewer", "busy"])
def test_permissions_is_one_statement(world: World, user: str) -> None:
    statements = world.statements(user, "GET", f"/items/{world.ids['workflow5']}/permissions")
    _assert_count(statements, 1, f"GET /items/{{id}}/permissions as {user}")
    # Access was really evaluated through the group: a non-owner with metadata-write from it.
    response = world.request(user, "GET", f"/items/{world.ids['workflow5']}/permissions", 200).json()
    assert response["item_roles"] == ["metadata-read", "metadata-write"]
    assert response["actions"]["edit"] is True and response["actions"]["manage_access"] is False


def test_a_refused_fetch_is_one_statement(world: World) -> None:
    """An outsider (in no group) is refused after the same single statement."""
    world.request("admin", "POST", "/users", 201, json={"username": "outsider", "password": "outsider-password", "display_name": "Outsider", "email": "o@example.org", "roles": ["registry-read"]})
    token = world.client.post(f"{API}/auth/token", json={"username": "outsider", "password": "outsider-password"}).json()["access_token"]
    world.tokens["outsider"] = token
    statements = world.statements("outsider", "GET", f"/items/{world.ids['model']}", expect=403)
    _assert_count(statements, 1, "a refused GET /items/{id}")


@pytest.mark.parametrize("user", ["viewer", "busy"])
@pytest.mark.parametrize("limit", [1, 25, 100])
def test_a_list_page_is_one_statement(world: World, user: str, limit: int) -> None:
    statements = world.statements(user, "GET", "/items", params={"limit": limit})
    _assert_count(statements, 1, f"GET /items?limit={limit} as {user}")


def test_a_search_is_one_statement(world: World) -> None:
    page = world.request("viewer", "GET", "/items", 200, params={"q": "drought"}).json()
    assert len(page["items"]) == 25 and page["next_cursor"]
    statements = world.statements("viewer", "GET", "/items", params={"q": "drought"})
    _assert_count(statements, 1, "GET /items?q=drought")


@pytest.mark.parametrize("query", [{}, {"q": "drought"}, {"sort": "display_name", "limit": 10}])
def test_a_next_page_is_one_statement(world: World, query: dict[str, Any]) -> None:
    first = world.request("viewer", "GET", "/items", 200, params=query).json()
    assert first["next_cursor"], first
    statements = world.statements("viewer", "GET", "/items", params={**query, "cursor": first["next_cursor"]})
    _assert_count(statements, 1, f"GET /items with a cursor, {query}")


@pytest.mark.parametrize("record", ["study1", "revised"])
def test_history_is_two_statements_however_many_revisions(world: World, record: str) -> None:
    """The access check, then the entries: the same for 1 revision as for 6."""
    entries = world.request("viewer", "GET", f"/items/{world.ids[record]}/history", 200).json()["entries"]
    assert len(entries) == (6 if record == "revised" else 1)
    statements = world.statements("viewer", "GET", f"/items/{world.ids[record]}/history")
    _assert_count(statements, 2, f"GET /items/{{id}}/history with {len(entries)} revision(s)")


# --- writes ------------------------------------------------------------------------------------


def _create_statements(world: World, subtype: str, data: dict[str, Any], **headers: str) -> list[str]:
    world.create("viewer", subtype, data, **({"Idempotency-Key": str(uuid.uuid4())} if headers else {}))  # warm the path
    with world.log.count() as statements:
        world.create("viewer", subtype, data, **headers)
    return list(statements)


def test_create_without_refs(world: World) -> None:
    """The record and its history entry."""
    statements = _create_statements(world, "STUDY", samples.study("Counted study"))
    _assert_count(statements, RECORD_WRITES, "POST /items without refs")


@pytest.mark.parametrize("refs", [1, 5])
def test_create_with_refs_is_one_more_statement_however_many_refs(world: World, refs: int) -> None:
    """One ref check for all the refs (each is readable only through the viewer's group), then
    the record and its history entry."""
    ids = world.ids
    data = workflow(ids["model"], [ids["template1"], ids["template2"]], [ids["template3"], ids["template4"]], "Counted") if refs == 5 else workflow(ids["model"], [], [], "Counted")
    statements = _create_statements(world, "MODEL_RUN_WORKFLOW_TEMPLATE", data)
    _assert_count(statements, 1 + RECORD_WRITES, f"POST /items with {refs} ref(s)")


def test_create_with_an_idempotency_key(world: World) -> None:
    """Looking the key up, the record and its history entry, clearing the user's expired keys and
    storing the key; a retry with the key is the look-up alone."""
    key = str(uuid.uuid4())
    data = samples.study("Idempotent study")
    statements = _create_statements(world, "STUDY", data, **{"Idempotency-Key": key})
    _assert_count(statements, 1 + RECORD_WRITES + KEY_WRITES, "POST /items without refs, with an Idempotency-Key")
    with world.log.count() as replay:
        world.create("viewer", "STUDY", data, **{"Idempotency-Key": key})
    _assert_count(replay, 1, "POST /items replayed by its Idempotency-Key")


def test_create_with_refs_and_an_idempotency_key(world: World) -> None:
    ids = world.ids
    data = workflow(ids["model"], [ids["template1"], ids["template2"]], [ids["template3"], ids["template4"]], "Idempotent")
    statements = _create_statements(world, "MODEL_RUN_WORKFLOW_TEMPLATE", data, **{"Idempotency-Key": str(uuid.uuid4())})
    _assert_count(statements, 2 + RECORD_WRITES + KEY_WRITES, "POST /items with 5 refs and an Idempotency-Key")


def _update_statements(world: World, item_id: str, data: dict[str, Any]) -> list[str]:
    for attempt in range(2):  # the first, uncounted, warms the path
        revision = world.request("viewer", "GET", f"/items/{item_id}", 200).headers["ETag"]
        with world.log.count() as statements:
            world.request("viewer", "PUT", f"/items/{item_id}", 200, json={"data": data, "reason": f"take {attempt}"}, headers={"If-Match": revision})
    return list(statements)


def test_update_without_refs(world: World) -> None:
    """Access check (with the current revision), the conditional update and the history entry."""
    statements = _update_statements(world, world.ids["study2"], samples.study("Drought study 2, revised"))
    _assert_count(statements, 3, "PUT /items/{id} without refs")


@pytest.mark.parametrize("refs", [1, 5])
def test_update_with_refs_is_four_statements_however_many_refs(world: World, refs: int) -> None:
    ids = world.ids
    if refs == 5:
        item_id, data = ids["workflow5"], workflow(ids["model"], [ids["template1"], ids["template2"]], [ids["template3"], ids["template4"]], "Five refs")
    else:
        item_id, data = ids["workflow1"], workflow(ids["model"], [], [], "One ref")
    statements = _update_statements(world, item_id, data)
    _assert_count(statements, 4, f"PUT /items/{{id}} with {refs} ref(s)")


# --- SQLite: one connection for every write ----------------------------------------------------


def test_concurrent_creates_write_through_one_connection_on_sqlite(world: World) -> None:
    """32 creates at once, with fetches alongside: every one succeeds, and on SQLite every
    statement of every create (ref check, INSERTs) goes through the same DBAPI connection, which
    no fetch uses.

    The requests run concurrently inside the app's own event loop (an ASGI client there), since
    the TestClient hands the app one request at a time. The read pool is filled with several
    connections first, so a write that took any pooled connection would show up here."""
    app = world.client.app
    db: Database = app.state.db
    headers = world.headers("viewer")
    ids = world.ids

    async def tagged(scope: Any, receive: Any, send: Any) -> None:  # noqa: ANN401
        _method.set(scope.get("method"))
        await app(scope, receive, send)

    async def burst() -> list[httpx.Response]:
        async with contextlib.AsyncExitStack() as held:  # several read connections at once, back to the pool
            for _ in range(4):
                await (await held.enter_async_context(db.read())).rows(text("SELECT 1"))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=tagged), base_url="http://testserver.local", headers=headers) as client:
            creates = [
                client.post(f"{API}/items", json={"item_subtype": "MODEL_RUN_WORKFLOW_TEMPLATE", "data": workflow(ids["model"], [ids["template1"]], [], f"Burst {n}")})
                for n in range(CONCURRENT_CREATES)
            ]
            fetches = [client.get(f"{API}/items/{ids['workflow5']}") for _ in range(CONCURRENT_CREATES)]
            return list(await asyncio.gather(*(c for pair in zip(creates, fetches, strict=True) for c in pair)))

    world.log.connections = []
    world.log.remembering_connections = True
    try:
        responses = world.client.blocking_portal.call(burst)
    finally:
        world.log.remembering_connections = False
    created = [r for r in responses if r.request.method == "POST"]
    assert [r.status_code for r in created] == [201] * CONCURRENT_CREATES, [r.text for r in created if r.status_code != 201]
    assert all(r.status_code == 200 for r in responses if r.request.method == "GET")
    assert len({r.json()["id"] for r in created}) == CONCURRENT_CREATES

    by_method = {method: [conn for m, conn, _ in world.log.connections if m == method] for method in ("POST", "GET")}
    assert len(by_method["POST"]) == (CREDENTIAL_CHECK + 1 + RECORD_WRITES) * CONCURRENT_CREATES  # each create: its ref check, then its writes
    assert len(by_method["GET"]) == (CREDENTIAL_CHECK + 1) * CONCURRENT_CREATES
    if not db.is_sqlite:
        return  # PostgreSQL writes concurrently through its pool
    # The app's connections live as long as the process, so their ids stay theirs.
    writers = {conn for m, conn, sql in world.log.connections if m == "POST" and sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))}
    readers = set(by_method["GET"])
    assert len(writers) == 1, f"the creates went through {len(writers)} connections"
    assert not readers & writers, "a fetch ran on the write connection"


def test_reads_run_alone_and_never_as_a_second_writer(world: World) -> None:
    """SQLite: a write sent through Database.read() would be a second writer, so it fails instead.
    PostgreSQL: a read's statements each run alone (autocommit: no BEGIN and ROLLBACK round
    trips), so a statement's transaction starts with it; a write's statements share one."""
    db: Database = world.client.app.state.db

    async def write_through_a_read_connection() -> None:
        async with db.read() as conn:
            await conn.execute(insert(sign_in_failures).values(username="x", address="y", at=datetime.datetime.now(datetime.UTC)))

    async def transaction_began_with_the_statement(way: str) -> bool:
        async with getattr(db, way)() as conn:
            await conn.rows(text("SELECT pg_sleep(0.01)"))
            ((alone,),) = await conn.rows(text("SELECT statement_timestamp() - now() < interval '5 ms'"))
        return alone

    if db.is_sqlite:
        with pytest.raises(Exception, match="readonly|read-only"):
            world.client.blocking_portal.call(write_through_a_read_connection)
    else:
        assert world.client.blocking_portal.call(transaction_began_with_the_statement, "read") is True
        assert world.client.blocking_portal.call(transaction_began_with_the_statement, "write") is False
