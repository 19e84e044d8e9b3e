"""`make bench-instructions`: what one request costs the process, in instructions counted by
valgrind's callgrind, for the app and for the driver baseline (bench/baseline.py) in the same run.

On a shared machine whose speed drifts from one run to the next (`make bench`'s req/s moved by
half between rounds on the development machine), instruction counts do not drift: they are what
a change costs, and while the app's one core is the bottleneck their ratio is what `make bench`'s
"× driver" column shows.

Each app runs in this process under callgrind (no HTTP server or load generator, whose costs are
the same for both), against the benchmark's PostgreSQL database (`make bench` seeds it; this
reuses it or seeds it first). A route is called SMALL and LARGE times, one request at a time,
after a warm-up; the difference of the two counts over LARGE - SMALL is one request, as start-up
and warm-up cancel out. Request logs are on, as `registry serve` runs them.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import subprocess
import sys
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import msgspec

import seed as seeding
from run import VAR, app_settings, create_body, database_url, prepare, remove_created

SMALL, LARGE = 200, 1000
WARM_UP = 50
# (name, what it calls, its baseline)
MEASUREMENTS = [
    ("driver fetch", "driver-fetch", None),
    ("app fetch", "fetch", "driver fetch"),
    ("app permissions", "permissions", "driver fetch"),
    ("driver list", "driver-list", None),
    ("app list", "list", "driver list"),
    ("driver insert", "driver-insert", None),
    ("app create", "create", "driver insert"),
]
_COLLECTED = re.compile(r"Collected\s*:\s*([\d,]+)")


# -- In the process callgrind watches ----------------------------------------------------------------

Asgi = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


async def _call(app: Asgi, method: str, path: str, headers: list[tuple[bytes, bytes]], body: bytes = b"") -> tuple[int, bytes]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), *headers, (b"content-length", str(len(body)).encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    request_sent = False
    answer: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        nonlocal request_sent
        if request_sent:  # the client stays connected until the answer is sent
            await asyncio.Event().wait()
        request_sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        else:
            answer["body"] += message.get("body", b"")

    await app(scope, receive, send)
    return answer["status"], answer["body"]


async def _serve(what: str, count: int) -> None:
    url = database_url("postgresql")
    seeded = msgspec.json.decode((VAR / "seeded-postgresql.json").read_bytes(), type=seeding.Seeded)
    os.environ.update(app_settings(url, "postgresql"), BENCH_DATABASE_URL=url)
    if what.startswith("driver"):
        import baseline

        app: Asgi = baseline.create_app()
    else:
        from registry.app import create_asgi_app

        app = create_asgi_app()
    startup: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    started = asyncio.Event()
    await startup.put({"type": "lifespan.startup"})

    async def lifespan_send(message: dict[str, Any]) -> None:
        if message["type"] == "lifespan.startup.failed":
            raise SystemExit(f"the app did not start: {message.get('message')}")
        if message["type"] == "lifespan.startup.complete":
            started.set()

    lifespan = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, startup.get, lifespan_send))
    await started.wait()

    async def token(username: str) -> list[tuple[bytes, bytes]]:
        credentials = json.dumps({"username": username, "password": seeding.PASSWORD}).encode()
        _, answer = await _call(app, "POST", "/api/v1/auth/token", [(b"content-type", b"application/json")], credentials)
        return [(b"authorization", b"Bearer " + json.loads(answer)["access_token"].encode())]

    json_body = [(b"content-type", b"application/json")]
    ids = seeded.readable_ids
    body = create_body(seeded)
    rng = random.Random(1)
    requests: dict[str, Callable[[], Awaitable[tuple[int, bytes]]]] = {
        "driver-fetch": lambda: _call(app, "GET", f"/driver/items/{rng.choice(ids)}", []),
        "driver-list": lambda: _call(app, "GET", "/driver/items", []),
        "driver-insert": lambda: _call(app, "POST", "/driver/items", json_body, body),
    }
    if not what.startswith("driver"):
        reader = await token(seeded.reader)
        writer = await token(seeded.writer)
        requests |= {
            "fetch": lambda: _call(app, "GET", f"/api/v1/items/{rng.choice(ids)}", reader),
            "permissions": lambda: _call(app, "GET", f"/api/v1/items/{rng.choice(ids)}/permissions", reader),
            "list": lambda: _call(app, "GET", "/api/v1/items", reader),
            "create": lambda: _call(app, "POST", "/api/v1/items", writer + json_body, body),
        }
    request = requests[what]
    for _ in range(WARM_UP + count):
        status, answer = await request()
        if status not in (200, 201):
            raise SystemExit(f"{what}: {status} {answer[:300]!r}")
    await startup.put({"type": "lifespan.shutdown"})
    await lifespan


# -- The run ------------------------------------------------------------------------------------------


def _instructions(what: str, count: int) -> int:
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__, what, str(count)]
    finished = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "REGISTRY_LOG_LEVEL": "info", "PYTHONHASHSEED": "0"})
    found = _COLLECTED.search(finished.stderr)
    if finished.returncode != 0 or found is None:
        raise SystemExit(f"{what} under callgrind failed:\n{finished.stderr[-3000:]}")
    return int(found[1].replace(",", ""))


def _per_request(what: str) -> int:
    small, large = _instructions(what, SMALL), _instructions(what, LARGE)
    count = round((large - small) / (LARGE - SMALL))
    print(f"  {what}: {count:,} instructions a request", flush=True)
    return count


def main() -> None:
    if subprocess.run(["sh", "-c", "command -v valgrind"], capture_output=True).returncode != 0:
        raise SystemExit("valgrind is not installed: run `apt-get install -y valgrind` (make bench-instructions does this when it can).")
    VAR.mkdir(parents=True, exist_ok=True)
    prepare("postgresql")
    # Once without callgrind first, so that no count includes compiling a changed module to bytecode.
    for what in ("fetch", "driver-fetch"):
        subprocess.run([sys.executable, __file__, what, "1"], check=True, capture_output=True)
    print(f"counting instructions: {len(MEASUREMENTS)} routes, {SMALL} and {LARGE} requests each under callgrind (about ten minutes on 2 cores)", flush=True)
    try:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            counts = dict(zip([name for name, _, _ in MEASUREMENTS], pool.map(_per_request, [what for _, what, _ in MEASUREMENTS]), strict=True))
    finally:
        asyncio.run(remove_created(database_url("postgresql")))
    print("PostgreSQL, one request at a time; instructions per request of the whole process")
    print(f"{'measurement':<20} {'instructions':>12}  {'driver / app':>12}")
    for name, _, baseline in MEASUREMENTS:
        ratio = f"{counts[baseline] / counts[name]:12.2f}" if baseline else ""
        print(f"{name:<20} {counts[name]:>12,}  {ratio}")


if __name__ == "__main__":
    if len(sys.argv) == 3:
        import uvloop

        uvloop.run(_serve(sys.argv[1], int(sys.argv[2])))
    else:
        main()
