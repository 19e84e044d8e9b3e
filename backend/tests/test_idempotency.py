"""Idempotency-Key on POST /items: retries create nothing, bodies must match, keys expire."""

from __future__ import annotations

import concurrent.futures
import datetime
import uuid

import httpx
import pytest
import samples
from conftest import Api, UserFactory
from sqlalchemy import update

from registry.db.engine import Database
from registry.db.models import idempotency_keys


def post(api: Api, body: dict, key: str) -> httpx.Response:
    return api.post("/items", json=body, headers={"Idempotency-Key": key})


def count_mine(api: Api) -> int:
    return len(api.get("/items", params={"owner": api.username, "limit": 100}).json()["items"])


def test_a_retry_returns_the_first_response_and_creates_nothing(make_user: UserFactory) -> None:
    user = make_user("registry-write")
    body = {"item_subtype": "STUDY", "data": samples.study()}
    key = str(uuid.uuid4())
    first = post(user, body, key)
    assert first.status_code == 201
    # the same JSON value with its keys in another order and other whitespace is the same request
    reordered = user.post("/items", content=b'{"data": %s, "item_subtype": "STUDY"}' % httpx.Response(200, json=samples.study()).content, headers={"Idempotency-Key": key, "content-type": "application/json"})
    for retry in (post(user, body, key), reordered):
        assert retry.status_code == 201
        assert retry.content == first.content
        assert retry.headers["location"] == first.headers["location"]
        assert retry.headers["etag"] == first.headers["etag"]
    assert count_mine(user) == 1


def test_the_same_key_with_another_body_is_422(make_user: UserFactory) -> None:
    user = make_user("registry-write")
    key = str(uuid.uuid4())
    assert post(user, {"item_subtype": "STUDY", "data": samples.study("One")}, key).status_code == 201
    response = post(user, {"item_subtype": "STUDY", "data": samples.study("Two")}, key)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert count_mine(user) == 1


def test_keys_belong_to_their_user(make_user: UserFactory) -> None:
    first, second = make_user("registry-write"), make_user("registry-write")
    body = {"item_subtype": "STUDY", "data": samples.study()}
    a = post(first, body, "shared-key")
    b = post(second, body, "shared-key")
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"] and b.json()["owner"] == second.username


def test_failed_creates_are_not_remembered(make_user: UserFactory) -> None:
    user = make_user("registry-write")
    key = str(uuid.uuid4())
    assert post(user, {"item_subtype": "STUDY", "data": {"display_name": "incomplete"}}, key).status_code == 422
    assert post(user, {"item_subtype": "STUDY", "data": samples.study()}, key).status_code == 201


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\there"])
def test_bad_keys_are_422(writer: Api, key: str) -> None:
    response = post(writer, {"item_subtype": "STUDY", "data": samples.study()}, key)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"


def test_a_255_character_key_is_fine(writer: Api) -> None:
    assert post(writer, {"item_subtype": "STUDY", "data": samples.study()}, "k" * 255).status_code == 201


def test_concurrent_retries_create_one_record(make_user: UserFactory) -> None:
    user = make_user("registry-write")
    body = {"item_subtype": "STUDY", "data": samples.study("Burst")}
    key = str(uuid.uuid4())

    def attempt(_: int) -> httpx.Response:
        with httpx.Client(base_url=str(user.http.base_url), headers=dict(user.http.headers), timeout=60) as client:
            return client.post("/items", json=body, headers={"Idempotency-Key": key})

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(attempt, range(8)))
    assert {r.status_code for r in responses} == {201}
    assert len({r.content for r in responses}) == 1
    assert count_mine(user) == 1


async def test_keys_expire_after_24_hours(make_user: UserFactory, db: Database) -> None:
    user = make_user("registry-write")
    key = str(uuid.uuid4())
    first = post(user, {"item_subtype": "STUDY", "data": samples.study("Day one")}, key)
    async with db.write() as conn:  # let a day pass for this key
        await conn.execute(
            update(idempotency_keys)
            .where(idempotency_keys.c.key == key)
            .values(created_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=24, seconds=1))
        )
    second = post(user, {"item_subtype": "STUDY", "data": samples.study("Day two")}, key)
    assert second.status_code == 201
    assert second.json()["id"] != first.json()["id"]
    assert post(user, {"item_subtype": "STUDY", "data": samples.study("Day two")}, key).content == second.content
