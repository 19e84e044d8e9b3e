"""The server process's garbage collector, set once the app has started (the benchmark's
baseline server uses the same setting, so the ratios compare like with like)."""

from __future__ import annotations

import gc

# Container objects allocated (net of those freed) before a young-generation collection; Python's
# default is 700. Under load, the objects of the requests in flight survive each collection, which
# makes the next one come sooner: with 32 concurrent list requests the collector ran 880 times in
# 10 s and took 6 % of the server's time (about 40 µs a request). At 10,000 it ran about once.
# Garbage in reference cycles waits a little longer to be reclaimed: at most this many objects.
YOUNG_COLLECTION_THRESHOLD = 10_000


def tune_garbage_collector() -> None:
    # Everything made so far (routes, schemas, SQLAlchemy's tables) lives as long as the process:
    # frozen out of the collector's sight, full collections stop scanning it, which otherwise
    # shows as pauses of tens of milliseconds under load.
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])
