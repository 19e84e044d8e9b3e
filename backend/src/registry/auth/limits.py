"""The sign-in rate limit: attempts per user and address, counted in the database so that every
replica sees the same count.

REGISTRY_SIGN_IN_LIMIT failures (5) for one username from one address within 15 minutes, or
REGISTRY_SIGN_IN_LIMIT_PER_ADDRESS (50) from one address for any usernames, and further attempts
get 429 with Retry-After until the oldest failure in the window has aged out. A successful
sign-in clears that username's failures from that address.

Every attempt is recorded, and committed, before its password is checked, and then counted with
the attempts before it: of a burst sent at the same moment, at most the limit's number see a
count within the limit and go on to the check. An attempt that is refused takes its record back.
"""

from __future__ import annotations

import datetime
import logging
import math

from sqlalchemy import delete, func, insert, select

from registry import logs
from registry.db.engine import Database
from registry.db.models import sign_in_failures
from registry.errors import TooManyRequests
from registry.settings import Settings

WINDOW = datetime.timedelta(minutes=15)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


async def begin_attempt(db: Database, settings: Settings, username: str, address: str) -> None:
    """Record an attempt (counted as a failure until `succeeded`); 429 if this username from
    this address, or this address, has failed too often lately."""
    now = _now()
    username = username[:256]
    async with db.write() as conn:
        # Keep the table small: what is older than the window counts for nothing.
        await conn.execute(delete(sign_in_failures).where(sign_in_failures.c.address == address, sign_in_failures.c.at < now - WINDOW))
        (attempt,) = await conn.rows(insert(sign_in_failures).values(username=username, address=address, at=now).returning(sign_in_failures.c.seq))
    recent = sign_in_failures.c.at >= now - WINDOW
    async with db.read() as conn:
        (per_user,) = await conn.rows(
            select(func.count(), func.min(sign_in_failures.c.at)).where(sign_in_failures.c.username == username, sign_in_failures.c.address == address, recent)
        )
        (per_address,) = await conn.rows(select(func.count(), func.min(sign_in_failures.c.at)).where(sign_in_failures.c.address == address, recent))
    for (count, oldest), limit in ((per_user, settings.sign_in_limit), (per_address, settings.sign_in_limit_per_address)):
        if count > limit:
            async with db.write() as conn:
                await conn.execute(delete(sign_in_failures).where(sign_in_failures.c.seq == attempt.seq))
            wait = max(1, math.ceil((oldest + WINDOW - _now()).total_seconds()))
            logs.event(logging.WARNING, "sign_in_limited", username=username, address=address)
            raise TooManyRequests(
                f"Too many failed sign-ins. Wait {math.ceil(wait / 60)} minute(s) and try again, or ask an administrator.",
                headers={"Retry-After": str(wait)},
            )


def failed(username: str, address: str) -> None:
    """The attempt's record stays, as a failure."""
    logs.event(logging.WARNING, "sign_in_failed", username=username, address=address)


async def succeeded(db: Database, username: str, address: str) -> None:
    async with db.write() as conn:
        await conn.execute(delete(sign_in_failures).where(sign_in_failures.c.username == username[:256], sign_in_failures.c.address == address))
