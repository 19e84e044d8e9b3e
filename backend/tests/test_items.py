"""Create and fetch records over HTTP: every subtype, refs, strict bodies, status codes."""

from __future__ import annotations

import socket
import uuid
from urllib.parse import urlsplit

import pytest
import samples
from conftest import Api, Sharing, UserFactory
from sqlalchemy import select
from support import Server

from registry.db.engine import Database
from registry.db.models import item_history, items

ITEM_FIELDS = {"id", "item_subtype", "item_category", "owner", "created_at", "updated_at", "revision", "data"}


def test_create_returns_the_new_record(writer: Api) -> None:
    response = writer.post("/items", json={"item_subtype": "ORGANISATION", "data": samples.organisation()})
    assert response.status_code == 201
    item = response.json()
    assert set(item) == ITEM_FIELDS
    assert uuid.UUID(item["id"]).version == 4
    assert response.headers["location"] == f"/api/v1/items/{item['id']}"
    assert response.headers["etag"] == '"1"'
    assert item["owner"] == writer.username
    assert item["item_category"] == "AGENT"
    assert item["revision"] == 1
    assert item["created_at"] == item["updated_at"] and item["created_at"].endswith("Z")
    assert item["data"] == samples.organisation()


def test_every_subtype_can_be_created_and_fetched(writer: Api) -> None:
    org = writer.create("ORGANISATION", samples.organisation())
    person = writer.create("PERSON", samples.person())
    model = writer.create("MODEL", samples.model())
    template_in = writer.create("DATASET_TEMPLATE", samples.dataset_template("In"))
    template_out = writer.create("DATASET_TEMPLATE", samples.dataset_template("Out"))
    workflow = writer.create("MODEL_RUN_WORKFLOW_TEMPLATE", samples.workflow_template(model["id"], template_in["id"], template_out["id"]))
    study = writer.create("STUDY", samples.study())
    dataset = writer.create("DATASET", samples.dataset(org["id"], person_id=person["id"]))
    expected_categories = {
        org["id"]: "AGENT",
        person["id"]: "AGENT",
        model["id"]: "ENTITY",
        template_in["id"]: "ENTITY",
        workflow["id"]: "ENTITY",
        study["id"]: "ACTIVITY",
        dataset["id"]: "ENTITY",
    }
    for item_id, category in expected_categories.items():
        fetched = writer.get(f"/items/{item_id}")
        assert fetched.status_code == 200
        assert fetched.headers["etag"] == '"1"'
        assert fetched.json()["item_category"] == category
    assert writer.get(f"/items/{template_in['id']}").json()["data"]["defined_resources"][0]["path"] == "forcing/rain.nc"
    # optional lists come back as []
    assert writer.get(f"/items/{dataset['id']}").json()["data"]["dataset_info"]["formats"] == []


async def test_create_writes_revision_one_history_and_default_access(writer: Api, db: Database) -> None:
    item = writer.create("STUDY", samples.study())
    async with db.read() as conn:
        history = await conn.rows(select(item_history).where(item_history.c.item_id == uuid.UUID(item["id"])))
        ((general,),) = await conn.rows(select(items.c.general_roles).where(items.c.id == uuid.UUID(item["id"])))
    assert [(h.revision, h.by, h.reason, h.data) for h in history] == [(1, writer.username, "Created", samples.study())]
    assert general == 1  # metadata-read


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"item_subtype": "ORGANISATION", "data": {**samples.organisation(), "colour": "red"}}, "data.colour"),
        ({"item_subtype": "ORGANISATION", "data": samples.organisation(), "owner": "mallory"}, "owner"),
        ({"item_subtype": "ORGANISATION", "data": {**samples.organisation(), "ror": None}}, "data.ror"),
        ({"item_subtype": "ORGANISATION", "data": {"display_name": "x"}}, "data.name"),
        ({"item_subtype": "SPACESHIP", "data": {"display_name": "x"}}, "item_subtype"),
        ({"data": samples.organisation()}, "item_subtype"),
        ({"item_subtype": "ORGANISATION"}, "data"),
        ({"item_subtype": "PERSON", "data": {**samples.person(), "ethics_approved": False}}, "data.ethics_approved"),
        ({"item_subtype": "MODEL", "data": {**samples.model(), "source_url": "ftp://example.org"}}, "data.source_url"),
    ],
)
def test_invalid_bodies_are_422_naming_the_field(writer: Api, body: dict, field: str) -> None:
    before = writer.get("/items", params={"owner": writer.username}).json()["items"]
    response = writer.post("/items", json=body)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert {"type", "title", "status", "detail", "errors"} <= set(problem)
    assert field in [e["field"] for e in problem["errors"]]
    assert writer.get("/items", params={"owner": writer.username}).json()["items"] == before


def test_dataset_nested_unknown_field_is_named(writer: Api) -> None:
    org = writer.create("ORGANISATION", samples.organisation())
    data = samples.dataset(org["id"])
    data["dataset_info"]["access_info"]["colour"] = "blue"
    response = writer.post("/items", json={"item_subtype": "DATASET", "data": data})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "data.dataset_info.access_info.colour"


def test_body_that_is_not_json_is_400(writer: Api) -> None:
    response = writer.post("/items", content=b'{"item_subtype": ', headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_missing_ref_and_wrong_subtype_ref_are_422(writer: Api) -> None:
    model = writer.create("MODEL", samples.model())
    template = writer.create("DATASET_TEMPLATE", samples.dataset_template())

    def errors_for(software: str, inputs: str) -> set[str]:
        data = samples.workflow_template(software, inputs, template["id"])
        response = writer.post("/items", json={"item_subtype": "MODEL_RUN_WORKFLOW_TEMPLATE", "data": data})
        assert response.status_code == 422, response.text
        return {e["field"] for e in response.json()["errors"]}

    assert errors_for(str(uuid.uuid4()), template["id"]) == {"data.software_id"}
    # both refs point at a record of the wrong subtype: both are reported
    assert errors_for(template["id"], model["id"]) == {"data.software_id", "data.input_templates.0.template_id"}


def test_unreadable_ref_gets_the_same_answer_as_a_missing_one(writer: Api, make_user: UserFactory, sharing: Sharing) -> None:
    model = writer.create("MODEL", samples.model())
    template = writer.create("DATASET_TEMPLATE", samples.dataset_template())
    stranger = make_user("registry-write")
    hidden = stranger.create("DATASET_TEMPLATE", samples.dataset_template("Hidden"))
    sharing.set_access(hidden["id"], [])

    def message_for(input_id: str) -> str:
        data = samples.workflow_template(model["id"], input_id, template["id"])
        response = writer.post("/items", json={"item_subtype": "MODEL_RUN_WORKFLOW_TEMPLATE", "data": data})
        assert response.status_code == 422
        (error,) = response.json()["errors"]
        assert error["field"] == "data.input_templates.0.template_id"
        return error["message"]

    assert message_for(hidden["id"]) == message_for(str(uuid.uuid4()))
    # once readable again, the same ref is accepted
    sharing.set_access(hidden["id"], ["metadata-read"])
    data = samples.workflow_template(model["id"], hidden["id"], template["id"])
    assert writer.post("/items", json={"item_subtype": "MODEL_RUN_WORKFLOW_TEMPLATE", "data": data}).status_code == 201


def test_fetch_unknown_record_is_404(writer: Api) -> None:
    assert writer.get(f"/items/{uuid.uuid4()}").status_code == 404
    assert writer.get("/items/not-a-uuid").status_code == 404
    assert writer.get(f"/items/{uuid.uuid4()}/permissions").status_code == 404


def test_unknown_api_route_is_a_404_problem(writer: Api) -> None:
    response = writer.get("/no-such-route")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def raw_request(server: Server, head: str) -> tuple[int, bytes]:
    """Send only a request head and read the answer: a client that streams a large body first
    would lose an early 413 to a connection reset."""
    url = urlsplit(server.url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(head.encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    return status, answer


def test_body_over_one_mebibyte_is_413_before_authentication(server: Server) -> None:
    head = (
        "POST /api/v1/items HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
        f"Content-Length: {1024 * 1024 + 1}\r\n\r\n"
    )
    status, answer = raw_request(server, head)
    assert status == 413
    assert b"application/problem+json" in answer


def test_body_of_exactly_one_mebibyte_is_read(writer: Api) -> None:
    filler = "x" * (1024 * 1024 - 200)
    body = ('{"item_subtype":"STUDY","data":{"display_name":"big","title":"t","description":"d","padding":"' + filler + '"}}').encode()
    body = body.ljust(1024 * 1024, b" ")
    response = writer.post("/items", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422  # read and judged: the padding field is unknown
    assert response.json()["errors"][0]["field"] == "data.padding"


def test_reader_cannot_create_and_403_comes_before_422(make_user: UserFactory) -> None:
    reader = make_user("registry-read")
    assert reader.post("/items", json={"item_subtype": "STUDY", "data": samples.study()}).status_code == 403
    assert reader.post("/items", json={"nonsense": True}).status_code == 403


def test_clone_over_the_api_is_fetch_change_create(writer: Api, make_user: UserFactory) -> None:
    source = writer.create("MODEL", samples.model("Original"))
    cloner = make_user("registry-write")
    fetched = cloner.get(f"/items/{source['id']}").json()
    data = {**fetched["data"], "display_name": "Copy", "name": "Copy"}
    clone = cloner.create(fetched["item_subtype"], data)
    assert clone["id"] != source["id"]
    assert clone["owner"] == cloner.username
    assert clone["revision"] == 1
    assert clone["data"]["description"] == source["data"]["description"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"[]", "body"),
        (b'{"item_subtype": "STUDY", "data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "body"),
        (b'{"item_subtype": "STUDY", "data": {"display_name": "a\\u0000b", "title": "t", "description": "d"}}', "data.display_name"),
        (b'{"item_subtype": "STUDY", "data": {"display_name": "n", "title": "t", "description": "d", "user_metadata": {"k\\u0000": "v"}}}', "data.user_metadata.k\x00"),
    ],
    ids=["array", "deeply nested", "NUL in text", "NUL in a key"],
)
def test_hostile_bodies_are_422_not_500(writer: Api, body: bytes, field: str) -> None:
    response = writer.post("/items", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field


@pytest.mark.parametrize("param", ["owner", "subtype", "q", "cursor"])
def test_nul_in_a_query_parameter_is_422(writer: Api, param: str) -> None:
    response = writer.get("/items", params={param: "a\x00b"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == param


def test_posting_a_fetched_item_verbatim_names_every_envelope_field(writer: Api) -> None:
    """Mass assignment: the server sets id, owner, times and revision; a client cannot."""
    item = writer.create("STUDY", samples.study("Original"))
    before = len(writer.get("/items", params={"owner": writer.username, "limit": 100}).json()["items"])
    response = writer.post("/items", json=item)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"id", "item_category", "owner", "created_at", "updated_at", "revision"}
    assert len(writer.get("/items", params={"owner": writer.username, "limit": 100}).json()["items"]) == before


def test_envelope_fields_inside_data_are_named(writer: Api) -> None:
    body = {"item_subtype": "STUDY", "data": {**samples.study(), "owner": "mallory", "id": str(uuid.uuid4()), "revision": 7}}
    response = writer.post("/items", json=body)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"data.owner", "data.id", "data.revision"}
