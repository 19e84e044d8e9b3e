"""Initial schema: users, groups, items with access settings, history.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

USERNAME = sa.String(length=64)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("username", USERNAME, nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("display_name", sa.String(length=256), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("roles", sa.Integer(), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_users")),
    )
    op.create_table(
        "groups",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_groups")),
        sa.UniqueConstraint("name", name=op.f("uq_groups_name")),
    )
    op.create_table(
        "group_members",
        sa.Column("group_id", GUID(length=16), nullable=False),
        sa.Column("username", USERNAME, nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], name=op.f("fk_group_members_group_id_groups"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["username"], ["users.username"], name=op.f("fk_group_members_username_users")),
        sa.PrimaryKeyConstraint("group_id", "username", name=op.f("pk_group_members")),
    )
    op.create_index(op.f("ix_group_members_username"), "group_members", ["username"])
    op.create_table(
        "items",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("item_subtype", sa.String(length=64), nullable=False),
        sa.Column("item_category", sa.String(length=32), nullable=False),
        sa.Column("owner", USERNAME, nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("data", JsonB, nullable=False),
        sa.Column("display_name", sa.String(length=256), nullable=False),
        sa.Column(
            "sort_name",
            sa.String(length=256).with_variant(sa.String(length=256, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("general_roles", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["owner"], ["users.username"], name=op.f("fk_items_owner_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_items")),
    )
    op.create_index("ix_items_created_at_id", "items", ["created_at", "id"])
    op.create_index("ix_items_updated_at_id", "items", ["updated_at", "id"])
    op.create_index("ix_items_sort_name_id", "items", ["sort_name", "id"])
    op.create_index(op.f("ix_items_item_subtype"), "items", ["item_subtype"])
    op.create_index(op.f("ix_items_owner"), "items", ["owner"])
    op.create_table(
        "item_group_roles",
        sa.Column("item_id", GUID(length=16), nullable=False),
        sa.Column("group_id", GUID(length=16), nullable=False),
        sa.Column("roles", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], name=op.f("fk_item_group_roles_group_id_groups"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_item_group_roles_item_id_items"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("item_id", "group_id", name=op.f("pk_item_group_roles")),
    )
    op.create_index(op.f("ix_item_group_roles_group_id"), "item_group_roles", ["group_id"])
    op.create_table(
        "item_history",
        sa.Column("item_id", GUID(length=16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("by", USERNAME, nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("data", JsonB, nullable=False),
        sa.ForeignKeyConstraint(["by"], ["users.username"], name=op.f("fk_item_history_by_users")),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_item_history_item_id_items"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("item_id", "revision", name=op.f("pk_item_history")),
    )


def downgrade() -> None:
    for table in ("item_history", "item_group_roles", "items", "group_members", "groups", "users"):
        op.drop_table(table)
