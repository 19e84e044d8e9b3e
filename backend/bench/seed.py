"""Fills a fresh database with N realistic records for the benchmark.

Records of every subtype, about 2 KB of `data` each, written as the API would store them (each
validated by its subtype's Struct, with the same derived columns and a history entry). Access is
mixed: most records are readable by every registry user, some are private to their owner, and
some private ones are shared with groups. The reader the benchmark signs in as owns nothing and
is in three of the twenty groups, so every access check it causes is a real one.

Bulk rows go in through SQLAlchemy Core in batches (the services would take an hour for a million
records); users and groups go through the services, so they are exactly what the API makes.
"""

from __future__ import annotations

import datetime
import itertools
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import msgspec
from sqlalchemy import func, insert, select, text
from sqlalchemy.schema import CreateIndex, DropIndex

from registry.access import service as access_service
from registry.access.roles import ItemRole, granted_groups
from registry.access.schemas import GroupCreate
from registry.auth import service as accounts
from registry.auth.schemas import UserCreate
from registry.db.engine import Database
from registry.db.models import SEARCH_INDEX, item_group_roles, item_history, items
from registry.items.service import CREATED_REASON, _derived_columns
from registry.items.subtypes import SUBTYPES

PASSWORD = "bench-password-not-secret"
OWNERS = [f"bench-owner-{n}" for n in range(8)]
READER = "bench-reader"
WRITER = "bench-writer"
GROUPS = 20
READER_GROUPS = 3
BATCH = 2000
# Share of records by subtype (a registry holds many datasets and studies, fewer organisations).
SUBTYPE_SHARES = {
    "ORGANISATION": 0.05,
    "PERSON": 0.15,
    "MODEL": 0.10,
    "DATASET_TEMPLATE": 0.10,
    "MODEL_RUN_WORKFLOW_TEMPLATE": 0.10,
    "STUDY": 0.15,
    "DATASET": 0.35,
}
PRIVATE_SHARE = 0.25  # of records: general access none
SHARED_SHARE = 0.4  # of private records: granted metadata-read to one group

# Prose comes from a vocabulary with Zipf-like frequencies, as real text does: a few words are in
# nearly every record, most are in few. The search benchmark asks for words of known rank.
_DOMAIN_WORDS = (
    "data model catchment rainfall runoff salinity estuary river flow groundwater climate soil "
    "vegetation coastal sediment nutrient drought flood temperature evaporation hydrology survey "
    "station monitoring daily monthly annual gridded satellite observation calibration validation "
    "scenario ensemble forecast reanalysis aquifer wetland reservoir irrigation biodiversity habitat "
    "species carbon nitrogen phosphorus turbidity oxygen tide wave storm erosion landscape urban"
).split()
# Made-up words built like English ones (onset, vowel, coda), so that, as in real prose, a word's
# letter triples are shared with few other words: the trigram index narrows a search as it does
# on real text. (Words from a handful of syllables share nearly every triple with a sixth of all
# records, a worst case no real registry has.)
_ONSETS = "- b bl br c ch cl cr d dr f fl fr g gl gr h j k l m n p ph pl pr qu r s sc sh sk sl sm sn sp st str sw t th tr v w wh y".split()
_VOWELS = "a e i o u y ai au ea ee ie io oa oo ou".split()
_CODAS = "- - - - b ck d f g k l ld lk lt m mp n nd ng nk nt p r rd rk rm rn rt s sh sk sp ss st t th x".split()


def _vocabulary(size: int = 20_000) -> list[str]:
    rng = random.Random(7)
    words = list(_DOMAIN_WORDS)
    seen = set(words)
    while len(words) < size:
        syllables = rng.choice((2, 2, 2, 3))
        word = "".join((rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)).replace("-", "") for _ in range(syllables))
        # No made-up word holds "zeb": no record holds "zebra" (see SEARCH_TERMS).
        if 5 <= len(word) <= 10 and word not in seen and "zeb" not in word:
            seen.add(word)
            words.append(word)
    return words


VOCABULARY = _vocabulary()
_CUMULATIVE_WEIGHTS = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(VOCABULARY))))
# Words the search benchmark asks for, by rank in VOCABULARY: one in nearly every record, one
# in a fifth, one in 1 %, one in 0.2 % (where neither the sort's index nor the trigram index has
# an easy time), and one no record holds, which only an index can answer without reading every
# record.
SEARCH_TERMS = [VOCABULARY[5], VOCABULARY[50], VOCABULARY[1200], VOCABULARY[8000], "zebra"]


class Prose:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def words(self, count: int) -> list[str]:
        return self.rng.choices(VOCABULARY, cum_weights=_CUMULATIVE_WEIGHTS, k=count)

    def sentence(self, count: int) -> str:
        words = self.words(count)
        return " ".join(words).capitalize() + "."

    def text(self, chars: int) -> str:
        sentences: list[str] = []
        total = 0
        while total < chars:
            sentence = self.sentence(self.rng.randint(8, 18))
            sentences.append(sentence)
            total += len(sentence) + 1
        return " ".join(sentences)[:chars].rstrip() + "."

    def distinct(self, count: int) -> list[str]:
        """Up to `count` different words (lists whose entries must be unique)."""
        return list(dict.fromkeys(self.words(count)))

    def name(self, words: int = 3) -> str:
        return " ".join(self.words(words)).title()


def _orcid(rng: random.Random) -> str:
    digits = [rng.randint(0, 9) for _ in range(15)]
    total = 0
    for digit in digits:
        total = (total + digit) * 2
    check = (12 - total % 11) % 11
    body = "".join(map(str, digits)) + ("X" if check == 10 else str(check))
    return "https://orcid.org/" + "-".join(body[i : i + 4] for i in range(0, 16, 4))


def _metadata(prose: Prose, entries: int) -> dict[str, str]:
    return {f"{prose.words(1)[0]}_{n}": prose.sentence(6) for n in range(entries)}


def _not_needed() -> dict[str, bool]:
    return {"relevant": False, "obtained": False}


def record_data(subtype: str, prose: Prose, rng: random.Random, refs: Callable[[str], str]) -> dict[str, Any]:
    """About 2 KB of valid `data` for `subtype`; `refs(subtype)` gives an existing record's id."""
    name = prose.name()
    if subtype == "ORGANISATION":
        return {"display_name": name, "name": f"{name} Institute", "ror": f"https://ror.org/0{rng.randrange(10**8):08d}", "user_metadata": _metadata(prose, 12)}
    if subtype == "PERSON":
        first, last = prose.words(2)
        return {
            "display_name": f"{first.title()} {last.title()}",
            "first_name": first.title(),
            "last_name": last.title(),
            "email": f"{first}.{last}{rng.randrange(1000)}@example.org",
            "orcid": _orcid(rng),
            "ethics_approved": True,
            "user_metadata": _metadata(prose, 14),
        }
    if subtype == "MODEL":
        return {
            "display_name": name,
            "name": name,
            "description": prose.text(1500),
            "documentation_url": f"https://docs.example.org/{name.lower().replace(' ', '-')}",
            "source_url": f"https://git.example.org/models/{rng.randrange(10**6)}",
        }
    if subtype == "DATASET_TEMPLATE":
        return {
            "display_name": name,
            "description": prose.text(500),
            "defined_resources": [
                {"path": f"inputs/{word}.nc", "description": prose.sentence(12), "usage_type": "FORCING_DATA"} for word in prose.distinct(6)
            ],
            "deferred_resources": [
                {"key": f"{word}-{n}", "description": prose.sentence(10), "usage_type": "PARAMETER_FILE"} for n, word in enumerate(prose.words(3))
            ],
        }
    if subtype == "MODEL_RUN_WORKFLOW_TEMPLATE":
        # A template appears once per workflow; early on there may be fewer than three to pick.
        templates = list(dict.fromkeys(refs("DATASET_TEMPLATE") for _ in range(3)))
        return {
            "display_name": name,
            "software_id": refs("MODEL"),
            "input_templates": [{"template_id": t, "optional": False} for t in templates[:2]],
            "output_templates": [{"template_id": t, "optional": True} for t in templates[2:]],
            "annotations": {"required": prose.distinct(3), "optional": prose.distinct(3)},
            "user_metadata": _metadata(prose, 12),
        }
    if subtype == "STUDY":
        return {"display_name": name, "title": prose.sentence(10), "description": prose.text(1700), "study_alternative_id": f"STUDY-{rng.randrange(10**6)}"}
    if subtype == "DATASET":
        created = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(3000))
        return {
            "display_name": name,
            "associations": {"organisation_id": refs("ORGANISATION"), "data_custodian_id": refs("PERSON")},
            "approvals": {key: _not_needed() for key in ("ethics_registration", "ethics_access", "indigenous_knowledge", "export_controls")},
            "dataset_info": {
                "name": name,
                "description": prose.text(900),
                "publisher_id": refs("ORGANISATION"),
                "license": "https://creativecommons.org/licenses/by/4.0/",
                "created_date": created.isoformat(),
                "published_date": (created + datetime.timedelta(days=30)).isoformat(),
                "access_info": {"reposited": True},
                "purpose": prose.text(300),
                "spatial_info": prose.sentence(5),
                "formats": ["NetCDF", "CSV"],
                "keywords": prose.distinct(5),
            },
        }
    raise ValueError(subtype)


@dataclass
class Seeded:
    """What the benchmark needs to know about the seeded database."""

    records: int
    readable_ids: list[str] = field(default_factory=list)
    # Per subtype, one record every registry user can read (refs of the create benchmark's body).
    public_ids: dict[str, str] = field(default_factory=dict)
    search_terms: list[str] = field(default_factory=lambda: list(SEARCH_TERMS))
    reader: str = READER
    writer: str = WRITER
    password: str = PASSWORD


async def seed(db: Database, records: int, progress: Callable[[str], None], rng_seed: int = 1) -> Seeded:
    rng = random.Random(rng_seed)
    prose = Prose(rng)
    for username in [*OWNERS, READER, WRITER]:
        await accounts.create_user(
            db, UserCreate(username=username, password=PASSWORD, display_name=username, email=f"{username}@example.org", roles=["registry-write"])
        )
    group_ids = []
    for n in range(GROUPS):
        group = await access_service.create_group(db, GroupCreate(name=f"Bench group {n}", description="Benchmark group"))
        group_ids.append(group.id)
        members = [OWNERS[n % len(OWNERS)]] + ([READER] if n < READER_GROUPS else [])
        for username in members:
            await access_service.add_member(db, group.id, username)

    seeded = Seeded(records=records)
    by_subtype: dict[str, list[str]] = {name: [] for name in SUBTYPES}
    subtypes = list(SUBTYPE_SHARES)
    shares = list(SUBTYPE_SHARES.values())
    start = datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC)
    span = datetime.timedelta(days=5 * 365)

    def refs(target: str) -> str:
        return rng.choice(by_subtype[target])

    def rows() -> Iterator[tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None]]:
        for index in range(records):
            # The first records make sure every subtype a ref can name exists.
            subtype = subtypes[index] if index < 4 else rng.choices(subtypes, shares)[0]
            data = record_data(subtype, prose, rng, refs)
            stored = SUBTYPES[subtype].to_builtins(SUBTYPES[subtype].decode(msgspec.json.encode(data)))
            item_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            created = start + span * (index / records) + datetime.timedelta(seconds=rng.randrange(3600))
            updated = created + datetime.timedelta(days=rng.randrange(200)) if rng.random() < 0.2 else created
            owner = OWNERS[index % len(OWNERS)]
            private = rng.random() < PRIVATE_SHARE
            grant = None
            if private and rng.random() < SHARED_SHARE:
                grant = {"item_id": item_id, "group_id": rng.choice(group_ids), "roles": int(ItemRole.METADATA_READ)}
            if not private or (grant is not None and group_ids.index(grant["group_id"]) < READER_GROUPS):
                seeded.readable_ids.append(str(item_id))
            if not private:
                seeded.public_ids.setdefault(subtype, str(item_id))
            by_subtype[subtype].append(str(item_id))
            item = {
                "id": item_id,
                "item_subtype": subtype,
                "item_category": SUBTYPES[subtype].category,
                "owner": owner,
                "created_at": created,
                "updated_at": updated,
                "revision": 1,
                "data": stored,
                "general_roles": 0 if private else int(ItemRole.METADATA_READ),
                "granted_groups": granted_groups({grant["group_id"]: grant["roles"]} if grant else {}),
                **_derived_columns(stored),
            }
            history = {"item_id": item_id, "revision": 1, "at": created, "by": owner, "reason": CREATED_REASON, "data": stored}
            yield item, history, grant

    postgres = not db.is_sqlite
    if postgres:
        # Bulk loading builds the trigram index once at the end, as a loader should: kept up
        # row by row it would make seeding a million records several times slower.
        async with db.write() as conn:
            await conn.execute(DropIndex(SEARCH_INDEX, if_exists=True))
    batch: list[tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None]] = []
    written = 0
    for row in rows():
        batch.append(row)
        if len(batch) == BATCH:
            written += await _write(db, batch)
            batch = []
            progress(f"seeded {written:,} of {records:,} records")
    if batch:
        written += await _write(db, batch)
    progress(f"seeded {written:,} records")
    if postgres:
        progress("building the search index")
        async with db.write() as conn:
            await conn.execute(text("SET LOCAL maintenance_work_mem = '1GB'"))
            await conn.execute(CreateIndex(SEARCH_INDEX))
        async with db.write() as conn:
            await conn.execute(text("ANALYZE"))
    return seeded


async def _write(db: Database, batch: list[tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None]]) -> int:
    async with db.write() as conn:
        await conn.execute(insert(items), [item for item, _, _ in batch])
        await conn.execute(insert(item_history), [history for _, history, _ in batch])
        grants = [grant for _, _, grant in batch if grant is not None]
        if grants:
            await conn.execute(insert(item_group_roles), grants)
    return len(batch)


async def count_seeded(db: Database) -> int:
    async with db.read() as conn:
        ((count,),) = await conn.rows(select(func.count()).select_from(items).where(items.c.owner != WRITER))
    return count
