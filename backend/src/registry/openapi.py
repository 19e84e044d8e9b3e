"""The OpenAPI document says exactly what the server accepts and answers.

Litestar generates the document from the routes. Two general rules make it match the server,
each derived from what the server does rather than written per route:

- Struct schemas come from msgspec, the decoder that enforces them
  (`MsgspecStructSchemaPlugin`). Litestar's own generator loses what msgspec checks inside
  containers (the lengths of map keys and values, of list items, a map's size) and does not
  say `additionalProperties: false` for Structs decoded with `forbid_unknown_fields=True`, so a
  client or a fuzzer could not tell that an unknown field is a 422. (msgspec in turn leaves out
  what a map's UUID or integer keys must look like; the plugin adds it.)
- `finish_openapi` adjusts the built document once: routes that skip authentication
  (`opt={"exclude_from_auth": True}`, the same flag the bearer middleware reads) carry
  `security: []` instead of the API's bearer requirement; the error responses Litestar adds by
  itself (a 400 in its own JSON shape for any route with parameters) are dropped, as every error
  this API answers is a problem document listed by `http.problems`; and a query or header
  parameter is a plain string, never `null` (it is either sent or left out, and a `str | None`
  parameter would otherwise be shown as `oneOf [string, null]`).
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

import msgspec
from litestar.openapi.spec import Discriminator, OpenAPIFormat, OpenAPIResponse, OpenAPIType, Operation, Reference, Schema
from litestar.plugins import OpenAPISchemaPlugin
from litestar.routes import HTTPRoute
from litestar.typing import FieldDefinition
from msgspec import inspect as mi

from registry.http import PROBLEM_JSON

if TYPE_CHECKING:
    from litestar import Litestar
    from litestar._openapi.schema_generation import SchemaCreator

_REF_PREFIX = "#/$defs/"
# JSON Schema keyword → attribute of Litestar's `Schema`.
_ATTRIBUTES = {
    field.metadata.get("alias") or field.name.split("_")[0] + "".join(part.title() for part in field.name.split("_")[1:]): field.name
    for field in fields(Schema)
}


class MsgspecStructSchemaPlugin(OpenAPISchemaPlugin):
    """A Struct's component schema as msgspec describes it; nested Structs stay components of their own."""

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        return not field_definition.is_union and field_definition.is_subclass_of(msgspec.Struct)

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: SchemaCreator) -> Schema:
        struct = field_definition.type_
        (root,), definitions = msgspec.json.schema_components([struct], ref_template=_REF_PREFIX + "{name}")
        struct_info = mi.type_info(struct)
        assert isinstance(struct_info, mi.StructType)
        structs = _struct_classes(struct_info)
        name = root["$ref"].removeprefix(_REF_PREFIX)

        def reference(ref: str) -> Reference | Schema:
            nested = structs[ref.removeprefix(_REF_PREFIX)]
            return schema_creator.for_field_definition(FieldDefinition.from_annotation(nested))

        # Fill in the schema Litestar registered for this Struct, so that it is one component.
        schema = schema_creator.schema_registry.get_schema_for_field_definition(field_definition)
        converted = _to_schema(definitions[name], reference)
        assert isinstance(converted, Schema)
        for struct_field in struct_info.fields:
            _add_key_formats(struct_field.type, (converted.properties or {}).get(struct_field.encode_name))
        for field in fields(Schema):
            setattr(schema, field.name, getattr(converted, field.name))
        return schema


def _struct_classes(info: mi.Type, found: dict[str, type] | None = None) -> dict[str, type]:
    """Every Struct class within a type, by the name msgspec gives its definition."""
    found = {} if found is None else found
    if isinstance(info, mi.StructType):
        if found.get(info.cls.__name__) is info.cls:
            return found
        found[info.cls.__name__] = info.cls
        for field in info.fields:
            _struct_classes(field.type, found)
        return found
    for attribute in getattr(info, "__struct_fields__", ()):
        value = getattr(info, attribute)
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, mi.Type):
                _struct_classes(item, found)
    return found


# What msgspec decodes a map's non-string keys from (its JSON Schema leaves `propertyNames` out).
_KEY_SCHEMAS: dict[type[mi.Type], Schema] = {
    mi.UUIDType: Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.UUID),
    mi.IntType: Schema(type=OpenAPIType.STRING, pattern=r"^-?[0-9]+$"),
}


def _add_key_formats(info: mi.Type, schema: Schema | Reference | None) -> None:
    """Give maps with UUID or integer keys, at any depth below a field, their `propertyNames`."""
    if not isinstance(schema, Schema):
        return
    if isinstance(info, mi.Metadata):
        _add_key_formats(info.type, schema)
    elif isinstance(info, mi.DictType):
        key = info.key_type.type if isinstance(info.key_type, mi.Metadata) else info.key_type
        if schema.property_names is None and type(key) in _KEY_SCHEMAS:
            schema.property_names = replace(_KEY_SCHEMAS[type(key)])
        if isinstance(schema.additional_properties, Schema):
            _add_key_formats(info.value_type, schema.additional_properties)
    elif isinstance(info, mi.ListType | mi.SetType | mi.FrozenSetType | mi.VarTupleType):
        _add_key_formats(info.item_type, schema.items)


def _to_schema(value: dict[str, Any], reference: Any) -> Schema | Reference:
    """A JSON Schema (as msgspec writes it) as Litestar spec objects; `$ref`s go through `reference`."""
    if "$ref" in value:
        return reference(value["$ref"])
    schema = Schema()
    for key, item in value.items():
        attribute = _ATTRIBUTES.get(key)
        if attribute is None:  # extensions (x-…): the form schemas of GET /subtypes carry them
            continue
        if key in ("properties", "patternProperties", "dependentSchemas"):
            item = {name: _to_schema(sub, reference) for name, sub in item.items()}
        elif key in ("anyOf", "oneOf", "allOf", "prefixItems"):
            item = [_to_schema(sub, reference) for sub in item]
        elif key == "discriminator":
            item = Discriminator(property_name=item["propertyName"], mapping=item.get("mapping"))
        elif key == "type":
            item = [OpenAPIType(t) for t in item] if isinstance(item, list) else OpenAPIType(item)
        elif isinstance(item, dict) and key not in ("default", "const"):
            item = _to_schema(item, reference)
        setattr(schema, attribute, item)
    if value.get("type") == "object" and "properties" not in value and "additionalProperties" not in value:
        # msgspec writes `dict[str, Any]` as a bare object; generated clients would read that as
        # an object with no members, so say that any member is allowed.
        schema.additional_properties = Schema()
    return schema


def finish_openapi(app: Litestar) -> None:
    """Apply the document-wide rules to the app's OpenAPI document (built once and cached, so
    the served document, `registry openapi` and the web app's generated types all get them)."""
    document = app.openapi_schema
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or (path_item := (document.paths or {}).get(route.path_format)) is None:
            continue
        for method, (handler, _) in route.route_handler_map.items():
            operation: Operation | None = getattr(path_item, method.lower(), None)
            if operation is None:
                continue
            if handler.opt.get("exclude_from_auth"):
                operation.security = []
            for parameter in operation.parameters or []:
                if isinstance(parameter.schema, Schema):
                    _never_null(parameter.schema)
            operation.responses = {
                status: response
                for status, response in (operation.responses or {}).items()
                if int(status) < 400 or PROBLEM_JSON in (getattr(response, "content", None) or {})
            }
            # A handler answering 204 with cookies returns a Response, which Litestar documents with a JSON body.
            if isinstance(no_content := operation.responses.get("204"), OpenAPIResponse):
                no_content.content = None


def _never_null(schema: Schema) -> None:
    """`oneOf [X, null]` (with constraints beside it) → X with those constraints."""
    if not schema.one_of:
        return
    rest = [s for s in schema.one_of if not (isinstance(s, Schema) and s.type == OpenAPIType.NULL)]
    if len(rest) == len(schema.one_of):
        return
    schema.one_of = rest
    if len(rest) == 1 and isinstance(rest[0], Schema):
        schema.one_of = None
        for field in fields(Schema):
            if getattr(schema, field.name) is None:
                setattr(schema, field.name, getattr(rest[0], field.name))
