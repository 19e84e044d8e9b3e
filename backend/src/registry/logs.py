"""Structured logs: one JSON line per request, and one per refused sign-in or authorization.

Lines never hold tokens, passwords or bodies: only method, path (no query string), status,
duration, the user's name and, for refusals, the reason given to the client.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import sys
import time
from typing import Any

import msgspec
from litestar.types import Scope

log = logging.getLogger("registry")
_encoder = msgspec.json.Encoder()


class _Second:
    """The formatted second of the last timestamp: a server writes thousands of lines in one."""

    at = -1
    text = ""


def _timestamp(created: float) -> str:
    second = int(created)
    if second != _Second.at:
        _Second.at, _Second.text = second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
    return f"{_Second.text}.{int(created % 1 * 1000):03d}Z"


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {"at": _timestamp(record.created), "level": record.levelname.lower()}
        line.update(getattr(record, "fields", None) or {"message": record.getMessage()})
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return _encoder.encode(line).decode()


# How long a line may wait to be written with the lines after it.
FLUSH_DELAY_S = 0.05


class _Output:
    """Where `configure` sends the lines: standard output's file descriptor.

    In the server, lines are gathered and written together at most FLUSH_DELAY_S after the
    first of them: under load a write per request line cost as much as the rest of the line, and
    more when the output is a file. Each line is whole, and lines stay in order, as every line
    (those of `logging` too) goes through here. What is gathered is written at exit.
    """

    fd: int | None = None
    pending: list[bytes] = []


def _write(line: bytes) -> None:
    _Output.pending.append(line)
    if len(_Output.pending) == 1:
        try:
            asyncio.get_running_loop().call_later(FLUSH_DELAY_S, flush)
        except RuntimeError:  # outside the server's event loop: at once
            flush()


def flush() -> None:
    """Write the lines gathered so far."""
    if _Output.fd is None or not _Output.pending:
        return
    data = memoryview(b"".join(_Output.pending))
    _Output.pending.clear()
    while data:
        data = data[os.write(_Output.fd, data) :]


class _LineHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            _write(self.format(record).encode() + b"\n")
        except Exception:  # noqa: BLE001 - as logging's own handlers do
            self.handleError(record)


def configure(level: str = "info") -> None:
    sys.stdout.flush()
    handler = _LineHandler()
    handler.setFormatter(JsonLines())
    log.handlers[:] = [handler]
    log.setLevel(level.upper())
    log.propagate = False
    _Output.fd = sys.stdout.fileno()
    atexit.register(flush)


def event(level: int, name: str, **fields: Any) -> None:
    """One line for an event. Once `configure` has run, written without `logging`: a line per
    request through it (a record object, a handler lock, a formatter) cost a fifth of a record
    fetch."""
    if not log.isEnabledFor(level):
        return
    if _Output.fd is None:
        log.log(level, name, extra={"fields": {"event": name, **fields}})
        return
    line = {"at": _timestamp(time.time()), "level": _LEVEL_NAMES[level], "event": name, **fields}
    _write(_encoder.encode(line) + b"\n")


_LEVEL_NAMES = {logging.DEBUG: "debug", logging.INFO: "info", logging.WARNING: "warning", logging.ERROR: "error", logging.CRITICAL: "critical"}


def request(scope: Scope, status: int, started: float) -> None:
    """The line of a request (`http.Edge` writes one for every request, routing errors included)."""
    user = scope.get("user")
    event(
        logging.INFO,
        "request",
        method=scope["method"],
        path=scope["path"],
        status=status,
        duration_ms=round((time.perf_counter() - started) * 1000, 2),
        user=getattr(user, "username", None),
    )
