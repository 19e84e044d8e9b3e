"""Response bodies of the files routes."""

from __future__ import annotations

import datetime
from typing import Literal

import msgspec


class FileInfo(msgspec.Struct):
    path: str
    size: int
    sha256: str
    uploaded_at: datetime.datetime


class FileList(msgspec.Struct):
    files: list[FileInfo]


class FileLogEntry(msgspec.Struct):
    at: datetime.datetime
    by: str
    action: Literal["added", "replaced", "deleted"]
    path: str
    size: int
    sha256: str


class FileLog(msgspec.Struct):
    entries: list[FileLogEntry]
