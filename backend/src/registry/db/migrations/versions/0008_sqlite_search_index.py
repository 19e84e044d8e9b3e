"""A trigram index for search on SQLite: an FTS5 table over `items.search_text`, kept by triggers
in the statement that changes a record (PostgreSQL has its trigram index since 0005).

External content (the text stays in `items` alone; the index names records by rowid), no
positions (`detail=none`: a search matches the pattern against the text of the records the
trigrams point to), case-sensitive (`search_text` is lower case already, and so is the term).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# models.SQLITE_SEARCH_INDEX, as this revision made it.
INDEX = "items_search"
_TRIGGERS = {
    "insert": "AFTER INSERT ON items BEGIN "
    "INSERT INTO {INDEX}(rowid, search_text) VALUES (new.rowid, new.search_text); END",
    "delete": "AFTER DELETE ON items BEGIN "
    "INSERT INTO {INDEX}({INDEX}, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); END",
    "update": "AFTER UPDATE OF search_text ON items BEGIN "
    "INSERT INTO {INDEX}({INDEX}, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); "
    "INSERT INTO {INDEX}(rowid, search_text) VALUES (new.rowid, new.search_text); END",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        f"CREATE VIRTUAL TABLE {INDEX} USING fts5(search_text, content='items', content_rowid='rowid', "
        "tokenize='trigram case_sensitive 1', detail='none')"
    )
    for event, body in _TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {INDEX}_{event} {body.format(INDEX=INDEX)}")
    # The records already there.
    op.execute(f"INSERT INTO {INDEX}({INDEX}) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for event in _TRIGGERS:
        op.execute(f"DROP TRIGGER {INDEX}_{event}")
    op.execute(f"DROP TABLE {INDEX}")
