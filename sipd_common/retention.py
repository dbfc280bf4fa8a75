"""What the messaging and login tables keep, and for how long: pruned on a schedule so that they do not grow
without end (README, "Operations", "Retention").

Each service instance prunes its own schema every ``SIPD_PRUNE_INTERVAL_SECONDS`` (a Nameko timer of
``SipdService``); the gateway prunes its schema from a task of its own. Instances prune the same rows at
times: the deletes are idempotent. Each statement is one ``DELETE`` (the tables have no index on the time
column; one scan an hour costs less than an index on every insert).

- ``outbox``: published rows after ``outbox.RETENTION`` (7 days, the replay window); unsent rows never;
- ``inbox``: after ``SIPD_INBOX_RETENTION_DAYS`` (14), at least one day more than the replay window, so a
  replayed event is still known as applied;
- ``parked_event``: replayed ones ``SIPD_PARKED_RETENTION_DAYS`` (30) after their replay; ones never replayed
  ``SIPD_PARKED_EXPIRY_DAYS`` (90) after they were parked (an operator had three months to look);
- ``handler_failure``: attempts of an event not seen again for ``SIPD_PARKED_RETENTION_DAYS`` (its message
  expired or was purged);
- ``idempotent_call`` (where a service has it): after ``SIPD_IDEMPOTENCY_RETENTION_DAYS`` (7): a client's retry
  with the same key after that is a new request;
- gateway ``login_throttle``: rows that no longer count (their last failure older than the lock window,
  ``SIPD_LOGIN_LOCK_MINUTES``, and no lock in force); ``refresh_token``: ``SIPD_REFRESH_TOKEN_RETENTION_DAYS``
  (1) after it expired (an expired token is refused whether or not its row is there); ``login_address``: an
  address a user has not logged in from for ``LOGIN_ADDRESS_RETENTION_DAYS`` (90) is no longer its own.
"""
from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine

from .outbox import RETENTION as OUTBOX_RETENTION
from .settings import Settings

log = logging.getLogger(__name__)

LOGIN_ADDRESS_RETENTION_DAYS = 90  # how long an address a user logged in from stays its own (gateway.accounts)

SERVICE_STATEMENTS = {
    "outbox": f"DELETE FROM outbox WHERE published_at < now() - interval '{OUTBOX_RETENTION}'",
    "inbox": "DELETE FROM inbox WHERE processed_at < now() - make_interval(days => :inbox_days)",
    "parked_event": "DELETE FROM parked_event WHERE replayed_at < now() - make_interval(days => :parked_days) "
                    "OR (replayed_at IS NULL AND parked_at < now() - make_interval(days => :parked_expiry_days))",
    "handler_failure": "DELETE FROM handler_failure WHERE updated_at < now() - make_interval(days => :parked_days)",
    "idempotent_call": "DELETE FROM idempotent_call WHERE created_at < now() - make_interval(days => :idempotency_days)",
}
GATEWAY_STATEMENTS = {
    "login_throttle": "DELETE FROM login_throttle WHERE last_failure_at < now() - make_interval(mins => :lock_minutes) "
                      "AND (locked_until IS NULL OR locked_until < now())",
    "refresh_token": "DELETE FROM refresh_token WHERE expires_at < now() - make_interval(days => :refresh_days)",
    "login_address": ("DELETE FROM login_address WHERE last_login_at < now() - "
                      f"make_interval(days => {LOGIN_ADDRESS_RETENTION_DAYS})"),
    "idempotent_call": SERVICE_STATEMENTS["idempotent_call"],
}


def parameters(settings: Settings) -> dict:
    return {"inbox_days": settings.inbox_retention_days, "parked_days": settings.parked_retention_days,
            "parked_expiry_days": settings.parked_expiry_days, "idempotency_days": settings.idempotency_retention_days,
            "lock_minutes": settings.login_lock_minutes, "refresh_days": settings.refresh_token_retention_days}


def _used(statement: str, params: dict) -> dict:
    return {k: v for k, v in params.items() if f":{k}" in statement}


_EXISTS = text("SELECT to_regclass(:table) IS NOT NULL")


def prune(engine: Engine, settings: Settings, statements: dict[str, str] = SERVICE_STATEMENTS) -> dict[str, int]:
    """Delete what is past its retention in the schema ``engine`` connects to; rows deleted per table (the
    tables it has: ``idempotent_call`` is not in every schema)."""
    params, deleted = parameters(settings), {}
    for table, statement in statements.items():
        with engine.begin() as conn:
            if not conn.execute(_EXISTS, {"table": table}).scalar():
                continue
            deleted[table] = conn.execute(text(statement), _used(statement, params)).rowcount
    pruned = {t: n for t, n in deleted.items() if n}
    if pruned:
        log.info("pruned %s", ", ".join(f"{t} {n}" for t, n in pruned.items()))
    return pruned


async def prune_async(engine: AsyncEngine, settings: Settings,
                      statements: dict[str, str] = GATEWAY_STATEMENTS) -> dict[str, int]:
    """``prune`` for the gateway's schema."""
    params, deleted = parameters(settings), {}
    for table, statement in statements.items():
        async with engine.begin() as conn:
            if not (await conn.execute(_EXISTS, {"table": table})).scalar():
                continue
            deleted[table] = (await conn.execute(text(statement), _used(statement, params))).rowcount
    pruned = {t: n for t, n in deleted.items() if n}
    if pruned:
        log.info("pruned %s", ", ".join(f"{t} {n}" for t, n in pruned.items()))
    return pruned
