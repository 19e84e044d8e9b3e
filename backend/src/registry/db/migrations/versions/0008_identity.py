"""Identity: active and federated accounts, sessions, personal access tokens, sign-ins at the
identity provider under way.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Added columns and an index only: SQLite alters `users` in place (rebuilding it would trip the
    # foreign keys that point at it).
    op.add_column("users", sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False))
    op.add_column("users", sa.Column("source", sa.String(length=8), server_default="local", nullable=False))
    op.add_column("users", sa.Column("oidc_subject", sa.String(length=1024), nullable=True))
    op.add_column("users", sa.Column("token_generation", sa.Integer(), server_default="0", nullable=False))
    op.create_index(op.f("ix_users_oidc_subject"), "users", ["oidc_subject"], unique=True)
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("expires_at", DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["username"], ["users.username"], name=op.f("fk_sessions_username_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_sessions")),
    )
    op.create_index(op.f("ix_sessions_username"), "sessions", ["username"])
    op.create_index(op.f("ix_sessions_expires_at"), "sessions", ["expires_at"])
    op.create_table(
        "access_tokens",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("expires_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("last_used_at", DateTimeUTC(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["username"], ["users.username"], name=op.f("fk_access_tokens_username_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_access_tokens_token_hash")),
    )
    op.create_index(op.f("ix_access_tokens_username"), "access_tokens", ["username"])
    op.create_table(
        "oidc_logins",
        sa.Column("state", sa.String(length=128), nullable=False),
        sa.Column("nonce", sa.String(length=128), nullable=False),
        sa.Column("code_verifier", sa.String(length=128), nullable=False),
        sa.Column("next_path", sa.String(length=2048), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("state", name=op.f("pk_oidc_logins")),
    )
    op.create_index(op.f("ix_oidc_logins_created_at"), "oidc_logins", ["created_at"])


def downgrade() -> None:
    op.drop_table("oidc_logins")
    op.drop_table("access_tokens")
    op.drop_table("sessions")
    op.drop_index(op.f("ix_users_oidc_subject"), "users")
    for column in ("token_generation", "oidc_subject", "source", "active"):
        op.drop_column("users", column)
