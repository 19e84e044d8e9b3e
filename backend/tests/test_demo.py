"""`registry seed-demo` on a fresh database: records of every subtype with working refs, users who
can sign in with the printed passwords, groups, access settings, a revision and dataset files —
checked through the API of a real server. It refuses a second run."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import msgspec
import pytest
from support import ADMIN_PASSWORD, SECRET_KEY, Server, create_database, drop_database, fake_spa, start_server, stop_server

from registry.items.subtypes import SUBTYPES

TEST_DATABASE = os.environ.get("REGISTRY_TEST_DATABASE", "sqlite")


class Seeded:
    def __init__(self, server: Server, output: str, files_dir: Path, database_url: str) -> None:
        self.server = server
        self.output = output
        self.files_dir = files_dir
        self.database_url = database_url
        self.passwords = dict(re.findall(r"^  (\w+)\t(\S+)\t", output, re.MULTILINE))

    def client(self, username: str, password: str | None = None) -> httpx.Client:
        password = password or self.passwords[username]
        token = httpx.post(f"{self.server.url}/api/v1/auth/token", json={"username": username, "password": password}).json()["access_token"]
        return httpx.Client(base_url=f"{self.server.url}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=30)


def _seed_demo(database_url: str, files_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "REGISTRY_DATABASE_URL": database_url,
        "REGISTRY_FILES_DIR": str(files_dir),
        "REGISTRY_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "REGISTRY_SECRET_KEY": SECRET_KEY,
    }
    return subprocess.run([sys.executable, "-m", "registry", "seed-demo"], env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    folder = tmp_path_factory.mktemp("demo")
    database_url = create_database(TEST_DATABASE, f"registry_demo_{os.getpid()}")
    try:
        result = _seed_demo(database_url, folder / "files")
        assert result.returncode == 0, result.stderr
        server = start_server(database_url, folder / "server.log", REGISTRY_FILES_DIR=str(folder / "files"), REGISTRY_SPA_DIR=str(fake_spa(folder / "spa")))
        try:
            yield Seeded(server, result.stdout, folder / "files", database_url)
        finally:
            stop_server(server)
    finally:
        drop_database(database_url)


def _all_items(client: httpx.Client) -> list[dict]:
    found, cursor = [], None
    while True:
        page = client.get("/items", params={"limit": 100, **({"cursor": cursor} if cursor else {})}).json()
        found += page["items"]
        if (cursor := page["next_cursor"]) is None:
            return found


def test_every_subtype_is_there_and_every_ref_resolves(seeded: Seeded) -> None:
    admin = seeded.client("admin", ADMIN_PASSWORD)
    summaries = _all_items(admin)
    by_subtype: dict[str, list[dict]] = {}
    for summary in summaries:
        by_subtype.setdefault(summary["item_subtype"], []).append(summary)
    assert set(by_subtype) == set(SUBTYPES)
    assert all(len(found) >= 3 for found in by_subtype.values()), {k: len(v) for k, v in by_subtype.items()}
    assert f"Created {len(summaries)} demo records" in seeded.output

    ids = {summary["id"]: summary["item_subtype"] for summary in summaries}
    ref_count = 0
    for summary in summaries:
        item = admin.get(f"/items/{summary['id']}").json()
        subtype = SUBTYPES[item["item_subtype"]]
        for _, ref_id, target in subtype.refs(subtype.decode(msgspec.json.encode(item["data"]))):
            assert ids[ref_id] == target
            ref_count += 1
    assert ref_count >= 15, "workflows, templates and datasets point at one another"


def test_users_groups_access_and_history(seeded: Seeded) -> None:
    assert set(seeded.passwords) == {"hana", "liam", "sofia"}
    admin = seeded.client("admin", ADMIN_PASSWORD)
    groups = {group["name"]: group["members"] for group in admin.get("/groups").json()}
    assert groups == {"Hydrology team": ["hana", "sofia"], "Coastal team": ["liam"], "Data stewards": ["hana", "liam"]}

    sofia = seeded.client("sofia")
    assert sofia.get("/me").json()["roles"] == ["registry-read"]
    visible = {summary["display_name"] for summary in _all_items(sofia)}
    everything = {summary["display_name"] for summary in _all_items(admin)}
    assert "Estuary salinity transects 2022" in everything - visible, "a record shared with other groups only"
    assert "Catchment runoff model 2.1" in visible

    model_id = next(s["id"] for s in _all_items(admin) if s["display_name"] == "Catchment runoff model 2.1")
    entries = admin.get(f"/items/{model_id}/history").json()["entries"]
    assert [entry["revision"] for entry in entries] == [2, 1]
    assert entries[0]["by"] == "hana" and entries[0]["reason"].startswith("Hourly time steps")
    access = admin.get(f"/items/{model_id}/access").json()
    hydrology = next(g["id"] for g in admin.get("/groups").json() if g["name"] == "Hydrology team")
    assert access == {"owner": "hana", "general": ["metadata-read"], "groups": {hydrology: ["metadata-write"]}}  # as stored
    assert sofia.get(f"/items/{model_id}/permissions").json()["actions"]["edit"] is False  # a reader: group roles need registry-write to edit


def test_datasets_have_their_files(seeded: Seeded) -> None:
    hana = seeded.client("hana")
    datasets = [s for s in _all_items(hana) if s["item_subtype"] == "DATASET"]
    stored = 0
    for summary in datasets:
        if hana.get(f"/items/{summary['id']}/permissions").json()["actions"]["read_files"] is False:
            continue
        for info in hana.get(f"/items/{summary['id']}/files").json()["files"]:
            body = hana.get(f"/items/{summary['id']}/files/{info['path']}").content
            assert len(body) == info["size"] > 0 and hashlib.sha256(body).hexdigest() == info["sha256"]
            stored += 1
    assert stored >= 6
    rainfall = next(s for s in datasets if s["display_name"] == "Daily rainfall, upper catchment 2023")
    paths = [f["path"] for f in hana.get(f"/items/{rainfall['id']}/files").json()["files"]]
    assert paths == ["README.md", "forcing/rainfall.csv"]
    csv = hana.get(f"/items/{rainfall['id']}/files/forcing/rainfall.csv").text.splitlines()
    assert csv[0] == "date,rainfall_mm" and len(csv) == 366
    assert sum(1 for _ in seeded.files_dir.rglob("blobs/*")) == sum(int(n) for n in re.findall(r"(\d+) dataset files", seeded.output))


def test_a_second_run_refuses_and_changes_nothing(seeded: Seeded) -> None:
    admin = seeded.client("admin", ADMIN_PASSWORD)
    before = len(_all_items(admin))
    result = _seed_demo(seeded.database_url, seeded.files_dir)
    assert result.returncode != 0
    assert "already has" in result.stderr and "records" in result.stderr and "Traceback" not in result.stderr
    assert len(_all_items(admin)) == before
