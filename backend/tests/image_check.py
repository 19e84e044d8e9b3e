"""`make image-check`: build what backend/Dockerfile puts in the production image, without Docker,
and run it as the image does. CI has no Docker engine, so this is how the image's contents are kept
working:

1. the backend as a wheel (`pip wheel`, as the Dockerfile's `backend` stage), installed on its own
   into a folder, so the app runs from the wheel and not from the source tree;
2. the web app bundle, frontend/dist (`npm run build`, as the `spa` stage; `make image-check`
   builds it first);
3. `registry serve` from the wheel, configured only by environment variables as in the image
   (absolute paths, a secret key, no repository around it): migrations run on start, `/api/v1/health`
   answers, and the web app and a deep link are served from the bundle.

The installed dependencies are those of backend/.venv, pinned by backend/constraints.txt like the image's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import httpx
from support import free_port

BACKEND = Path(__file__).resolve().parents[1]
SPA = BACKEND.parent / "frontend" / "dist"


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"image-check: {message}")


def main() -> None:
    started = time.monotonic()
    check((SPA / "index.html").is_file(), f"no web app bundle at {SPA}: run `make build` first")
    with tempfile.TemporaryDirectory(prefix="registry-image-") as tmp:
        work = Path(tmp)
        # The files the Dockerfile copies, and nothing else (no .venv, no tests, no build leftovers).
        source = work / "backend"
        shutil.copytree(BACKEND / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        shutil.copy(BACKEND / "pyproject.toml", source)
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(work / "wheels"), str(source)],
            check=True,
        )
        wheels = list((work / "wheels").glob("registry-*.whl"))
        check(len(wheels) == 1, f"expected one registry wheel, found {wheels}")
        names = zipfile.ZipFile(wheels[0]).namelist()
        check(any(n.startswith("registry/db/migrations/versions/") and n.endswith(".py") for n in names), "the wheel lacks the migrations")
        check(not any("/tests/" in n or n.startswith("tests/") for n in names), "the wheel contains the tests")
        site = work / "site"
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheels[0])], check=True)

        env = {
            key: value for key, value in os.environ.items() if not key.startswith("REGISTRY_")
        } | {
            "PYTHONPATH": str(site),
            "REGISTRY_DATABASE_URL": f"sqlite+aiosqlite:///{work / 'data' / 'registry.db'}",
            "REGISTRY_SECRET_KEY": "image-check-secret-key-0123456789abcdef0123456789abcdef",
            "REGISTRY_ADMIN_PASSWORD": "image-check-password",
            "REGISTRY_HOST": "127.0.0.1",
            "REGISTRY_PORT": str(free_port()),
            "REGISTRY_SPA_DIR": str(SPA),
            "REGISTRY_FILES_DIR": str(work / "data" / "files"),
        }
        (work / "data").mkdir()
        where = subprocess.run([sys.executable, "-c", "import registry; print(registry.__file__)"], env=env, cwd=work, capture_output=True, text=True, check=True)
        check(where.stdout.startswith(str(site)), f"the app was imported from {where.stdout.strip()}, not from the wheel")

        log = work / "server.log"
        server = subprocess.Popen([sys.executable, "-m", "registry", "serve", "--log-level", "warning"], env=env, cwd=work, stdout=log.open("wb"), stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{env['REGISTRY_PORT']}"
        try:
            deadline = time.monotonic() + 60
            while True:
                check(server.poll() is None, f"the server exited:\n{log.read_text()}")
                try:
                    health = httpx.get(f"{url}/api/v1/health", timeout=2)
                    break
                except httpx.TransportError:
                    check(time.monotonic() < deadline, f"the server did not start:\n{log.read_text()}")
                    time.sleep(0.2)
            check(health.json() == {"status": "ok", "database": "ok"}, f"health: {health.status_code} {health.text}")
            index = (SPA / "index.html").read_text()
            for path in ("/", "/items/00000000-0000-0000-0000-000000000000"):
                page = httpx.get(url + path, timeout=5)
                check(page.status_code == 200 and page.text == index, f"GET {path} did not serve the web app's index.html")
            token = httpx.post(f"{url}/api/v1/auth/token", json={"username": "admin", "password": env["REGISTRY_ADMIN_PASSWORD"]}, timeout=10)
            check(token.status_code == 200, f"the first administrator cannot sign in: {token.status_code} {token.text}")
        finally:
            server.terminate()
            server.wait(10)
    print(f"image-check: the backend wheel and the web app bundle run as in the image ({time.monotonic() - started:.1f} s)")


if __name__ == "__main__":
    main()
