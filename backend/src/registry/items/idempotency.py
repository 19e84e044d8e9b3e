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

import msgspec
from sqlalchemy import bindparam, delete, insert, select

from registry.db.engine import Connection, Database
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
            rows = await conn.rows(_STORED, {"username": self.username, "key": self.key, "cutoff": cutoff})
        if not rows:
            return None
        row = rows[0]
        if row.request_hash != self.request_hash:
            raise ValidationFailed.one(HEADER, "This key was used with another request body. Use a new key for a new request.")
        return row.response_body.encode()

    async def record(self, conn: Connection, item_id: uuid.UUID, response_body: bytes, now: datetime.datetime) -> None:
        """Store the key in the create's transaction, this user's expired keys going first, so
        that a key may be used again after its lifetime."""
        await conn.execute(_EXPIRED, {"username": self.username, "expired_before": now - LIFETIME})
        await conn.execute(
            _INSERT,
            {
                "username": self.username,
                "key": self.key,
                "created_at": now,
                "request_hash": self.request_hash,
                "item_id": item_id,
                "response_body": response_body.decode(),
            },
        )


_STORED = select(idempotency_keys.c.request_hash, idempotency_keys.c.response_body).where(
    idempotency_keys.c.username == bindparam("username"),
    idempotency_keys.c.key == bindparam("key"),
    idempotency_keys.c.created_at >= bindparam("cutoff"),
)
_INSERT = insert(idempotency_keys)
_EXPIRED = delete(idempotency_keys).where(
    idempotency_keys.c.username == bindparam("username"), idempotency_keys.c.created_at < bindparam("expired_before")
)
