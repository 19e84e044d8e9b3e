"""Dataset files and their log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dataset_files",
        sa.Column("item_id", GUID(length=16), nullable=False),
        sa.Column("path", sa.String(length=1024), nullable=False),
        sa.Column("blob", GUID(length=16), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_dataset_files_item_id_items"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["uploaded_by"], ["users.username"], name=op.f("fk_dataset_files_uploaded_by_users")),
        sa.PrimaryKeyConstraint("item_id", "path", name=op.f("pk_dataset_files")),
    )
    op.create_table(
        "dataset_file_log",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item_id", GUID(length=16), nullable=False),
        sa.Column("at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("path", sa.String(length=1024), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["by"], ["users.username"], name=op.f("fk_dataset_file_log_by_users")),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_dataset_file_log_item_id_items"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_dataset_file_log")),
    )
    op.create_index(op.f("ix_dataset_file_log_item_id"), "dataset_file_log", ["item_id"])


def downgrade() -> None:
    op.drop_table("dataset_file_log")
    op.drop_table("dataset_files")
