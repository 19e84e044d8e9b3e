"""The registrable subtypes: one Struct per subtype's `data` and one table that drives the rest.

The Structs are the single source of truth. Validation (strict decoding plus the
cross-field rules), the JSON Schema and RJSF uiSchema served by `GET /subtypes`,
the ref fields the service checks and the fields a clone resets are all derived
from them, so adding a subtype is one Struct plus one `SUBTYPES` entry.

Annotation conventions the derivations rely on:
- every field has a `Meta(title=...)`; every nested Struct a `schema_title`;
- `extra_json_schema={"x-ref-subtype": NAME}` marks a ref field,
  `extra_json_schema={"x-clone-reset": False}` a field a clone resets;
- `Meta(extra={"ui:...": ...})` entries are copied into the uiSchema.
"""

import datetime
import enum
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal, TypeVar

import msgspec
from msgspec import UNSET, Meta, UnsetType
from msgspec import inspect as mi

from registry.errors import FieldError, ValidationFailed, field_errors_from_msgspec, join_path

# The patterns mean the same in ECMAScript (Ajv compiles them with the `u` flag) and in Python's
# `re` (msgspec): ASCII classes only (`\s` differs between the two), and `(?!\n)` before `$`, which
# in Python also matches before a final newline. What the URL and e-mail patterns accept is also a
# valid `format: uri` / `format: email`, so the formats the schemas show hold for every value the
# server takes: an http(s) URL as RFC 3986 writes it (non-ASCII characters percent-encoded), and
# an address of dot-separated atoms at a dotted domain name (`email_length_problem` adds the
# lengths). Bounded repeats where the meaning allows them keep the fuzzer's search for values fast.
_PCHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})"
URL_PATTERN = rf"^https?://[A-Za-z0-9.-]+(?::[0-9]*)?(?:/(?:{_PCHAR}|/)*)?(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?(?!\n)$"
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_PATTERN = rf"^{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL}){{1,126}}(?!\n)$"
ORCID_PATTERN = r"^https://orcid\.org/[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X](?!\n)$"

MAX_TEXT = 4000
MAX_ENTRIES = 500

T = TypeVar("T")

Text = Annotated[str, Meta(min_length=1, max_length=MAX_TEXT)]
LongText = Annotated[Text, Meta(extra={"ui:widget": "textarea"})]
Url = Annotated[
    Text,
    Meta(
        pattern=URL_PATTERN,
        extra_json_schema={"format": "uri"},
        extra={"ui:help": "A full web address starting with https:// or http://."},
    ),
]
Email = Annotated[Text, Meta(pattern=EMAIL_PATTERN, extra_json_schema={"format": "email"})]
Orcid = Annotated[
    str,
    Meta(
        pattern=ORCID_PATTERN,
        max_length=len("https://orcid.org/0000-0000-0000-0000"),
        extra={"ui:help": "The full ORCID iD address, e.g. https://orcid.org/0000-0002-1825-0097."},
    ),
]
Many = Annotated[list[T], Meta(max_length=MAX_ENTRIES)]
StrMap = Annotated[dict[Text, Text], Meta(max_length=MAX_ENTRIES)]
# A required checkbox needs a starting value in the form, or leaving it unticked reads as "missing".
Flag = Annotated[bool, Meta(extra_json_schema={"default": False})]
CLONE_RESET: dict[str, Any] = {"x-clone-reset": False}

OrganisationRef = Annotated[uuid.UUID, Meta(extra_json_schema={"x-ref-subtype": "ORGANISATION"})]
PersonRef = Annotated[uuid.UUID, Meta(extra_json_schema={"x-ref-subtype": "PERSON"})]
ModelRef = Annotated[uuid.UUID, Meta(extra_json_schema={"x-ref-subtype": "MODEL"})]
DatasetTemplateRef = Annotated[uuid.UUID, Meta(extra_json_schema={"x-ref-subtype": "DATASET_TEMPLATE"})]

DisplayName = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=256,
        title="Display name",
        description="The name shown for this record in lists and search results.",
    ),
]
UserMetadata = Annotated[
    StrMap, Meta(title="User metadata", description="Your own extra details, as name and value pairs.")
]
UsageType = Annotated[
    Literal["PARAMETER_FILE", "CONFIG_FILE", "FORCING_DATA", "GENERAL_DATA"],
    Meta(
        title="Usage type",
        extra_json_schema={"type": "string"},
        # A map, not a list: msgspec sorts the schema's `enum`, so positions would not line up.
        extra={
            "ui:enumNames": {
                "PARAMETER_FILE": "Parameter file",
                "CONFIG_FILE": "Configuration file",
                "FORCING_DATA": "Forcing data",
                "GENERAL_DATA": "General data",
            }
        },
    ),
]

Problems = Iterator[tuple[str, str]]


class Strict(msgspec.Struct, forbid_unknown_fields=True):
    """Base of every data Struct: unknown fields are an error, never dropped."""

    # The JSON Schema title of a nested Struct (msgspec would use the class name).
    schema_title: ClassVar[str]

    def problems(self) -> Problems:
        """Cross-field problems of this Struct alone, as (path relative to it, message)."""
        return iter(())


def _duplicates(entries: list[Any], attribute: str, list_name: str, message: str) -> Problems:
    seen: set[Any] = set()
    for index, entry in enumerate(entries):
        value = getattr(entry, attribute)
        if value in seen:
            yield join_path(list_name, index, attribute), message
        seen.add(value)


def email_length_problem(address: str) -> str | None:
    """The lengths RFC 5321 sets, which EMAIL_PATTERN cannot count (as `format: email` does)."""
    local, _, domain = address.rpartition("@")
    if len(local) > 64:
        return "The part before @ can have at most 64 characters."
    if len(domain) > 253:
        return "The part after @ can have at most 253 characters."
    return None


def orcid_check_digit_ok(orcid: str) -> bool:
    """ISO 7064 MOD 11-2 over the 15 digits of an iD already matching ORCID_PATTERN."""
    digits = orcid.rsplit("/", 1)[1].replace("-", "")
    total = 0
    for digit in digits[:-1]:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))



class Organisation(Strict):
    display_name: DisplayName
    name: Annotated[Text, Meta(title="Name", description="The organisation's full official name.")]
    ror: Annotated[
        Url,
        Meta(title="ROR identifier", description="The organisation's Research Organization Registry address."),
    ] | UnsetType = UNSET
    user_metadata: UserMetadata | UnsetType = UNSET



class Person(Strict, kw_only=True):
    display_name: DisplayName
    first_name: Annotated[Text, Meta(title="First name")]
    last_name: Annotated[Text, Meta(title="Last name")]
    email: Annotated[Email, Meta(title="E-mail address")]
    orcid: Annotated[Orcid, Meta(title="ORCID iD")] | UnsetType = UNSET
    ethics_approved: Annotated[
        Flag,
        Meta(
            title="Ethics approved",
            description="Confirm that this person's details may be recorded under your ethics approval.",
            extra_json_schema=CLONE_RESET,
        ),
    ]
    user_metadata: UserMetadata | UnsetType = UNSET

    def problems(self) -> Problems:
        if not self.ethics_approved:
            yield "ethics_approved", "Ethics approval must be confirmed to register a person."
        if isinstance(self.orcid, str) and not orcid_check_digit_ok(self.orcid):
            yield "orcid", "This is not a valid ORCID iD: its last character (the check digit) does not match."
        if (problem := email_length_problem(self.email)) is not None:
            yield "email", problem



class Model(Strict):
    display_name: DisplayName
    name: Annotated[Text, Meta(title="Name")]
    description: Annotated[LongText, Meta(title="Description", description="What the model does.")]
    documentation_url: Annotated[Url, Meta(title="Documentation address")]
    source_url: Annotated[Url, Meta(title="Source code address")]
    user_metadata: UserMetadata | UnsetType = UNSET



class DefinedResource(Strict, kw_only=True):
    schema_title = "Defined resource"

    path: Annotated[Text, Meta(title="Path", description="Where the resource is within the dataset.")]
    description: Annotated[LongText, Meta(title="Description")]
    usage_type: UsageType
    optional: Annotated[bool, Meta(title="Resource is optional")] | UnsetType = UNSET
    is_folder: Annotated[bool, Meta(title="Resource is a folder")] | UnsetType = UNSET
    additional_metadata: Annotated[StrMap, Meta(title="Additional metadata")] | UnsetType = UNSET


class DeferredResource(Strict, kw_only=True):
    schema_title = "Deferred resource"

    key: Annotated[Text, Meta(title="Key", description="Names the resource until its path is known.")]
    description: Annotated[LongText, Meta(title="Description")]
    usage_type: UsageType
    optional: Annotated[bool, Meta(title="Resource is optional")] | UnsetType = UNSET
    is_folder: Annotated[bool, Meta(title="Resource is a folder")] | UnsetType = UNSET
    additional_metadata: Annotated[StrMap, Meta(title="Additional metadata")] | UnsetType = UNSET


class DatasetTemplate(Strict):
    display_name: DisplayName
    description: Annotated[LongText, Meta(title="Description")] | UnsetType = UNSET
    defined_resources: Annotated[
        Many[DefinedResource],
        Meta(title="Defined resources", description="Resources whose path within the dataset is fixed."),
    ] = []
    deferred_resources: Annotated[
        Many[DeferredResource],
        Meta(title="Deferred resources", description="Resources whose path is given later, by key."),
    ] = []
    user_metadata: UserMetadata | UnsetType = UNSET

    def problems(self) -> Problems:
        yield from _duplicates(
            self.defined_resources, "path", "defined_resources", "Another defined resource already has this path."
        )
        yield from _duplicates(
            self.deferred_resources, "key", "deferred_resources", "Another deferred resource already has this key."
        )



class TemplateSlot(Strict):
    schema_title = "Dataset template slot"

    template_id: Annotated[DatasetTemplateRef, Meta(title="Dataset template")]
    optional: Annotated[Flag, Meta(title="Dataset is optional")]


class WorkflowAnnotations(Strict):
    schema_title = "Annotations"

    required: Annotated[Many[Text], Meta(title="Required annotations")]
    optional: Annotated[Many[Text], Meta(title="Optional annotations")]


class ModelRunWorkflowTemplate(Strict):
    display_name: DisplayName
    software_id: Annotated[ModelRef, Meta(title="Model", description="The model this workflow runs.")]
    input_templates: Annotated[Many[TemplateSlot], Meta(title="Input dataset templates")] = []
    output_templates: Annotated[Many[TemplateSlot], Meta(title="Output dataset templates")] = []
    annotations: Annotated[WorkflowAnnotations, Meta(title="Annotations")] | UnsetType = UNSET
    user_metadata: UserMetadata | UnsetType = UNSET

    def problems(self) -> Problems:
        for list_name in ("input_templates", "output_templates"):
            yield from _duplicates(
                getattr(self, list_name), "template_id", list_name, "This dataset template is already in the list."
            )



class Study(Strict):
    display_name: DisplayName
    title: Annotated[Text, Meta(title="Title")]
    description: Annotated[LongText, Meta(title="Description")]
    study_alternative_id: Annotated[
        Text, Meta(title="Alternative identifier", description="Another identifier the study is known by.")
    ] | UnsetType = UNSET
    user_metadata: UserMetadata | UnsetType = UNSET



class Associations(Strict, kw_only=True):
    schema_title = "Associations"

    organisation_id: Annotated[OrganisationRef, Meta(title="Organisation")]
    data_custodian_id: Annotated[PersonRef, Meta(title="Data custodian")] | UnsetType = UNSET
    point_of_contact: Annotated[Text, Meta(title="Point of contact")] | UnsetType = UNSET


# One Struct per approval so each checkbox's title names its approval.
class EthicsRegistration(Strict):
    schema_title = "Ethics registration"

    relevant: Annotated[Flag, Meta(title="Ethics registration relevant")]
    obtained: Annotated[Flag, Meta(title="Ethics registration obtained", extra_json_schema=CLONE_RESET)]


class EthicsAccess(Strict):
    schema_title = "Ethics access"

    relevant: Annotated[Flag, Meta(title="Ethics access relevant")]
    obtained: Annotated[Flag, Meta(title="Ethics access obtained", extra_json_schema=CLONE_RESET)]


class IndigenousKnowledge(Strict):
    schema_title = "Indigenous knowledge"

    relevant: Annotated[Flag, Meta(title="Indigenous knowledge relevant")]
    obtained: Annotated[Flag, Meta(title="Indigenous knowledge obtained", extra_json_schema=CLONE_RESET)]


class ExportControls(Strict):
    schema_title = "Export controls"

    relevant: Annotated[Flag, Meta(title="Export controls relevant")]
    obtained: Annotated[Flag, Meta(title="Export controls obtained", extra_json_schema=CLONE_RESET)]


class Approvals(Strict):
    schema_title = "Approvals"

    ethics_registration: Annotated[EthicsRegistration, Meta(title="Ethics registration")]
    ethics_access: Annotated[EthicsAccess, Meta(title="Ethics access")]
    indigenous_knowledge: Annotated[IndigenousKnowledge, Meta(title="Indigenous knowledge")]
    export_controls: Annotated[ExportControls, Meta(title="Export controls")]


class AccessInfo(Strict, kw_only=True):
    schema_title = "Access information"

    reposited: Annotated[
        Flag,
        Meta(
            title="Data reposited in the Registry",
            description="Whether the data files are stored in the Registry's datastore. "
            "If not, give the address and a description of how to get the data.",
        ),
    ]
    uri: Annotated[Url, Meta(title="Access address")] | UnsetType = UNSET
    description: Annotated[LongText, Meta(title="How to access the data")] | UnsetType = UNSET

    def problems(self) -> Problems:
        if not self.reposited:
            for name in ("uri", "description"):
                if getattr(self, name) is UNSET:
                    yield name, "Required when the data is not reposited in the Registry."


class DatasetInfo(Strict, kw_only=True):
    schema_title = "Dataset information"

    name: Annotated[Text, Meta(title="Name")]
    description: Annotated[LongText, Meta(title="Description")]
    publisher_id: Annotated[OrganisationRef, Meta(title="Publisher")]
    license: Annotated[Url, Meta(title="Licence", description="The address of the licence the data is under.")]
    created_date: Annotated[datetime.date, Meta(title="Date created")]
    published_date: Annotated[datetime.date, Meta(title="Date published")]
    access_info: Annotated[AccessInfo, Meta(title="Access information")]
    purpose: Annotated[LongText, Meta(title="Purpose")] | UnsetType = UNSET
    rights_holder: Annotated[Text, Meta(title="Rights holder")] | UnsetType = UNSET
    usage_limitations: Annotated[LongText, Meta(title="Usage limitations")] | UnsetType = UNSET
    preferred_citation: Annotated[LongText, Meta(title="Preferred citation")] | UnsetType = UNSET
    spatial_info: Annotated[Text, Meta(title="Spatial coverage")] | UnsetType = UNSET
    temporal_info: Annotated[Text, Meta(title="Temporal coverage")] | UnsetType = UNSET
    formats: Annotated[Many[Text], Meta(title="Formats", description="File formats, e.g. CSV or NetCDF.")] = []
    keywords: Annotated[Many[Text], Meta(title="Keywords")] = []


class Dataset(Strict, kw_only=True):
    display_name: DisplayName
    associations: Annotated[Associations, Meta(title="Associations")]
    approvals: Annotated[Approvals, Meta(title="Approvals")]
    dataset_info: Annotated[DatasetInfo, Meta(title="Dataset information")]
    user_metadata: UserMetadata | UnsetType = UNSET


# Derivations from the annotations


def _unwrap(type_info: mi.Type) -> tuple[mi.Type, dict[str, Any], dict[str, Any]]:
    """The type under msgspec's Metadata wrapper, with its JSON Schema extras and its `extra`."""
    if isinstance(type_info, mi.Metadata):
        return type_info.type, type_info.extra_json_schema or {}, type_info.extra or {}
    return type_info, {}, {}


def _deep_fields(struct: mi.StructType, prefix: str = "") -> Iterator[tuple[str, mi.Type, dict[str, Any]]]:
    """(path pattern relative to `data`, type, JSON Schema extras) of every field and list item at every depth.

    `*` stands for a list index: `input_templates.*.template_id`.
    """
    for struct_field in struct.fields:
        path = join_path(prefix, struct_field.name)
        type_info, json_extra, _ = _unwrap(struct_field.type)
        yield path, type_info, json_extra
        if isinstance(type_info, mi.ListType):
            path = join_path(path, "*")
            type_info, json_extra, _ = _unwrap(type_info.item_type)
            yield path, type_info, json_extra
        if isinstance(type_info, mi.StructType):
            yield from _deep_fields(type_info, path)


def _json_schema(struct: mi.StructType, title: str) -> dict[str, Any]:
    defs: dict[str, Any] = msgspec.json.schema(struct.cls)["$defs"]
    # The root object is inlined so `properties` sit at the top, where form and record view look first.
    root = defs.pop(struct.cls.__name__)
    titles = {
        type_info.cls.__name__: type_info.cls.schema_title
        for _, type_info, _ in _deep_fields(struct)
        if isinstance(type_info, mi.StructType)
    }
    for name, definition in defs.items():
        definition["title"] = titles[name]
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **root, "title": title}
    if defs:
        schema["$defs"] = defs
    return schema


def _ui_schema(struct: mi.StructType) -> dict[str, Any]:
    ui: dict[str, Any] = {"ui:order": [f.name for f in struct.fields]}
    for struct_field in struct.fields:
        type_info, _, extra = _unwrap(struct_field.type)
        entry = {key: value for key, value in extra.items() if key.startswith("ui:")}
        if isinstance(type_info, mi.StructType):
            entry |= _ui_schema(type_info)
        elif isinstance(type_info, mi.ListType):
            item_type = _unwrap(type_info.item_type)[0]
            if isinstance(item_type, mi.StructType):
                entry["items"] = _ui_schema(item_type)
        if entry:
            ui[struct_field.name] = entry
    return ui


def _values_at(value: Any, parts: list[str], path: str) -> Iterator[tuple[str, Any]]:
    if not parts:
        yield path, value
        return
    head, *rest = parts
    if head == "*":
        for index, item in enumerate(value):
            yield from _values_at(item, rest, join_path(path, index))
    elif isinstance(value, dict) and head in value:
        yield from _values_at(value[head], rest, join_path(path, head))


def _problems(struct: Strict, path: str) -> Iterator[FieldError]:
    for relative, message in struct.problems():
        yield FieldError(join_path(path, relative), message)
    for name in struct.__struct_fields__:
        value = getattr(struct, name)
        if isinstance(value, Strict):
            yield from _problems(value, join_path(path, name))
        # Lists are homogeneous: only a list of Structs can hold more rules.
        elif isinstance(value, list) and value and isinstance(value[0], Strict):
            for index, item in enumerate(value):
                yield from _problems(item, join_path(path, name, index))


# msgspec's wording names the regex or RFC 3339; people need to know what to type.
_PLAIN_MESSAGES = {
    f"regex {URL_PATTERN!r}": "Enter a full web address starting with https:// or http://.",
    f"regex {EMAIL_PATTERN!r}": "Enter an e-mail address such as name@example.org.",
    f"regex {ORCID_PATTERN!r}": "Enter an ORCID iD as https://orcid.org/0000-0000-0000-0000.",
    "Invalid RFC3339 encoded date": "Enter a real date as YYYY-MM-DD.",
}


def _plain(error: FieldError) -> FieldError:
    for fragment, message in _PLAIN_MESSAGES.items():
        if fragment in error.message:
            return FieldError(error.field, message)
    return error


class Category(enum.StrEnum):
    AGENT = "AGENT"
    ENTITY = "ENTITY"
    ACTIVITY = "ACTIVITY"


@dataclass(frozen=True)
class Subtype:
    """One registrable subtype. Everything after `data_type` is derived from it once, at import."""

    name: str
    category: Category
    label: str
    data_type: type[Strict]
    json_schema: dict[str, Any] = field(init=False, repr=False, compare=False)
    ui_schema: dict[str, Any] = field(init=False, repr=False, compare=False)
    # Path patterns relative to `data` ("input_templates.*.template_id") → target subtype name.
    ref_fields: dict[str, str] = field(init=False, compare=False)
    # Path patterns relative to `data` of the booleans a clone sets back to false.
    clone_reset_fields: tuple[str, ...] = field(init=False, compare=False)
    _decoder: msgspec.json.Decoder[Strict] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        struct = mi.type_info(self.data_type)
        assert isinstance(struct, mi.StructType)
        marked = [(path, extra) for path, _, extra in _deep_fields(struct)]
        derived = {
            "json_schema": _json_schema(struct, self.label),
            "ui_schema": _ui_schema(struct),
            "ref_fields": {path: extra["x-ref-subtype"] for path, extra in marked if "x-ref-subtype" in extra},
            "clone_reset_fields": tuple(path for path, extra in marked if extra.get("x-clone-reset") is False),
            "_decoder": msgspec.json.Decoder(self.data_type),
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)

    def decode(self, raw: bytes) -> Strict:
        """Strictly decode `data` JSON, then apply the cross-field rules; errors name `data.…` paths."""
        try:
            data = self._decoder.decode(raw)
        except msgspec.ValidationError as error:
            raise ValidationFailed([_plain(e) for e in field_errors_from_msgspec(error, raw, self.data_type, "data")]) from None
        problems = list(_problems(data, "data"))
        if problems:
            raise ValidationFailed(problems)
        return data

    def refs(self, data: Strict) -> list[tuple[str, str, str]]:
        """(field path, referenced id, target subtype) of every ref value present in `data`."""
        builtins = self.to_builtins(data)
        return [
            (path, value, target)
            for pattern, target in self.ref_fields.items()
            for path, value in _values_at(builtins, pattern.split("."), "data")
        ]

    def to_builtins(self, data: Strict) -> dict[str, Any]:
        """JSON-ready `data`: ids and dates as strings, absent optional fields left out."""
        builtins: dict[str, Any] = msgspec.to_builtins(data)
        return builtins


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def search_text(data_builtins: dict[str, Any]) -> str:
    """Every string value in `data` (not the keys of maps), lowercased and joined by U+001F."""
    return "\x1f".join(text.lower() for text in _strings(data_builtins))


SUBTYPES: dict[str, Subtype] = {
    subtype.name: subtype
    for subtype in (
        Subtype("ORGANISATION", Category.AGENT, "Organisation", Organisation),
        Subtype("PERSON", Category.AGENT, "Person", Person),
        Subtype("MODEL", Category.ENTITY, "Model", Model),
        Subtype("DATASET_TEMPLATE", Category.ENTITY, "Dataset template", DatasetTemplate),
        Subtype(
            "MODEL_RUN_WORKFLOW_TEMPLATE", Category.ENTITY, "Model run workflow template", ModelRunWorkflowTemplate
        ),
        Subtype("STUDY", Category.ACTIVITY, "Study", Study),
        Subtype("DATASET", Category.ENTITY, "Dataset", Dataset),
    )
}
