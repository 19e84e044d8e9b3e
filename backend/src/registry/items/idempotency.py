"""Idempotency-Key on `POST /items`: a retry with the same key and body gets the first 201 back.

The key row is inserted in the transaction that creates the record. A concurrent retry's insert
of the same (user, key) waits for that transaction: when it commits, the retry's own insert
fails, its record is rolled back, and the stored answer is replayed. Only 201s are kept, because
a failed create rolls the key back with everything else.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import uuid
from typing import Any

import msgspec
from sqlalchemy import CTE, bindparam, delete, insert, select

from registry.db.engine import Database, DriverQuery, DriverTransaction
from registry.db.models import idempotency_keys
from registry.errors import ValidationFailed

HEADER = "Idempotency-Key"
# 1 to 255 printable ASCII characters (a UUID is fine); the OpenAPI document shows the same pattern.
KEY_PATTERN = r"^[ -~]{1,255}$"
_KEY = re.compile(KEY_PATTERN)
LIFETIME = datetime.timedelta(hours=24)


class IdempotencyClaim:
    """One user's key and the fingerprint of the request body it came with."""

    def __init__(self, username: str, key: str, body: bytes) -> None:
        if not _KEY.fullmatch(key):
            raise ValidationFailed.one(HEADER, "Use 1 to 255 printable ASCII characters, e.g. a UUID.")
        self.username = username
        self.key = key
        # Compared as JSON values: key order and whitespace do not make another request.
        canonical = msgspec.json.encode(msgspec.json.decode(body), order="sorted")
        self.request_hash = hashlib.sha256(canonical).hexdigest()

    async def stored_response(self, db: Database) -> bytes | None:
        """The first answer to this key within its lifetime; 422 if it came with another body."""
        cutoff = datetime.datetime.now(datetime.UTC) - LIFETIME
        async with db.read() as conn:
            row = (
                await conn.execute(
                    select(idempotency_keys.c.request_hash, idempotency_keys.c.response_body).where(
                        idempotency_keys.c.username == self.username,
                        idempotency_keys.c.key == self.key,
                        idempotency_keys.c.created_at >= cutoff,
                    )
                )
            ).one_or_none()
        if row is None:
            return None
        if row.request_hash != self.request_hash:
            raise ValidationFailed.one(HEADER, "This key was used with another request body. Use a new key for a new request.")
        return row.response_body.encode()

    def expired_parameters(self, now: datetime.datetime) -> dict[str, Any]:
        """For IDEMPOTENCY_EXPIRED: this user's keys past their lifetime."""
        return {"username": self.username, "expired_before": now - LIFETIME}

    def row_parameters(self, response_body: bytes) -> dict[str, Any]:
        """For the statement `insert_for` is part of."""
        return {"username": self.username, "key": self.key, "request_hash": self.request_hash, "response_body": response_body.decode()}

    async def record(self, tx: DriverTransaction, item_id: uuid.UUID, response_body: bytes, now: datetime.datetime) -> None:
        """Store the key in the create's transaction (SQLite), expired keys of this user going
        first, so that a key may be used again after its lifetime."""
        await tx.execute(IDEMPOTENCY_EXPIRED, self.expired_parameters(now))
        await tx.execute(_INSERT_KEY, self.row_parameters(response_body) | {"created_at": now, "item_id": item_id})

    @staticmethod
    def insert_for(new_item: CTE) -> CTE:
        """The key's row for the record `new_item` inserts, as a CTE of the same statement
        (PostgreSQL's one-statement create); parameters as `row_parameters` gives them."""
        return (
            insert(idempotency_keys)
            .from_select(
                ["username", "key", "created_at", "request_hash", "item_id", "response_body"],
                select(
                    bindparam("username", type_=idempotency_keys.c.username.type),
                    bindparam("key", type_=idempotency_keys.c.key.type),
                    new_item.c.created_at,
                    bindparam("request_hash", type_=idempotency_keys.c.request_hash.type),
                    new_item.c.id,
                    bindparam("response_body", type_=idempotency_keys.c.response_body.type),
                ),
            )
            .cte("new_key")
        )


IDEMPOTENCY_EXPIRED = DriverQuery(
    delete(idempotency_keys).where(
        idempotency_keys.c.username == bindparam("username"), idempotency_keys.c.created_at < bindparam("expired_before")
    )
)
_INSERT_KEY = DriverQuery(insert(idempotency_keys))
