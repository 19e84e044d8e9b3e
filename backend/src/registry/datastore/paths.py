"""File paths inside a dataset, judged on the raw request path before any decoding.

A path is relative and `/`-separated: no leading `/`, no empty, `.` or `..` segment, no
backslash, no control character, at most 1,024 characters. Percent-escapes are decoded only
after the raw form passed, and the decoded form must pass too and keep the same segments (an
escaped `/` would smuggle in a segment the raw form did not show).
"""

from __future__ import annotations

from urllib.parse import unquote

from registry.errors import ValidationFailed

MAX_PATH_LENGTH = 1024
FIELD = "path"
# The same rules as a pattern, for the OpenAPI document (a segment is not empty, `.` or `..`).
_SEGMENT = r"(?:[^./\\\x00-\x1f\x7f][^/\\\x00-\x1f\x7f]*|\.[^./\\\x00-\x1f\x7f][^/\\\x00-\x1f\x7f]*|\.\.[^/\\\x00-\x1f\x7f]+)"
PATH_PATTERN = rf"^{_SEGMENT}(?:/{_SEGMENT})*(?!\n)$"


def _problem(path: str) -> str | None:
    if not path:
        return "Give the file's path after /files/."
    if len(path) > MAX_PATH_LENGTH:
        return f"A file path has at most {MAX_PATH_LENGTH} characters."
    if path.startswith("/"):
        return "A file path is relative: remove the leading /."
    if "\\" in path:
        return "Use / to separate folders, not \\."
    if any(ord(c) < 32 or ord(c) == 127 for c in path):
        return "A file path cannot contain control characters."
    if any(segment in ("", ".", "..") for segment in path.split("/")):
        return "A file path cannot have empty, . or .. parts."
    return None


class FilePath:
    """A file path as the request sent it, checked only when asked: a path problem (422) must not
    come before the 404 and 403 of the record it names."""

    def __init__(self, raw_path: bytes, prefix: str) -> None:
        self.raw_path = raw_path
        self.prefix = prefix

    def checked(self) -> str:
        return file_path_from_raw(self.raw_path, self.prefix)


def file_path_from_raw(raw_path: bytes, prefix: str) -> str:
    """The dataset-relative path of a files route, from the raw request path (`scope["raw_path"]`)."""
    raw = raw_path.decode("latin-1")
    if not raw.startswith(prefix):
        raise ValidationFailed.one(FIELD, "Give the file's path after /files/.")
    raw = raw[len(prefix) :]
    if (problem := _problem(raw)) is not None:
        raise ValidationFailed.one(FIELD, problem)
    try:
        decoded = unquote(raw, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ValidationFailed.one(FIELD, "The file path's percent-escapes are not UTF-8.") from None
    if (problem := _problem(decoded)) is not None:
        raise ValidationFailed.one(FIELD, problem)
    if decoded.count("/") != raw.count("/"):
        raise ValidationFailed.one(FIELD, "Write / in a file path as it is, not as %2F.")
    return decoded
