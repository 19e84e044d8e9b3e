"""Real databases and real server processes, for the tests and for `with_server.py`."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx

from registry.settings import Settings

ADMIN_PASSWORD = "admin-test-password"
SECRET_KEY = "test-secret-key-for-forging-tokens-in-tests-0123456789-0123456789abcdef"
POSTGRES_URL = os.environ.get("REGISTRY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _postgres_admin(sql: str) -> None:
    conn = await asyncpg.connect(POSTGRES_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def create_database(kind: str, name: str) -> str:
    """A new, empty database: a SQLite file in a temporary folder, or a PostgreSQL database `name`."""
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp(prefix=name)) / 'registry.db'}"
    if kind != "postgresql":
        raise ValueError("the database kind must be sqlite or postgresql")
    asyncio.run(_postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    asyncio.run(_postgres_admin(f'CREATE DATABASE "{name}"'))
    base = POSTGRES_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{base}/{name}"


def drop_database(url: str) -> None:
    if url.startswith("postgresql"):
        name = url.rsplit("/", 1)[1]
        asyncio.run(_postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


class Server:
    def __init__(self, process: subprocess.Popen[bytes], url: str, log: Path) -> None:
        self.process = process
        self.url = url
        self.log = log


FAKE_INDEX = "<!doctype html><title>Registry test app</title><div id=root></div>"


def fake_spa(folder: Path) -> Path:
    """A stand-in for frontend/dist, so backend tests do not depend on a frontend build."""
    (folder / "assets").mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(FAKE_INDEX)
    (folder / "assets" / "app.js").write_text("console.log('registry')")
    return folder


def in_process_settings(database_url: str, folder: Path, **changes: object) -> Settings:
    """Settings for an app built in this process (what start_server sets through the environment)."""
    settings = Settings(
        database_url=database_url,
        host="127.0.0.1",
        port=0,
        files_dir=folder / "files",
        secret_key=SECRET_KEY,
        admin_password=ADMIN_PASSWORD,
        token_ttl=3600,
        spa_dir=fake_spa(folder / "spa"),
        max_file_size=1024**2,
        sign_in_limit=5,
        sign_in_limit_per_address=50,
    )
    return dataclasses.replace(settings, **changes)  # type: ignore[arg-type]


def start_server(
    database_url: str, log: Path, log_level: str = "warning", extra_arguments: list[str] | None = None, port: int | None = None, **env: str
) -> Server:
    """The server on `port` (a free one unless given: with_server.py needs it before the start)."""
    port = port or free_port()
    environment = {
        **os.environ,
        "REGISTRY_DATABASE_URL": database_url,
        "REGISTRY_PORT": str(port),
        "REGISTRY_HOST": "127.0.0.1",
        "REGISTRY_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "REGISTRY_SECRET_KEY": SECRET_KEY,
        "REGISTRY_FILES_DIR": str(log.parent / "files"),
        # Every test signs in from 127.0.0.1: only the per-username limit is in play by default.
        "REGISTRY_SIGN_IN_LIMIT_PER_ADDRESS": "1000000",
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "registry", "serve", "--log-level", log_level, *(extra_arguments or [])],
        env=environment,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            httpx.get(f"{url}/api/v1/health", timeout=1)
            return Server(process, url, log)
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the server did not start in time:\n{log.read_text()}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(10)
    except subprocess.TimeoutExpired:
        server.process.kill()
