"""Dataset files: paths, uploads that stream and vanish when cut off, Range, permissions, the log."""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import samples
from conftest import Api, Sharing, UserFactory
from support import Server, start_server, stop_server


@pytest.fixture
def dataset(writer: Api) -> dict:
    org = writer.create("ORGANISATION", samples.organisation())
    return writer.create("DATASET", samples.dataset(org["id"]))


def upload(api: Api, item_id: str, path: str, content: bytes, if_match: str | None = None) -> httpx.Response:
    headers = {"If-Match": if_match} if if_match else {}
    return api.put(f"/items/{item_id}/files/{path}", content=content, headers=headers)


def raw_request(server: Server, method: str, target: str, token: str, body: bytes = b"") -> tuple[int, bytes]:
    """A request whose target goes out byte for byte (no client-side normalising)."""
    url = urlsplit(server.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    connection.putrequest(method, target, skip_accept_encoding=True)
    connection.putheader("Authorization", f"Bearer {token}")
    connection.putheader("Content-Length", str(len(body)))
    connection.endheaders(body)
    response = connection.getresponse()
    status, content = response.status, response.read()
    connection.close()
    return status, content


def test_upload_list_download_replace_delete(writer: Api, dataset: dict) -> None:
    item = dataset["id"]
    first = upload(writer, item, "data/rain.csv", b"day,mm\n1,3\n")
    assert first.status_code == 201
    info = first.json()
    assert info["path"] == "data/rain.csv" and info["size"] == 11
    assert info["sha256"] == hashlib.sha256(b"day,mm\n1,3\n").hexdigest()
    assert upload(writer, item, "readme.txt", b"hello").status_code == 201
    listing = writer.get(f"/items/{item}/files").json()["files"]
    assert [f["path"] for f in listing] == ["data/rain.csv", "readme.txt"]
    download = writer.get(f"/items/{item}/files/data/rain.csv")
    assert download.status_code == 200 and download.content == b"day,mm\n1,3\n"
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.headers["etag"] == f'"{info["sha256"]}"'

    assert upload(writer, item, "data/rain.csv", b"other").status_code == 412  # exists: If-Match needed
    assert upload(writer, item, "data/rain.csv", b"other", '"' + "0" * 64 + '"').status_code == 412
    assert upload(writer, item, "new.txt", b"x", f'"{info["sha256"]}"').status_code == 412  # nothing to match
    replaced = upload(writer, item, "data/rain.csv", b"day,mm\n1,4\n", f'"{info["sha256"]}"')
    assert replaced.status_code == 200
    assert writer.get(f"/items/{item}/files/data/rain.csv").content == b"day,mm\n1,4\n"

    assert writer.delete(f"/items/{item}/files/readme.txt").status_code == 204
    assert writer.get(f"/items/{item}/files/readme.txt").status_code == 404
    assert writer.delete(f"/items/{item}/files/readme.txt").status_code == 404
    # files are not revisions of the record's data
    assert writer.get(f"/items/{item}").json()["revision"] == 1

    log = writer.get(f"/items/{item}/file-log").json()["entries"]
    assert [(e["action"], e["path"], e["size"], e["by"]) for e in log] == [
        ("deleted", "readme.txt", 5, writer.username),
        ("replaced", "data/rain.csv", 11, writer.username),
        ("added", "readme.txt", 5, writer.username),
        ("added", "data/rain.csv", 11, writer.username),
    ]
    assert log[1]["sha256"] == hashlib.sha256(b"day,mm\n1,4\n").hexdigest()


def test_unicode_and_escaped_names(writer: Api, dataset: dict) -> None:
    assert upload(writer, dataset["id"], "résumé%20final.txt", b"x").status_code == 201
    assert [f["path"] for f in writer.get(f"/items/{dataset['id']}/files").json()["files"]] == ["résumé final.txt"]
    assert writer.get(f"/items/{dataset['id']}/files/résumé%20final.txt").content == b"x"


@pytest.mark.parametrize(
    "target",
    [
        "../escape.txt",
        "a/../../escape.txt",
        "%2e%2e/escape.txt",
        "a/%2E%2E/b",
        "./a",
        "a/./b",
        "/etc/passwd",
        "a//b",
        "a/",
        "a%2Fb",
        "a\\b",
        "a%5Cb",
        "a%00b",
        "a%01b",
        "%ff%fe",
        "x" * 1025,
    ],
)
def test_paths_that_could_escape_or_confuse_are_422(server: Server, writer: Api, dataset: dict, target: str) -> None:
    assert writer.token is not None
    status, body = raw_request(server, "PUT", f"/api/v1/items/{dataset['id']}/files/{target}", writer.token, b"data")
    assert status == 422, body
    assert b'"field":"path"' in body
    assert writer.get(f"/items/{dataset['id']}/files").json()["files"] == []


def test_a_path_of_1024_characters_is_fine(writer: Api, dataset: dict) -> None:
    path = "/".join(["d" * 99] * 10) + "/" + "f" * 24
    assert len(path) == 1024
    assert upload(writer, dataset["id"], path, b"deep").status_code == 201


def test_files_routes_on_other_records_are_422(writer: Api) -> None:
    study = writer.create("STUDY", samples.study())
    for response in (writer.get(f"/items/{study['id']}/files"), upload(writer, study["id"], "a.txt", b"x"), writer.get(f"/items/{study['id']}/file-log")):
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "item_subtype"
    assert writer.get(f"/items/{uuid.uuid4()}/files").status_code == 404


def test_range_downloads(writer: Api, dataset: dict) -> None:
    content = bytes(range(256)) * 4
    upload(writer, dataset["id"], "bytes.bin", content)
    url = f"/items/{dataset['id']}/files/bytes.bin"
    cases = {"bytes=0-9": (0, 9), "bytes=1000-": (1000, 1023), "bytes=-5": (1019, 1023), "bytes=1020-5000": (1020, 1023)}
    for header, (start, end) in cases.items():
        response = writer.get(url, headers={"Range": header})
        assert response.status_code == 206, header
        assert response.content == content[start : end + 1]
        assert response.headers["content-range"] == f"bytes {start}-{end}/1024"
    unsatisfiable = writer.get(url, headers={"Range": "bytes=2000-"})
    assert unsatisfiable.status_code == 416
    assert unsatisfiable.headers["content-range"] == "bytes */1024"
    whole = writer.get(url, headers={"Range": "bytes=0-1,5-6"})  # several ranges: the whole file
    assert whole.status_code == 200 and whole.content == content


def test_empty_file(writer: Api, dataset: dict) -> None:
    assert upload(writer, dataset["id"], "empty", b"").status_code == 201
    response = writer.get(f"/items/{dataset['id']}/files/empty")
    assert response.status_code == 200 and response.content == b""


def test_file_permissions(make_user: UserFactory, sharing: Sharing) -> None:
    owner = make_user("registry-write")
    org = owner.create("ORGANISATION", samples.organisation())
    item = owner.create("DATASET", samples.dataset(org["id"]))["id"]
    upload(owner, item, "a.txt", b"owner's")
    metadata_only = make_user("registry-write")
    data_reader = make_user("registry-write")
    data_writer = make_user("registry-write")
    read_only_writer = make_user("registry-read")  # has dataset-data-write but not registry-write
    groups = {
        sharing.new_group(data_reader.username): ["dataset-data-read"],
        sharing.new_group(data_writer.username, read_only_writer.username): ["dataset-data-write"],
    }
    sharing.set_access(item, ["metadata-read"], groups)

    def can(api: Api) -> tuple[int, int, int, int]:
        return (
            api.get(f"/items/{item}/files").status_code,
            api.get(f"/items/{item}/files/a.txt").status_code,
            upload(api, item, f"by-{api.username}.txt", b"x").status_code,
            api.get(f"/items/{item}/file-log").status_code,
        )

    assert can(metadata_only) == (403, 403, 403, 403)
    assert can(data_reader) == (200, 200, 403, 200)
    assert can(data_writer) == (200, 200, 201, 200)
    assert can(read_only_writer) == (200, 200, 403, 200)
    assert owner.delete(f"/items/{item}/files/by-{data_writer.username}.txt").status_code == 204
    assert data_reader.delete(f"/items/{item}/files/a.txt").status_code == 403
    sharing.set_access(item, [])
    assert data_reader.get(f"/items/{item}/files").status_code == 403


def test_a_cut_off_upload_leaves_nothing(server: Server, writer: Api, dataset: dict, tmp_path: Path) -> None:
    url = urlsplit(server.url)
    with socket.create_connection((url.hostname, url.port)) as sock:
        head = (
            f"PUT /api/v1/items/{dataset['id']}/files/partial.bin HTTP/1.1\r\nHost: test\r\n"
            f"Authorization: Bearer {writer.token}\r\nContent-Length: {10 * 1024 * 1024}\r\n\r\n"
        )
        sock.sendall(head.encode() + b"x" * (3 * 1024 * 1024))
    files_dir = Path(server.log.parent / "files" / dataset["id"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(files_dir.rglob("*.part")):
        time.sleep(0.1)
    assert not any(p.is_file() for p in files_dir.rglob("*")), list(files_dir.rglob("*"))
    assert writer.get(f"/items/{dataset['id']}/files").json()["files"] == []
    assert writer.get(f"/items/{dataset['id']}/file-log").json()["entries"] == []


def test_too_large_uploads_are_413_and_leave_nothing(migrated_url: str, tmp_path: Path, make_user: UserFactory) -> None:
    small = start_server(migrated_url, tmp_path / "server.log", REGISTRY_MAX_FILE_SIZE="1000")
    try:
        owner = make_user("registry-write")
        api = Api(small.url, owner.username, owner.token)
        org = api.create("ORGANISATION", samples.organisation())
        item = api.create("DATASET", samples.dataset(org["id"]))["id"]
        assert upload(api, item, "fits.bin", b"x" * 1000).status_code == 201
        assert upload(api, item, "declared.bin", b"x" * 1001).status_code == 413  # by Content-Length

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted while streaming
            yield b"x" * 600
            yield b"x" * 600

        streamed = api.put(f"/items/{item}/files/streamed.bin", content=chunks())
        assert streamed.status_code == 413
        assert [f["path"] for f in api.get(f"/items/{item}/files").json()["files"]] == ["fits.bin"]
        assert not list((tmp_path / "files").rglob("*.part"))
    finally:
        stop_server(small)


def _peak_memory_mib(pid: int) -> float:
    """Peak resident memory of a process and its children would be more; the server is one process."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def test_one_gibibyte_up_and_down_in_little_memory(migrated_url: str, tmp_path: Path, make_user: UserFactory) -> None:
    size = 1024**3
    block = os.urandom(1024 * 1024)
    expected = hashlib.sha256()
    for _ in range(size // len(block)):
        expected.update(block)
    server = start_server(migrated_url, tmp_path / "server.log")
    try:
        owner = make_user("registry-write")
        api = Api(server.url, owner.username, owner.token)
        org = api.create("ORGANISATION", samples.organisation())
        item = api.create("DATASET", samples.dataset(org["id"]))["id"]

        def body() -> Iterator[bytes]:
            for _ in range(size // len(block)):
                yield block

        started = time.monotonic()
        response = api.http.put(f"/items/{item}/files/big.bin", content=body(), headers={"Content-Length": str(size)}, timeout=600)
        upload_seconds = time.monotonic() - started
        assert response.status_code == 201, response.text
        assert response.json()["sha256"] == expected.hexdigest() and response.json()["size"] == size

        received = hashlib.sha256()
        count = 0
        with api.http.stream("GET", f"/items/{item}/files/big.bin", timeout=600) as download:
            assert download.status_code == 200
            for chunk in download.iter_bytes(1024 * 1024):
                received.update(chunk)
                count += len(chunk)
        assert count == size and received.hexdigest() == expected.hexdigest()
        peak = _peak_memory_mib(server.process.pid)
        print(f"1 GiB: upload {upload_seconds:.1f} s, server peak memory {peak:.0f} MiB")
        assert peak < 300, f"the server peaked at {peak:.0f} MiB"
    finally:
        stop_server(server)


def test_a_cloned_dataset_has_no_files(writer: Api, dataset: dict, make_user: UserFactory) -> None:
    upload(writer, dataset["id"], "a.txt", b"a")
    cloner = make_user("registry-write")
    source = cloner.get(f"/items/{dataset['id']}").json()
    clone = cloner.create("DATASET", source["data"])
    assert cloner.get(f"/items/{clone['id']}/files").json()["files"] == []
    assert len(writer.get(f"/items/{dataset['id']}/files").json()["files"]) == 1


def test_a_plain_link_downloads_with_the_session_cookie(server: Server, writer: Api, dataset: dict) -> None:
    """The web app's download links carry no header: the session cookie alone lets them through."""
    upload(writer, dataset["id"], "a.txt", b"cookie")
    url = f"{server.url}/api/v1/items/{dataset['id']}/files/a.txt"
    signed_in = httpx.post(f"{server.url}/api/v1/auth/session", json={"username": writer.username, "password": writer.password})
    assert signed_in.status_code == 204
    session = signed_in.cookies["registry_session"]
    assert httpx.get(url, cookies={"registry_session": session}).content == b"cookie"
    ranged = httpx.get(url, cookies={"registry_session": session}, headers={"Range": "bytes=1-2"})
    assert (ranged.status_code, ranged.content) == (206, b"oo")
    assert httpx.get(url, cookies={"registry_session": "forged"}).status_code == 401
