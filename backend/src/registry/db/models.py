"""Tables. Services use these through SQLAlchemy Core (`Model.__table__`); Alembic reads the metadata."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from advanced_alchemy.types import GUID, DateTimeUTC, JsonB
from sqlalchemy import JSON, BigInteger, Boolean, Dialect, ForeignKey, Index, Integer, MetaData, String, Text, TypeDecorator, true
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeEngine

USERNAME = String(64)

# Sorting by name compares code points on both databases: PostgreSQL's "C" collation and SQLite's
# default BINARY both order UTF-8 bytes, so keyset cursors mean the same thing everywhere.
SORT_NAME = String(256).with_variant(String(256, collation="C"), "postgresql")


class GroupIds(TypeDecorator[list[uuid.UUID]]):
    """A list of group ids: a `uuid[]` on PostgreSQL; on SQLite JSON text of the ids as 32 hex
    digits (as `lower(hex(id))` writes the 16 bytes a GUID column holds there)."""

    impl = JSON(none_as_null=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        return dialect.type_descriptor(ARRAY(UUID(as_uuid=True)) if dialect.name == "postgresql" else JSON(none_as_null=True))

    def process_bind_param(self, value: list[uuid.UUID] | None, dialect: Dialect) -> Any:  # noqa: ANN401
        if value is None or dialect.name == "postgresql":
            return value
        return [group_id.hex for group_id in value]

    def process_result_value(self, value: Any, dialect: Dialect) -> list[uuid.UUID] | None:  # noqa: ANN401
        if value is None or dialect.name == "postgresql":
            return value
        return [uuid.UUID(digits) for digits in value]


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class User(Base):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(USERNAME, primary_key=True)
    # Empty for an account that signs in at the identity provider.
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(256))
    email: Mapped[str] = mapped_column(String(320))
    # General roles as a bit set of access.roles.GeneralRole, closed under implication.
    roles: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTimeUTC)
    # A deactivated account's every credential is refused (auth.credentials reads this per request).
    active: Mapped[bool] = mapped_column(Boolean, server_default=true())
    # "local" (a password kept here) or "oidc" (signs in at the institution's identity provider).
    source: Mapped[str] = mapped_column(String(8), server_default="local")
    # A federated account's identity at its provider, "<issuer> <sub>": the link that survives a
    # change of username at the provider.
    oidc_subject: Mapped[str | None] = mapped_column(String(1024), nullable=True)
    # Counted up by a password reset: bearer JWTs carry the count they were issued under, and an
    # older count is refused.
    token_generation: Mapped[int] = mapped_column(Integer, server_default="0")

    __table_args__ = (Index("ix_users_oidc_subject", "oidc_subject", unique=True),)


class Session(Base):
    """A signed-in browser: the row behind the opaque `registry_session` cookie, which holds the
    secret whose SHA-256 is `token_hash`. Deleting the row ends the session."""

    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(USERNAME, ForeignKey("users.username", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTimeUTC)
    expires_at: Mapped[datetime.datetime] = mapped_column(DateTimeUTC, index=True)


class AccessToken(Base):
    """A personal access token (`rgt_…`), kept only as the SHA-256 of its secret."""

    __tablename__ = "access_tokens"

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True)
    username: Mapped[str] = mapped_column(USERNAME, ForeignKey("users.username", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # "read" or "write"
    scope: Mapped[str] = mapped_column(String(8))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTimeUTC)
    expires_at: Mapped[datetime.datetime] = mapped_column(DateTimeUTC)
    last_used_at: Mapped[datetime.datetime | None] = mapped_column(DateTimeUTC, nullable=True)


class OidcLogin(Base):
    """A sign-in at the identity provider under way: what the callback checks (`state` is also in
    the browser's `registry_oidc` cookie), used once. Rows older than ten minutes count for nothing."""

    __tablename__ = "oidc_logins"

    state: Mapped[str] = mapped_column(String(128), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(128))
    code_verifier: Mapped[str] = mapped_column(String(128))
    next_path: Mapped[str] = mapped_column(String(2048))
    created_at: Mapped[datetime.datetime] = mapped_column(DateTimeUTC, index=True)


class Group(Base):
    __tablename__ = "groups"

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    description: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTimeUTC)


class GroupMember(Base):
    __tablename__ = "group_members"

    group_id: Mapped[uuid.UUID] = mapped_column(GUID, ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    username: Mapped[str] = mapped_column(USERNAME, ForeignKey("users.username"), primary_key=True, index=True)


# Search (`q`, a substring of any text) on PostgreSQL: a trigram index finds the rows holding a
# rare term without reading every record; for a common one the planner walks the sort's index
# instead. SQLite has no trigram index: it reads the rows in sort order until a page is full.
SEARCH_INDEX = Index(
    "ix_items_search_text_trgm",
    "search_text",
    postgresql_using="gin",
    postgresql_ops={"search_text": "gin_trgm_ops"},
).ddl_if(dialect="postgresql")


class Item(Base):
    __tablename__ = "items"

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True)
    item_subtype: Mapped[str] = mapped_column(String(64), index=True)
    item_category: Mapped[str] = mapped_column(String(32))
    owner: Mapped[str] = mapped_column(USERNAME, ForeignKey("users.username"), index=True)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTimeUTC)
    updated_at: Mapped[datetime.datetime] = mapped_column(DateTimeUTC)
    revision: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JsonB)
    # Derived from `data` on every write, for sorting and search without parsing JSON per row.
    display_name: Mapped[str] = mapped_column(String(256))
    sort_name: Mapped[str] = mapped_column(SORT_NAME)
    search_text: Mapped[str] = mapped_column(Text)
    # Access settings: `general` item roles as a bit set of access.roles.ItemRole (as stored, not closed).
    general_roles: Mapped[int] = mapped_column(Integer)
    # The groups item_group_roles grants some role on this record (NULL: none), written with
    # them: what a list needs to know of them, on the record's own row (see access.roles.readable_where).
    granted_groups: Mapped[list[uuid.UUID] | None] = mapped_column(GroupIds, nullable=True)

    __table_args__ = (
        Index("ix_items_created_at_id", "created_at", "id"),
        Index("ix_items_updated_at_id", "updated_at", "id"),
        Index("ix_items_sort_name_id", "sort_name", "id"),
        SEARCH_INDEX,
    )


class ItemGroupRoles(Base):
    """The `groups` part of a record's access settings: one row per group named."""

    __tablename__ = "item_group_roles"

    item_id: Mapped[uuid.UUID] = mapped_column(GUID, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    group_id: Mapped[uuid.UUID] = mapped_column(GUID, ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True, index=True)
    roles: Mapped[int] = mapped_column(Integer)


class HistoryEntry(Base):
    __tablename__ = "item_history"

    item_id: Mapped[uuid.UUID] = mapped_column(GUID, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime.datetime] = mapped_column(DateTimeUTC)
    by: Mapped[str] = mapped_column(USERNAME, ForeignKey("users.username"))
    reason: Mapped[str] = mapped_column(String(1000))
    data: Mapped[dict[str, Any]] = mapped_column(JsonB)


class AccessLogEntry(Base):
    """One change of a record's access settings: who, when, and the settings before and after."""

    __tablename__ = "item_access_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[uuid.UUID] = mapped_column(GUID, ForeignKey("items.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime.datetime] = mapped_column(DateTimeUTC)
    by: Mapped[str] = mapped_column(USERNAME, ForeignKey("users.username"))
    old: Mapped[dict[str, Any]] = mapped_column(JsonB)
    new: Mapped[dict[str, Any]] = mapped_column(JsonB)


class IdempotencyKey(Base):
    """The first 201 answer to a `POST /items` with an Idempotency-Key, replayed to retries for 24 h.

    Inserted in the transaction that creates the record: a concurrent retry's insert waits on
    this row's primary key until the first request commits (then replays) or rolls back."""

    __tablename__ = "idempotency_keys"

    username: Mapped[str] = mapped_column(USERNAME, ForeignKey("users.username"), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTimeUTC, index=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    item_id: Mapped[uuid.UUID] = mapped_column(GUID, ForeignKey("items.id", ondelete="CASCADE"))
    response_body: Mapped[str] = mapped_column(Text)


class DatasetFile(Base):
    """A file of a DATASET record: its path in the dataset and the stored blob holding its bytes."""

    __tablename__ = "dataset_files"

    item_id: Mapped[uuid.UUID] = mapped_column(GUID, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    path: Mapped[str] = mapped_column(String(1024), primary_key=True)
    # Every upload writes a new blob, so replacing a file never touches bytes someone is downloading.
    blob: Mapped[uuid.UUID] = mapped_column(GUID)
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime.datetime] = mapped_column(DateTimeUTC)
    uploaded_by: Mapped[str] = mapped_column(USERNAME, ForeignKey("users.username"))


class FileLogEntry(Base):
    __tablename__ = "dataset_file_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[uuid.UUID] = mapped_column(GUID, ForeignKey("items.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime.datetime] = mapped_column(DateTimeUTC)
    by: Mapped[str] = mapped_column(USERNAME, ForeignKey("users.username"))
    action: Mapped[str] = mapped_column(String(16))
    path: Mapped[str] = mapped_column(String(1024))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))


class SignInFailure(Base):
    """A failed sign-in, kept for the rate limit (DESIGN: nothing a replica needs lives in memory)."""

    __tablename__ = "sign_in_failures"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(256))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime.datetime] = mapped_column(DateTimeUTC)

    __table_args__ = (
        Index("ix_sign_in_failures_username_address_at", "username", "address", "at"),
        Index("ix_sign_in_failures_address_at", "address", "at"),
    )


users = User.__table__
sessions = Session.__table__
access_tokens = AccessToken.__table__
oidc_logins = OidcLogin.__table__
groups = Group.__table__
group_members = GroupMember.__table__
items = Item.__table__
item_group_roles = ItemGroupRoles.__table__
item_history = HistoryEntry.__table__
item_access_log = AccessLogEntry.__table__
idempotency_keys = IdempotencyKey.__table__
dataset_files = DatasetFile.__table__
dataset_file_log = FileLogEntry.__table__
sign_in_failures = SignInFailure.__table__
