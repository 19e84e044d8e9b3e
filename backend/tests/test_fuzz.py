"""Schema fuzzing: schemathesis drives every operation of the app's own OpenAPI document.

Signed in as a registry admin, it runs the examples, coverage and fuzzing phases on each operation
(`test_every_operation`), then chains calls through the links it infers between operations
(`test_stateful`). Every response must be a documented status with a body matching its documented
schema, never a 5xx; what the document marks valid must be accepted and what it marks invalid must
be refused. Bounded for CI: a fixed number of examples per operation, derandomized.

The fuzzer has a server and database of its own: it creates users, groups and records and changes
access settings as an admin, and its failed sign-ins would trip the sign-in rate limit of the
shared test server for every later test.
"""

from __future__ import annotations

import itertools
import os
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

import hypothesis
import msgspec
import pytest
import requests
import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance

import samples
from registry.access.schemas import AccessUpdate
from registry.auth.schemas import USERNAME_PATTERN
from registry.db.migrate import upgrade
from registry.items.schemas import ItemCreateDocument
from registry.items.subtypes import SUBTYPES
from support import ADMIN_PASSWORD, Server, create_database, drop_database, fake_spa, start_server, stop_server

MAX_EXAMPLES = 50
STATEFUL_SCENARIOS = 100
STATEFUL_STEPS = 10
TEST_DATABASE = os.environ.get("REGISTRY_TEST_DATABASE", "sqlite")
# Records that ref fields of generated bodies are pointed at, so that creates can succeed.
REF_TARGETS_PER_SUBTYPE = 6
VICTIM = "fuzz-victim"


class Tally:
    """What the fuzzer sent, for the line at the end of the session."""

    def __init__(self) -> None:
        self.requests = 0
        self.seconds = 0.0

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:  # noqa: ANN401 - pytest's hook
        if self.requests:
            terminalreporter.write_line(f"schema fuzzing ({TEST_DATABASE}): {self.requests} requests in {self.seconds:.0f} s")


@pytest.fixture(scope="module")
def tally(request: pytest.FixtureRequest) -> Iterator[Tally]:
    """Counts every request schemathesis sends (its checks send some of their own)."""
    counted = Tally()
    request.config.pluginmanager.register(counted, "registry-fuzz-tally")
    send = requests.adapters.HTTPAdapter.send

    def counting_send(self: requests.adapters.HTTPAdapter, *args: Any, **kwargs: Any) -> requests.Response:  # noqa: ANN401
        counted.requests += 1
        return send(self, *args, **kwargs)

    requests.adapters.HTTPAdapter.send = counting_send  # type: ignore[method-assign]
    started = time.monotonic()
    try:
        yield counted
    finally:
        requests.adapters.HTTPAdapter.send = send  # type: ignore[method-assign]
        counted.seconds = time.monotonic() - started


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    url = create_database(TEST_DATABASE, f"registry_fuzz_{os.getpid()}")
    upgrade(url)
    folder = tmp_path_factory.mktemp("fuzz")
    server = start_server(url, folder / "server.log", REGISTRY_SPA_DIR=str(fake_spa(folder / "spa")))
    try:
        yield server
    finally:
        stop_server(server)
        drop_database(url)


@pytest.fixture(scope="module")
def ref_targets(fuzz_server: Server, admin_token: str) -> dict[str, list[str]]:
    """A few records of every subtype a ref field can name (subtype → ids), and a few groups."""
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {admin_token}"

    def create(subtype: str, data: dict[str, Any]) -> str:
        response = http.post(f"{fuzz_server.url}/api/v1/items", json={"item_subtype": subtype, "data": data})
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def new_group(n: int) -> str:
        response = http.post(f"{fuzz_server.url}/api/v1/groups", json={"name": f"fuzz-group-{n}", "description": "a target for generated group ids"})
        assert response.status_code == 201, response.text
        return response.json()["id"]

    # The account the fuzzer's changes of a user land on instead of its own (`_steer_account_changes`).
    victim = {"username": VICTIM, "password": "fuzz-victim-password", "display_name": "Victim", "email": "victim@example.org", "roles": ["registry-read"]}
    assert http.post(f"{fuzz_server.url}/api/v1/users", json=victim).status_code == 201
    return {
        "groups": [new_group(n) for n in range(REF_TARGETS_PER_SUBTYPE)],
        "ORGANISATION": [create("ORGANISATION", samples.organisation(f"Org {n}")) for n in range(REF_TARGETS_PER_SUBTYPE)],
        "PERSON": [create("PERSON", samples.person(f"Person {n}")) for n in range(REF_TARGETS_PER_SUBTYPE)],
        "MODEL": [create("MODEL", samples.model(f"Model {n}")) for n in range(REF_TARGETS_PER_SUBTYPE)],
        "DATASET_TEMPLATE": [create("DATASET_TEMPLATE", samples.dataset_template(f"Template {n}")) for n in range(REF_TARGETS_PER_SUBTYPE)],
    }


@pytest.fixture(scope="module")
def admin_token(fuzz_server: Server) -> str:
    response = requests.post(f"{fuzz_server.url}/api/v1/auth/token", json={"username": "admin", "password": ADMIN_PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


@pytest.fixture(scope="module")
def api_schema(fuzz_server: Server, admin_token: str, ref_targets: dict[str, list[str]], tally: Tally) -> schemathesis.BaseSchema:
    config = schemathesis.Config.from_dict(
        {
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
                # The server refuses U+0000 in any text, body or query (no database stores it in
                # text) with a 422 naming the field; the document has no keyword to say so short
                # of a pattern on every string.
                "allow-x00": False,
            },
            # The bearer token as configured credentials (not a plain header), so that the
            # ignored_auth check knows them for valid ones and tries requests without them.
            "auth": {"openapi": {"bearer": {"bearer": admin_token}}},
        }
    )
    schema = schemathesis.openapi.from_url(f"{fuzz_server.url}/schema/openapi.json", config=config)
    schema.config.update(base_url=fuzz_server.url)
    return schema


# -- What the document cannot say ------------------------------------------------------------

def _point_ids_at_records(case: schemathesis.Case, targets: dict[str, list[str]]) -> None:
    """Ids in generated bodies get ids of real records (ref fields of POST /items) and groups
    (keys of PUT …/access `groups`): an id for an id, so the body stays as valid or invalid as it
    was generated, and creates and access changes can succeed."""
    body = case.body
    if not isinstance(body, dict):
        return
    if case.operation.label == "PUT /api/v1/items/{item_id}/access" and isinstance(body.get("groups"), dict):
        real = iter(targets["groups"])
        body["groups"] = {(next(real, key) if _is_uuid(key) else key): roles for key, roles in body["groups"].items()}
    if case.operation.label != "POST /api/v1/items":
        return
    subtype = body.get("item_subtype")
    data = body.get("data")
    if not isinstance(subtype, str) or subtype not in SUBTYPES or not isinstance(data, dict):
        return
    used = 0
    for pattern, target in SUBTYPES[subtype].ref_fields.items():
        for parent, key in _places(data, pattern.split(".")):
            if isinstance(parent[key], str) and _is_uuid(parent[key]):
                parent[key] = targets[target][used % len(targets[target])]
                used += 1


_new_usernames = itertools.count(1)


def _steer_account_changes(case: schemathesis.Case) -> None:
    """A password reset of `admin` would end the fuzzer's own bearer token (by design): the
    fuzzer's changes of a user go to another account instead. And a valid username in POST
    /users is made new, so that replaying a scenario creates its user again rather than meeting
    a 409 (the stateful runner needs a replay to take the same steps)."""
    if case.path_parameters and case.path_parameters.get("username") == "admin":
        case.path_parameters["username"] = VICTIM
    body = case.body
    if case.operation.label == "POST /api/v1/users" and isinstance(body, dict) and isinstance(body.get("username"), str):
        if re.match(USERNAME_PATTERN, body["username"]):
            body["username"] = f"fuzz-{next(_new_usernames)}"


def _places(value: Any, parts: list[str]) -> Iterator[tuple[Any, Any]]:  # noqa: ANN401
    head, *rest = parts
    keys = range(len(value)) if head == "*" and isinstance(value, list) else [head] if isinstance(value, dict) and head in value else []
    for key in keys:
        if rest:
            yield from _places(value[key], rest)
        else:
            yield value, key


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _passes_schema_level_decoding(case: schemathesis.Case) -> bool:
    """Whether the body passes the server's own strict decoding, the rules a schema can state:
    what is refused after that is refused for a rule beyond the schema."""
    body = case.body
    try:
        if case.operation.label == "POST /api/v1/items":
            _decode(body, ItemCreateDocument)
        elif case.operation.label == "PUT /api/v1/items/{item_id}/access":
            _decode(body, AccessUpdate)
        else:
            return False
    except (TypeError, msgspec.ValidationError):
        return False
    return True


def _decode(value: Any, body_type: type) -> None:  # noqa: ANN401
    msgspec.json.decode(msgspec.json.encode(value), type=body_type)


def positive_data_acceptance_beyond_the_schema(ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case) -> bool | None:
    """schemathesis's positive_data_acceptance, less the refusals of rules the contract puts
    beyond what a JSON Schema can say. Each is a 422 naming the fields it is about, or a 412/428:

    - POST /items: refs must name readable records of the right subtype, and the cross-field
      rules hold (ethics approved, ORCID check digit, unique paths/keys/template ids, uri and
      description when not reposited). PUT /items/{id}/access: groups must exist, and only a
      DATASET has dataset-data-* roles. Judged by decoding the body with the server's own Struct:
      a body that passes it can only have been refused for those rules.
    - PUT /items/{id}: `data` must be the record's own subtype, which the document cannot tie to
      the id in the path (it shows `data` as an object); If-Match must name the current revision
      (412) and is required (428).
    - GET /items: a cursor is opaque and signed; only `next_cursor` values are accepted.
    - PUT /me/password: the current password must be the right one, and the new one differ.
      PATCH /users/{username}: an empty body changes nothing (422 naming `body`), and an email's
      parts have length limits. POST /me/tokens: `expires_in_days` is decoded by its JSON form,
      where `6.0` is a number with a fraction, not an integer.
    - POST /items: an Idempotency-Key already used with another body is a 422.
    - Files routes: only a DATASET has files (422 naming `item_subtype`); replacing a file needs
      If-Match with its sha256 (412). A file path is judged on the request path as sent, where a
      `/` must be written as it is: OpenAPI path parameters cannot hold one, so the fuzzer sends
      it as `%2F`, which the contract refuses (422 naming `path`).
    """
    operation = case.operation.label
    fields = set()
    if response.status_code == 422 and response.headers.get("content-type", [""])[0].startswith("application/problem+json"):
        fields = {error["field"] for error in response.json().get("errors", [])}
    if fields and _passes_schema_level_decoding(case):
        return None
    if operation == "POST /api/v1/items" and fields == {"Idempotency-Key"}:
        return None
    if operation == "PUT /api/v1/items/{item_id}":
        if response.status_code in (412, 428) or (fields and all(f == "data" or f.startswith("data.") for f in fields)):
            return None
    if operation == "GET /api/v1/items" and fields == {"cursor"}:
        return None
    if operation == "PUT /api/v1/me/password" and fields and fields <= {"current_password", "new_password"}:
        return None
    if operation == "PATCH /api/v1/users/{username}" and (fields == {"email"} or (fields == {"body"} and case.body == {})):
        return None
    if operation == "POST /api/v1/me/tokens" and fields == {"expires_in_days"} and isinstance(case.body.get("expires_in_days"), float):
        return None
    if "/files" in operation or operation.endswith("/file-log"):
        if fields == {"item_subtype"} or (fields == {"path"} and "/" in str(case.path_parameters.get("file_path", ""))):
            return None
        if operation == "PUT /api/v1/items/{item_id}/files/{file_path}" and response.status_code == 412:
            return None
    return positive_data_acceptance(ctx, response, case)


CHECKS: dict[str, Any] = {"excluded_checks": [positive_data_acceptance], "additional_checks": [positive_data_acceptance_beyond_the_schema]}


# -- The tests ------------------------------------------------------------------------------

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    # schemathesis 4.32.5's lazy loader reads and renames `node._nodeid`, which pytest 9 no longer has.
    request.node._nodeid = request.node.nodeid


@schema.parametrize()
def test_every_operation(case: schemathesis.Case, ref_targets: dict[str, list[str]]) -> None:
    _point_ids_at_records(case, ref_targets)
    _steer_account_changes(case)
    case.call_and_validate(**CHECKS)


def test_stateful(api_schema: schemathesis.BaseSchema, ref_targets: dict[str, list[str]]) -> None:
    class Machine(api_schema.as_state_machine()):  # type: ignore[misc]
        def before_call(self, case: schemathesis.Case) -> None:
            _point_ids_at_records(case, ref_targets)
            _steer_account_changes(case)

        def validate_response(self, response: schemathesis.Response, case: schemathesis.Case, additional_checks: Any = None, **kwargs: Any) -> None:  # noqa: ANN401
            try:
                case.validate_response(response, transport_kwargs=kwargs or None, recorder=self.recorder, **CHECKS)
            except Exception:
                # Shown with the test's output: when hypothesis cannot replay a failing scenario
                # (the server's state has moved on), this is the failure it found.
                print(f"failed step: {case.operation.label} {case.path_parameters or ''} -> {response.status_code} {response.text[:500]}")
                raise

    Machine.run(
        settings=hypothesis.settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
    )
