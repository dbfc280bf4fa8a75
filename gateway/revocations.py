"""Revoking a user's access tokens within seconds (``sipd_common.revocation``): the gateway's side.

- ``record``: in the transaction of the change that causes it (a deactivation, a role or SKPD change), a row
  saying that the user's tokens older than its new version are refused;
- ``publish_pending``: after the commit, each unpublished row goes to the stream ``gateway.revocations`` (through
  ``gateway.events``, confirmed, mandatory) and only then is marked published: with the broker away the row
  waits and ``Watch`` tries again every second. Every service instance reads the stream;
- ``load``: every gateway worker reads the rows still in force every second (``Watch``), and the worker that
  made the change applies it at once, so the gateway refuses the old tokens even with the broker away.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from sipd_common.auth import LEEWAY_SECONDS
from sipd_common.revocation import MARGIN_SECONDS, REVOKED, AccessRevoked, Revocations
from sipd_common.settings import Settings

from .db import revocation
from .rpc import RpcClient

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0


async def record(conn: AsyncConnection, settings: Settings, user_id: str, min_version: int) -> AccessRevoked:
    """Tokens of ``user_id`` older than ``min_version`` are refused from now on (once committed)."""
    now = datetime.now(timezone.utc)
    until = now + timedelta(minutes=settings.access_token_minutes, seconds=LEEWAY_SECONDS + MARGIN_SECONDS)
    await conn.execute(insert(revocation).values(user_id=user_id, min_version=min_version, revoked_at=now,
                                                 until=until))
    return AccessRevoked(user_id=user_id, min_version=min_version, revoked_at=now, until=until)


def _message(row) -> AccessRevoked:
    return AccessRevoked(user_id=row.user_id, min_version=row.min_version, revoked_at=row.revoked_at, until=row.until)


async def load(engine: AsyncEngine, revoked: Revocations = REVOKED) -> int:
    """Every revocation still in force, into this worker's set; how many."""
    async with engine.connect() as conn:
        rows = (await conn.execute(select(revocation).where(revocation.c.until > func.now()))).all()
    for row in rows:
        revoked.add(_message(row))
    return len(rows)


async def publish_pending(engine: AsyncEngine, rpc: RpcClient) -> int:
    """Publish the revocations not yet published (each instance of the gateway may: a row is locked by one);
    how many were published."""
    t = revocation
    async with engine.begin() as conn:
        rows = (await conn.execute(select(t).where(t.c.published_at.is_(None)).order_by(t.c.id).limit(100)
                                   .with_for_update(skip_locked=True))).all()
        for row in rows:
            await rpc.publish_revocation(_message(row).model_dump_json().encode())
        if rows:
            await conn.execute(update(t).where(t.c.id.in_([r.id for r in rows])).values(published_at=func.now()))
    return len(rows)


async def revoked_now(engine: AsyncEngine, rpc: RpcClient, revoked: AccessRevoked) -> None:
    """After the commit of the change: this worker refuses the old tokens at once, and the services as soon as
    the revocation is published (now, or by ``Watch`` within a second if the broker is away)."""
    REVOKED.add(revoked)
    try:
        await publish_pending(engine, rpc)
    except Exception as exc:
        log.warning("revocations: not published now (%s: %s); Watch tries again", type(exc).__name__, exc)


class Watch:
    """A gateway worker's loop: load the revocations and publish what waits, every ``POLL_SECONDS``."""

    def __init__(self, engine: AsyncEngine, rpc: RpcClient):
        self.engine = engine
        self.rpc = rpc
        self._task: asyncio.Task | None = None
        self._failing = False

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="revocations")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            try:
                await load(self.engine)
                await publish_pending(self.engine, self.rpc)
                if self._failing:
                    log.info("revocations: published and loaded again")
                self._failing = False
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # database or broker away: the rows wait, the loop goes on
                (log.debug if self._failing else log.warning)(
                    "revocations: %s: %s; trying again in %g s", type(exc).__name__, exc, POLL_SECONDS)
                self._failing = True
            await asyncio.sleep(POLL_SECONDS)
