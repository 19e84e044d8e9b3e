"""Settings from the environment (DESIGN.md §6); every path is relative to the repository root."""

from __future__ import annotations

import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
MIN_SECRET_KEY_LENGTH = 32


class SettingsError(Exception):
    """A setting the app cannot start with; the message names the variable and what to do."""


def _repo_path(value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else REPO_ROOT / path


def _default_database_url() -> str:
    return f"sqlite+aiosqlite:///{REPO_ROOT / 'var' / 'registry.db'}"


def _sqlite_url_relative_to_repo(url: str) -> str:
    """`sqlite+aiosqlite:///var/x.db` means var/x.db under the repository root, not the working directory."""
    prefix = "sqlite+aiosqlite:///"
    if url.startswith(prefix) and not url[len(prefix) :].startswith("/"):
        return prefix + str(_repo_path(url[len(prefix) :]))
    return url


def load_secret_key(var_dir: Path) -> str:
    """REGISTRY_SECRET_KEY, else a key generated once and kept in `var_dir/secret_key`.

    The generated key is written whole to a temporary file and then linked into place, which
    fails if the file exists: of several processes starting together, one publishes its key and
    every one of them reads that same key back.
    """
    configured = os.environ.get("REGISTRY_SECRET_KEY")
    if configured:
        if len(configured) < MIN_SECRET_KEY_LENGTH:
            raise SettingsError(
                f"REGISTRY_SECRET_KEY has {len(configured)} characters; it needs at least {MIN_SECRET_KEY_LENGTH}. "
                "Generate one with `openssl rand -hex 32`, or unset it to have a key generated into var/secret_key."
            )
        return configured
    key_file = var_dir / "secret_key"
    if not key_file.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        fd, draft = tempfile.mkstemp(dir=var_dir, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(48))
                f.flush()
                os.fsync(f.fileno())
            try:
                os.link(draft, key_file)
            except FileExistsError:
                pass
        finally:
            os.unlink(draft)
    return key_file.read_text().strip()


def _positive_number(name: str, default: str, kind: type[int] | type[float] = int) -> int | float:
    raw = os.environ.get(name) or default
    try:
        value = kind(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise SettingsError(f"{name} must be a positive {'whole ' if kind is int else ''}number, not {raw!r}.")
    return value


def _local_accounts(oidc: OidcSettings | None) -> bool:
    value = (os.environ.get("REGISTRY_LOCAL_ACCOUNTS") or "on").lower()
    if value not in ("on", "off"):
        raise SettingsError(f"REGISTRY_LOCAL_ACCOUNTS must be `on` or `off`, not {value!r}.")
    if value == "off" and oidc is None:
        raise SettingsError("REGISTRY_LOCAL_ACCOUNTS is off but no identity provider is set up, so nobody could sign in: set REGISTRY_OIDC_ISSUER and REGISTRY_OIDC_CLIENT_ID, or leave local accounts on.")
    return value == "on"


@dataclass(frozen=True)
class OidcSettings:
    """Sign-in at the institution's OpenID Connect provider (DESIGN.md §6)."""

    issuer: str
    client_id: str
    client_secret: str | None
    name: str
    username_claim: str
    roles_claim: str | None
    groups_claim: str | None


def _oidc() -> OidcSettings | None:
    issuer = (os.environ.get("REGISTRY_OIDC_ISSUER") or "").rstrip("/")
    client_id = os.environ.get("REGISTRY_OIDC_CLIENT_ID") or ""
    if not issuer and not client_id:
        return None
    if not issuer or not client_id:
        raise SettingsError("OpenID Connect needs both REGISTRY_OIDC_ISSUER and REGISTRY_OIDC_CLIENT_ID (and usually REGISTRY_OIDC_CLIENT_SECRET); set both, or neither.")
    if not issuer.startswith(("https://", "http://")):
        raise SettingsError(f"REGISTRY_OIDC_ISSUER must be the provider's https:// address, not {issuer!r}.")
    return OidcSettings(
        issuer=issuer,
        client_id=client_id,
        client_secret=os.environ.get("REGISTRY_OIDC_CLIENT_SECRET") or None,
        name=os.environ.get("REGISTRY_OIDC_NAME") or "Sign in with your organisation",
        username_claim=os.environ.get("REGISTRY_OIDC_USERNAME_CLAIM") or "preferred_username",
        roles_claim=os.environ.get("REGISTRY_OIDC_ROLES_CLAIM") or None,
        groups_claim=os.environ.get("REGISTRY_OIDC_GROUPS_CLAIM") or None,
    )


def _public_url() -> str | None:
    url = (os.environ.get("REGISTRY_PUBLIC_URL") or "").rstrip("/")
    if url and not url.startswith(("https://", "http://")):
        raise SettingsError(f"REGISTRY_PUBLIC_URL must start with https:// (or http:// for a test), not {url!r}.")
    return url or None


LOG_LEVELS = ("debug", "info", "warning", "error")


def _log_level() -> str:
    level = os.environ.get("REGISTRY_LOG_LEVEL") or "info"
    if level not in LOG_LEVELS:
        raise SettingsError(f"REGISTRY_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {level!r}.")
    return level


@dataclass(frozen=True)
class Settings:
    database_url: str
    host: str
    port: int
    files_dir: Path
    secret_key: str
    admin_password: str | None
    token_ttl: int
    spa_dir: Path
    max_file_size: int
    # Failed sign-ins allowed within 15 minutes: per username and address, and per address.
    sign_in_limit: int
    sign_in_limit_per_address: int
    # Database connections of one process, all purposes together.
    db_pool_size: int = 10
    # Seconds one database statement may run before it is cancelled.
    statement_timeout: float = 10.0
    # App processes `registry serve` starts on one port.
    workers: int = 1
    log_level: str = "info"
    # The address users reach, e.g. https://registry.example.org (OIDC redirects, secure cookies).
    public_url: str | None = None
    oidc: OidcSettings | None = None
    # Whether local accounts (passwords kept here) may sign in.
    local_accounts: bool = True
    # Seconds a browser session lasts from sign-in.
    session_ttl: int = 12 * 3600

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls) -> Settings:
        var_dir = REPO_ROOT / "var"
        oidc = _oidc()
        return cls(
            database_url=_sqlite_url_relative_to_repo(os.environ.get("REGISTRY_DATABASE_URL") or _default_database_url()),
            host=os.environ.get("REGISTRY_HOST", "127.0.0.1"),
            port=int(os.environ.get("REGISTRY_PORT", "8000")),
            files_dir=_repo_path(os.environ.get("REGISTRY_FILES_DIR", "var/files")),
            secret_key=load_secret_key(var_dir),
            admin_password=os.environ.get("REGISTRY_ADMIN_PASSWORD") or None,
            token_ttl=int(os.environ.get("REGISTRY_TOKEN_TTL", "3600")),
            spa_dir=_repo_path(os.environ.get("REGISTRY_SPA_DIR", "frontend/dist")),
            max_file_size=int(os.environ.get("REGISTRY_MAX_FILE_SIZE", str(5 * 1024**3))),
            sign_in_limit=int(os.environ.get("REGISTRY_SIGN_IN_LIMIT", "5")),
            sign_in_limit_per_address=int(os.environ.get("REGISTRY_SIGN_IN_LIMIT_PER_ADDRESS", "50")),
            db_pool_size=int(_positive_number("REGISTRY_DB_POOL_SIZE", "10")),
            statement_timeout=float(_positive_number("REGISTRY_STATEMENT_TIMEOUT", "10", float)),
            workers=int(_positive_number("REGISTRY_WORKERS", "1")),
            log_level=_log_level(),
            public_url=_public_url(),
            oidc=oidc,
            local_accounts=_local_accounts(oidc),
            session_ttl=int(_positive_number("REGISTRY_SESSION_TTL", str(12 * 3600))),
        )
