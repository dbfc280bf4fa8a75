"""Client CPU per query of psycopg's wait functions under eventlet (issue 15's choice of ``wait_select``).

    .venv/bin/python -m bench.psycopg_wait            # each wait function in a fresh interpreter

Each run: monkey-patched eventlet, one SQLAlchemy connection to the local PostgreSQL, 3,000 × ``SELECT 1``
after 200 to warm up; prints the process CPU per query. Not a test: the figures are in
docs/performance.md.
"""
from __future__ import annotations

import os
import subprocess
import sys

_ONE = """
import eventlet
eventlet.monkey_patch()
import sys, time
from sqlalchemy import create_engine, text
engine = create_engine(sys.argv[1], pool_size=1)
statement = text("SELECT 1")
with engine.connect() as conn:
    for _ in range(200):
        conn.execute(statement)
    started = time.process_time()
    for _ in range(3000):
        conn.execute(statement)
    print(f"{1e6 * (time.process_time() - started) / 3000:.0f}")
"""


def main() -> None:
    from sipd_common.settings import get_settings

    url = get_settings().admin_url("postgres")
    for wait in ("wait_selector", "wait_select"):
        env = {**os.environ, "PSYCOPG_WAIT_FUNC": wait, "PYTHONWARNINGS": "ignore"}
        done = subprocess.run([sys.executable, "-c", _ONE, url], env=env, capture_output=True, text=True, check=True)
        print(f"{wait:<14} {done.stdout.strip()} µs of client CPU per query")


if __name__ == "__main__":
    main()
