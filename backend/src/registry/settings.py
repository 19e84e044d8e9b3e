"""Settings from the environment (DESIGN.md §6); every path is relative to the repository root."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


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


def _load_secret_key(var_dir: Path) -> str:
    """REGISTRY_SECRET_KEY, else a key generated once and kept in var/secret_key."""
    configured = os.environ.get("REGISTRY_SECRET_KEY")
    if configured:
        return configured
    key_file = var_dir / "secret_key"
    if not key_file.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting at once must not each write a different key.
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(48))
    return key_file.read_text().strip()


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

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls) -> Settings:
        var_dir = REPO_ROOT / "var"
        return cls(
            database_url=_sqlite_url_relative_to_repo(os.environ.get("REGISTRY_DATABASE_URL") or _default_database_url()),
            host=os.environ.get("REGISTRY_HOST", "127.0.0.1"),
            port=int(os.environ.get("REGISTRY_PORT", "8000")),
            files_dir=_repo_path(os.environ.get("REGISTRY_FILES_DIR", "var/files")),
            secret_key=_load_secret_key(var_dir),
            admin_password=os.environ.get("REGISTRY_ADMIN_PASSWORD") or None,
            token_ttl=int(os.environ.get("REGISTRY_TOKEN_TTL", "3600")),
            spa_dir=_repo_path(os.environ.get("REGISTRY_SPA_DIR", "frontend/dist")),
            max_file_size=int(os.environ.get("REGISTRY_MAX_FILE_SIZE", str(5 * 1024**3))),
            sign_in_limit=int(os.environ.get("REGISTRY_SIGN_IN_LIMIT", "5")),
            sign_in_limit_per_address=int(os.environ.get("REGISTRY_SIGN_IN_LIMIT_PER_ADDRESS", "50")),
        )
