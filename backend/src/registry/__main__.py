"""The `registry` command: serve, migrate, users, seed-demo."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys

import msgspec

from registry.auth import service as accounts
from registry.auth.schemas import PasswordReset, UserCreate, UserUpdate
from registry.db.engine import Database
from registry.db.migrate import upgrade
from registry.errors import RegistryError, ValidationFailed
from registry.settings import LOG_LEVELS, Settings, SettingsError


async def _with_db(settings: Settings, work):  # noqa: ANN001, ANN202 - a coroutine function taking the Database
    db = Database(settings.database_url, pool_size=settings.db_pool_size, statement_timeout=settings.statement_timeout)
    try:
        return await work(db)
    finally:
        await db.dispose()


def prepare(settings: Settings) -> None:
    """Bring the database to the current schema and make sure someone can sign in."""
    upgrade(settings.database_url)
    generated = asyncio.run(_with_db(settings, lambda db: accounts.ensure_admin(db, settings.admin_password)))
    if generated:
        print(f"Created the administrator account: username 'admin', password {generated!r}.")
        print("It is shown only this once: keep it, or set REGISTRY_ADMIN_PASSWORD before the first start.")


def cmd_serve(settings: Settings, args: argparse.Namespace) -> None:
    import uvicorn

    workers = args.workers or settings.workers
    prepare(settings)
    processes = f"{workers} processes" if workers > 1 else "1 process"
    print(f"Registry: http://{settings.host}:{settings.port}/  ({processes}; API docs: /schema/swagger; Ctrl-C stops)", flush=True)
    # Each worker process reads its settings from the environment (`app.create_asgi_app`).
    os.environ["REGISTRY_LOG_LEVEL"] = args.log_level or settings.log_level
    uvicorn.run(
        "registry.app:create_asgi_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        log_level=os.environ["REGISTRY_LOG_LEVEL"],
        access_log=False,
    )


def cmd_migrate(settings: Settings, _: argparse.Namespace) -> None:
    upgrade(settings.database_url)
    print("The database schema is up to date.")


def cmd_openapi(settings: Settings, _: argparse.Namespace) -> None:
    from registry.app import create_app

    document = create_app(settings).openapi_schema.to_schema()
    sys.stdout.write(msgspec.json.format(msgspec.json.encode(document), indent=2).decode() + "\n")


def cmd_subtypes(_: Settings, __: argparse.Namespace) -> None:
    from registry.items.controllers import SUBTYPE_INFOS

    sys.stdout.write(msgspec.json.format(msgspec.json.encode(SUBTYPE_INFOS), indent=2).decode() + "\n")


def cmd_users_add(settings: Settings, args: argparse.Namespace) -> None:
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass(f"Password for {args.username}: ")
    try:
        new = msgspec.convert(
            {
                "username": args.username,
                "password": password,
                "display_name": args.display_name or args.username,
                "email": args.email,
                "roles": args.role,
            },
            UserCreate,
        )
    except msgspec.ValidationError as error:
        raise SystemExit(f"registry: {error}") from None
    upgrade(settings.database_url)
    user = asyncio.run(_with_db(settings, lambda db: accounts.create_user(db, new)))
    print(f"Created user {user.username!r} with roles: {', '.join(user.roles) or 'none'}.")


def cmd_users_list(settings: Settings, _: argparse.Namespace) -> None:
    async def work(db: Database) -> list:
        async with db.read() as conn:
            return await accounts.list_users(conn)

    for user in asyncio.run(_with_db(settings, work)):
        state = "active" if user.active else "deactivated"
        print(f"{user.username}\t{user.display_name}\t{user.email}\t{','.join(user.roles)}\t{user.source}\t{state}")


def _update_user(settings: Settings, username: str, change: UserUpdate) -> None:
    user = asyncio.run(_with_db(settings, lambda db: accounts.update_user(db, None, username, change)))
    state = "active" if user.active else "deactivated (its sessions and tokens no longer work)"
    print(f"User {user.username!r}: {state}; roles: {', '.join(user.roles) or 'none'}.")


def cmd_users_deactivate(settings: Settings, args: argparse.Namespace) -> None:
    _update_user(settings, args.username, UserUpdate(active=False))


def cmd_users_activate(settings: Settings, args: argparse.Namespace) -> None:
    _update_user(settings, args.username, UserUpdate(active=True))


def cmd_users_roles(settings: Settings, args: argparse.Namespace) -> None:
    _update_user(settings, args.username, UserUpdate(roles=args.role))


def cmd_users_reset_password(settings: Settings, args: argparse.Namespace) -> None:
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass(f"New password for {args.username}: ")
    try:
        change = msgspec.convert({"password": password}, PasswordReset)
    except msgspec.ValidationError as error:
        raise SystemExit(f"registry: {error}") from None
    asyncio.run(_with_db(settings, lambda db: accounts.reset_password(db, args.username, change.password)))
    print(f"Set the password of {args.username!r}; its sessions and bearer tokens have ended.")


def cmd_seed_demo(settings: Settings, _: argparse.Namespace) -> None:
    from registry import demo

    prepare(settings)
    try:
        report = asyncio.run(_with_db(settings, lambda db: demo.seed(db, settings)))
    except demo.RegistryNotEmpty as error:
        raise SystemExit(f"registry: {error}") from None
    counts = ", ".join(f"{len(ids)} {subtype}" for subtype, ids in report.items.items())
    files = sum(len(paths) for paths in report.files.values())
    print(f"Created {report.count()} demo records ({counts}), {files} dataset files and {len(report.groups)} groups: {', '.join(report.groups)}.")
    print("Demo users (passwords are shown only this once):")
    for username, display_name, _email, roles in demo.USERS:
        print(f"  {username}\t{report.passwords[username]}\t{display_name}, {', '.join(roles)}")


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of at least 1, not {value!r}")
    return int(value)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="registry",
        description="The Registry: a metadata registry for research records. Settings come from REGISTRY_* environment variables.",
    )
    verbs = root.add_subparsers(dest="verb", required=True, metavar="{serve,migrate,openapi,subtypes,users,seed-demo}")
    serve = verbs.add_parser("serve", help="apply migrations, create the first admin if needed, and serve the API and web app")
    serve.add_argument("--log-level", choices=LOG_LEVELS, help="what to log (default: REGISTRY_LOG_LEVEL, or info)")
    serve.add_argument("--workers", type=_positive, help="app processes on the one port (default: REGISTRY_WORKERS, or 1)")
    serve.set_defaults(run=cmd_serve)
    verbs.add_parser("migrate", help="apply database migrations").set_defaults(run=cmd_migrate)
    verbs.add_parser("openapi", help="print the OpenAPI document (the web app's client is generated from it)").set_defaults(run=cmd_openapi)
    verbs.add_parser("subtypes", help="print GET /subtypes (the web app's form validators are compiled from it)").set_defaults(run=cmd_subtypes)
    users = verbs.add_parser("users", help="manage user accounts").add_subparsers(
        dest="users_verb", required=True, metavar="{add,list,deactivate,activate,roles,reset-password}"
    )
    role_help = "a general role; repeat for several (each implies the ones before it)"
    role_names = ["registry-read", "registry-write", "registry-admin"]
    add = users.add_parser("add", help="create a local user (asks for the password)")
    add.add_argument("username")
    add.add_argument("--email", required=True)
    add.add_argument("--display-name")
    add.add_argument("--role", action="append", default=[], choices=role_names, help=role_help)
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(run=cmd_users_add)
    users.add_parser("list", help="list users (name, display name, email, roles, local or oidc, active or deactivated)").set_defaults(run=cmd_users_list)
    for verb, run, text in (
        ("deactivate", cmd_users_deactivate, "deactivate an account: its sessions, bearer tokens and personal access tokens stop working at once"),
        ("activate", cmd_users_activate, "reactivate a deactivated account"),
    ):
        one = users.add_parser(verb, help=text)
        one.add_argument("username")
        one.set_defaults(run=run)
    roles = users.add_parser("roles", help="set a user's general roles (from their next request)")
    roles.add_argument("username")
    roles.add_argument("--role", action="append", default=[], choices=role_names, help=role_help + "; none: no roles")
    roles.set_defaults(run=cmd_users_roles)
    reset = users.add_parser("reset-password", help="set a local user's password (asks for it); their sessions and bearer tokens end")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    reset.set_defaults(run=cmd_users_reset_password)
    verbs.add_parser(
        "seed-demo",
        help="fill an empty registry with demo records, groups, users and dataset files (refuses if it has records)",
    ).set_defaults(run=cmd_seed_demo)
    return root


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        raise SystemExit(f"registry: {error}") from None
    try:
        args.run(settings, args)
    except ValidationFailed as error:
        raise SystemExit("registry: " + "; ".join(f"{e.field}: {e.message}" for e in error.errors)) from None
    except RegistryError as error:
        raise SystemExit(f"registry: {error.detail}") from None


if __name__ == "__main__":
    main()
