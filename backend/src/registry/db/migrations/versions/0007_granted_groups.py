"""`items.granted_groups`: the groups a record's access settings give some role, on its own row,
for lists (see access.roles.readable_where). Filled from `item_group_roles`.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # models.GroupIds: uuid[] on PostgreSQL, JSON text on SQLite.
    op.add_column("items", sa.Column("granted_groups", sa.JSON().with_variant(ARRAY(UUID(as_uuid=True)), "postgresql"), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "UPDATE items SET granted_groups = grants.ids FROM "
            "(SELECT item_id, array_agg(group_id ORDER BY group_id) AS ids FROM item_group_roles WHERE roles != 0 GROUP BY item_id) AS grants "
            "WHERE grants.item_id = items.id"
        )
    else:
        op.execute(
            "UPDATE items SET granted_groups = "
            "(SELECT json_group_array(lower(hex(group_id))) FROM item_group_roles WHERE item_id = items.id AND roles != 0) "
            "WHERE id IN (SELECT item_id FROM item_group_roles WHERE roles != 0)"
        )


def downgrade() -> None:
    with op.batch_alter_table("items") as batch:
        batch.drop_column("granted_groups")
