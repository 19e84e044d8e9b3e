"""Run a command against a freshly started Registry: `python tests/with_server.py [--database
postgresql] -- npm run test:e2e`. The command gets REGISTRY_E2E_URL and
REGISTRY_E2E_ADMIN_PASSWORD; the database is new and is dropped afterwards.

With --oidc, the test OpenID Connect provider (tests/oidc_provider.py) starts first, the server
signs users in through it, and the command also gets REGISTRY_E2E_OIDC_ISSUER."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from registry.db.migrate import upgrade
from oidc_provider import start_provider
from support import ADMIN_PASSWORD, create_database, drop_database, free_port, start_server, stop_server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--oidc", action="store_true", help="also start the test OpenID Connect provider")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    url = create_database(args.database, f"registry_e2e_{os.getpid()}")
    try:
        upgrade(url)
        log = Path(tempfile.mkdtemp(prefix="registry-e2e-")) / "server.log"
        # The provider registers the server's callback URL, so the server's port comes first.
        port = free_port()
        provider = start_provider([f"http://127.0.0.1:{port}/api/v1/auth/oidc/callback"]) if args.oidc else None
        oidc_settings = {
            "REGISTRY_OIDC_ISSUER": provider.issuer,
            "REGISTRY_OIDC_CLIENT_ID": provider.client_id,
            "REGISTRY_OIDC_CLIENT_SECRET": provider.client_secret,
            "REGISTRY_OIDC_ROLES_CLAIM": "registry_roles",
            "REGISTRY_OIDC_GROUPS_CLAIM": "registry_groups",
            "REGISTRY_OIDC_NAME": "Sign in with Test Provider",
        } if provider else {}
        try:
            server = start_server(url, log, port=port, **oidc_settings)
            try:
                env = {**os.environ, "REGISTRY_E2E_URL": server.url, "REGISTRY_E2E_ADMIN_PASSWORD": ADMIN_PASSWORD}
                if provider:
                    env["REGISTRY_E2E_OIDC_ISSUER"] = provider.issuer
                result = subprocess.run(command, env=env, check=False).returncode
            finally:
                stop_server(server)
        finally:
            if provider:
                provider.stop()
        if result:
            print(f"The server's log: {log}", file=sys.stderr)
            if provider:
                print(f"The OIDC provider's log: {provider.log}", file=sys.stderr)
        return result
    finally:
        drop_database(url)


if __name__ == "__main__":
    sys.exit(main())
