"""`registry seed-demo`: fill an empty registry with a small, realistic set of records.

A fictional hydrology and coastal-science collaboration: organisations, people, models, dataset
templates, workflow templates, studies and datasets with files, three users in three groups,
access settings, and a revision with a reason. Everything goes through the same services the API
calls (validation, ref checks, history, access log, file store), never around them, so the demo
holds only what a user could have made.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import math
import random
import secrets
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import msgspec
from sqlalchemy import func, or_, select

from registry.access import service as access_service
from registry.access.roles import Principal
from registry.access.schemas import GroupCreate
from registry.auth import service as accounts
from registry.auth.schemas import UserCreate
from registry.datastore import service as files_service
from registry.datastore.paths import FilePath
from registry.datastore.storage import LocalFileStore
from registry.db.engine import Database
from registry.db.models import groups, items, users
from registry.items import service as items_service
from registry.items.subtypes import SUBTYPES
from registry.settings import Settings

# (username, display name, e-mail, general roles)
USERS = [
    ("hana", "Hana Okafor", "hana.okafor@example.org", ["registry-write"]),
    ("liam", "Liam Chen", "liam.chen@example.org", ["registry-write"]),
    ("sofia", "Sofia Rossi", "sofia.rossi@example.org", ["registry-read"]),
]
# (name, description, members)
GROUPS = [
    ("Hydrology team", "Builds and runs the catchment models.", ["hana", "sofia"]),
    ("Coastal team", "Studies estuaries and their salinity.", ["liam"]),
    ("Data stewards", "Look after approvals and dataset access.", ["hana", "liam"]),
]
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
NO = {"relevant": False, "obtained": False}
DONE = {"relevant": True, "obtained": True}


class RegistryNotEmpty(Exception):
    """The demo only fills an empty registry."""


@dataclass
class SeedReport:
    """What the demo made: record ids by subtype, passwords, groups and files."""

    items: dict[str, list[str]] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)
    files: dict[str, list[str]] = field(default_factory=dict)

    def count(self) -> int:
        return sum(len(ids) for ids in self.items.values())


def orcid(base: str) -> str:
    """An ORCID iD address with its ISO 7064 MOD 11-2 check digit, from the first 15 digits."""
    digits = base.replace("-", "")
    assert len(digits) == 15 and digits.isdigit()
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    full = digits + ("X" if check == 10 else str(check))
    return "https://orcid.org/" + "-".join(full[i : i + 4] for i in range(0, 16, 4))


async def check_empty(db: Database) -> None:
    async with db.read() as conn:
        ((records,),) = await conn.rows(select(func.count()).select_from(items))
        taken_users = [row.username for row in await conn.rows(select(users.c.username).where(users.c.username.in_([u[0] for u in USERS])))]
        taken_groups = [row.name for row in await conn.rows(select(groups.c.name).where(or_(*(groups.c.name == g[0] for g in GROUPS))))]
    if records:
        raise RegistryNotEmpty(
            f"This registry already has {records} record{'s' if records != 1 else ''}: seed-demo only fills an empty one. "
            "Point REGISTRY_DATABASE_URL at a new database to try the demo."
        )
    if taken_users or taken_groups:
        names = ", ".join([*(f"user {u!r}" for u in taken_users), *(f"group {g!r}" for g in taken_groups)])
        raise RegistryNotEmpty(f"The demo's {names} already exist{'s' if len(taken_users) + len(taken_groups) == 1 else ''}: seed-demo only fills an empty registry.")


class _Seeder:
    def __init__(self, db: Database, settings: Settings, report: SeedReport) -> None:
        self.db = db
        self.store = LocalFileStore(settings.files_dir)
        self.max_file_size = settings.max_file_size
        self.report = report
        self.principals: dict[str, Principal] = {}

    async def user(self, username: str, display_name: str, email: str, roles: list[str]) -> None:
        password = secrets.token_urlsafe(12)
        new = UserCreate(username=username, password=password, display_name=display_name, email=email, roles=roles)  # type: ignore[arg-type]
        await accounts.create_user(self.db, new)
        self.principals[username] = Principal(username=username, roles=accounts.roles_from_names(roles))
        self.report.passwords[username] = password

    async def group(self, name: str, description: str, members: list[str]) -> str:
        group = await access_service.create_group(self.db, GroupCreate(name=name, description=description))
        for member in members:
            await access_service.add_member(self.db, group.id, member)
        self.report.groups[name] = str(group.id)
        return str(group.id)

    async def item(self, owner: str, subtype_name: str, data: dict[str, Any]) -> str:
        subtype = SUBTYPES[subtype_name]
        decoded = subtype.decode(msgspec.json.encode(data))
        body = await items_service.create_item(self.db, self.principals[owner], subtype, decoded)
        item_id: str = msgspec.json.decode(body)["id"]
        self.report.items.setdefault(subtype_name, []).append(item_id)
        return item_id

    async def revise(self, editor: str, item_id: str, change: dict[str, Any], reason: str) -> None:
        principal = self.principals[editor]
        current = await items_service.get_item(self.db, principal, uuid.UUID(item_id))
        body = msgspec.json.encode({"data": {**current.data, **change}, "reason": reason})
        await items_service.update_item(self.db, principal, uuid.UUID(item_id), body, f'"{current.revision}"')

    async def share(self, owner: str, item_id: str, general: list[str], group_roles: dict[str, list[str]]) -> None:
        body = msgspec.json.encode({"general": general, "groups": {self.report.groups[name]: roles for name, roles in group_roles.items()}})
        await access_service.put_access(self.db, self.principals[owner], uuid.UUID(item_id), body)

    async def upload(self, owner: str, dataset_id: str, path: str, content: bytes) -> None:
        async def chunks() -> AsyncIterator[bytes]:
            yield content

        prefix = f"/api/v1/items/{dataset_id}/files/"
        file_path = FilePath((prefix + path).encode(), prefix)
        await files_service.put_file(
            self.db, self.store, self.principals[owner], uuid.UUID(dataset_id), file_path, None, chunks(), self.max_file_size
        )
        self.report.files.setdefault(dataset_id, []).append(path)


def _daily_series(seed: int, start: datetime.date, days: int, header: list[str], row) -> bytes:  # noqa: ANN001 - row(day index, rng) -> values
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for i in range(days):
        writer.writerow([(start + datetime.timedelta(days=i)).isoformat(), *row(i, rng)])
    return out.getvalue().encode()


def _rain(i: int, rng: random.Random) -> list[str]:
    wet = rng.random() < 0.35 + 0.15 * math.sin(i / 58)
    return [f"{rng.expovariate(1 / 6.5):.1f}" if wet else "0.0"]


def _flow(i: int, rng: random.Random) -> list[str]:
    return [f"{4.2 + 2.5 * math.sin(i / 30) + rng.random():.2f}"]


def _salinity(i: int, rng: random.Random) -> list[str]:
    return [f"{18 + 9 * math.sin(i / 14) + rng.gauss(0, 0.8):.2f}", f"{1.2 + rng.random() * 0.6:.2f}"]


def _readme(title: str, lines: list[str]) -> bytes:
    return ("\n".join([f"# {title}", "", *lines, "", "Demo data generated by `registry seed-demo`: not real measurements."]) + "\n").encode()


def _dataset(
    name: str,
    description: str,
    organisation: str,
    publisher: str,
    created: str,
    published: str,
    *,
    custodian: str | None = None,
    approvals: dict[str, dict[str, bool]] | None = None,
    **info: Any,
) -> dict[str, Any]:
    associations: dict[str, Any] = {"organisation_id": organisation}
    if custodian:
        associations["data_custodian_id"] = custodian
    return {
        "display_name": name,
        "associations": associations,
        "approvals": {"ethics_registration": NO, "ethics_access": NO, "indigenous_knowledge": NO, "export_controls": NO, **(approvals or {})},
        "dataset_info": {
            "name": name,
            "description": description,
            "publisher_id": publisher,
            "license": LICENCE,
            "created_date": created,
            "published_date": published,
            "access_info": {"reposited": True},
            **info,
        },
    }


async def _seed(s: _Seeder) -> None:
    for user in USERS:
        await s.user(*user)
    for name, description, members in GROUPS:
        await s.group(name, description, members)

    # Organisations
    basin = await s.item(
        "hana",
        "ORGANISATION",
        {"display_name": "Murray Basin Hydrology Institute", "name": "Murray Basin Hydrology Institute (demo)", "user_metadata": {"city": "Mildura"}},
    )
    coastal = await s.item(
        "liam",
        "ORGANISATION",
        {"display_name": "Coastal Ecology Research Centre", "name": "Coastal Ecology Research Centre (demo)"},
    )
    climate = await s.item(
        "hana", "ORGANISATION", {"display_name": "National Climate Data Service", "name": "National Climate Data Service (demo)"}
    )

    # People
    okafor = await s.item(
        "hana",
        "PERSON",
        {
            "display_name": "Dr Hana Okafor",
            "first_name": "Hana",
            "last_name": "Okafor",
            "email": "hana.okafor@example.org",
            "orcid": orcid("0000-0002-4718-320"),
            "ethics_approved": True,
            "user_metadata": {"role": "Lead hydrologist"},
        },
    )
    chen = await s.item(
        "liam",
        "PERSON",
        {"display_name": "Liam Chen", "first_name": "Liam", "last_name": "Chen", "email": "liam.chen@example.org", "orcid": orcid("0000-0001-9360-152"), "ethics_approved": True},
    )
    await s.item(
        "hana",
        "PERSON",
        {"display_name": "Sofia Rossi", "first_name": "Sofia", "last_name": "Rossi", "email": "sofia.rossi@example.org", "ethics_approved": True},
    )
    await s.item(
        "liam",
        "PERSON",
        {"display_name": "Aroha Ngata", "first_name": "Aroha", "last_name": "Ngata", "email": "aroha.ngata@example.org", "ethics_approved": True, "user_metadata": {"role": "Community liaison"}},
    )

    # Models
    runoff = await s.item(
        "hana",
        "MODEL",
        {
            "display_name": "Catchment runoff model 2.1",
            "name": "Catchment runoff model",
            "description": "A four-parameter daily rainfall-runoff model for gauged catchments.",
            "documentation_url": "https://example.org/models/catchment-runoff/docs",
            "source_url": "https://example.org/models/catchment-runoff/src",
            "user_metadata": {"language": "Python", "version": "2.1"},
        },
    )
    recharge = await s.item(
        "hana",
        "MODEL",
        {
            "display_name": "Groundwater recharge model 1.4",
            "name": "Groundwater recharge model",
            "description": "Estimates diffuse recharge from rainfall, evaporation and soil storage.",
            "documentation_url": "https://example.org/models/recharge/docs",
            "source_url": "https://example.org/models/recharge/src",
        },
    )
    estuary = await s.item(
        "liam",
        "MODEL",
        {
            "display_name": "Estuary salinity model 0.9",
            "name": "Estuary salinity model",
            "description": "A one-dimensional salt transport model for tidal estuaries.",
            "documentation_url": "https://example.org/models/estuary-salinity/docs",
            "source_url": "https://example.org/models/estuary-salinity/src",
        },
    )
    await s.revise(
        "hana",
        runoff,
        {"description": "A four-parameter rainfall-runoff model for gauged catchments, at daily or hourly steps."},
        "Hourly time steps are supported since version 2.1",
    )

    # Dataset templates
    forcing = await s.item(
        "hana",
        "DATASET_TEMPLATE",
        {
            "display_name": "Catchment model inputs",
            "description": "What the catchment runoff model reads for one catchment.",
            "defined_resources": [
                {"path": "forcing/rainfall.csv", "description": "Daily rainfall in millimetres.", "usage_type": "FORCING_DATA"},
                {"path": "forcing/evaporation.csv", "description": "Daily potential evaporation in millimetres.", "usage_type": "FORCING_DATA"},
                {"path": "parameters.json", "description": "The four calibrated parameters.", "usage_type": "PARAMETER_FILE"},
            ],
            "deferred_resources": [
                {"key": "observed-flow", "description": "Gauged streamflow for calibration.", "usage_type": "GENERAL_DATA", "optional": True},
            ],
        },
    )
    outputs = await s.item(
        "hana",
        "DATASET_TEMPLATE",
        {
            "display_name": "Catchment model outputs",
            "description": "Simulated streamflow and the run's configuration.",
            "defined_resources": [
                {"path": "flow.csv", "description": "Simulated daily streamflow in cubic metres per second.", "usage_type": "GENERAL_DATA"},
                {"path": "run.toml", "description": "The configuration the run used.", "usage_type": "CONFIG_FILE"},
            ],
        },
    )
    tides = await s.item(
        "liam",
        "DATASET_TEMPLATE",
        {
            "display_name": "Estuary boundary conditions",
            "description": "Tide and river inflow at the model's boundaries.",
            "defined_resources": [
                {"path": "tides", "description": "Tide gauge records, one file per gauge.", "usage_type": "FORCING_DATA", "is_folder": True},
            ],
        },
    )

    # Workflow templates
    await s.item(
        "hana",
        "MODEL_RUN_WORKFLOW_TEMPLATE",
        {
            "display_name": "Daily catchment simulation",
            "software_id": runoff,
            "input_templates": [{"template_id": forcing, "optional": False}],
            "output_templates": [{"template_id": outputs, "optional": False}],
            "annotations": {"required": ["catchment", "period"], "optional": ["scenario"]},
        },
    )
    await s.item(
        "hana",
        "MODEL_RUN_WORKFLOW_TEMPLATE",
        {"display_name": "Recharge estimate", "software_id": recharge, "input_templates": [{"template_id": forcing, "optional": False}]},
    )
    await s.item(
        "liam",
        "MODEL_RUN_WORKFLOW_TEMPLATE",
        {
            "display_name": "Estuary salinity run",
            "software_id": estuary,
            "input_templates": [{"template_id": tides, "optional": False}, {"template_id": outputs, "optional": True}],
            "annotations": {"required": ["estuary"], "optional": []},
        },
    )

    # Studies
    await s.item(
        "hana",
        "STUDY",
        {
            "display_name": "Millennium Drought streamflow",
            "title": "Streamflow response to the Millennium Drought",
            "description": "How catchments responded to a decade of low rainfall, and whether they recovered.",
            "study_alternative_id": "MBHI-2024-07",
        },
    )
    await s.item(
        "hana",
        "STUDY",
        {
            "display_name": "Recharge under a warmer climate",
            "title": "Groundwater recharge under a warmer climate",
            "description": "Recharge estimates for three warming scenarios across the basin.",
        },
    )
    salinity_study = await s.item(
        "liam",
        "STUDY",
        {
            "display_name": "Estuary salinity intrusion",
            "title": "Salinity intrusion in the Coorong estuary",
            "description": "How far salt water reaches upstream at low river flows.",
            "user_metadata": {"funding": "Demo Coastal Fund"},
        },
    )

    # Datasets, with files
    rainfall = await s.item(
        "hana",
        "DATASET",
        _dataset(
            "Daily rainfall, upper catchment 2023",
            "Gauged daily rainfall at six stations in the upper catchment.",
            basin,
            climate,
            "2024-01-20",
            "2024-02-01",
            custodian=okafor,
            purpose="Forcing data for the catchment runoff model.",
            spatial_info="Upper catchment, six gauges",
            temporal_info="2023-01-01 to 2023-12-31",
            formats=["CSV"],
            keywords=["rainfall", "hydrology", "forcing"],
            preferred_citation="Murray Basin Hydrology Institute (2024). Daily rainfall, upper catchment 2023 (demo).",
        ),
    )
    start = datetime.date(2023, 1, 1)
    await s.upload("hana", rainfall, "forcing/rainfall.csv", _daily_series(1, start, 365, ["date", "rainfall_mm"], _rain))
    await s.upload("hana", rainfall, "README.md", _readme("Daily rainfall, upper catchment 2023", ["One row a day; `rainfall_mm` is the six-gauge mean."]))

    flow = await s.item(
        "hana",
        "DATASET",
        _dataset(
            "Simulated streamflow, drought scenario",
            "Outputs of the catchment runoff model for the drought study.",
            basin,
            basin,
            "2024-03-04",
            "2024-03-11",
            custodian=okafor,
            temporal_info="2001-01-01 to 2001-06-30",
            formats=["CSV", "TOML"],
            keywords=["streamflow", "drought", "model output"],
        ),
    )
    await s.upload("hana", flow, "flow.csv", _daily_series(2, datetime.date(2001, 1, 1), 181, ["date", "flow_m3s"], _flow))
    run_config = 'model = "Catchment runoff model 2.1"\ncatchment = "upper"\nstart = 2001-01-01\nend = 2001-06-30\nscenario = "drought"\n'
    await s.upload("hana", flow, "run.toml", run_config.encode())
    parameters = {"x1_mm": 350.0, "x2_mm": -0.4, "x3_mm": 90.0, "x4_days": 1.7}
    await s.upload("hana", flow, "parameters.json", (json.dumps(parameters, indent=2) + "\n").encode())

    salinity = await s.item(
        "liam",
        "DATASET",
        _dataset(
            "Estuary salinity transects 2022",
            "Monthly salinity and depth profiles along the estuary.",
            coastal,
            coastal,
            "2023-02-14",
            "2023-05-01",
            custodian=chen,
            approvals={"indigenous_knowledge": DONE},
            rights_holder="Coastal Ecology Research Centre and Traditional Owners",
            usage_limitations="Sites of cultural significance are withheld; ask the data custodian before publishing maps.",
            formats=["CSV"],
            keywords=["salinity", "estuary"],
        ),
    )
    await s.upload("liam", salinity, "transects/site-a.csv", _daily_series(3, datetime.date(2022, 1, 15), 60, ["date", "salinity_psu", "depth_m"], _salinity))
    await s.upload("liam", salinity, "transects/site-b.csv", _daily_series(4, datetime.date(2022, 1, 15), 60, ["date", "salinity_psu", "depth_m"], _salinity))
    await s.upload("liam", salinity, "README.md", _readme("Estuary salinity transects 2022", ["Two sites; salinity in PSU, depth in metres."]))

    await s.item(
        "liam",
        "DATASET",
        _dataset(
            "Tide gauge archive (external)",
            "Hourly sea level at the estuary mouth, kept by the climate data service.",
            coastal,
            climate,
            "2021-07-01",
            "2021-07-01",
            access_info={"reposited": False, "uri": "https://example.org/data/tide-gauges", "description": "Download from the climate data service's portal after registering."},
            keywords=["tides", "sea level"],
        ),
    )

    # Access: the drought outputs belong to the hydrology team; the salinity transects and study
    # are for the coastal team and the data stewards only.
    await s.share("hana", runoff, ["metadata-read"], {"Hydrology team": ["metadata-write"]})
    await s.share("hana", flow, ["metadata-read"], {"Hydrology team": ["dataset-data-write"], "Data stewards": ["admin"]})
    await s.share("hana", rainfall, ["dataset-data-read"], {"Hydrology team": ["dataset-data-write"]})
    await s.share("liam", salinity, [], {"Coastal team": ["dataset-data-write"], "Data stewards": ["dataset-data-read"]})
    await s.share("liam", salinity_study, [], {"Coastal team": ["metadata-write"]})


async def seed(db: Database, settings: Settings) -> SeedReport:
    """Fill an empty registry; RegistryNotEmpty if it has records (or the demo's users or groups)."""
    await check_empty(db)
    report = SeedReport()
    await _seed(_Seeder(db, settings, report))
    return report
