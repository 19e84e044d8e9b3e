"""Access settings, their log, and groups."""

from __future__ import annotations

import uuid

import pytest
import samples
from conftest import Api, Sharing, UserFactory


def test_owner_reads_and_replaces_access_settings(make_user: UserFactory, sharing: Sharing) -> None:
    owner = make_user("registry-write")
    item = owner.create("STUDY", samples.study())
    assert owner.get(f"/items/{item['id']}/access").json() == {"owner": owner.username, "general": ["metadata-read"], "groups": {}}
    group = sharing.new_group()
    body = {"general": ["admin", "metadata-read", "metadata-read"], "groups": {group: ["metadata-write"]}}
    response = owner.put(f"/items/{item['id']}/access", json=body)
    assert response.status_code == 200, response.text
    expected = {"owner": owner.username, "general": ["metadata-read", "admin"], "groups": {group: ["metadata-write"]}}
    assert response.json() == expected
    assert owner.get(f"/items/{item['id']}/access").json() == expected
    # access changes do not make a revision of data
    assert owner.get(f"/items/{item['id']}").json()["revision"] == 1


def test_access_changes_are_logged_newest_first(make_user: UserFactory, sharing: Sharing, admin: Api) -> None:
    owner = make_user("registry-write")
    item = owner.create("STUDY", samples.study())
    group = sharing.new_group()
    owner.put(f"/items/{item['id']}/access", json={"general": [], "groups": {group: ["metadata-read"]}})
    admin.put(f"/items/{item['id']}/access", json={"general": ["metadata-read"], "groups": {}})
    entries = owner.get(f"/items/{item['id']}/access-log").json()["entries"]
    assert [(e["by"], e["old"], e["new"]) for e in entries] == [
        (admin.username, {"general": [], "groups": {group: ["metadata-read"]}}, {"general": ["metadata-read"], "groups": {}}),
        (owner.username, {"general": ["metadata-read"], "groups": {}}, {"general": [], "groups": {group: ["metadata-read"]}}),
    ]
    assert entries[0]["at"] >= entries[1]["at"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"general": ["dataset-data-read"], "groups": {}}, "general.0"),
        ({"general": ["metadata-read", "superuser"], "groups": {}}, "general.1"),
        ({"general": [], "groups": {"GROUP": ["dataset-data-write"]}}, "groups.GROUP.0"),
        ({"general": [], "groups": {str(uuid.UUID(int=7)): ["metadata-read"]}}, f"groups.{uuid.UUID(int=7)}"),
        ({"general": [], "groups": {"not-a-uuid": ["metadata-read"]}}, "groups"),
        ({"owner": "someone-else", "general": [], "groups": {}}, "owner"),
        ({"general": []}, "groups"),
        ({"general": None, "groups": {}}, "general"),
    ],
)
def test_invalid_access_settings_are_422_and_change_nothing(make_user: UserFactory, sharing: Sharing, body: dict, field: str) -> None:
    """GROUP stands for a group that exists (dataset roles on a study are still refused)."""
    owner = make_user("registry-write")
    item = owner.create("STUDY", samples.study())
    group = sharing.new_group()
    body = {**body, "groups": {group if key == "GROUP" else key: roles for key, roles in body.get("groups", {}).items()}} if "groups" in body else body
    field = field.replace("GROUP", group)
    response = owner.put(f"/items/{item['id']}/access", json=body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
    assert owner.get(f"/items/{item['id']}/access").json()["general"] == ["metadata-read"]
    assert owner.get(f"/items/{item['id']}/access-log").json()["entries"] == []


def test_dataset_roles_are_allowed_on_datasets(writer: Api, sharing: Sharing) -> None:
    org = writer.create("ORGANISATION", samples.organisation())
    dataset = writer.create("DATASET", samples.dataset(org["id"]))
    group = sharing.new_group()
    body = {"general": ["dataset-data-read"], "groups": {group: ["dataset-data-write", "metadata-write"]}}
    response = writer.put(f"/items/{dataset['id']}/access", json=body)
    assert response.status_code == 200
    assert response.json()["groups"][group] == ["metadata-write", "dataset-data-write"]


def test_who_may_manage_access(make_user: UserFactory, sharing: Sharing, admin: Api, anonymous: Api) -> None:
    owner = make_user("registry-write")
    item = owner.create("STUDY", samples.study())
    delegate = make_user("registry-read")
    editor = make_user("registry-write")
    group = sharing.new_group(delegate.username)
    editors = sharing.new_group(editor.username)
    sharing.set_access(item["id"], ["metadata-read"], {group: ["admin"], editors: ["metadata-write"]})
    for path in ("access", "access-log"):
        assert anonymous.get(f"/items/{item['id']}/{path}").status_code == 401
        assert editor.get(f"/items/{item['id']}/{path}").status_code == 403
        assert delegate.get(f"/items/{item['id']}/{path}").status_code == 200
        assert admin.get(f"/items/{item['id']}/{path}").status_code == 200
        assert owner.get(f"/items/{uuid.uuid4()}/{path}").status_code == 404
    assert editor.put(f"/items/{item['id']}/access", json={"bogus": 1}).status_code == 403  # 403 before 422
    assert delegate.put(f"/items/{item['id']}/access", json={"general": [], "groups": {group: ["admin"]}}).status_code == 200
    assert owner.get(f"/items/{item['id']}").status_code == 200  # the owner keeps everything


def test_groups(admin: Api, make_user: UserFactory) -> None:
    member = make_user("registry-read")
    response = admin.post("/groups", json={"name": "Hydrologists", "description": "People who model water"})
    assert response.status_code == 201
    group = response.json()
    assert group["name"] == "Hydrologists" and group["members"] == [] and uuid.UUID(group["id"])
    assert admin.post("/groups", json={"name": "Hydrologists", "description": ""}).status_code == 409
    for _ in range(2):  # idempotent
        assert admin.put(f"/groups/{group['id']}/members/{member.username}").status_code == 204
    listed = {g["id"]: g for g in member.get("/groups").json()}
    assert listed[group["id"]]["members"] == [member.username]
    assert member.get("/me").json()["groups"] == [{"id": group["id"], "name": "Hydrologists"}]
    for _ in range(2):
        assert admin.delete(f"/groups/{group['id']}/members/{member.username}").status_code == 204
    assert {g["id"]: g for g in member.get("/groups").json()}[group["id"]]["members"] == []
    assert admin.put(f"/groups/{uuid.uuid4()}/members/{member.username}").status_code == 404
    assert admin.put(f"/groups/not-a-uuid/members/{member.username}").status_code == 404
    assert admin.put(f"/groups/{group['id']}/members/no-such-user").status_code == 404


@pytest.mark.parametrize("body", [{"name": "", "description": ""}, {"name": "x"}, {"name": "x", "description": "", "members": []}])
def test_group_bodies_are_checked(admin: Api, body: dict) -> None:
    assert admin.post("/groups", json=body).status_code == 422


@pytest.mark.parametrize("roles", [["registry-read"], ["registry-write"]])
def test_only_admins_change_groups(make_user: UserFactory, sharing: Sharing, roles: list[str]) -> None:
    user = make_user(*roles)
    group = sharing.new_group()
    assert user.post("/groups", json={"name": f"g-{uuid.uuid4().hex}", "description": ""}).status_code == 403
    assert user.put(f"/groups/{group}/members/{user.username}").status_code == 403
    assert user.delete(f"/groups/{group}/members/{user.username}").status_code == 403
    assert user.get("/groups").status_code == 200
