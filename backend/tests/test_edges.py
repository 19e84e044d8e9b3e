"""Edges found from outside: values a database column cannot hold, what is and is not a 503, the
statement timeout, the connection budget under load, bursts at the sign-in limit, messages,
the secret key, concurrent access changes, missing and unstorable files, and several worker
processes on one port."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
import samples
from conftest import TEST_DATABASE, Api, Sharing, UserFactory, sign_in
from support import ADMIN_PASSWORD, POSTGRES_URL, Server, create_database, drop_database, start_server, stop_server

from registry.db.engine import APPLICATION_NAME
from registry.db.migrate import upgrade

WEIRD_VALUES = ["9999999999", "99999999999999999999", "-1", "%00", "a%00b", "x" * 3000, "%F0%9F%98%80", "' OR 1=1 --", "%2e%2e", "null"]


def _no_server_error(response: httpx.Response) -> None:
    assert response.status_code < 500, (response.request.method, str(response.request.url)[:200], response.status_code, response.text[:300])
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        assert " object at 0x" not in response.text


def test_an_if_match_beyond_any_revision_is_412(writer: Api) -> None:
    item = writer.create("STUDY", samples.study("Overflowing ETag"))
    for stale in ('"9999999999"', '"2147483648"', '"99999999999999999999"'):
        response = writer.put(f"/items/{item['id']}", json={"data": samples.study("Changed"), "reason": "test"}, headers={"If-Match": stale})
        assert response.status_code == 412, response.text
    assert writer.get(f"/items/{item['id']}").json()["revision"] == 1


def test_path_query_and_header_values_no_column_can_hold_are_4xx(admin: Api, writer: Api) -> None:
    org = writer.create("ORGANISATION", samples.organisation())
    dataset = writer.create("DATASET", samples.dataset(org["id"]))["id"]
    group = admin.post("/groups", json={"name": f"edges-{uuid.uuid4().hex[:8]}", "description": ""}).json()["id"]
    for value in WEIRD_VALUES:
        for path in [
            f"/items/{value}", f"/items/{value}/history", f"/items/{value}/permissions", f"/items/{value}/access",
            f"/items/{value}/access-log", f"/items/{value}/files", f"/items/{dataset}/files/{value}", f"/items/{dataset}/file-log",
        ]:  # fmt: skip
            _no_server_error(admin.get(path))
        _no_server_error(admin.put(f"/groups/{group}/members/{value}"))
        _no_server_error(admin.delete(f"/groups/{group}/members/{value}"))
        _no_server_error(admin.put(f"/groups/{value}/members/admin"))
        _no_server_error(admin.delete(f"/items/{dataset}/files/{value}"))
        for name in ("owner", "q", "subtype", "cursor", "limit", "sort"):
            _no_server_error(admin.get("/items", params={name: value}))
        _no_server_error(admin.put(f"/items/{dataset}", json={"data": {}, "reason": "x"}, headers={"If-Match": f'"{value}"'}))
        _no_server_error(writer.post("/items", json={"item_subtype": "STUDY", "data": samples.study()}, headers={"Idempotency-Key": value}))
        _no_server_error(admin.get(f"/items/{dataset}/files/none.txt", headers={"Range": f"bytes={value}-"}))


def test_a_missing_file_is_named_in_plain_words(writer: Api) -> None:
    org = writer.create("ORGANISATION", samples.organisation())
    dataset = writer.create("DATASET", samples.dataset(org["id"]))["id"]
    for response in (writer.get(f"/items/{dataset}/files/no/such/file.csv"), writer.delete(f"/items/{dataset}/files/no/such/file.csv")):
        assert response.status_code == 404
        assert response.json()["detail"] == "This dataset has no file no/such/file.csv."


def test_a_file_whose_bytes_are_gone_from_storage_is_404(server: Server, writer: Api) -> None:
    org = writer.create("ORGANISATION", samples.organisation())
    dataset = writer.create("DATASET", samples.dataset(org["id"]))["id"]
    assert writer.put(f"/items/{dataset}/files/gone.txt", content=b"soon gone").status_code == 201
    files = server.log.parent / "files" / dataset / "blobs"
    for blob in files.iterdir():
        blob.unlink()
    response = writer.get(f"/items/{dataset}/files/gone.txt")
    assert response.status_code == 404, response.text
    assert "gone.txt" in response.json()["detail"] and "operators" in response.json()["detail"]


def test_thirty_wrong_passwords_at_once_get_no_more_than_the_limits_tries(server: Server, make_user: UserFactory) -> None:
    """The limit is 5 failures per user and address in 15 minutes: of 30 wrong passwords sent
    together, at most 5 are checked (401), the rest refused (429)."""
    victim = make_user("registry-read")
    barrier = threading.Barrier(30)

    def attempt(_: int) -> int:
        with httpx.Client(timeout=60) as client:
            barrier.wait()
            return client.post(f"{server.url}/api/v1/auth/token", json={"username": victim.username, "password": "wrong"}).status_code

    with concurrent.futures.ThreadPoolExecutor(30) as pool:
        statuses = list(pool.map(attempt, range(30)))
    assert set(statuses) <= {401, 429}, statuses
    # None may be checked: when all 30 are recorded before any counts, each sees 30 and is refused.
    assert statuses.count(401) <= 5, statuses
    # One at a time, the tries left until the limit: 5 in all, then 429 even for the right password.
    tried = statuses.count(401)
    while (answer := httpx.post(f"{server.url}/api/v1/auth/token", json={"username": victim.username, "password": "wrong"})).status_code == 401:
        tried += 1
    assert answer.status_code == 429 and tried == 5
    right = httpx.post(f"{server.url}/api/v1/auth/token", json={"username": victim.username, "password": victim.password})
    assert right.status_code == 429 and int(right.headers["Retry-After"]) > 0


def test_concurrent_access_changes_each_log_what_they_replaced(admin: Api, writer: Api, sharing: Sharing) -> None:
    """Ten changes at once: each log entry's "old" is the previous entry's "new", so the log
    tells the settings' whole story."""
    item = writer.create("STUDY", samples.study("Contested access"))["id"]
    groups = [sharing.new_group() for _ in range(10)]

    def change(n: int) -> int:
        body = {"general": ["metadata-read"] if n % 2 else [], "groups": {groups[n]: ["metadata-write"]}}
        return admin.put(f"/items/{item}/access", json=body).status_code

    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        assert list(pool.map(change, range(10))) == [200] * 10
    entries = list(reversed(admin.get(f"/items/{item}/access-log").json()["entries"]))
    assert len(entries) == 10
    assert entries[0]["old"] == {"general": ["metadata-read"], "groups": {}}
    for before, after in zip(entries, entries[1:], strict=False):
        assert after["old"] == before["new"]


def test_a_secret_key_set_too_short_stops_the_start_and_names_the_variable() -> None:
    env = {**os.environ, "REGISTRY_SECRET_KEY": "too-short"}
    result = subprocess.run([sys.executable, "-m", "registry", "serve"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "REGISTRY_SECRET_KEY" in result.stderr and "32" in result.stderr
    assert "Traceback" not in result.stderr


def test_processes_starting_together_generate_one_secret_key(tmp_path: Path) -> None:
    start_at = time.time() + 1.5
    program = (
        "import sys, time; from pathlib import Path; from registry.settings import load_secret_key; "
        f"time.sleep(max(0, {start_at} - time.time())); print(load_secret_key(Path(sys.argv[1])))"
    )
    env = {key: value for key, value in os.environ.items() if key != "REGISTRY_SECRET_KEY"}
    processes = [subprocess.Popen([sys.executable, "-c", program, str(tmp_path)], env=env, stdout=subprocess.PIPE, text=True) for _ in range(8)]
    keys = {process.communicate(timeout=60)[0].strip() for process in processes}
    assert len(keys) == 1 and len(keys.pop()) >= 32
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB file system for dataset files (tmpfs; the tests run as root, as CI does)."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def test_a_full_disk_is_507_and_leaves_nothing(migrated_url: str, tmp_path: Path, small_disk: Path, make_user: UserFactory) -> None:
    full = start_server(migrated_url, tmp_path / "server.log", REGISTRY_FILES_DIR=str(small_disk))
    try:
        owner = make_user("registry-write")
        api = Api(full.url, owner.username, owner.token)
        org = api.create("ORGANISATION", samples.organisation())
        dataset = api.create("DATASET", samples.dataset(org["id"]))["id"]
        response = api.put(f"/items/{dataset}/files/big.bin", content=b"x" * (3 * 1024 * 1024))
        assert response.status_code == 507, response.text
        assert "storage is full" in response.json()["detail"]
        assert api.get(f"/items/{dataset}/files").json()["files"] == []
        assert not [path for path in small_disk.rglob("*") if path.is_file()]
        assert api.put(f"/items/{dataset}/files/small.txt", content=b"fits").status_code == 201
    finally:
        stop_server(full)


def test_an_unexpected_failure_is_500_with_its_traceback_in_the_log(migrated_url: str, tmp_path: Path, make_user: UserFactory) -> None:
    """The files folder is a file, which no upload can go into: a fault the app does not know,
    so 500 with a message that reveals nothing, and the log line carries the traceback."""
    not_a_folder = tmp_path / "files-is-a-file"
    not_a_folder.write_text("not a folder")
    broken = start_server(migrated_url, tmp_path / "server.log", log_level="info", REGISTRY_FILES_DIR=str(not_a_folder))
    try:
        owner = make_user("registry-write")
        api = Api(broken.url, owner.username, owner.token)
        org = api.create("ORGANISATION", samples.organisation())
        dataset = api.create("DATASET", samples.dataset(org["id"]))["id"]
        response = api.put(f"/items/{dataset}/files/a.txt", content=b"bytes")
        assert response.status_code == 500
        assert response.json()["detail"] == "Something went wrong on the server. It has been logged; try again later."
        # The log is written by a thread of its own: give it a moment before reading.
        deadline = time.monotonic() + 10
        while not _error_lines(tmp_path / "server.log") and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop_server(broken)
    errors = _error_lines(tmp_path / "server.log")
    assert errors and "Traceback" in errors[0]["error"] and "files-is-a-file" in errors[0]["error"]


def _error_lines(log: Path) -> list[dict]:
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    return [line for line in lines if line["level"] == "error"]


@pytest.fixture(scope="module")
def bounded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """A server on a database of its own with 3 connections and a 1 s statement timeout."""
    url = create_database(TEST_DATABASE, f"registry_bounded_{os.getpid()}")
    upgrade(url)
    folder = tmp_path_factory.mktemp("bounded")
    running = start_server(url, folder / "server.log", REGISTRY_DB_POOL_SIZE="3", REGISTRY_STATEMENT_TIMEOUT="1")
    yield running, url
    stop_server(running)
    drop_database(url)


def _sessions(server: Server, url: str) -> int:
    """The server's connections to its database: PostgreSQL sessions, or open handles on the SQLite file."""
    if TEST_DATABASE == "sqlite":
        path = os.path.realpath(url.removeprefix("sqlite+aiosqlite:///"))
        handles = Path(f"/proc/{server.process.pid}/fd").iterdir()
        return sum(1 for handle in handles if os.path.realpath(handle) == path)

    async def count() -> int:
        conn = await asyncpg.connect(POSTGRES_URL)
        try:
            return await conn.fetchval("SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2", url.rsplit("/", 1)[1], APPLICATION_NAME)
        finally:
            await conn.close()

    return asyncio.run(count())


def test_under_load_a_process_holds_no_more_connections_than_its_budget(bounded: tuple[Server, str]) -> None:
    server, url = bounded
    api = sign_in(server, "admin", ADMIN_PASSWORD)
    item = api.create("STUDY", samples.study("Budget"))["id"]
    token = api.token
    stop = threading.Event()
    most = 0

    def load(n: int) -> None:
        with httpx.Client(base_url=f"{server.url}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
            while not stop.is_set():
                kind = n % 4
                if kind == 0:
                    response = client.get(f"/items/{item}")
                elif kind == 1:
                    response = client.get("/items", params={"q": "budget"})
                elif kind == 2:
                    response = client.post("/items", json={"item_subtype": "STUDY", "data": samples.study(f"Budget {n}")})
                else:
                    response = client.get(f"/items/{item}/history")
                assert response.status_code in (200, 201), response.text

    with concurrent.futures.ThreadPoolExecutor(24) as pool:
        running = [pool.submit(load, n) for n in range(24)]
        deadline = time.monotonic() + 4
        while time.monotonic() < deadline:
            most = max(most, _sessions(server, url))
            time.sleep(0.05)
        stop.set()
        for future in running:
            future.result()
    assert 1 <= most <= 3


def test_a_statement_held_up_past_the_timeout_is_503_and_the_connection_serves_on(bounded: tuple[Server, str]) -> None:
    """PostgreSQL: the records table locked by someone else holds a fetch up until its statement
    timeout (1 s). SQLite: another process holding the write lock holds a create up as long."""
    server, url = bounded
    api = sign_in(server, "admin", ADMIN_PASSWORD)
    item = api.create("STUDY", samples.study("Held up"))["id"]

    def held_up() -> httpx.Response:
        if TEST_DATABASE == "sqlite":
            return api.post("/items", json={"item_subtype": "STUDY", "data": samples.study("Waiting for the lock")})
        return api.get(f"/items/{item}")

    with _database_held(url):
        started = time.monotonic()
        refused = held_up()
        waited = time.monotonic() - started
    assert refused.status_code == 503, refused.text
    assert refused.headers["Retry-After"] and refused.headers["content-type"] == "application/problem+json"
    assert 0.9 < waited < 5
    # Every connection serves on: more requests than the pool has connections all succeed.
    for _ in range(6):
        assert held_up().status_code in (200, 201)
    assert httpx.get(f"{server.url}/api/v1/health").json() == {"status": "ok", "database": "ok"}


class _database_held:  # noqa: N801 - used as a context manager
    """Someone else holding the database: the items table locked (PostgreSQL), or the write lock (SQLite)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def __enter__(self) -> None:
        if TEST_DATABASE == "sqlite":
            self.sqlite = sqlite3.connect(self.url.removeprefix("sqlite+aiosqlite:///"), isolation_level=None)
            self.sqlite.execute("BEGIN IMMEDIATE")
            return
        self.loop = asyncio.new_event_loop()
        self.conn = self.loop.run_until_complete(asyncpg.connect(self.url.replace("postgresql+asyncpg://", "postgresql://", 1)))
        self.loop.run_until_complete(self.conn.execute("BEGIN; LOCK TABLE items IN ACCESS EXCLUSIVE MODE"))

    def __exit__(self, *_: object) -> None:
        if TEST_DATABASE == "sqlite":
            self.sqlite.execute("ROLLBACK")
            self.sqlite.close()
            return
        self.loop.run_until_complete(self.conn.execute("ROLLBACK"))
        self.loop.run_until_complete(self.conn.close())
        self.loop.close()


def test_several_worker_processes_serve_one_port(migrated_url: str, tmp_path: Path) -> None:
    for how in ({"REGISTRY_WORKERS": "2"}, {"REGISTRY_WORKERS": "1", "--workers": "2"}):
        env = {key: value for key, value in how.items() if key.startswith("REGISTRY")}
        log = tmp_path / f"server-{len(how)}.log"
        extra = ["--workers", how["--workers"]] if "--workers" in how else []
        running = start_server(migrated_url, log, log_level="info", extra_arguments=extra, **env)
        try:
            children = subprocess.run(["pgrep", "-P", str(running.process.pid)], capture_output=True, text=True).stdout.split()
            assert len(children) >= 2, children
            with httpx.Client(timeout=30) as client:
                for _ in range(200):
                    assert client.get(f"{running.url}/api/v1/health", headers={"Connection": "close"}).status_code == 200
        finally:
            stop_server(running)
        lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
        answered_by = {line["pid"] for line in lines if line.get("event") == "request" and line["path"] == "/api/v1/health"}
        assert len(answered_by) == 2, answered_by
