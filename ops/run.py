"""``make run``: prepare the database, start every service and the gateway, stop them all on Ctrl-C.

    python -m ops.run [--no-prepare] [--scale keuangan=2 ...]
"""
from __future__ import annotations

import argparse
import signal
import sys
import time

from .stack import ROOT, SERVICE_TARGETS, Stack, base_env, broker_users, prepare

DEFAULT_POOL_SIZE = 15  # SIPD_DB_POOL_SIZE unset (sipd_common.settings)

def _server_limits() -> tuple[int, int]:
    """PostgreSQL's max_connections and its own reserve (superusers, PostgreSQL 16's reserved_connections)."""
    import psycopg

    from sipd_common.settings import Settings

    with psycopg.connect(Settings.from_env().admin_url().replace("postgresql+psycopg://", "postgresql://")) as conn:
        return conn.execute(
            "SELECT current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int"
            " + coalesce(current_setting('reserved_connections', true)::int, 0)").fetchone()


def pool_per_instance(max_connections: int, reserved: int, headroom: int, instances: dict[str, int],
                      gateway_workers: int = 1, wanted: int = DEFAULT_POOL_SIZE) -> int:
    """The largest pool (at most ``wanted``) each service instance may have so that every instance (its pool and
    its outbox relay's connection) and the gateway's workers fit what PostgreSQL allows (sipd_common.connections)."""
    from sipd_common.db import RELAY_CONNECTIONS
    from gateway.db import MAX_OVERFLOW, POOL_SIZE

    count = sum(instances.get(s, 1) for s in SERVICE_TARGETS)
    left = max_connections - reserved - headroom - gateway_workers * (POOL_SIZE + MAX_OVERFLOW)
    return min(wanted, left // count - RELAY_CONNECTIONS)


def fit_pools(env: dict, instances: dict[str, int]) -> None:
    """Scaled out, each instance gets a pool (and as many workers) that fits PostgreSQL's max_connections
    with every other process's (the connection budget, sipd_common.connections); unless the pool was set."""
    if env.get("SIPD_DB_POOL_SIZE") or not instances:
        return
    max_connections, reserved = _server_limits()
    headroom = int(env.get("SIPD_DB_RESERVED_CONNECTIONS") or 5)
    workers = int(env.get("SIPD_GATEWAY_WORKERS") or 1)
    count = sum(instances.get(s, 1) for s in SERVICE_TARGETS)
    pool = pool_per_instance(max_connections, reserved, headroom, instances, workers)
    if pool < DEFAULT_POOL_SIZE:
        env["SIPD_DB_POOL_SIZE"] = env["SIPD_MAX_WORKERS"] = env["SIPD_PREFETCH_COUNT"] = str(max(1, pool))
        print(f"{count} service instances: {pool} connections and workers each, to fit max_connections "
              f"{max_connections}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-prepare", action="store_true", help="skip roles, migrations and reference data")
    parser.add_argument("--scale", action="append", default=[], metavar="SERVICE=N",
                        help="run N instances of a service (repeatable)")
    parser.add_argument("--port", type=int, default=None, help="gateway port (default SIPD_GATEWAY_PORT or 8000)")
    args = parser.parse_args()

    instances = {}
    for item in args.scale:
        name, _, count = item.partition("=")
        if name not in SERVICE_TARGETS or not count.isdigit() or int(count) < 1:
            parser.error(f"--scale {item}: expected one of {', '.join(SERVICE_TARGETS)}=N")
        instances[name] = int(count)

    env = base_env()
    port = args.port or int(env.get("SIPD_GATEWAY_PORT", "8000"))
    if not args.no_prepare:
        prepare(env)
    fit_pools(env, instances)
    # each service, the gateway and the operators' tools as a broker user of its own (ops/broker.py)
    # each service instance's /metrics from SIPD_METRICS_BASE_PORT (9101) up; the gateway's at /metrics
    metrics_port = int(env.get("SIPD_METRICS_BASE_PORT", "9101"))
    stack = Stack(env=env, log_dir=ROOT / ".run", gateway_port=port, broker_uris=broker_users(env),
                  metrics_base_port=metrics_port or None)

    stopping = False

    def on_signal(signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        stack.start_all(instances)
        # healthy once perencanaan and keuangan have filled their replicas of the codification (minutes when loaded)
        stack.wait_healthy(300)
        ports = ", ".join(f"{p.name} :{p.metrics_port}" for p in stack.procs if p.metrics_port)
        print(f"metrics: {stack.base_url}/metrics (gateway); {ports or 'services off'}", flush=True)
        print(f"SIPD ready: {stack.base_url}/api/v1/health (logs in {stack.log_dir}); Ctrl-C stops everything\n"
              f"no user yet? {sys.executable} -m gateway.admin create-pusat-admin USERNAME", flush=True)
        while not stopping:
            dead = [p for p in stack.procs if not p.alive()]
            if dead:
                print(f"{dead[0].name} exited ({dead[0].popen.returncode}); see {dead[0].log_path} and "
                      f"{dead[0].out_path}", file=sys.stderr)
                return 1
            time.sleep(0.5)
        return 0
    except (RuntimeError, TimeoutError) as exc:
        print(f"start failed: {exc}", file=sys.stderr)
        return 1
    finally:
        print("stopping every process started ...", flush=True)
        stack.stop_all()


if __name__ == "__main__":
    sys.exit(main())
