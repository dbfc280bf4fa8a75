"""``make run``: prepare the database, start every service and the gateway, stop them all on Ctrl-C.

    python -m ops.run [--no-prepare] [--scale keuangan=2 ...]
"""
from __future__ import annotations

import argparse
import signal
import sys
import time

from .stack import ROOT, SERVICE_TARGETS, Stack, base_env, broker_users, prepare


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
        stack.wait_healthy(90)
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
