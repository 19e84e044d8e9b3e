"""Apply Alembic migrations from code (the app runs them at start; `registry migrate` too)."""

from __future__ import annotations

from pathlib import Path

from advanced_alchemy.types import GUID
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column
from sqlalchemy.types import TypeEngine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Blocking: call it before the event loop starts, or through `asyncio.to_thread`."""
    command.upgrade(alembic_config(database_url), revision)


def compare_type(
    context: MigrationContext,
    _inspected_column: Column[object],
    _metadata_column: Column[object],
    _inspected_type: TypeEngine[object],
    metadata_type: TypeEngine[object],
) -> bool | None:
    """Alembic's type comparison, except where SQLite cannot say: it reports a BINARY(16) UUID
    column by its NUMERIC affinity. `None` means "compare as usual"."""
    if context.dialect.name == "sqlite" and isinstance(metadata_type, GUID):
        return False
    return None
