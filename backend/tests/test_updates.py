"""PUT /items/{id}: If-Match, validation, history, and no lost updates under concurrency."""

from __future__ import annotations

import concurrent.futures
import uuid

import httpx
import pytest
import samples
from conftest import Api, Sharing, UserFactory


def put(api: Api, item_id: str, data: dict, reason: str | None = "Because", if_match: str | None = '"1"', **extra: object) -> httpx.Response:
    body: dict = {"data": data, **extra}
    if reason is not None:
        body["reason"] = reason
    headers = {"If-Match": if_match} if if_match is not None else {}
    return api.put(f"/items/{item_id}", json=body, headers=headers)


def test_update_makes_a_new_revision_with_history(writer: Api) -> None:
    item = writer.create("MODEL", samples.model("First name"))
    changed = {**item["data"], "display_name": "Second name"}
    response = put(writer, item["id"], changed, reason="Renamed")
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"2"'
    updated = response.json()
    assert updated["revision"] == 2 and updated["data"] == changed
    assert updated["created_at"] == item["created_at"] and updated["updated_at"] > item["updated_at"]
    assert writer.get(f"/items/{item['id']}").headers["etag"] == '"2"'
    entries = writer.get(f"/items/{item['id']}/history").json()["entries"]
    assert [(e["revision"], e["reason"], e["by"], e["data"]["display_name"]) for e in entries] == [
        (2, "Renamed", writer.username, "Second name"),
        (1, "Created", writer.username, "First name"),
    ]
    assert entries[0]["at"] == updated["updated_at"]
    assert writer.get("/items", params={"q": "second name", "owner": writer.username}).json()["items"][0]["id"] == item["id"]


@pytest.mark.parametrize(
    ("if_match", "status"),
    [(None, 428), ('"2"', 412), ('"0"', 412), ("1", 412), ('W/"1"', 412), ("*", 412), ('"1", "2"', 412), ('"x"', 412)],
)
def test_if_match_rules(writer: Api, if_match: str | None, status: int) -> None:
    item = writer.create("STUDY", samples.study())
    response = put(writer, item["id"], item["data"], if_match=if_match)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert len(writer.get(f"/items/{item['id']}/history").json()["entries"]) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reason": None}, "reason"),
        ({"reason": ""}, "reason"),
        ({"reason": "x" * 1001}, "reason"),
        ({"owner": "someone"}, "owner"),
        ({"data": {"display_name": "only"}}, "data.title"),
        ({"data": {**samples.study(), "colour": "red"}}, "data.colour"),
    ],
)
def test_update_validation_is_422_and_changes_nothing(writer: Api, change: dict, field: str) -> None:
    item = writer.create("STUDY", samples.study())
    body = {"data": item["data"], "reason": "Because", **change}
    body = {k: v for k, v in body.items() if v is not None}
    response = writer.put(f"/items/{item['id']}", json=body, headers={"If-Match": '"1"'})
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
    assert writer.get(f"/items/{item['id']}").json() == item


def test_update_checks_refs(writer: Api) -> None:
    org = writer.create("ORGANISATION", samples.organisation())
    dataset = writer.create("DATASET", samples.dataset(org["id"]))
    data = dataset["data"]
    data["dataset_info"]["publisher_id"] = str(uuid.uuid4())
    response = put(writer, dataset["id"], data)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "data.dataset_info.publisher_id"


def test_status_precedence(writer: Api, make_user: UserFactory, anonymous: Api) -> None:
    item = writer.create("STUDY", samples.study())
    bad = {"nonsense": True}
    assert anonymous.put(f"/items/{item['id']}", json=bad).status_code == 401
    assert writer.put(f"/items/{uuid.uuid4()}", json=bad).status_code == 404  # 404 before 428 and 422
    reader = make_user("registry-read")
    assert reader.put(f"/items/{item['id']}", json=bad).status_code == 403  # 403 before 428
    other_writer = make_user("registry-write")
    assert other_writer.put(f"/items/{item['id']}", json=bad, headers={"If-Match": '"1"'}).status_code == 403
    assert writer.put(f"/items/{item['id']}", json=bad).status_code == 428  # 428 before 422
    assert writer.put(f"/items/{item['id']}", json=bad, headers={"If-Match": '"9"'}).status_code == 422  # 422 before 412
    assert writer.put(f"/items/{item['id']}", content=b"{oops", headers={"If-Match": '"1"'}).status_code == 400


def test_group_editor_may_edit_but_a_registry_read_member_may_not(make_user: UserFactory, sharing: Sharing) -> None:
    owner = make_user("registry-write")
    item = owner.create("STUDY", samples.study())
    editor = make_user("registry-write")
    read_only_member = make_user("registry-read")
    group = sharing.new_group(editor.username, read_only_member.username)
    sharing.set_access(item["id"], ["metadata-read"], {group: ["metadata-write"]})
    assert put(editor, item["id"], {**item["data"], "title": "Edited"}).status_code == 200
    assert put(read_only_member, item["id"], item["data"], if_match='"2"').status_code == 403
    history = owner.get(f"/items/{item['id']}/history").json()["entries"]
    assert history[0]["by"] == editor.username
    # access changes take effect on the next request, for updates too
    sharing.set_access(item["id"], ["metadata-read"])
    assert put(editor, item["id"], item["data"], if_match='"2"').status_code == 403


def test_history_needs_view(make_user: UserFactory, sharing: Sharing) -> None:
    owner = make_user("registry-write")
    item = owner.create("STUDY", samples.study())
    outsider = make_user("registry-read")
    assert outsider.get(f"/items/{item['id']}/history").status_code == 200
    sharing.set_access(item["id"], [])
    response = outsider.get(f"/items/{item['id']}/history")
    assert response.status_code == 403
    assert "Drought" not in response.text
    assert outsider.get(f"/items/{uuid.uuid4()}/history").status_code == 404


def test_concurrent_updates_from_one_revision_exactly_one_wins(writer: Api) -> None:
    item = writer.create("STUDY", samples.study())
    attempts = 20

    def attempt(n: int) -> int:
        with httpx.Client(base_url=str(writer.http.base_url), headers=dict(writer.http.headers), timeout=60) as client:
            body = {"data": {**item["data"], "title": f"Attempt {n}"}, "reason": f"attempt {n}"}
            return client.put(f"/items/{item['id']}", json=body, headers={"If-Match": '"1"'}).status_code

    with concurrent.futures.ThreadPoolExecutor(attempts) as pool:
        statuses = list(pool.map(attempt, range(attempts)))
    assert sorted(statuses) == [200] + [412] * (attempts - 1)
    entries = writer.get(f"/items/{item['id']}/history").json()["entries"]
    assert [e["revision"] for e in entries] == [2, 1]
    current = writer.get(f"/items/{item['id']}").json()
    assert current["revision"] == 2
    assert current["data"]["title"] == entries[0]["data"]["title"] == f"Attempt {entries[0]['reason'].split()[-1]}"


def test_a_clone_over_the_api_starts_fresh_whatever_the_source_had(make_user: UserFactory, sharing: Sharing) -> None:
    owner = make_user("registry-write")
    source = owner.create("MODEL", samples.model("Source"))
    for revision in (1, 2):
        assert put(owner, source["id"], {**source["data"], "description": f"v{revision + 1}"}, if_match=f'"{revision}"').status_code == 200
    cloner = make_user("registry-write")
    group = sharing.new_group(cloner.username)
    sharing.set_access(source["id"], [], {group: ["metadata-read"]})

    fetched = cloner.get(f"/items/{source['id']}").json()
    clone = cloner.create(fetched["item_subtype"], {**fetched["data"], "display_name": "Clone"})

    assert clone["id"] != source["id"]
    assert clone["owner"] == cloner.username
    assert clone["revision"] == 1
    assert clone["data"]["description"] == "v3"
    assert [e["reason"] for e in cloner.get(f"/items/{clone['id']}/history").json()["entries"]] == ["Created"]
    assert cloner.get(f"/items/{clone['id']}/access").json() == {"owner": cloner.username, "general": ["metadata-read"], "groups": {}}
    assert len(owner.get(f"/items/{source['id']}/history").json()["entries"]) == 3
