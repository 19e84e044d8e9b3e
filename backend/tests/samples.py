"""Valid `data` for every subtype, for tests that need real records."""

from __future__ import annotations

from typing import Any


def organisation(name: str = "CSIRO") -> dict[str, Any]:
    return {"display_name": name, "name": name, "ror": "https://ror.org/03qn8fb07"}


def person(name: str = "Ada Lovelace") -> dict[str, Any]:
    first, _, last = name.partition(" ")
    return {
        "display_name": name,
        "first_name": first,
        "last_name": last or first,
        "email": "ada@example.org",
        "orcid": "https://orcid.org/0000-0002-1825-0097",
        "ethics_approved": True,
    }


def model(name: str = "Hydrology model") -> dict[str, Any]:
    return {
        "display_name": name,
        "name": name,
        "description": "Simulates catchment runoff.",
        "documentation_url": "https://example.org/docs",
        "source_url": "https://example.org/src",
    }


def dataset_template(name: str = "Forcing inputs") -> dict[str, Any]:
    return {
        "display_name": name,
        "description": "Inputs of a run.",
        "defined_resources": [{"path": "forcing/rain.nc", "description": "Rainfall", "usage_type": "FORCING_DATA"}],
        "deferred_resources": [{"key": "params", "description": "Parameters", "usage_type": "PARAMETER_FILE"}],
    }


def workflow_template(model_id: str, input_id: str, output_id: str, name: str = "Run workflow") -> dict[str, Any]:
    return {
        "display_name": name,
        "software_id": model_id,
        "input_templates": [{"template_id": input_id, "optional": False}],
        "output_templates": [{"template_id": output_id, "optional": True}],
        "annotations": {"required": ["region"], "optional": ["note"]},
    }


def study(name: str = "Drought study") -> dict[str, Any]:
    return {"display_name": name, "title": name, "description": "What happens in a drought."}


def dataset(organisation_id: str, name: str = "Rainfall 2024", person_id: str | None = None) -> dict[str, Any]:
    associations: dict[str, Any] = {"organisation_id": organisation_id}
    if person_id:
        associations["data_custodian_id"] = person_id
    no = {"relevant": False, "obtained": False}
    return {
        "display_name": name,
        "associations": associations,
        "approvals": {"ethics_registration": no, "ethics_access": no, "indigenous_knowledge": no, "export_controls": no},
        "dataset_info": {
            "name": name,
            "description": "Daily rainfall.",
            "publisher_id": organisation_id,
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "created_date": "2024-01-31",
            "published_date": "2024-02-01",
            "access_info": {"reposited": True},
            "keywords": ["rain"],
        },
    }
