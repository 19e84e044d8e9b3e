"""Dataset files: list, upload (add or replace), download, delete, and the file log.

A file change is not a revision of the record's `data`: it has its own log.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from registry.access.roles import DATASET, Principal
from registry.datastore.paths import FilePath
from registry.datastore.schemas import FileInfo, FileList, FileLog, FileLogEntry
from registry.datastore.storage import FileStore, StoredBlob
from registry.db.engine import Connection, Database
from registry.db.models import dataset_file_log, dataset_files
from registry.errors import NotFound, PreconditionFailed, ValidationFailed
from registry.items.service import authorize

_STRONG_SHA256 = re.compile(r'^"([0-9a-f]{64})"$')


async def authorize_files(conn: Connection, principal: Principal, item_id: uuid.UUID, action: str) -> Any:  # noqa: ANN401
    """404 for no record, 403 if the caller may not view it, 422 if it is no dataset, then 403 for `action`."""
    row = await authorize(conn, principal, item_id, "view")
    if row.item_subtype != DATASET:
        raise ValidationFailed.one("item_subtype", "Only datasets have files; this record is not a dataset.")
    return await authorize(conn, principal, item_id, action)


def _info(row: Any) -> FileInfo:  # noqa: ANN401
    return FileInfo(path=row.path, size=row.size, sha256=row.sha256, uploaded_at=row.uploaded_at)


async def list_files(conn: Connection, principal: Principal, item_id: uuid.UUID) -> FileList:
    await authorize_files(conn, principal, item_id, "read_files")
    rows = await conn.rows(select(dataset_files).where(dataset_files.c.item_id == item_id).order_by(dataset_files.c.path))
    return FileList(files=[_info(row) for row in rows])


async def file_log(conn: Connection, principal: Principal, item_id: uuid.UUID) -> FileLog:
    await authorize_files(conn, principal, item_id, "read_files")
    rows = await conn.rows(
        select(dataset_file_log).where(dataset_file_log.c.item_id == item_id).order_by(dataset_file_log.c.seq.desc())
    )
    return FileLog(
        entries=[FileLogEntry(at=r.at, by=r.by, action=r.action, path=r.path, size=r.size, sha256=r.sha256) for r in rows]
    )


def _expected_sha256(if_match: str) -> str:
    match = _STRONG_SHA256.match(if_match.strip())
    if match is None:
        raise PreconditionFailed('If-Match must be the file\'s sha256 in quotes, e.g. If-Match: "9f86d08…".')
    return match[1]


async def _current(conn: Connection, item_id: uuid.UUID, path: str) -> Any:  # noqa: ANN401
    statement = select(dataset_files).where(dataset_files.c.item_id == item_id, dataset_files.c.path == path)
    rows = await conn.rows(statement)
    return rows[0] if rows else None


async def put_file(
    db: Database,
    store: FileStore,
    principal: Principal,
    item_id: uuid.UUID,
    path: FilePath,
    if_match: str | None,
    chunks: AsyncIterator[bytes],
    max_size: int,
) -> tuple[FileInfo, bool]:
    """Add a new path, or replace an existing one whose sha256 If-Match names. Returns (file, created)."""
    async with db.read() as conn:
        await authorize_files(conn, principal, item_id, "write_files")
        existing = await _current(conn, item_id, path := path.checked())
    # Refuse before the upload, not after streaming gigabytes; the write below checks again.
    if existing is None and if_match is not None:
        raise PreconditionFailed("There is no file at this path to match: leave If-Match out to add it.")
    if existing is not None and if_match is None:
        raise PreconditionFailed(f'A file exists at {path}: to replace it, send If-Match: "<its sha256>".')
    expected = _expected_sha256(if_match) if if_match is not None else None
    if existing is not None and existing.sha256 != expected:
        raise PreconditionFailed("The file has changed since you read it: fetch its sha256 again.")

    stored = await store.write(item_id, chunks, max_size)
    try:
        info, old_blob = await _record_upload(db, principal, item_id, path, expected, stored)
    except BaseException:
        await store.delete(item_id, stored.blob)
        raise
    if old_blob is not None:
        await store.delete(item_id, old_blob)
    return info, old_blob is None


async def _record_upload(
    db: Database, principal: Principal, item_id: uuid.UUID, path: str, expected: str | None, stored: StoredBlob
) -> tuple[FileInfo, uuid.UUID | None]:
    now = datetime.datetime.now(datetime.UTC)
    values = {"blob": stored.blob, "size": stored.size, "sha256": stored.sha256, "uploaded_at": now, "uploaded_by": principal.username}
    try:
        async with db.write() as conn:
            if expected is None:
                await conn.execute(insert(dataset_files).values(item_id=item_id, path=path, **values))
                old_blob = None
            else:
                current = await _current(conn, item_id, path)
                changed = await conn.rows(
                    update(dataset_files)
                    .where(dataset_files.c.item_id == item_id, dataset_files.c.path == path, dataset_files.c.sha256 == expected)
                    .values(**values)
                    .returning(dataset_files.c.path)
                )
                if not changed or current is None:
                    raise PreconditionFailed("The file has changed since you read it: fetch its sha256 again.")
                old_blob = current.blob
            await conn.execute(
                insert(dataset_file_log).values(
                    item_id=item_id,
                    at=now,
                    by=principal.username,
                    action="added" if expected is None else "replaced",
                    path=path,
                    size=stored.size,
                    sha256=stored.sha256,
                )
            )
    except IntegrityError:  # someone else added this path while we uploaded
        raise PreconditionFailed(f'A file now exists at {path}: to replace it, send If-Match: "<its sha256>".') from None
    return FileInfo(path=path, size=stored.size, sha256=stored.sha256, uploaded_at=now), old_blob


async def find_file(conn: Connection, principal: Principal, item_id: uuid.UUID, path: FilePath) -> Any:  # noqa: ANN401
    await authorize_files(conn, principal, item_id, "read_files")
    row = await _current(conn, item_id, checked := path.checked())
    if row is None:
        raise NotFound(f"This dataset has no file {checked}.")
    return row


async def delete_file(db: Database, store: FileStore, principal: Principal, item_id: uuid.UUID, path: FilePath) -> None:
    async with db.write() as conn:
        await authorize_files(conn, principal, item_id, "write_files")
        row = await _current(conn, item_id, checked := path.checked())
        if row is None:
            raise NotFound(f"This dataset has no file {checked}.")
        await conn.execute(delete(dataset_files).where(dataset_files.c.item_id == item_id, dataset_files.c.path == checked))
        await conn.execute(
            insert(dataset_file_log).values(
                item_id=item_id,
                at=datetime.datetime.now(datetime.UTC),
                by=principal.username,
                action="deleted",
                path=checked,
                size=row.size,
                sha256=row.sha256,
            )
        )
    await store.delete(item_id, row.blob)
