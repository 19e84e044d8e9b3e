"""`make bench`: the app's throughput and latency against two baselines measured in the same run.

For each database (PostgreSQL, then the embedded SQLite default) it seeds BENCH_RECORDS records
(reused when a previous run left the same seeded database), starts the app as `registry serve`
runs it in production (uvicorn, one worker, request logs on) and the baseline server
(bench/baseline.py), each pinned to core 0, and drives them with wrk pinned to core 1. Every
measurement is repeated BENCH_REPEATS times in rounds, each app load right after its baseline;
figures are medians, and a ratio is the median of the ratios within each round. Then, one
client at a time, the latency of search and of every sort's first and deep page (the scale
figures). The table goes to stdout and the whole report to
var/bench/report.json.

Settings (environment): BENCH_RECORDS (100000), BENCH_DURATION seconds per run (3),
BENCH_REPEATS (7), BENCH_CONNECTIONS (32), BENCH_DATABASES ("postgresql,sqlite"),
BENCH_POSTGRES_URL (the server's maintenance database).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import msgspec
from sqlalchemy import delete, select, text
from sqlalchemy.dialects import postgresql

import seed as seeding
from registry.db.engine import APPLICATION_NAME, POSTGRES_SESSION, Database
from registry.db.migrate import upgrade
from registry.db.models import item_history, items
from registry.access.roles import READER, Readability
from registry.items import service
from registry.items.service import SORT_COLUMNS, ListQuery, encode_cursor

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parents[1]
VAR = REPO_ROOT / "var" / "bench"
APP_PORT, BASELINE_PORT = 8701, 8702
RECORDS = int(os.environ.get("BENCH_RECORDS", "100000"))
DURATION = int(os.environ.get("BENCH_DURATION", "3"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "7"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
DATABASES = os.environ.get("BENCH_DATABASES", "postgresql,sqlite").split(",")
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SCALE_DURATION = 5
# The app's connection budget, as `registry serve` reads it.
POOL_SIZE = int(os.environ.get("REGISTRY_DB_POOL_SIZE", "10"))
# Ratios the issue asks for on PostgreSQL, to the driver ceiling of the same run.
TARGETS = {"app fetch": 0.8, "app permissions": 0.8, "app list": 0.8, "app create": 0.6}
SCALE_TARGETS_MS = {"search": 50.0, "sort": 20.0}


@dataclass
class Load:
    """One thing to measure: requests to a server, compared with a baseline of the same run."""

    name: str
    server: str  # "app" or "baseline"
    paths: list[str]
    method: str = "GET"
    token: str | None = None
    body: bytes | None = None
    driver_baseline: str | None = None


def say(message: str) -> None:
    print(message, flush=True)


# -- Processes -------------------------------------------------------------------------------------

def _pinned(command: list[str], core: int) -> list[str]:
    """Pin to one core when there are two or more and taskset exists, so server and load do not
    take each other's time slices."""
    if len(os.sched_getaffinity(0)) >= 2 and shutil.which("taskset"):
        return ["taskset", "-c", str(core), *command]
    return command


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"a server exited with {process.returncode}; its log, {log}, says:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"a server did not start within 60 s; see {log}")


def app_settings(database_url: str, kind: str) -> dict[str, str]:
    """The app's settings (environment) for the benchmark's database of `kind`."""
    return {
        "REGISTRY_DATABASE_URL": database_url,
        "REGISTRY_SECRET_KEY": "bench-secret-key-not-for-production",
        "REGISTRY_ADMIN_PASSWORD": seeding.PASSWORD,
        "REGISTRY_FILES_DIR": str(VAR / f"files-{kind}"),
    }


def start_app(database_url: str, kind: str) -> subprocess.Popen[bytes]:
    log = VAR / f"app-{kind}.log"
    env = {**os.environ, **app_settings(database_url, kind), "REGISTRY_HOST": "127.0.0.1", "REGISTRY_PORT": str(APP_PORT)}
    command = [sys.executable, "-m", "registry", "serve"]
    process = subprocess.Popen(_pinned(command, 0), env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    _wait_until_up(f"http://127.0.0.1:{APP_PORT}/api/v1/health", process, log)
    return process


def start_baseline(database_url: str, kind: str) -> subprocess.Popen[bytes]:
    log = VAR / f"baseline-{kind}.log"
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "baseline:create_app", "--app-dir", str(BENCH_DIR),
        "--host", "127.0.0.1", "--port", str(BASELINE_PORT), "--loop", "uvloop", "--http", "httptools",
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    env = {**os.environ, "BENCH_DATABASE_URL": database_url}
    process = subprocess.Popen(_pinned(command, 0), env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    _wait_until_up(f"http://127.0.0.1:{BASELINE_PORT}/constant", process, log)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()


def sign_in(username: str) -> str:
    request = urllib.request.Request(
        f"http://127.0.0.1:{APP_PORT}/api/v1/auth/token",
        data=json.dumps({"username": username, "password": seeding.PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    return json.loads(urllib.request.urlopen(request).read())["access_token"]


_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def _cpu_seconds_of_servers() -> float:
    """CPU time used so far by the processes under test: the two servers and PostgreSQL's."""
    pattern = "registry serve|baseline:create_app|postgres"
    total = 0
    for pid in subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout.split():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICKS_PER_SECOND


def settle(limit_s: float = 30.0) -> None:
    """Wait until the servers and the database are idle again. When wrk stops, requests it has
    sent may still be running (a slow search, 32 at a time, runs on for seconds): measured next,
    a baseline would share the core with them."""
    deadline = time.monotonic() + limit_s
    before = _cpu_seconds_of_servers()
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = _cpu_seconds_of_servers()
        if now - before < 0.025:  # under a tenth of a core
            return
        before = now


def wrk(load: Load, seconds: int, connections: int) -> dict[str, Any]:
    """One wrk run; its figures (as load.lua prints them) plus requests/s."""
    port = APP_PORT if load.server == "app" else BASELINE_PORT
    paths_file = VAR / "paths.txt"
    paths_file.write_text("\n".join(load.paths) + "\n")
    env = {**os.environ, "BENCH_PATHS": str(paths_file), "BENCH_METHOD": load.method}
    env.pop("BENCH_TOKEN", None)
    env.pop("BENCH_BODY", None)
    if load.token:
        env["BENCH_TOKEN"] = load.token
    if load.body is not None:
        body_file = VAR / "body.json"
        body_file.write_bytes(load.body)
        env["BENCH_BODY"] = str(body_file)
    command = [
        "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(BENCH_DIR / "load.lua"),
        f"http://127.0.0.1:{port}",
    ]  # fmt: skip
    output = subprocess.run(_pinned(command, 1), env=env, capture_output=True, text=True, check=True).stdout
    settle()
    figures = json.loads(output.strip().splitlines()[-1])
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    if figures["socket_errors"] or figures["http_errors"]:
        raise SystemExit(
            f"{load.name}: {figures['http_errors']} error answers and {figures['socket_errors']} socket errors "
            f"in {figures['requests']} requests; the figures would mean nothing. See the logs in {VAR}."
        )
    return figures


# -- Databases -------------------------------------------------------------------------------------

async def _postgres_admin(sql: str) -> None:
    conn = await asyncpg.connect(POSTGRES_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def database_url(kind: str) -> str:
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{VAR / 'registry-bench.db'}"
    base = POSTGRES_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{base}/registry_bench"


def fresh_database(kind: str) -> None:
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (VAR / f"registry-bench.db{suffix}").unlink(missing_ok=True)
        return
    asyncio.run(_postgres_admin("DROP DATABASE IF EXISTS registry_bench WITH (FORCE)"))
    asyncio.run(_postgres_admin("CREATE DATABASE registry_bench"))


async def _seeded_count(url: str) -> int:
    db = Database(url, statement_timeout=None)
    try:
        return await seeding.count_seeded(db)
    finally:
        await db.dispose()


def prepare(kind: str) -> seeding.Seeded:
    """A database holding RECORDS seeded records: the one a previous run left, if it matches."""
    url = database_url(kind)
    meta_file = VAR / f"seeded-{kind}.json"
    if meta_file.exists():
        seeded = msgspec.json.decode(meta_file.read_bytes(), type=seeding.Seeded)
        try:
            upgrade(url)
            if seeded.records == RECORDS and asyncio.run(_seeded_count(url)) == RECORDS:
                say(f"{kind}: reusing the {RECORDS:,} records seeded by an earlier run")
                return seeded
        except Exception as error:  # noqa: BLE001 - any trouble with the old database: seed afresh
            say(f"{kind}: the earlier database is not usable ({error.__class__.__name__}); seeding afresh")
    fresh_database(kind)
    upgrade(url)
    started = time.monotonic()

    async def run() -> seeding.Seeded:
        db = Database(url, statement_timeout=None)
        try:
            return await seeding.seed(db, RECORDS, lambda line: say(f"{kind}: {line}"))
        finally:
            await db.dispose()

    seeded = asyncio.run(run())
    say(f"{kind}: seeded {RECORDS:,} records in {time.monotonic() - started:.0f} s")
    meta_file.write_bytes(msgspec.json.encode(seeded))
    return seeded


async def remove_created(url: str) -> None:
    """Rows the create measurements added, so that the next run can reuse the seeded database,
    and (PostgreSQL) a vacuum, so that it meets no dead rows either."""
    db = Database(url, statement_timeout=None)
    try:
        async with db.write() as conn:
            await conn.execute(delete(item_history).where(item_history.c.by == seeding.WRITER))
            await conn.execute(delete(items).where(items.c.owner == seeding.WRITER))
        if not db.is_sqlite:
            async with db.read() as conn:  # autocommit: VACUUM runs outside a transaction
                await conn.execute(text("VACUUM ANALYZE items, item_history"))
    finally:
        await db.dispose()


async def _deep_cursors(url: str) -> dict[str, str]:
    """Per sort, a cursor to the page halfway through the records."""
    db = Database(url, statement_timeout=None)
    cursors = {}
    try:
        async with db.read() as conn:
            for key, column in SORT_COLUMNS.items():
                for sort in (key, f"-{key}"):
                    order = (column.desc(), items.c.id.desc()) if sort.startswith("-") else (column.asc(), items.c.id.asc())
                    (row,) = await conn.rows(select(column, items.c.id).order_by(*order).offset(RECORDS // 2).limit(1))
                    cursors[sort] = encode_cursor(ListQuery(sort=sort), row[0], row[1])
    finally:
        await db.dispose()
    return cursors


async def _query_plans(url: str, seeded: seeding.Seeded, cursors: dict[str, str]) -> str:
    """EXPLAIN ANALYZE of the app's own statements (as SQLAlchemy compiles them) for the reader:
    a fetch, the first and a deep page of the default sort, and a search for each term."""
    deep_value, deep_id = service.decode_cursor(ListQuery(sort="-created_at"), cursors["-created_at"])
    page = {READER: seeded.reader, "rows": 26}
    cases = [
        ("fetch one record (GET /items/{id})", service.ITEM_WITH_GRANTS, {READER: seeded.reader, "item_id": uuid.UUID(seeded.readable_ids[0])}),
        ("first page, newest first (GET /items)", service.list_query("-created_at", Readability.GRANTED, False, False, False, False), page),
        (
            "a page halfway down, newest first (GET /items?cursor=…)",
            service.list_query("-created_at", Readability.GRANTED, False, False, False, True),
            page | {"after_value": deep_value, "after_id": deep_id},
        ),
    ]
    for term in seeded.search_terms:
        query = service.list_query("-created_at", Readability.GRANTED, False, False, True, False)
        cases.append((f"search, q={term} (GET /items?q={term})", query, page | {"pattern": f"%{term}%"}))
    only_mine = service.list_query("-created_at", Readability.GRANTED, False, True, False, False)
    cases.append(("only mine, for a user who owns nothing (GET /items?owner=…)", only_mine, page | {"owner": seeded.reader}))
    dialect = postgresql.asyncpg.dialect()
    # As the app's connections plan them (`registry.db.engine.POSTGRES_SESSION`).
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1), server_settings=POSTGRES_SESSION)
    sections = []
    try:
        for title, statement, parameters in cases:
            compiled = statement.compile(dialect=dialect)
            values = compiled.construct_params(parameters)
            plan = await conn.fetch(f"EXPLAIN (ANALYZE, COSTS OFF) {compiled.string}", *(values[name] for name in compiled.positiontup or ()))
            sections.append(f"-- {title}\n" + "\n".join(row[0] for row in plan))
    finally:
        await conn.close()
    return "\n\n".join(sections) + "\n"


class ConnectionPeak:
    """The most sessions the app held on PostgreSQL at once while loads ran (`watching`), sampled
    from pg_stat_activity every 20 ms in a thread of its own. (Only during loads: between them the
    benchmark itself reads the database under the app's name.)"""

    def __init__(self) -> None:
        self.peak = 0
        self._watching = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._sample()), daemon=True)

    async def _sample(self) -> None:
        conn = await asyncpg.connect(POSTGRES_URL)
        try:
            while not self._stop.is_set():
                if self._watching.is_set():
                    held = await conn.fetchval(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = 'registry_bench' AND application_name = $1", APPLICATION_NAME
                    )
                    self.peak = max(self.peak, held)
                await asyncio.sleep(0.02)
        finally:
            await conn.close()

    @contextlib.contextmanager
    def watching(self) -> Iterator[None]:
        self._watching.set()
        try:
            yield
        finally:
            self._watching.clear()

    def __enter__(self) -> ConnectionPeak:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


# -- One database ------------------------------------------------------------------------------------

def create_body(seeded: seeding.Seeded) -> bytes:
    """A ~2 KB DATASET whose refs name records every registry user can read."""
    rng = random.Random(2)
    data = seeding.record_data("DATASET", seeding.Prose(rng), rng, lambda subtype: seeded.public_ids[subtype])
    return msgspec.json.encode({"item_subtype": "DATASET", "data": data})


def measure(kind: str) -> dict[str, Any]:
    url = database_url(kind)
    seeded = prepare(kind)
    app, baseline = start_app(url, kind), start_baseline(url, kind)
    try:
        reader, writer = sign_in(seeded.reader), sign_in(seeded.writer)
        ids = seeded.readable_ids
        body = create_body(seeded)
        loads = [
            # Each app measurement right after its baseline, so that a ratio compares neighbours.
            Load("framework ceiling", "baseline", ["/constant"]),
            Load("driver fetch", "baseline", [f"/driver/items/{i}" for i in ids]),
            Load("app fetch", "app", [f"/api/v1/items/{i}" for i in ids], token=reader, driver_baseline="driver fetch"),
            Load("app permissions", "app", [f"/api/v1/items/{i}/permissions" for i in ids], token=reader, driver_baseline="driver fetch"),
            Load("driver list", "baseline", ["/driver/items"]),
            Load("app list", "app", ["/api/v1/items"], token=reader, driver_baseline="driver list"),
            Load("app list q", "app", [f"/api/v1/items?q={t}" for t in seeded.search_terms], token=reader, driver_baseline="driver list"),
            Load("driver insert", "baseline", ["/driver/items"], method="POST", body=body),
            Load("app create", "app", ["/api/v1/items"], method="POST", token=writer, body=body, driver_baseline="driver insert"),
        ]
        # Reads first, then writes: the reads (and the latency figures) all meet the seeded
        # rows alone, not thousands of copies of one body at the top of "newest first" or the
        # dead rows their removal leaves until the vacuum at the end.
        reads = [load for load in loads if load.method == "GET"]
        writes = [load for load in loads if load.method == "POST"]
        runs: dict[str, list[dict[str, Any]]] = {load.name: [] for load in loads}
        # On PostgreSQL, the most connections the app holds under all this load.
        peak = ConnectionPeak() if kind == "postgresql" else None
        with peak or contextlib.nullcontext():
            for phase in (reads, writes):
                say(f"{kind}: warming up")
                for load in phase:
                    wrk(load, 1, CONNECTIONS)
                for repeat in range(1, REPEATS + 1):
                    for load in phase:
                        with peak.watching() if peak is not None and load.server == "app" else contextlib.nullcontext():
                            figures = wrk(load, DURATION, CONNECTIONS)
                        runs[load.name].append(figures)
                        say(f"{kind}: run {repeat}/{REPEATS} {load.name}: {figures['rps']:,.0f} req/s, p99 {figures['p99_us'] / 1000:.1f} ms")
                if phase is reads:
                    cursors = asyncio.run(_deep_cursors(url))
                    scale = measure_scale(kind, seeded, reader, cursors)
                    if kind == "postgresql":
                        plans = VAR / "query-plans.txt"
                        plans.write_text(asyncio.run(_query_plans(url, seeded, cursors)))
                        say(f"{kind}: query plans in {plans}")
        results = summarize(loads, runs)
    finally:
        stop(app)
        stop(baseline)
        asyncio.run(remove_created(url))
    section: dict[str, Any] = {"records": RECORDS, "measurements": results, "scale": scale}
    if peak is not None:
        section["app_peak_connections"] = peak.peak
    return section


def summarize(loads: list[Load], runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    def median(name: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[name])

    def paired_ratio(name: str, baseline: str) -> float:
        """The median of the ratios of each run to the run of `baseline` made shortly before it
        (in the same round): the machine's speed drifts over a benchmark, and the ratio of
        neighbours cancels the drift that the ratio of two medians keeps."""
        return statistics.median(run["rps"] / base["rps"] for run, base in zip(runs[name], runs[baseline], strict=True))

    results: dict[str, Any] = {}
    for load in loads:
        result = {
            "rps": round(median(load.name, "rps"), 1),
            "p50_ms": round(median(load.name, "p50_us") / 1000, 2),
            "p99_ms": round(median(load.name, "p99_us") / 1000, 2),
            "vs_framework": round(paired_ratio(load.name, "framework ceiling"), 3),
            "runs": [{"rps": round(r["rps"], 1), "p50_ms": r["p50_us"] / 1000, "p99_ms": r["p99_us"] / 1000} for r in runs[load.name]],
        }
        if load.driver_baseline:
            result["driver_baseline"] = load.driver_baseline
            result["vs_driver"] = round(paired_ratio(load.name, load.driver_baseline), 3)
        results[load.name] = result
    return results


def measure_scale(kind: str, seeded: seeding.Seeded, token: str, cursors: dict[str, str]) -> dict[str, Any]:
    """p95 latency with one client: search per term, and every sort's first and deep page."""
    loads = [Load(f"search q={term}", "app", [f"/api/v1/items?q={term}"], token=token) for term in seeded.search_terms]
    for sort, cursor in cursors.items():
        loads.append(Load(f"sort {sort} first page", "app", [f"/api/v1/items?sort={sort}"], token=token))
        loads.append(Load(f"sort {sort} deep page", "app", [f"/api/v1/items?sort={sort}&cursor={cursor}"], token=token))
    # "Only mine" for the reader, who owns nothing: the sort's index alone would read every record.
    loads.append(Load("only mine, owning nothing", "app", [f"/api/v1/items?owner={seeded.reader}"], token=token))
    scale = {}
    for load in loads:
        # Warmed up first, as the throughput loads are: the first request after the loads before
        # it reads its rows from the operating system's cache, not PostgreSQL's.
        wrk(load, 1, 1)
        figures = wrk(load, SCALE_DURATION, 1)
        if figures["requests"] == 0:
            # Not one answer within the run: wrk reports zeros, which must not read as fast.
            scale[load.name] = {"p50_ms": None, "p95_ms": None, "requests": 0}
            say(f"{kind}: {load.name}: no answer within {SCALE_DURATION} s")
            continue
        scale[load.name] = {"p50_ms": figures["p50_us"] / 1000, "p95_ms": figures["p95_us"] / 1000, "requests": figures["requests"]}
        say(f"{kind}: {load.name}: p95 {figures['p95_us'] / 1000:.1f} ms")
    return scale


# -- Report ------------------------------------------------------------------------------------------

def table(kind: str, section: dict[str, Any]) -> str:
    title = {"postgresql": "PostgreSQL", "sqlite": "SQLite (embedded default)"}[kind]
    lines = [
        f"{title}: {section['records']:,} records, {CONNECTIONS} connections, median of {REPEATS} runs of {DURATION} s",
        f"{'measurement':<20} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'× framework':>12} {'× driver':>9}  target",
    ]
    for name, r in section["measurements"].items():
        vs_driver = f"{r['vs_driver']:.2f}" if "vs_driver" in r else ""
        target = ""
        if kind == "postgresql" and name in TARGETS:
            target = f"≥ {TARGETS[name]} {'met' if r['vs_driver'] >= TARGETS[name] else 'MISSED'}"
        if kind == "sqlite" and name == "app create":
            target = f"p99 < 100 ms {'met' if r['p99_ms'] < 100 else 'MISSED'}"
        lines.append(f"{name:<20} {r['rps']:>9,.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['vs_framework']:>12.2f} {vs_driver:>9}  {target}")
    if "app_peak_connections" in section:
        lines.append(f"the app's connections to PostgreSQL at most: {section['app_peak_connections']} (REGISTRY_DB_POOL_SIZE: {POOL_SIZE})")
    lines.append(f"latency with one client ({section['records']:,} records; targets apply at 1,000,000):")
    for name, r in section["scale"].items():
        limit = SCALE_TARGETS_MS["search" if name.startswith("search") else "sort"]
        if r["p95_ms"] is None:
            lines.append(f"  {name:<42} no answer within {SCALE_DURATION} s{'':>17}p95 < {limit:.0f} ms MISSED")
            continue
        verdict = f"p95 < {limit:.0f} ms {'met' if r['p95_ms'] < limit else 'MISSED'}"
        lines.append(f"  {name:<42} p50 {r['p50_ms']:>7.2f} ms   p95 {r['p95_ms']:>7.2f} ms   {verdict}")
    return "\n".join(lines)


def _postgres_version() -> str:
    async def version() -> str:
        conn = await asyncpg.connect(POSTGRES_URL)
        try:
            return await conn.fetchval("SHOW server_version")
        finally:
            await conn.close()

    return asyncio.run(version())


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: run `apt-get install -y wrk` (make bench does this when it can).")
    VAR.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "settings": {"records": RECORDS, "duration_s": DURATION, "repeats": REPEATS, "connections": CONNECTIONS},
        "sections": {},
    }
    if "postgresql" in DATABASES:
        report["machine"]["postgresql"] = _postgres_version()
    for kind in DATABASES:
        report["sections"][kind] = measure(kind)
    say("")
    for kind, section in report["sections"].items():
        say(table(kind, section))
        say("")
    (VAR / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    say(f"report: {VAR / 'report.json'}")


if __name__ == "__main__":
    main()
