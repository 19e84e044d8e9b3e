"""Structured logs through the standard `logging` module: one JSON line per request, and one per
refused sign-in or authorization and per error.

Lines never hold tokens, passwords or bodies: only method, path (no query string), status,
duration, the user's name and, for refusals, the reason given to the client.

`configure` sends the `registry` logger's records through a queue (`logging.handlers.QueueHandler`)
to a thread that formats and writes them, so the event loop never waits on standard output.
"""

from __future__ import annotations

import atexit
import logging
import logging.handlers
import os
import queue
import sys
import threading
import time
from typing import Any

import msgspec
from litestar.types import Scope

log = logging.getLogger("registry")
_encoder = msgspec.json.Encoder()
# How long a line may wait to be written with those after it.
WRITE_INTERVAL_S = 0.05


class JsonLines(logging.Formatter):
    """A record as one JSON object: time, level, process, its fields (or its message), and the
    traceback of an error."""

    def format(self, record: logging.LogRecord) -> str:
        at = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z"
        line: dict[str, Any] = {"at": at, "level": record.levelname.lower(), "pid": os.getpid()}
        line.update(getattr(record, "fields", None) or {"message": record.getMessage()})
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return _encoder.encode(line).decode()


class _Handover(logging.handlers.QueueHandler):
    """Puts records on the queue as they are: the writer's thread formats them. (The base class
    formats and copies each record first, which only a queue to another process needs.)"""

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        return record


class _LineWriter:
    """The thread that writes the queued records to a file descriptor: every WRITE_INTERVAL_S it
    formats what has arrived and writes it in one call. (`QueueListener` wakes its thread for each
    record, and under load those wake-ups cost a fifth of a record fetch: docs/decisions.md.)"""

    def __init__(self, records: queue.SimpleQueue[logging.LogRecord], fd: int) -> None:
        self._records = records
        self._fd = fd
        self._formatter = JsonLines()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="registry-log-writer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stopping.wait(WRITE_INTERVAL_S):
            self._write_what_came()
        self._write_what_came()

    def _write_what_came(self) -> None:
        lines = []
        while True:
            try:
                lines.append(self._formatter.format(self._records.get_nowait()))
            except queue.Empty:
                break
        data = memoryview(("\n".join(lines) + "\n").encode()) if lines else memoryview(b"")
        while data:
            data = data[os.write(self._fd, data) :]


def configure(level: str = "info") -> None:
    """Log the `registry` logger's records at `level` and above to standard output.

    Records skip what no line shows (the caller's frame, thread and process names), as the
    logging documentation's advice on optimisation says.
    """
    logging._srcfile = None  # type: ignore[attr-defined]
    logging.logThreads = False
    logging.logMultiprocessing = False
    logging.logProcesses = False
    sys.stdout.flush()
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    writer = _LineWriter(records, sys.stdout.fileno())
    writer.start()
    atexit.register(writer.stop)
    log.handlers[:] = [_Handover(records)]
    log.setLevel(level.upper())
    log.propagate = False


def event(level: int, name: str, **fields: Any) -> None:  # noqa: ANN401
    """One line for an event."""
    if log.isEnabledFor(level):
        log.log(level, name, extra={"fields": {"event": name, **fields}})


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
