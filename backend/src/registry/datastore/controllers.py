"""Routes: a dataset's files — list, upload, download (with Range), delete — and the file log."""

from __future__ import annotations

import re
from http import HTTPStatus
from collections.abc import AsyncIterator
from typing import Annotated
from urllib.parse import quote

from litestar import Controller, Response, delete, get, put
from litestar.datastructures import ResponseHeader
from litestar.openapi import ResponseSpec
from litestar.params import Body, HeaderParameter, PathParameter
from litestar.response import Stream

from registry.datastore import service
from registry.datastore.paths import MAX_PATH_LENGTH, PATH_PATTERN, FilePath
from registry.datastore.schemas import FileInfo, FileList, FileLog
from registry.errors import NotFound, RegistryError
from registry.http import ApiRequest, CurrentUser, documents_body, problems
from registry.items.controllers import ItemId
from registry.items.service import parse_item_id

FilePathParameter = Annotated[
    str,
    PathParameter(
        title="File path",
        description=(
            "Relative, `/`-separated; no `.` or `..` parts, no leading `/`, no backslash or control characters; at most 1,024 "
            "characters. Judged on the request path as sent: write `/` as it is, not as `%2F`."
        ),
        # Documented only: the handlers judge the raw path (`_file_path`), after the record's 404 and 403.
        schema_extra={"pattern": PATH_PATTERN, "maxLength": MAX_PATH_LENGTH},
    ),
]
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
OCTETS = "application/octet-stream"
FileBytes = Annotated[bytes, Body(media_type=OCTETS, description="The file's bytes.", schema_extra={"format": "binary"})]
SHA256_ETAG = ResponseHeader(name="ETag", description="The file's sha256, quoted: If-Match of a replacement names it.", documentation_only=True)


class RangeNotSatisfiable(RegistryError):
    status = HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE


def _file_path(request: ApiRequest, item_id: str) -> FilePath:
    return FilePath(request.scope["raw_path"], f"/api/v1/items/{item_id}/files/")


def _byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The one range `Range: bytes=…` asks for, or None for the whole file (also for several ranges)."""
    if header is None or (match := _RANGE.match(header.strip())) is None:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":  # the last N bytes
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        raise RangeNotSatisfiable(f"The file has {size} bytes: ask for a range within them.", headers={"Content-Range": f"bytes */{size}"})
    return start, end


class FilesController(Controller):
    path = "/items/{item_id:str}"
    tags = ["datastore"]

    @get("/files", responses=problems(401, 403, 404), summary="A dataset's files, sorted by path")
    async def list_files(self, item_id: ItemId, user: CurrentUser, request: ApiRequest) -> FileList:
        async with request.db.read() as conn:
            return await service.list_files(conn, user, parse_item_id(item_id))

    @get("/file-log", responses=problems(401, 403, 404), summary="Every change of a dataset's files, newest first")
    async def file_log(self, item_id: ItemId, user: CurrentUser, request: ApiRequest) -> FileLog:
        async with request.db.read() as conn:
            return await service.file_log(conn, user, parse_item_id(item_id))

    @put(
        "/files/{file_path:path}",
        request_max_body_size=None,
        opt={"body_limit": "files"},
        status_code=201,
        dependencies=documents_body(FileBytes),
        response_headers=[SHA256_ETAG],
        responses={
            200: ResponseSpec(FileInfo, description="The file was replaced", generate_examples=False),
            **problems(401, 403, 404, 412, 413),
        },
        summary="Upload a file: a new path (201), or replace one with If-Match of its sha256 (200)",
        description="The body is the file's bytes. It streams to storage and appears only once complete.",
    )
    async def upload(
        self,
        request: ApiRequest,
        user: CurrentUser,
        item_id: ItemId,
        file_path: FilePathParameter,
        if_match: Annotated[str | None, HeaderParameter(name="If-Match", description='To replace a file: "<its sha256>".')] = None,
    ) -> Response[FileInfo]:
        info, created = await service.put_file(
            request.db,
            request.files,
            user,
            parse_item_id(item_id),
            _file_path(request, item_id),
            if_match,
            request.stream(),
            request.settings.max_file_size,
        )
        return Response(info, status_code=201 if created else 200, headers={"ETag": f'"{info.sha256}"'})

    @get(
        "/files/{file_path:path}",
        media_type=OCTETS,
        response_headers=[SHA256_ETAG],
        responses={
            206: ResponseSpec(bytes, description="The bytes the Range asked for", media_type=OCTETS, generate_examples=False),
            **problems(401, 403, 404, 416),
        },
        summary="Download a file (Range requests give 206 with the bytes asked for)",
        response_description="The file's bytes",
    )
    async def download(
        self,
        request: ApiRequest,
        user: CurrentUser,
        item_id: ItemId,
        file_path: FilePathParameter,
        range_header: Annotated[str | None, HeaderParameter(name="Range", description="e.g. bytes=0-1023")] = None,
    ) -> Stream:
        dataset = parse_item_id(item_id)
        async with request.db.read() as conn:
            row = await service.find_file(conn, user, dataset, _file_path(request, item_id))
        byte_range = _byte_range(range_header, row.size)
        start, end = byte_range or (0, row.size - 1)
        try:
            chunks: AsyncIterator[bytes] = await request.files.open_range(dataset, row.blob, start, end) if row.size else _nothing()
        except FileNotFoundError:
            raise NotFound(f"The bytes of {row.path} are missing from the file store. Tell the registry's operators.") from None
        name = row.path.rsplit("/", 1)[-1]
        headers = {
            "Content-Length": str(end - start + 1 if row.size else 0),
            "Accept-Ranges": "bytes",
            "ETag": f'"{row.sha256}"',
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
            "X-Content-Type-Options": "nosniff",
        }
        if byte_range is not None:
            headers["Content-Range"] = f"bytes {start}-{end}/{row.size}"
        return Stream(chunks, status_code=206 if byte_range else 200, media_type="application/octet-stream", headers=headers)

    @delete("/files/{file_path:path}", status_code=204, responses=problems(401, 403, 404), summary="Delete a file")
    async def delete_file(self, request: ApiRequest, user: CurrentUser, item_id: ItemId, file_path: FilePathParameter) -> None:
        await service.delete_file(request.db, request.files, user, parse_item_id(item_id), _file_path(request, item_id))


async def _nothing() -> AsyncIterator[bytes]:
    return
    yield b""
