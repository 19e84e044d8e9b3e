"""Finer statistics for search on PostgreSQL.

Whether a search walks the sort's index (a common term: the first matches come quickly) or reads
the trigram index's matches and sorts them (a rare term) is the planner's choice, made from how
many records it expects to hold the term. It matches the term against a sample of `search_text`
values (the statistics' histogram) and, finding none, expects 0.01 % of the records. With the
default 100 values, a term in 1 % of the records (0.4 % of the shorter values PostgreSQL
samples: it leaves out those over 1 KB) is found in none about two times in three, and the
planner may read and sort all 11,000 matches of a million records rather than walk to the
first 26. With 1,000 values such a term is found about four times, and the estimate holds.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE items ALTER COLUMN search_text SET STATISTICS 1000")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE items ALTER COLUMN search_text SET STATISTICS -1")
