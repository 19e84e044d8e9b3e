"""Outage drill (PostgreSQL only; `make test-outage`, run by `make test`): while reads and creates
run, PostgreSQL stops for several seconds and starts again. The API must answer 503 quickly while
it is down (no hanging request, no 500), recover by itself, and every create that got a 201 must
be there afterwards with its history entry, while none that failed left anything behind.

Not collected with the other tests (its name does not start with `test_`): it stops the
machine's PostgreSQL, which the PostgreSQL suite is using.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from support import ADMIN_PASSWORD, create_database, drop_database, start_server, stop_server

OUTAGE_SECONDS = 8
LOAD_THREADS = 6
SLOW_SECONDS = 10  # a request slower than this while the database is down counts as hanging


def cluster() -> list[str]:
    version = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(p) for p in v.split(".")])[-1]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]


def _ready() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0


def postgres(action: str) -> None:
    if action == "start" and _ready():
        return
    subprocess.run([*cluster(), action, *(["-m", "fast"] if action == "stop" else [])], check=True, capture_output=True)
    if action == "start":
        for _ in range(60):
            if _ready():
                return
            time.sleep(0.5)
        raise RuntimeError("PostgreSQL did not come back")


@dataclass
class Outcome:
    kind: str
    status: int
    seconds: float
    started: float
    name: str | None = None
    item_id: str | None = None


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[str]:
    url = create_database("postgresql", f"registry_outage_{os.getpid()}")
    server = start_server(url, tmp_path / "server.log")
    try:
        yield server.url
    finally:
        stop_server(server)
        drop_database(url)


def test_the_api_survives_a_database_outage(registry: str) -> None:
    api = f"{registry}/api/v1"
    token = httpx.post(f"{api}/auth/token", json={"username": "admin", "password": ADMIN_PASSWORD}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    stop = threading.Event()

    def load(worker: int) -> None:
        with httpx.Client(base_url=api, headers=headers, timeout=60) as client:
            n = 0
            while not stop.is_set():
                n += 1
                name = f"outage-{worker}-{n}-{uuid.uuid4().hex[:8]}"
                kind = ("create", "list", "health")[n % 3]
                started = time.monotonic()
                if kind == "create":
                    body = {"item_subtype": "STUDY", "data": {"display_name": name, "title": name, "description": "drill"}}
                    response = client.post("/items", json=body)
                elif kind == "list":
                    response = client.get("/items", params={"limit": 5})
                else:
                    response = client.get("/health")
                item_id = response.json()["id"] if kind == "create" and response.status_code == 201 else None
                with lock:
                    outcomes.append(Outcome(kind, response.status_code, time.monotonic() - started, started, name if kind == "create" else None, item_id))

    threads = [threading.Thread(target=load, args=(w,)) for w in range(LOAD_THREADS)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(4)
        postgres("stop")
        down = time.monotonic()
        time.sleep(OUTAGE_SECONDS)
        restarting = time.monotonic()
        postgres("start")
        up = time.monotonic()
        time.sleep(8)
    finally:
        stop.set()
        for thread in threads:
            thread.join(120)
        postgres("start")  # whatever happened above, leave PostgreSQL running

    statuses = {o.status for o in outcomes}
    assert statuses <= {200, 201, 503}, f"unexpected statuses: {statuses - {200, 201, 503}}"
    during = [o for o in outcomes if down < o.started < restarting]
    assert during and {o.status for o in during} == {503}, "while the database is down, the API answers 503"
    assert max(o.seconds for o in during) < SLOW_SECONDS, "no request hangs while the database is down"
    recovered = [o for o in outcomes if o.started > up + 3]
    assert recovered and all(o.status in (200, 201) for o in recovered), "the API recovers by itself"

    created = [o for o in outcomes if o.kind == "create" and o.status == 201]
    failed = [o for o in outcomes if o.kind == "create" and o.status != 201]
    with httpx.Client(base_url=api, headers=headers, timeout=30) as client:
        for outcome in created:
            assert client.get(f"/items/{outcome.item_id}").status_code == 200
            assert [e["revision"] for e in client.get(f"/items/{outcome.item_id}/history").json()["entries"]] == [1]
        for outcome in failed:
            assert client.get("/items", params={"q": outcome.name}).json()["items"] == [], f"{outcome.name} left a record"
    print(
        f"outage drill: PostgreSQL down {up - down:.1f} s; {len(outcomes)} requests ({len(during)} while down), "
        f"{len(created)} creates acknowledged and found afterwards, {len(failed)} refused with 503 and absent; "
        f"slowest request while down {max(o.seconds for o in during):.2f} s"
    )
