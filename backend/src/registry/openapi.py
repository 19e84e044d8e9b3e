"""The OpenAPI document says exactly what the server accepts and answers.

Litestar generates the document from the routes; two general rules are added here, each derived
from what the server does rather than written per route:

- a msgspec Struct decoded with `forbid_unknown_fields=True` is shown with
  `additionalProperties: false` (Litestar's schema generator leaves it out), so clients and
  fuzzers know that an unknown field is a 422;
- `finish_openapi` adjusts the built document once: routes that skip authentication
  (`opt={"exclude_from_auth": True}`, the same flag the bearer middleware reads) carry
  `security: []` instead of the API's bearer requirement, and the error responses Litestar adds
  by itself (a 400 in its own JSON shape for any route with parameters) are dropped, as every
  error this API answers is a problem document listed by `http.problems`; and a query or header
  parameter is a plain string, never `null` (it is either sent or left out, and `str | None`
  parameters would otherwise be shown as `oneOf [string, null]`).
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

# Litestar's own schema plugin for msgspec Structs (litestar 2.25; there is no public name for it).
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.openapi.spec import OpenAPIType, Operation, Schema
from litestar.routes import HTTPRoute

from registry.http import PROBLEM_JSON

if TYPE_CHECKING:
    from litestar import Litestar
    from litestar._openapi.schema_generation import SchemaCreator
    from litestar.typing import FieldDefinition


class StrictStructSchemaPlugin(StructSchemaPlugin):
    """Litestar's Struct schemas, closed (`additionalProperties: false`) where decoding is strict."""

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: SchemaCreator) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        if field_definition.type_.__struct_config__.forbid_unknown_fields:
            schema.additional_properties = False
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
