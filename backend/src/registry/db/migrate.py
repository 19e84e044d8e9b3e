"""Apply Alembic migrations from code (the app runs them at start; `registry migrate` too)."""

from __future__ import annotations

from collections.abc import Callable
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


def objects_of(dialect_name: str) -> Callable[..., bool]:
    """Alembic's `include_object` for autogenerate: leaves out what the models create only on
    another database (`.ddl_if(dialect=...)`, e.g. PostgreSQL's trigram index)."""

    def include_object(obj: object, _name: str | None, _type: str, _reflected: bool, _compare_to: object) -> bool:
        only_on = getattr(getattr(obj, "_ddl_if", None), "dialect", None)
        return only_on is None or only_on == dialect_name

    return include_object
