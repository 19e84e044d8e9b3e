"""Where dataset files' bytes live. `FileStore` is the interface; `LocalFileStore` keeps them in a
folder (REGISTRY_FILES_DIR), one sub-folder per dataset named by its id.

Every upload becomes a new blob named by a fresh UUID: streamed to a temporary file, hashed on
the way, and renamed into place only once complete. Names come from the server, never from a
user, so nothing a user sends can reach outside the dataset's folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import anyio
import anyio.to_thread

from registry.errors import PayloadTooLarge

WRITE_BATCH = 1024 * 1024  # bytes gathered before one trip to the worker thread
READ_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredBlob:
    blob: uuid.UUID
    size: int
    sha256: str


class FileStore(Protocol):
    async def write(self, dataset: uuid.UUID, chunks: AsyncIterator[bytes], max_size: int) -> StoredBlob: ...

    async def open_range(self, dataset: uuid.UUID, blob: uuid.UUID, start: int, end: int) -> AsyncIterator[bytes]:
        """Bytes `start` to `end` (inclusive); FileNotFoundError at once if the blob is gone."""
        ...

    async def delete(self, dataset: uuid.UUID, blob: uuid.UUID) -> None: ...


class _Upload:
    """A temporary file being written and hashed, in the worker thread."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.file = path.open("xb")
        self.hash = hashlib.sha256()
        self.size = 0

    def add(self, data: bytes) -> None:
        self.file.write(data)
        self.hash.update(data)
        self.size += len(data)

    def finish(self, destination: Path) -> None:
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.path, destination)

    def discard(self) -> None:
        self.file.close()
        self.path.unlink(missing_ok=True)


class LocalFileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _blob_path(self, dataset: uuid.UUID, blob: uuid.UUID) -> Path:
        return self.root / str(dataset) / "blobs" / str(blob)

    async def write(self, dataset: uuid.UUID, chunks: AsyncIterator[bytes], max_size: int) -> StoredBlob:
        blob = uuid.uuid4()
        upload = await anyio.to_thread.run_sync(_Upload, self.root / str(dataset) / "uploading" / f"{blob}.part")
        try:
            batch = bytearray()
            async for chunk in chunks:
                if upload.size + len(batch) + len(chunk) > max_size:
                    raise PayloadTooLarge(f"A file may have at most {max_size} bytes.")
                batch += chunk
                if len(batch) >= WRITE_BATCH:
                    await anyio.to_thread.run_sync(upload.add, bytes(batch))
                    batch.clear()
            await anyio.to_thread.run_sync(upload.add, bytes(batch))
            await anyio.to_thread.run_sync(upload.finish, self._blob_path(dataset, blob))
        except BaseException:
            # Cut off, too large or failed: nothing of it may stay behind.
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(upload.discard)
            raise
        return StoredBlob(blob=blob, size=upload.size, sha256=upload.hash.hexdigest())

    async def open_range(self, dataset: uuid.UUID, blob: uuid.UUID, start: int, end: int) -> AsyncIterator[bytes]:
        file = await anyio.open_file(self._blob_path(dataset, blob), "rb")

        async def chunks() -> AsyncIterator[bytes]:
            async with file:
                await file.seek(start)
                remaining = end - start + 1
                while remaining > 0:
                    chunk = await file.read(min(READ_CHUNK, remaining))
                    if not chunk:
                        return
                    remaining -= len(chunk)
                    yield chunk

        return chunks()

    async def delete(self, dataset: uuid.UUID, blob: uuid.UUID) -> None:
        with contextlib.suppress(FileNotFoundError):
            await anyio.to_thread.run_sync(self._blob_path(dataset, blob).unlink)
