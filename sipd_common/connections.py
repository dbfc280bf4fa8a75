"""The connection budget: a process that could take more connections than PostgreSQL has left does not start.

Every SIPD process names its pool's size in its connections' ``application_name``
(``sipd-keuangan pool=16 pid=4711``). At start each process counts, in ``pg_stat_activity``:

- every SIPD process already connected, at its whole pool (it may open them all under load);
- every other client connection as it is (psql, a migration, another application);
- its own pool;

and compares the sum with ``max_connections`` less the superusers' reserve (and PostgreSQL 16's
``reserved_connections``) less ``SIPD_DB_RESERVED_CONNECTIONS`` (5: operators' tools, migrations, backups).
Over it, the process stops with a message that says how many each takes and what to change.

``SIPD_DB_CONNECTION_CHECK``: ``database`` (default) counts the connections to SIPD's database only (other
databases of a shared server are someone else's budget: the test runs' side by side, say), ``server``
every connection of the server, ``off`` none. A process whose check cannot reach the database starts
anyway (the database may come later; health says so).
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass

from sqlalchemy import text

log = logging.getLogger(__name__)

_SIPD = re.compile(r"^sipd-(?P<component>[a-z_]+) pool=(?P<pool>\d+) pid=(?P<pid>\d+)$")

_QUERY = text(
    "SELECT current_setting('max_connections')::int AS max_connections, "
    "current_setting('superuser_reserved_connections')::int "
    "+ coalesce(current_setting('reserved_connections', true)::int, 0) AS reserved, "
    "coalesce(json_agg(json_build_array(application_name, n)), '[]') AS clients FROM ("
    "  SELECT application_name, count(*) AS n FROM pg_stat_activity "
    # another role's backend_type is hidden (NULL) from a service's role: a backend with a user is a client's
    "  WHERE coalesce(backend_type, 'client backend') = 'client backend' AND usename IS NOT NULL "
    "  AND pid <> pg_backend_pid() "
    "  AND (:server OR datname = current_database()) GROUP BY application_name) c")


def application_name(component: str, pool: int) -> str:
    """What a SIPD process's connections call themselves: its component, its pool's size, its process."""
    return f"sipd-{component} pool={pool} pid={os.getpid()}"


@dataclass(frozen=True)
class Budget:
    max_connections: int
    reserved: int        # PostgreSQL's own reserve (superusers, reserved_connections)
    headroom: int        # SIPD_DB_RESERVED_CONNECTIONS
    sipd: dict[str, int]  # other SIPD processes' pools, by application_name
    others: int          # connections of everything else, as open now

    @property
    def available(self) -> int:
        return self.max_connections - self.reserved - self.headroom

    def problem(self, component: str, pool: int) -> str | None:
        """Why a process of ``component`` with ``pool`` connections may not start, or None."""
        taken = sum(self.sipd.values()) + self.others
        if taken + pool <= self.available:
            return None
        by_component: dict[str, int] = {}
        for name, size in self.sipd.items():
            match = _SIPD.match(name)
            key = match["component"] if match else name
            by_component[key] = by_component.get(key, 0) + size
        listed = ", ".join(f"{c} {n}" for c, n in sorted(by_component.items())) or "none"
        return (f"{component} needs up to {pool} database connections, and only {max(0, self.available - taken)} are "
                f"left: PostgreSQL's max_connections {self.max_connections}, less {self.reserved} reserved for "
                f"superusers and {self.headroom} for operators (SIPD_DB_RESERVED_CONNECTIONS); SIPD processes "
                f"already connected take up to {sum(self.sipd.values())} ({listed}), other clients {self.others}. "
                f"Lower SIPD_DB_POOL_SIZE (and SIPD_MAX_WORKERS with it), run fewer instances, raise max_connections, "
                f"or put PgBouncer in front (README, \"Connection budget\")")


def _budget(row, headroom: int) -> Budget:
    sipd, others = {}, 0
    for name, count in row.clients:
        match = _SIPD.match(name or "")
        if match and int(match["pid"]) != os.getpid():
            sipd[name] = int(match["pool"])
        elif not match:
            others += count
    return Budget(row.max_connections, row.reserved, headroom, sipd, others)


def _mode() -> str:
    mode = os.environ.get("SIPD_DB_CONNECTION_CHECK", "database") or "database"
    if mode not in ("database", "server", "off"):
        raise SystemExit(f"SIPD_DB_CONNECTION_CHECK={mode!r}: expected database, server or off")
    return mode


def _headroom() -> int:
    return int(os.environ.get("SIPD_DB_RESERVED_CONNECTIONS") or 5)


def read_budget(engine, mode: str = "database") -> Budget:
    """What PostgreSQL allows and what is taken, as seen from ``engine``'s database."""
    with engine.connect() as conn:
        return _budget(conn.execute(_QUERY, {"server": mode == "server"}).one(), _headroom())


def check(engine, component: str, pool: int) -> None:
    """Stop the process (``SystemExit``) if its pool does not fit what PostgreSQL has left."""
    mode = _mode()
    if mode == "off":
        return
    try:
        budget = read_budget(engine, mode)
    except Exception as exc:  # the database away: start anyway, health says so
        log.warning("connection budget not checked: %s: %s", type(exc).__name__, exc)
        return
    problem = budget.problem(component, pool)
    if problem:
        raise SystemExit(problem)


async def check_async(engine, component: str, pool: int) -> None:
    """``check`` for an asyncio engine (the gateway)."""
    mode = _mode()
    if mode == "off":
        return
    try:
        async with engine.connect() as conn:
            row = (await conn.execute(_QUERY, {"server": mode == "server"})).one()
    except Exception as exc:
        log.warning("connection budget not checked: %s: %s", type(exc).__name__, exc)
        return
    problem = _budget(row, _headroom()).problem(component, pool)
    if problem:
        raise SystemExit(problem)
