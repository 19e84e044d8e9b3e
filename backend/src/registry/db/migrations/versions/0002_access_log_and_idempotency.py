"""Access-change log and idempotency keys.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "item_access_log",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("item_id", GUID(length=16), nullable=False),
        sa.Column("at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.Column("old", JsonB, nullable=False),
        sa.Column("new", JsonB, nullable=False),
        sa.ForeignKeyConstraint(["by"], ["users.username"], name=op.f("fk_item_access_log_by_users")),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_item_access_log_item_id_items"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_item_access_log")),
    )
    op.create_index(op.f("ix_item_access_log_item_id"), "item_access_log", ["item_id"])
    op.create_table(
        "idempotency_keys",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("item_id", GUID(length=16), nullable=False),
        sa.Column("response_body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_idempotency_keys_item_id_items"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["username"], ["users.username"], name=op.f("fk_idempotency_keys_username_users")),
        sa.PrimaryKeyConstraint("username", "key", name=op.f("pk_idempotency_keys")),
    )
    op.create_index(op.f("ix_idempotency_keys_created_at"), "idempotency_keys", ["created_at"])


def downgrade() -> None:
    op.drop_table("idempotency_keys")
    op.drop_table("item_access_log")
