"""One exception type per error kind; `problem_response` maps them to RFC 9457 documents."""

from __future__ import annotations

import re
from http import HTTPStatus

import msgspec


class FieldError(msgspec.Struct, frozen=True):
    """One problem with one input: `field` is a dotted body path, a query parameter or a header."""

    field: str
    message: str


class Problem(msgspec.Struct, omit_defaults=True):
    """An RFC 9457 problem document."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | msgspec.UnsetType = msgspec.UNSET


class RegistryError(Exception):
    """Base of every error the API answers with a problem document."""

    status: HTTPStatus = HTTPStatus.INTERNAL_SERVER_ERROR

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}

    def problem(self) -> Problem:
        return Problem(type="about:blank", title=self.status.phrase, status=self.status.value, detail=self.detail)


class BadRequest(RegistryError):
    status = HTTPStatus.BAD_REQUEST


class NotAuthenticated(RegistryError):
    status = HTTPStatus.UNAUTHORIZED

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="registry"'})


class Forbidden(RegistryError):
    status = HTTPStatus.FORBIDDEN


class NotFound(RegistryError):
    status = HTTPStatus.NOT_FOUND


class Conflict(RegistryError):
    status = HTTPStatus.CONFLICT


class PreconditionFailed(RegistryError):
    status = HTTPStatus.PRECONDITION_FAILED


class PayloadTooLarge(RegistryError):
    status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE


class PreconditionRequired(RegistryError):
    status = HTTPStatus.PRECONDITION_REQUIRED


class TooManyRequests(RegistryError):
    status = HTTPStatus.TOO_MANY_REQUESTS


class ServiceUnavailable(RegistryError):
    status = HTTPStatus.SERVICE_UNAVAILABLE


class InsufficientStorage(RegistryError):
    status = HTTPStatus.INSUFFICIENT_STORAGE


class ValidationFailed(RegistryError):
    """422 listing every problem found, each naming its field."""

    status = HTTPStatus.UNPROCESSABLE_ENTITY

    def __init__(self, errors: list[FieldError]) -> None:
        fields = ", ".join(dict.fromkeys(e.field for e in errors))
        super().__init__(f"The request has invalid values: {fields}. Correct them and send it again.")
        self.errors = errors

    @classmethod
    def one(cls, field: str, message: str) -> ValidationFailed:
        return cls([FieldError(field, message)])

    def problem(self) -> Problem:
        problem = super().problem()
        problem.errors = self.errors
        return problem


_AT_PATH = re.compile(r"^(?P<message>.*?)(?: - at (?P<key>`key` in )?`\$(?P<path>[^`]*)`)?$", re.DOTALL)
_UNKNOWN_FIELD = re.compile(r"^Object contains unknown field `(?P<name>.*)`$", re.DOTALL)
_MISSING_FIELD = re.compile(r"^Object missing required field `(?P<name>.*)`$", re.DOTALL)


def join_path(prefix: str, *parts: str | int) -> str:
    """`join_path("data", "items", 0, "path")` → `data.items.0.path`."""
    return ".".join(str(p) for p in (prefix, *parts) if p != "")


def field_error_from_msgspec(error: msgspec.ValidationError, prefix: str = "") -> FieldError:
    """Turn msgspec's `message - at `$.a[0].b`` into a FieldError on `prefix.a.0.b`.

    msgspec names an unknown or missing field in the message and gives the *parent*
    path, so the field's own name is joined on to point at the field itself.
    """
    match = _AT_PATH.match(str(error))
    assert match is not None  # the pattern matches any string
    message, raw_path = match["message"], match["path"] or ""
    if match["key"]:
        message = f"A key of this map is invalid: {message}"
    parts = [p for p in re.split(r"\.|\[|\]", raw_path) if p]
    for pattern, wording in ((_UNKNOWN_FIELD, "Unknown field: remove it."), (_MISSING_FIELD, "This field is required.")):
        named = pattern.match(message)
        if named:
            parts.append(named["name"])
            message = wording
            break
    else:
        if message.startswith("Expected") and message.endswith("got `null`"):
            message = "null is not allowed here: leave the field out instead."
    # An error about the whole body (an array where an object belongs) has no path.
    return FieldError(join_path(prefix, *parts) or "body", message)


def field_errors_from_msgspec(error: msgspec.ValidationError, raw: bytes, struct_type: type, prefix: str = "") -> list[FieldError]:
    """Like `field_error_from_msgspec`, but an unknown field at the top of the object names every
    unknown field there: posting a whole fetched record back lists all the fields that do not belong."""
    first = field_error_from_msgspec(error, prefix)
    if not _UNKNOWN_FIELD.match(str(error)) or " - at " in str(error):
        return [first]
    known = set(getattr(struct_type, "__struct_encode_fields__", ()))
    try:
        given = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        return [first]
    if not isinstance(given, dict):
        return [first]
    return [FieldError(join_path(prefix, name), "Unknown field: remove it.") for name in given if name not in known] or [first]
