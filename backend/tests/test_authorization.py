"""The authorization table: who may fetch, list, create and what the permissions-check says."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import samples
from conftest import Api, Sharing, UserFactory

NO_ACTIONS = {"view": False, "edit": False, "clone": False, "manage_access": False, "read_files": False, "write_files": False}
ALL_METADATA = {**NO_ACTIONS, "view": True, "edit": True, "clone": True, "manage_access": True}


@dataclass
class World:
    actors: dict[str, Api]
    public: dict
    private: dict
    private_dataset: dict


@pytest.fixture(scope="module")
def world(make_user: UserFactory, anonymous: Api, sharing: Sharing) -> World:
    owner = make_user("registry-write", prefix="owner")
    actors = {
        "anonymous": anonymous,
        "no roles": make_user(prefix="noroles"),
        "registry-read": make_user("registry-read"),
        "registry-write": make_user("registry-write"),
        "registry-admin": make_user("registry-admin"),
        "owner": owner,
        "group reader": make_user("registry-read", prefix="gread"),
        "group editor": make_user("registry-write", prefix="gedit"),
    }
    public = owner.create("STUDY", samples.study("Public study"))
    private = owner.create("STUDY", samples.study("Private study"))
    org = owner.create("ORGANISATION", samples.organisation())
    private_dataset = owner.create("DATASET", samples.dataset(org["id"], "Private data"))
    readers = sharing.new_group(actors["group reader"].username, actors["no roles"].username)
    editors = sharing.new_group(actors["group editor"].username)
    sharing.set_access(private["id"], [], {readers: ["metadata-read"], editors: ["metadata-write"]})
    sharing.set_access(private_dataset["id"], [], {readers: ["metadata-read"], editors: ["dataset-data-write"]})
    return World(actors, public, private, private_dataset)


# (actor, record) → (fetch status, listed, permissions status, item_roles, actions)
TABLE = [
    ("anonymous", "public", 401, None, 401, None, None),
    ("anonymous", "private", 401, None, 401, None, None),
    ("no roles", "public", 403, None, 200, [], NO_ACTIONS),
    ("no roles", "private", 403, None, 200, [], NO_ACTIONS),
    ("registry-read", "public", 200, True, 200, ["metadata-read"], {**NO_ACTIONS, "view": True}),
    ("registry-read", "private", 403, False, 200, [], NO_ACTIONS),
    ("registry-write", "public", 200, True, 200, ["metadata-read"], {**NO_ACTIONS, "view": True, "clone": True}),
    ("registry-write", "private", 403, False, 200, [], NO_ACTIONS),
    ("registry-admin", "private", 200, True, 200, ["metadata-read", "metadata-write", "admin"], ALL_METADATA),
    ("owner", "private", 200, True, 200, ["metadata-read", "metadata-write", "admin"], ALL_METADATA),
    ("group reader", "private", 200, True, 200, ["metadata-read"], {**NO_ACTIONS, "view": True}),
    ("group editor", "private", 200, True, 200, ["metadata-read", "metadata-write"], {**NO_ACTIONS, "view": True, "edit": True, "clone": True}),
    ("owner", "private_dataset", 200, True, 200, ["metadata-read", "metadata-write", "dataset-data-read", "dataset-data-write", "admin"], {k: True for k in NO_ACTIONS}),
    ("group reader", "private_dataset", 200, True, 200, ["metadata-read"], {**NO_ACTIONS, "view": True}),
    (
        "group editor",
        "private_dataset",
        200,
        True,
        200,
        ["metadata-read", "dataset-data-read", "dataset-data-write"],
        {**NO_ACTIONS, "view": True, "clone": True, "read_files": True, "write_files": True},
    ),
]


@pytest.mark.parametrize(("actor", "record", "fetch", "listed", "perm_status", "roles", "actions"), TABLE)
def test_access_table(world: World, actor: str, record: str, fetch: int, listed: bool | None, perm_status: int, roles: list | None, actions: dict | None) -> None:
    api = world.actors[actor]
    item = getattr(world, record)
    response = api.get(f"/items/{item['id']}")
    assert response.status_code == fetch
    if fetch == 403:
        assert "Private" not in response.text and "Public" not in response.text
    if listed is not None:
        ids = [i["id"] for i in api.get("/items", params={"owner": world.actors["owner"].username, "limit": 100}).json()["items"]]
        assert (item["id"] in ids) is listed
    permissions = api.get(f"/items/{item['id']}/permissions")
    assert permissions.status_code == perm_status
    if perm_status == 200:
        body = permissions.json()
        assert body["item_id"] == item["id"]
        assert body["item_roles"] == roles
        assert body["actions"] == actions
        assert body["general_roles"] == api.get("/me").json()["roles"]


@pytest.mark.parametrize(
    ("actor", "status"),
    [("anonymous", 401), ("no roles", 403), ("registry-read", 403), ("registry-write", 201), ("registry-admin", 201), ("group reader", 403)],
)
def test_who_may_create(world: World, actor: str, status: int) -> None:
    response = world.actors[actor].post("/items", json={"item_subtype": "STUDY", "data": samples.study()})
    assert response.status_code == status


def test_listing_needs_registry_read(world: World) -> None:
    assert world.actors["no roles"].get("/items").status_code == 403
    assert world.actors["anonymous"].get("/items").status_code == 401


def test_removing_a_member_ends_their_group_roles_at_once(make_user: UserFactory, sharing: Sharing) -> None:
    owner = make_user("registry-write", prefix="revoke")
    member = make_user("registry-read")
    item = owner.create("STUDY", samples.study("Revocable"))
    group = sharing.new_group(member.username)
    sharing.set_access(item["id"], [], {group: ["metadata-read"]})
    assert member.get(f"/items/{item['id']}").status_code == 200
    assert sharing.admin.delete(f"/groups/{group}/members/{member.username}").status_code == 204
    assert member.get(f"/items/{item['id']}").status_code == 403
    assert item["id"] not in [i["id"] for i in member.get("/items", params={"owner": owner.username}).json()["items"]]
