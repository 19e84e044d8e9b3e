"""Unit tests of the subtype table: decoding, cross-field rules, derived schemas and helpers."""

import copy
import json
import re
import uuid
from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from msgspec import UNSET, Meta, UnsetType

from registry.errors import ValidationFailed
from registry.items.subtypes import SUBTYPES, Category, Strict, Subtype, search_text

ORG = "3f0c1b9e-2a4d-4c6b-9e8f-0a1b2c3d4e5f"
PUBLISHER = "7d2e4f60-1b3c-4d5e-8f90-a1b2c3d4e5f6"
PERSON = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"
MODEL = "0b1c2d3e-4f5a-4b6c-9d8e-7f6a5b4c3d2e"
TEMPLATES = [
    "11111111-1111-4111-8111-111111111111",
    "22222222-2222-4222-8222-222222222222",
    "33333333-3333-4333-8333-333333333333",
]

FULL: dict[str, dict[str, Any]] = {
    "ORGANISATION": {
        "display_name": "CSIRO",
        "name": "Commonwealth Scientific and Industrial Research Organisation",
        "ror": "https://ror.org/03qn8fb07",
        "user_metadata": {"state": "ACT"},
    },
    "PERSON": {
        "display_name": "Ada Lovelace",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.org",
        "orcid": "https://orcid.org/0000-0002-1825-0097",
        "ethics_approved": True,
        "user_metadata": {"team": "Analytical Engines"},
    },
    "MODEL": {
        "display_name": "Hydro model",
        "name": "HydroSim",
        "description": "Simulates catchment hydrology.",
        "documentation_url": "https://example.org/hydrosim/docs",
        "source_url": "https://github.com/example/hydrosim",
        "user_metadata": {"language": "Fortran"},
    },
    "DATASET_TEMPLATE": {
        "display_name": "HydroSim inputs",
        "description": "Everything HydroSim reads.",
        "defined_resources": [
            {
                "path": "config/params.yaml",
                "description": "Model parameters.",
                "usage_type": "PARAMETER_FILE",
                "optional": False,
                "is_folder": False,
                "additional_metadata": {"format": "yaml"},
            },
            {"path": "forcing", "description": "Forcing data folder.", "usage_type": "FORCING_DATA", "is_folder": True},
        ],
        "deferred_resources": [
            {
                "key": "observations",
                "description": "Observed flows.",
                "usage_type": "GENERAL_DATA",
                "optional": True,
                "is_folder": False,
                "additional_metadata": {"units": "ML/day"},
            },
            {"key": "settings", "description": "Run settings.", "usage_type": "CONFIG_FILE"},
        ],
        "user_metadata": {"version": "2"},
    },
    "MODEL_RUN_WORKFLOW_TEMPLATE": {
        "display_name": "HydroSim run",
        "software_id": MODEL,
        "input_templates": [
            {"template_id": TEMPLATES[0], "optional": False},
            {"template_id": TEMPLATES[1], "optional": True},
        ],
        "output_templates": [{"template_id": TEMPLATES[2], "optional": False}],
        "annotations": {"required": ["region"], "optional": ["notes", "tags"]},
        "user_metadata": {"queue": "long"},
    },
    "STUDY": {
        "display_name": "Murray study",
        "title": "Flows in the Murray-Darling Basin",
        "description": "A ten-year study of river flows.",
        "study_alternative_id": "MDB-2024",
        "user_metadata": {"funder": "ARC"},
    },
    "DATASET": {
        "display_name": "Murray flows 2024",
        "associations": {"organisation_id": ORG, "data_custodian_id": PERSON, "point_of_contact": "Data desk"},
        "approvals": {
            "ethics_registration": {"relevant": True, "obtained": True},
            "ethics_access": {"relevant": False, "obtained": False},
            "indigenous_knowledge": {"relevant": True, "obtained": False},
            "export_controls": {"relevant": False, "obtained": False},
        },
        "dataset_info": {
            "name": "Murray River daily flows",
            "description": "Daily flows at 40 gauges.",
            "publisher_id": PUBLISHER,
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "created_date": "2024-01-05",
            "published_date": "2024-02-29",
            "access_info": {
                "reposited": False,
                "uri": "https://data.example.org/murray",
                "description": "Ask the desk.",
            },
            "purpose": "Calibration.",
            "rights_holder": "Basin Authority",
            "usage_limitations": "Research only.",
            "preferred_citation": "Basin Authority (2024). Murray flows.",
            "spatial_info": "Murray-Darling Basin",
            "temporal_info": "2014 to 2024",
            "formats": ["CSV", "NetCDF"],
            "keywords": ["Hydrology", "Rivers"],
        },
        "user_metadata": {"project": "MDB-Flows"},
    },
}

# Minimal bodies and what they are stored as (optional lists filled with [], the rest left out).
MINIMAL: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "ORGANISATION": ({"display_name": "O", "name": "N"}, {}),
    "PERSON": (
        {"display_name": "P", "first_name": "F", "last_name": "L", "email": "p@example.org", "ethics_approved": True},
        {},
    ),
    "MODEL": (
        {
            "display_name": "M",
            "name": "N",
            "description": "D",
            "documentation_url": "http://example.org",
            "source_url": "https://example.org/src?x=1#top",
        },
        {},
    ),
    "DATASET_TEMPLATE": ({"display_name": "T"}, {"defined_resources": [], "deferred_resources": []}),
    "MODEL_RUN_WORKFLOW_TEMPLATE": (
        {"display_name": "W", "software_id": MODEL},
        {"input_templates": [], "output_templates": []},
    ),
    "STUDY": ({"display_name": "S", "title": "T", "description": "D"}, {}),
    "DATASET": (
        {
            "display_name": "D",
            "associations": {"organisation_id": ORG},
            "approvals": {
                name: {"relevant": False, "obtained": False}
                for name in ("ethics_registration", "ethics_access", "indigenous_knowledge", "export_controls")
            },
            "dataset_info": {
                "name": "N",
                "description": "D",
                "publisher_id": ORG,
                "license": "https://example.org/licence",
                "created_date": "2024-01-05",
                "published_date": "2024-01-06",
                "access_info": {"reposited": True},
            },
        },
        {"dataset_info": {"formats": [], "keywords": []}},
    ),
}

DELETE = object()


def merged(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(base)
    for key, value in extra.items():
        result[key] = merged(result[key], value) if isinstance(value, dict) and key in result else value
    return result


def edited(subtype: str, path: str, value: Any = DELETE) -> dict[str, Any]:
    """The full body of `subtype` with the value at dotted `path` replaced (or removed)."""
    body = copy.deepcopy(FULL[subtype])
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    node: Any = body
    for part in parents:
        node = node[part]
    if value is DELETE:
        del node[last]
    else:
        node[last] = value
    return body


def encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body).encode()


def errors(subtype: str, body: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationFailed) as caught:
        SUBTYPES[subtype].decode(encode(body))
    return [(e.field, e.message) for e in caught.value.errors]


def fields(subtype: str, body: dict[str, Any]) -> list[str]:
    return [field for field, _ in errors(subtype, body)]


# The table


def test_table_lists_every_subtype_in_order_with_category_and_label() -> None:
    assert [(s.name, s.category, s.label) for s in SUBTYPES.values()] == [
        ("ORGANISATION", Category.AGENT, "Organisation"),
        ("PERSON", Category.AGENT, "Person"),
        ("MODEL", Category.ENTITY, "Model"),
        ("DATASET_TEMPLATE", Category.ENTITY, "Dataset template"),
        ("MODEL_RUN_WORKFLOW_TEMPLATE", Category.ENTITY, "Model run workflow template"),
        ("STUDY", Category.ACTIVITY, "Study"),
        ("DATASET", Category.ENTITY, "Dataset"),
    ]
    assert all(name == subtype.name for name, subtype in SUBTYPES.items())


def test_ref_and_clone_reset_fields_are_derived_from_the_annotations() -> None:
    assert {name: s.ref_fields for name, s in SUBTYPES.items() if s.ref_fields} == {
        "MODEL_RUN_WORKFLOW_TEMPLATE": {
            "software_id": "MODEL",
            "input_templates.*.template_id": "DATASET_TEMPLATE",
            "output_templates.*.template_id": "DATASET_TEMPLATE",
        },
        "DATASET": {
            "associations.organisation_id": "ORGANISATION",
            "associations.data_custodian_id": "PERSON",
            "dataset_info.publisher_id": "ORGANISATION",
        },
    }
    assert {name: s.clone_reset_fields for name, s in SUBTYPES.items() if s.clone_reset_fields} == {
        "PERSON": ("ethics_approved",),
        "DATASET": (
            "approvals.ethics_registration.obtained",
            "approvals.ethics_access.obtained",
            "approvals.indigenous_knowledge.obtained",
            "approvals.export_controls.obtained",
        ),
    }


def test_a_new_subtype_needs_only_a_struct_and_an_entry() -> None:
    class Gadget(Strict, kw_only=True):
        display_name: Annotated[str, Meta(title="Display name")]
        owner_id: Annotated[
            uuid.UUID, Meta(title="Owner", extra_json_schema={"x-ref-subtype": "PERSON"})
        ] | UnsetType = UNSET
        checked: Annotated[bool, Meta(title="Checked", extra_json_schema={"x-clone-reset": False})]

    gadget = Subtype("GADGET", Category.ENTITY, "Gadget", Gadget)
    assert gadget.ref_fields == {"owner_id": "PERSON"}
    assert gadget.clone_reset_fields == ("checked",)
    assert gadget.json_schema["title"] == "Gadget"
    assert gadget.ui_schema == {"ui:order": ["display_name", "owner_id", "checked"]}
    assert gadget.refs(gadget.decode(f'{{"display_name": "G", "owner_id": "{PERSON}", "checked": true}}'.encode())) == [
        ("data.owner_id", PERSON, "PERSON")
    ]


# Valid bodies


@pytest.mark.parametrize("subtype", SUBTYPES)
def test_full_body_decodes_and_round_trips(subtype: str) -> None:
    data = SUBTYPES[subtype].decode(encode(FULL[subtype]))
    assert isinstance(data, SUBTYPES[subtype].data_type)
    assert SUBTYPES[subtype].to_builtins(data) == FULL[subtype]


@pytest.mark.parametrize("subtype", SUBTYPES)
def test_minimal_body_decodes_with_optional_lists_empty_and_the_rest_absent(subtype: str) -> None:
    body, defaults = MINIMAL[subtype]
    data = SUBTYPES[subtype].decode(encode(body))
    assert SUBTYPES[subtype].to_builtins(data) == merged(body, defaults)


def test_to_builtins_gives_canonical_ids_and_iso_dates() -> None:
    body = edited("MODEL_RUN_WORKFLOW_TEMPLATE", "software_id", MODEL.upper())
    data = SUBTYPES["MODEL_RUN_WORKFLOW_TEMPLATE"].decode(encode(body))
    assert SUBTYPES["MODEL_RUN_WORKFLOW_TEMPLATE"].to_builtins(data)["software_id"] == MODEL
    dataset = SUBTYPES["DATASET"].decode(encode(FULL["DATASET"]))
    info = SUBTYPES["DATASET"].to_builtins(dataset)["dataset_info"]
    assert (info["created_date"], info["published_date"]) == ("2024-01-05", "2024-02-29")


@pytest.mark.parametrize(
    ("subtype", "path", "value"),
    [
        ("ORGANISATION", "display_name", "x" * 256),
        ("ORGANISATION", "name", "x" * 4000),
        ("ORGANISATION", "ror", "http://ror.org/03qn8fb07"),
        ("PERSON", "orcid", "https://orcid.org/0000-0002-1694-233X"),
        ("PERSON", "user_metadata", {}),
        ("DATASET", "dataset_info.keywords", ["k"] * 500),
        ("DATASET", "dataset_info.access_info", {"reposited": True}),
        ("DATASET", "dataset_info.access_info", {"reposited": False, "uri": "https://x.org", "description": "D"}),
        ("MODEL_RUN_WORKFLOW_TEMPLATE", "output_templates.0.template_id", TEMPLATES[0]),
        ("MODEL_RUN_WORKFLOW_TEMPLATE", "annotations", {"required": [], "optional": []}),
        ("DATASET_TEMPLATE", "deferred_resources.0.key", "config/params.yaml"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 40 else None,
)
def test_edge_values_are_accepted(subtype: str, path: str, value: Any) -> None:
    SUBTYPES[subtype].decode(encode(edited(subtype, path, value)))


# Invalid bodies: exactly one field is named


# (what, subtype, path edited, new value or DELETE): the one error must name `data.<path>`.
INVALID: list[tuple[str, str, str, Any]] = [
    ("missing", "ORGANISATION", "name", DELETE),
    ("missing", "ORGANISATION", "display_name", DELETE),
    ("missing", "PERSON", "email", DELETE),
    ("missing", "PERSON", "ethics_approved", DELETE),
    ("missing", "MODEL", "source_url", DELETE),
    ("missing", "DATASET_TEMPLATE", "defined_resources.1.usage_type", DELETE),
    ("missing", "DATASET_TEMPLATE", "deferred_resources.0.description", DELETE),
    ("missing", "MODEL_RUN_WORKFLOW_TEMPLATE", "software_id", DELETE),
    ("missing", "MODEL_RUN_WORKFLOW_TEMPLATE", "input_templates.1.optional", DELETE),
    ("missing", "MODEL_RUN_WORKFLOW_TEMPLATE", "annotations.optional", DELETE),
    ("missing", "STUDY", "title", DELETE),
    ("missing", "DATASET", "associations.organisation_id", DELETE),
    ("missing", "DATASET", "approvals.export_controls.obtained", DELETE),
    ("missing", "DATASET", "dataset_info.access_info.reposited", DELETE),
    ("missing", "DATASET", "dataset_info", DELETE),
    ("wrong type", "ORGANISATION", "name", 5),
    ("wrong type", "PERSON", "ethics_approved", "true"),
    ("wrong type", "PERSON", "user_metadata", {"team": 1}),
    ("wrong type", "DATASET_TEMPLATE", "defined_resources", "config"),
    ("wrong type", "DATASET_TEMPLATE", "defined_resources.1.is_folder", "yes"),
    ("wrong type", "MODEL_RUN_WORKFLOW_TEMPLATE", "software_id", 42),
    ("wrong type", "MODEL_RUN_WORKFLOW_TEMPLATE", "input_templates.0.template_id", "not-a-uuid"),
    ("wrong type", "MODEL_RUN_WORKFLOW_TEMPLATE", "annotations.required", "region"),
    ("wrong type", "DATASET", "dataset_info.keywords.1", 7),
    ("wrong type", "DATASET", "approvals", []),
    ("null", "ORGANISATION", "ror", None),
    ("null", "ORGANISATION", "user_metadata", None),
    ("null", "PERSON", "orcid", None),
    ("null", "DATASET_TEMPLATE", "description", None),
    ("null", "DATASET_TEMPLATE", "deferred_resources", None),
    ("null", "DATASET_TEMPLATE", "defined_resources.0.optional", None),
    ("null", "MODEL_RUN_WORKFLOW_TEMPLATE", "annotations", None),
    ("null", "STUDY", "study_alternative_id", None),
    ("null", "DATASET", "associations.data_custodian_id", None),
    ("null", "DATASET", "dataset_info.purpose", None),
    ("null", "DATASET", "dataset_info.access_info.uri", None),
    ("unknown", "ORGANISATION", "colour", "red"),
    ("unknown", "DATASET", "dataset_info.access_info.colour", "red"),
    ("unknown", "DATASET", "approvals.ethics_access.colour", "red"),
    ("unknown", "DATASET_TEMPLATE", "defined_resources.1.colour", "red"),
    ("unknown", "MODEL_RUN_WORKFLOW_TEMPLATE", "annotations.colour", "red"),
    ("too long", "ORGANISATION", "display_name", "x" * 257),
    ("too long", "ORGANISATION", "name", "x" * 4001),
    ("too long", "MODEL", "description", "x" * 4001),
    ("too long", "STUDY", "user_metadata", {"k": "x" * 4001}),
    ("too long", "DATASET", "dataset_info.keywords.0", "x" * 4001),
    ("empty", "PERSON", "display_name", ""),
    ("empty", "PERSON", "first_name", ""),
    ("empty", "STUDY", "title", ""),
    ("empty", "DATASET_TEMPLATE", "defined_resources.0.path", ""),
    ("empty", "MODEL_RUN_WORKFLOW_TEMPLATE", "annotations.required.0", ""),
    ("empty", "DATASET", "dataset_info.formats.1", ""),
    ("501 entries", "DATASET", "dataset_info.keywords", ["k"] * 501),
    (
        "501 entries",
        "DATASET_TEMPLATE",
        "defined_resources",
        [{"path": f"f{i}", "description": "D", "usage_type": "GENERAL_DATA"} for i in range(501)],
    ),
    ("501 entries", "MODEL_RUN_WORKFLOW_TEMPLATE", "annotations.optional", ["a"] * 501),
    ("501 entries", "STUDY", "user_metadata", {f"k{i}": "v" for i in range(501)}),
    ("bad URL", "ORGANISATION", "ror", "ftp://ror.org/03qn8fb07"),
    ("bad URL", "ORGANISATION", "ror", "ror.org/03qn8fb07"),
    ("bad URL", "MODEL", "documentation_url", "/docs/index.html"),
    ("bad URL", "MODEL", "source_url", "https://"),
    ("bad URL", "MODEL", "source_url", "https://exa mple.org"),
    ("bad URL", "DATASET", "dataset_info.license", "CC-BY-4.0"),
    ("bad URL", "DATASET", "dataset_info.access_info.uri", "mailto:desk@example.org"),
    ("bad e-mail", "PERSON", "email", "ada.example.org"),
    ("bad e-mail", "PERSON", "email", "ada@example"),
    ("bad e-mail", "PERSON", "email", "ada lovelace@example.org"),
    ("bad ORCID", "PERSON", "orcid", "https://orcid.org/0000-0002-1825-0098"),
    ("bad ORCID", "PERSON", "orcid", "0000-0002-1825-0097"),
    ("bad ORCID", "PERSON", "orcid", "http://orcid.org/0000-0002-1825-0097"),
    ("bad ORCID", "PERSON", "orcid", "https://orcid.org/0000-0002-1825-009"),
    ("bad date", "DATASET", "dataset_info.created_date", "2024-02-30"),
    ("bad date", "DATASET", "dataset_info.created_date", "2024-1-5"),
    ("bad date", "DATASET", "dataset_info.published_date", "2024-01-05T00:00:00Z"),
    ("bad date", "DATASET", "dataset_info.published_date", 20240105),
    ("bad enum", "DATASET_TEMPLATE", "defined_resources.0.usage_type", "OTHER"),
    ("bad enum", "DATASET_TEMPLATE", "deferred_resources.1.usage_type", "config_file"),
    ("not true", "PERSON", "ethics_approved", False),
    ("duplicate", "DATASET_TEMPLATE", "defined_resources.1.path", "config/params.yaml"),
    ("duplicate", "DATASET_TEMPLATE", "deferred_resources.1.key", "observations"),
    ("duplicate", "MODEL_RUN_WORKFLOW_TEMPLATE", "input_templates.1.template_id", TEMPLATES[0]),
    ("not reposited", "DATASET", "dataset_info.access_info.uri", DELETE),
    ("not reposited", "DATASET", "dataset_info.access_info.description", DELETE),
]


@pytest.mark.parametrize(
    ("subtype", "path", "value"),
    [pytest.param(subtype, path, value, id=f"{what}-{subtype}-{path}") for what, subtype, path, value in INVALID],
)
def test_invalid_body_names_the_field(subtype: str, path: str, value: Any) -> None:
    assert fields(subtype, edited(subtype, path, value)) == [f"data.{path}"]


@pytest.mark.parametrize("subtype", SUBTYPES)
def test_a_body_that_is_not_an_object_names_data(subtype: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        SUBTYPES[subtype].decode(b"[]")
    assert [e.field for e in caught.value.errors] == ["data"]


@pytest.mark.parametrize(
    ("subtype", "path", "value", "message"),
    [
        ("PERSON", "orcid", None, "null is not allowed here: leave the field out instead."),
        ("PERSON", "colour", "red", "Unknown field: remove it."),
        ("PERSON", "email", "nope", "Enter an e-mail address such as name@example.org."),
        ("PERSON", "orcid", "orcid:0000", "Enter an ORCID iD as https://orcid.org/0000-0000-0000-0000."),
        ("MODEL", "source_url", "ftp://x.org", "Enter a full web address starting with https:// or http://."),
        ("DATASET", "dataset_info.created_date", "2024-02-30", "Enter a real date as YYYY-MM-DD."),
        ("DATASET", "dataset_info.access_info.uri", DELETE, "Required when the data is not reposited in the Registry."),
    ],
)
def test_messages_are_plain_language(subtype: str, path: str, value: Any, message: str) -> None:
    assert errors(subtype, edited(subtype, path, value)) == [(f"data.{path}", message)]


# Cross-field rules report every problem, each at its own path


def test_not_reposited_without_uri_and_description_reports_both() -> None:
    body = edited("DATASET", "dataset_info.access_info", {"reposited": False})
    assert fields("DATASET", body) == [
        "data.dataset_info.access_info.uri",
        "data.dataset_info.access_info.description",
    ]


def test_person_reports_ethics_and_orcid_together() -> None:
    body = {**FULL["PERSON"], "ethics_approved": False, "orcid": "https://orcid.org/0000-0002-1825-0098"}
    assert fields("PERSON", body) == ["data.ethics_approved", "data.orcid"]


def test_every_duplicate_path_and_key_is_reported() -> None:
    resource = {"description": "D", "usage_type": "GENERAL_DATA"}
    body = {
        "display_name": "T",
        "defined_resources": [{"path": p, **resource} for p in ("a", "b", "a", "b", "a")],
        "deferred_resources": [{"key": k, **resource} for k in ("x", "x")],
    }
    assert fields("DATASET_TEMPLATE", body) == [
        "data.defined_resources.2.path",
        "data.defined_resources.3.path",
        "data.defined_resources.4.path",
        "data.deferred_resources.1.key",
    ]


def test_duplicate_templates_are_reported_per_list_and_a_template_may_be_input_and_output() -> None:
    slot = {"template_id": TEMPLATES[0], "optional": False}
    body = {"display_name": "W", "software_id": MODEL, "input_templates": [slot] * 2, "output_templates": [slot] * 2}
    assert fields("MODEL_RUN_WORKFLOW_TEMPLATE", body) == [
        "data.input_templates.1.template_id",
        "data.output_templates.1.template_id",
    ]
    once = {**body, "input_templates": [slot], "output_templates": [slot]}
    SUBTYPES["MODEL_RUN_WORKFLOW_TEMPLATE"].decode(encode(once))


def test_duplicate_ids_are_compared_as_ids_not_as_spelling() -> None:
    slots = [{"template_id": TEMPLATES[0], "optional": False}, {"template_id": TEMPLATES[0].upper(), "optional": True}]
    body = edited("MODEL_RUN_WORKFLOW_TEMPLATE", "input_templates", slots)
    assert fields("MODEL_RUN_WORKFLOW_TEMPLATE", body) == ["data.input_templates.1.template_id"]


# JSON Schema


def nodes(value: Any) -> Iterator[Any]:
    """Every dict and list in a JSON value, depth first."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from nodes(item)
    elif isinstance(value, list):
        yield value
        for item in value:
            yield from nodes(item)


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return schema["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


def node_at(schema: dict[str, Any], pattern: str) -> dict[str, Any]:
    node = schema
    for part in pattern.split("."):
        node = resolve(schema, node)
        node = node["items"] if part == "*" else node["properties"][part]
    return node


@pytest.mark.parametrize("subtype", SUBTYPES)
def test_schema_is_2020_12_with_the_label_as_title(subtype: str) -> None:
    schema = SUBTYPES[subtype].json_schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == SUBTYPES[subtype].label
    assert schema["type"] == "object"
    assert list(schema["properties"])[0] == "display_name"
    assert all(ref.startswith("#/$defs/") for node in nodes(schema) if isinstance(node, dict)
               for key, ref in node.items() if key == "$ref")


@pytest.mark.parametrize("subtype", SUBTYPES)
def test_schema_never_admits_null(subtype: str) -> None:
    schema = SUBTYPES[subtype].json_schema
    for node in nodes(schema):
        values = node.values() if isinstance(node, dict) else node
        assert None not in values
        if isinstance(node, dict):
            kind = node.get("type")
            assert kind != "null" and not (isinstance(kind, list) and "null" in kind)
            assert "anyOf" not in node and "oneOf" not in node
    assert "null" not in json.dumps(schema)


@pytest.mark.parametrize("subtype", SUBTYPES)
def test_every_property_and_definition_has_a_human_title(subtype: str) -> None:
    schema = SUBTYPES[subtype].json_schema
    for name, definition in schema.get("$defs", {}).items():
        assert definition["title"] and not re.search(r"[a-z][A-Z]", definition["title"]), name
    for node in nodes(schema):
        if isinstance(node, dict) and "properties" in node:
            for name, prop in node["properties"].items():
                assert prop.get("title"), name
                assert "_" not in prop["title"] and prop["title"] != name, prop["title"]


@pytest.mark.parametrize("subtype", SUBTYPES)
def test_objects_forbid_additional_properties_and_maps_hold_strings(subtype: str) -> None:
    for node in nodes(SUBTYPES[subtype].json_schema):
        if isinstance(node, dict) and node.get("type") == "object":
            if "properties" in node:
                assert node["additionalProperties"] is False
            else:  # a string → string map (user_metadata, additional_metadata)
                assert node["additionalProperties"]["type"] == "string"
                assert node["maxProperties"] == 500


@pytest.mark.parametrize(
    ("subtype", "pattern", "required"),
    [
        ("ORGANISATION", "", ["display_name", "name"]),
        ("PERSON", "", ["display_name", "first_name", "last_name", "email", "ethics_approved"]),
        ("MODEL", "", ["display_name", "name", "description", "documentation_url", "source_url"]),
        ("DATASET_TEMPLATE", "", ["display_name"]),
        ("DATASET_TEMPLATE", "defined_resources.*", ["path", "description", "usage_type"]),
        ("DATASET_TEMPLATE", "deferred_resources.*", ["key", "description", "usage_type"]),
        ("MODEL_RUN_WORKFLOW_TEMPLATE", "", ["display_name", "software_id"]),
        ("MODEL_RUN_WORKFLOW_TEMPLATE", "input_templates.*", ["template_id", "optional"]),
        ("MODEL_RUN_WORKFLOW_TEMPLATE", "annotations", ["required", "optional"]),
        ("STUDY", "", ["display_name", "title", "description"]),
        ("DATASET", "", ["display_name", "associations", "approvals", "dataset_info"]),
        ("DATASET", "associations", ["organisation_id"]),
        ("DATASET", "approvals.ethics_access", ["relevant", "obtained"]),
        (
            "DATASET",
            "dataset_info",
            ["name", "description", "publisher_id", "license", "created_date", "published_date", "access_info"],
        ),
        ("DATASET", "dataset_info.access_info", ["reposited"]),
    ],
)
def test_optional_fields_are_absent_from_required(subtype: str, pattern: str, required: list[str]) -> None:
    schema = SUBTYPES[subtype].json_schema
    node = resolve(schema, node_at(schema, pattern) if pattern else schema)
    assert node["required"] == required


@pytest.mark.parametrize("subtype", SUBTYPES)
def test_refs_and_clone_resets_are_marked_in_the_schema(subtype: str) -> None:
    subtype_ = SUBTYPES[subtype]
    schema = subtype_.json_schema
    for pattern, target in SUBTYPES[subtype].ref_fields.items():
        node = node_at(schema, pattern)
        assert node["x-ref-subtype"] == target and target in SUBTYPES
        assert node["format"] == "uuid"
    for pattern in SUBTYPES[subtype].clone_reset_fields:
        assert node_at(schema, pattern)["x-clone-reset"] is False
    # Nothing is marked that the derived lists miss (shared $defs are reached by several patterns).
    for key, patterns in (("x-ref-subtype", subtype_.ref_fields), ("x-clone-reset", subtype_.clone_reset_fields)):
        marked = {id(node) for node in nodes(schema) if isinstance(node, dict) and key in node}
        assert marked == {id(node_at(schema, pattern)) for pattern in patterns}


def test_nested_booleans_carry_their_context_in_the_title() -> None:
    schema = SUBTYPES["DATASET"].json_schema
    assert node_at(schema, "approvals.ethics_registration.obtained")["title"] == "Ethics registration obtained"
    assert node_at(schema, "approvals.export_controls.relevant")["title"] == "Export controls relevant"
    assert node_at(schema, "approvals.indigenous_knowledge")["title"] == "Indigenous knowledge"


@pytest.mark.parametrize(
    ("subtype", "pattern", "expected"),
    [
        ("ORGANISATION", "ror", {"format": "uri"}),
        ("MODEL", "documentation_url", {"format": "uri"}),
        ("DATASET", "dataset_info.license", {"format": "uri"}),
        ("DATASET", "dataset_info.access_info.uri", {"format": "uri"}),
        ("PERSON", "email", {"format": "email"}),
        ("PERSON", "ethics_approved", {"type": "boolean", "default": False}),
        ("DATASET", "dataset_info.created_date", {"type": "string", "format": "date"}),
        ("DATASET", "dataset_info.keywords", {"type": "array", "maxItems": 500, "default": []}),
        ("DATASET", "display_name", {"type": "string", "minLength": 1, "maxLength": 256}),
        ("STUDY", "title", {"type": "string", "minLength": 1, "maxLength": 4000}),
        ("DATASET_TEMPLATE", "defined_resources.*.usage_type",
         {"type": "string", "enum": ["CONFIG_FILE", "FORCING_DATA", "GENERAL_DATA", "PARAMETER_FILE"]}),
    ],
)
def test_schema_keywords(subtype: str, pattern: str, expected: dict[str, Any]) -> None:
    node = node_at(SUBTYPES[subtype].json_schema, pattern)
    assert {key: node.get(key) for key in expected} == expected


def test_url_and_orcid_fields_keep_their_patterns() -> None:
    assert node_at(SUBTYPES["ORGANISATION"].json_schema, "ror")["pattern"].startswith("^https?://")
    assert node_at(SUBTYPES["PERSON"].json_schema, "orcid")["pattern"].startswith("^https://orcid")


# uiSchema


@pytest.mark.parametrize("subtype", SUBTYPES)
def test_ui_order_follows_the_struct_down_to_nested_objects(subtype: str) -> None:
    schema, ui = SUBTYPES[subtype].json_schema, SUBTYPES[subtype].ui_schema

    def check(node: dict[str, Any], ui_node: dict[str, Any]) -> None:
        node = resolve(schema, node)
        assert ui_node["ui:order"] == list(node["properties"])
        for name, prop in node["properties"].items():
            prop = resolve(schema, prop)
            if "properties" in prop:
                check(prop, ui_node[name])
            elif "properties" in resolve(schema, prop.get("items", {})):
                check(prop["items"], ui_node[name]["items"])

    check(schema, ui)
    assert ui["ui:order"][0] == "display_name"


def test_long_text_gets_a_textarea_and_formats_get_help() -> None:
    dataset = SUBTYPES["DATASET"].ui_schema["dataset_info"]
    for name in ("description", "usage_limitations", "preferred_citation"):
        assert dataset[name]["ui:widget"] == "textarea"
    assert dataset["access_info"]["description"]["ui:widget"] == "textarea"
    assert "name" not in dataset
    assert SUBTYPES["DATASET_TEMPLATE"].ui_schema["defined_resources"]["items"]["description"] == {
        "ui:widget": "textarea"
    }
    assert "https://orcid.org/" in SUBTYPES["PERSON"].ui_schema["orcid"]["ui:help"]
    assert "https://" in SUBTYPES["MODEL"].ui_schema["source_url"]["ui:help"]


# refs and search_text


def test_refs_of_a_workflow_template() -> None:
    subtype = SUBTYPES["MODEL_RUN_WORKFLOW_TEMPLATE"]
    assert subtype.refs(subtype.decode(encode(FULL["MODEL_RUN_WORKFLOW_TEMPLATE"]))) == [
        ("data.software_id", MODEL, "MODEL"),
        ("data.input_templates.0.template_id", TEMPLATES[0], "DATASET_TEMPLATE"),
        ("data.input_templates.1.template_id", TEMPLATES[1], "DATASET_TEMPLATE"),
        ("data.output_templates.0.template_id", TEMPLATES[2], "DATASET_TEMPLATE"),
    ]


def test_refs_of_a_dataset_skip_absent_optional_refs_and_are_lowercase() -> None:
    subtype = SUBTYPES["DATASET"]
    assert subtype.refs(subtype.decode(encode(FULL["DATASET"]))) == [
        ("data.associations.organisation_id", ORG, "ORGANISATION"),
        ("data.associations.data_custodian_id", PERSON, "PERSON"),
        ("data.dataset_info.publisher_id", PUBLISHER, "ORGANISATION"),
    ]
    minimal = merged(MINIMAL["DATASET"][0], {"associations": {"organisation_id": ORG.upper()}})
    assert subtype.refs(subtype.decode(encode(minimal))) == [
        ("data.associations.organisation_id", ORG, "ORGANISATION"),
        ("data.dataset_info.publisher_id", ORG, "ORGANISATION"),
    ]


@pytest.mark.parametrize("subtype", ["ORGANISATION", "PERSON", "MODEL", "DATASET_TEMPLATE", "STUDY"])
def test_subtypes_without_ref_fields_have_no_refs(subtype: str) -> None:
    assert SUBTYPES[subtype].refs(SUBTYPES[subtype].decode(encode(FULL[subtype]))) == []


def test_search_text_holds_every_string_value_lowercased() -> None:
    subtype = SUBTYPES["DATASET"]
    text = search_text(subtype.to_builtins(subtype.decode(encode(FULL["DATASET"]))))
    parts = text.split("\x1f")
    assert parts[0] == "murray flows 2024"
    for expected in ("data desk", "murray river daily flows", "netcdf", "hydrology", "2024-01-05", ORG, "mdb-flows"):
        assert expected in parts
    assert "project" not in parts  # a map key, not a value
    assert text == text.lower()
    assert "true" not in parts and "false" not in parts


def test_search_text_of_nested_lists_and_maps() -> None:
    data = {"display_name": "Ünïcode NAME", "a": [{"b": "X"}, "Y"], "m": {"Key": "Value"}, "n": 3, "f": True}
    assert search_text(data) == "ünïcode name\x1fx\x1fy\x1fvalue"


def _unbounded(schema: Any, defs: dict[str, Any], path: str = "") -> Iterator[str]:
    """Every string, list or map in `schema` that has no upper bound."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            yield from _unbounded(defs[schema["$ref"].split("/")[-1]], defs, path)
        kind = schema.get("type")
        if kind == "string" and "maxLength" not in schema and "enum" not in schema and schema.get("format") not in ("date", "uuid"):
            yield path or "(root)"
        if kind == "array" and "maxItems" not in schema:
            yield path
        if kind == "object" and isinstance(schema.get("additionalProperties"), dict) and "maxProperties" not in schema:
            yield path
        for key, value in schema.items():
            if key in ("properties", "$defs"):
                for name, child in value.items():
                    yield from _unbounded(child, defs, f"{path}.{name}")
            elif key in ("items", "additionalProperties", "propertyNames"):
                yield from _unbounded(value, defs, f"{path}[{key}]")
            elif key in ("anyOf", "oneOf", "allOf"):
                for child in value:
                    yield from _unbounded(child, defs, path)


@pytest.mark.parametrize("subtype", list(SUBTYPES))
def test_every_string_list_and_map_has_a_limit(subtype: str) -> None:
    schema = SUBTYPES[subtype].json_schema
    assert sorted(set(_unbounded(schema, schema.get("$defs", {})))) == []
