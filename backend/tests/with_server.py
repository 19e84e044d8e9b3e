"""Run a command against a freshly started Registry: `python tests/with_server.py [--database
postgresql] -- npm run test:e2e`. The command gets REGISTRY_E2E_URL and
REGISTRY_E2E_ADMIN_PASSWORD; the database is new and is dropped afterwards."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from registry.db.migrate import upgrade
from support import ADMIN_PASSWORD, create_database, drop_database, start_server, stop_server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    url = create_database(args.database, f"registry_e2e_{os.getpid()}")
    try:
        upgrade(url)
        log = Path(tempfile.mkdtemp(prefix="registry-e2e-")) / "server.log"
        server = start_server(url, log)
        try:
            env = {**os.environ, "REGISTRY_E2E_URL": server.url, "REGISTRY_E2E_ADMIN_PASSWORD": ADMIN_PASSWORD}
            result = subprocess.run(command, env=env, check=False).returncode
        finally:
            stop_server(server)
        if result:
            print(f"The server's log: {log}", file=sys.stderr)
        return result
    finally:
        drop_database(url)


if __name__ == "__main__":
    sys.exit(main())
