"""GET /items: filters, search, the six sorts, keyset paging across inserts, strict parameters."""

from __future__ import annotations

import uuid

import pytest
import samples
from conftest import Api, Sharing, UserFactory


def all_pages(api: Api, **params: object) -> list[list[dict]]:
    pages, cursor = [], None
    while True:
        response = api.get("/items", params={**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages


@pytest.fixture(scope="module")
def catalogue(make_user: UserFactory) -> tuple[Api, list[dict]]:
    """One owner with 7 records of mixed subtypes and awkward names."""
    owner = make_user("registry-write", prefix="cat")
    names = ["banana", "Apple", "cherry", "apple pie", "Äpfel", "_under", "Zebra"]
    created = [owner.create("STUDY" if i % 2 else "MODEL", (samples.study if i % 2 else samples.model)(name)) for i, name in enumerate(names)]
    return owner, created


def test_default_sort_is_newest_first(catalogue: tuple[Api, list[dict]]) -> None:
    owner, created = catalogue
    items = owner.get("/items", params={"owner": owner.username}).json()["items"]
    assert [i["id"] for i in items] == [c["id"] for c in reversed(created)]
    assert set(items[0]) == {"id", "item_subtype", "item_category", "display_name", "owner", "created_at", "updated_at"}


@pytest.mark.parametrize("sort", ["-created_at", "created_at", "-updated_at", "updated_at", "display_name", "-display_name"])
@pytest.mark.parametrize("limit", [1, 2, 3, 100])
def test_every_sort_pages_without_gaps_or_repeats(catalogue: tuple[Api, list[dict]], sort: str, limit: int) -> None:
    owner, created = catalogue
    pages = all_pages(owner, owner=owner.username, sort=sort, limit=limit)
    assert all(len(page) == limit for page in pages[:-1]), "every page but the last is full"
    ids = [item["id"] for page in pages for item in page]
    assert sorted(ids) == sorted(c["id"] for c in created)
    if sort.lstrip("-") == "display_name":
        keys = [(item["display_name"].lower(), item["id"]) for page in pages for item in page]
    else:
        field = sort.lstrip("-")
        keys = [(item[field], item["id"]) for page in pages for item in page]
    assert keys == sorted(keys, reverse=sort.startswith("-"))


def test_names_sort_case_insensitively_by_code_point(catalogue: tuple[Api, list[dict]]) -> None:
    owner, _ = catalogue
    names = [i["display_name"] for i in owner.get("/items", params={"owner": owner.username, "sort": "display_name"}).json()["items"]]
    assert names == ["_under", "Apple", "apple pie", "banana", "cherry", "Zebra", "Äpfel"]


def test_paging_stays_correct_when_records_are_added_between_pages(make_user: UserFactory) -> None:
    owner = make_user("registry-write", prefix="pager")
    first_batch = [owner.create("STUDY", samples.study(f"s{i}")) for i in range(5)]
    page1 = owner.get("/items", params={"owner": owner.username, "limit": 2}).json()
    newer = [owner.create("STUDY", samples.study(f"new{i}")) for i in range(3)]
    seen = [i["id"] for i in page1["items"]]
    cursor = page1["next_cursor"]
    while cursor:
        body = owner.get("/items", params={"owner": owner.username, "limit": 2, "cursor": cursor}).json()
        seen += [i["id"] for i in body["items"]]
        cursor = body["next_cursor"]
    # newest-first: the records added after page 1 sort before the cursor and are not repeated
    assert seen == [c["id"] for c in reversed(first_batch)]
    assert not set(seen) & {n["id"] for n in newer}
    # ascending order picks the new ones up at the end
    ascending = [i["id"] for page in all_pages(owner, owner=owner.username, sort="created_at", limit=3) for i in page]
    assert ascending == [c["id"] for c in first_batch + newer]


def test_search_is_a_case_insensitive_substring_of_name_or_any_text(make_user: UserFactory) -> None:
    owner = make_user("registry-write", prefix="search")
    tag = uuid.uuid4().hex[:8]
    by_name = owner.create("MODEL", samples.model(f"Flood {tag.upper()} model"))
    by_text = owner.create("STUDY", {**samples.study(f"Other {uuid.uuid4().hex[:4]}"), "description": f"mentions {tag} inside"})
    owner.create("STUDY", samples.study("unrelated"))
    found = owner.get("/items", params={"q": tag.lower(), "owner": owner.username}).json()["items"]
    assert {i["id"] for i in found} == {by_name["id"], by_text["id"]}
    # LIKE wildcards are plain characters
    assert owner.get("/items", params={"q": "%", "owner": owner.username}).json()["items"] == []
    assert owner.get("/items", params={"q": "_", "owner": owner.username}).json()["items"] == []


def test_subtype_filter(catalogue: tuple[Api, list[dict]]) -> None:
    owner, created = catalogue
    studies = owner.get("/items", params={"owner": owner.username, "subtype": "STUDY"}).json()["items"]
    assert {i["id"] for i in studies} == {c["id"] for c in created if c["item_subtype"] == "STUDY"}


def test_lists_show_only_readable_records(make_user: UserFactory, sharing: Sharing) -> None:
    owner = make_user("registry-write", prefix="private")
    public = owner.create("STUDY", samples.study("public"))
    private = owner.create("STUDY", samples.study("private"))
    shared = owner.create("STUDY", samples.study("shared"))
    member = make_user("registry-read")
    outsider = make_user("registry-read")
    group = sharing.new_group(member.username)
    sharing.set_access(private["id"], [])
    sharing.set_access(shared["id"], [], {group: ["metadata-read"]})

    def visible(api: Api) -> set[str]:
        return {i["id"] for page in all_pages(api, owner=owner.username, limit=1) for i in page}

    assert visible(owner) == {public["id"], private["id"], shared["id"]}
    assert visible(member) == {public["id"], shared["id"]}
    assert visible(outsider) == {public["id"]}
    # paging over a filtered list still gives full pages
    assert [len(p) for p in all_pages(member, owner=owner.username, limit=1)] == [1, 1]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"sort": "size"}, "sort"),
        ({"subtype": "SPACESHIP"}, "subtype"),
        ({"colour": "red"}, "colour"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"q": ""}, "q"),
    ],
)
def test_bad_parameters_are_422_naming_them(writer: Api, params: dict, field: str) -> None:
    response = writer.get("/items", params=params)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]


def test_repeated_parameter_is_422(writer: Api) -> None:
    response = writer.get("/items?limit=2&limit=3")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "limit"


def test_cursor_is_tied_to_its_sort_and_filters(catalogue: tuple[Api, list[dict]]) -> None:
    owner, _ = catalogue
    cursor = owner.get("/items", params={"owner": owner.username, "limit": 1}).json()["next_cursor"]
    assert cursor
    for other in ({"sort": "display_name"}, {"subtype": "STUDY"}, {"q": "a"}, {}):
        params = {"limit": 1, "cursor": cursor, **other}
        if other:
            params["owner"] = owner.username
        response = owner.get("/items", params=params)
        assert response.status_code == 422, other
        assert response.json()["errors"][0]["field"] == "cursor"
    # a different page size is fine
    assert owner.get("/items", params={"owner": owner.username, "limit": 3, "cursor": cursor}).status_code == 200


def test_limit_defaults_to_25(make_user: UserFactory) -> None:
    owner = make_user("registry-write", prefix="many")
    for i in range(26):
        owner.create("STUDY", samples.study(f"n{i}"))
    body = owner.get("/items", params={"owner": owner.username}).json()
    assert len(body["items"]) == 25 and body["next_cursor"]
