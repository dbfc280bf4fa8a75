"""Slow database calls in one service run side by side, not one after the other.

A Nameko service runs its workers as eventlet greenthreads. psycopg 3 waits for
the database with a C function eventlet cannot see unless told otherwise, and
then one slow query holds up every worker of the process. ``sipd_common`` sets
``PSYCOPG_WAIT_FUNC=wait_selector`` before psycopg is imported; these tests show
that it is set, that it works, and that without it the trap is real.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time

import nameko
import pytest
from nameko.rpc import rpc
from nameko.standalone.rpc import ClusterRpcClient
from sqlalchemy import text

from sipd_common.service import SipdService
from sipd_common.settings import get_settings


class SlowService(SipdService):
    """A test-only service. Named ``referensi`` because Storage connects as ``sipd_<name>``
    (a role that exists); the real ReferensiService is not started beside it."""

    name = "referensi"

    @rpc
    def sleep(self, seconds: float) -> float:
        with self.storage.read() as session:
            session.execute(text("SELECT pg_sleep(:s)"), {"s": seconds})
        return seconds


@pytest.fixture
def slow(database, rabbit_config, monkeypatch, container_factory):
    monkeypatch.setenv("SIPD_AMQP_URI", nameko.config["AMQP_URI"])  # for its outbox relay
    monkeypatch.delenv("SIPD_OUTBOX_AMQP_URI", raising=False)
    container = container_factory(SlowService, {"max_workers": 20})
    container.start()
    return container


def test_sipd_common_chooses_the_selector_wait_for_psycopg():
    import psycopg.waiting

    assert os.environ["PSYCOPG_WAIT_FUNC"] == "wait_selector"
    assert psycopg.waiting.wait is psycopg.waiting.wait_selector


def test_ten_slow_queries_in_one_service_run_concurrently(slow):
    with ClusterRpcClient() as client:
        assert client.referensi.sleep(0) == 0  # warm: the service and the reply queue are up

        start = time.monotonic()
        replies = [client.referensi.sleep.call_async(0.5) for _ in range(10)]
        results = [reply.result() for reply in replies]
        elapsed = time.monotonic() - start

    assert results == [0.5] * 10
    assert elapsed < 1.5, f"10 × 0.5 s took {elapsed:.2f} s: the queries ran one after the other"


# Five greenthreads each run a 0.3 s query, in a fresh interpreter so the variable applies
# before psycopg is imported. Prints the seconds it took.
_FIVE_SLOW_QUERIES = """
import eventlet
eventlet.monkey_patch()
import sys, time
import psycopg

def slow(_):
    with psycopg.connect(sys.argv[1]) as conn:
        conn.execute("SELECT pg_sleep(0.3)")

start = time.monotonic()
list(eventlet.GreenPool().imap(slow, range(5)))
print(time.monotonic() - start)
"""


def _five_slow_queries(wait_func: str | None) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PSYCOPG_WAIT_FUNC"}
    if wait_func:
        env["PSYCOPG_WAIT_FUNC"] = wait_func
    dsn = get_settings().admin_url("postgres").replace("postgresql+psycopg://", "postgresql://")
    done = subprocess.run([sys.executable, "-c", _FIVE_SLOW_QUERIES, dsn], env=env, capture_output=True,
                          text=True, timeout=60, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def test_without_the_selector_wait_the_queries_queue_up_behind_each_other():
    assert _five_slow_queries(None) >= 1.5  # serial: 5 × 0.3 s
    assert _five_slow_queries("wait_selector") < 0.9  # concurrent: about 0.3 s
    assert _five_slow_queries("wait_select") < 0.9  # the select-based wait too (bench.psycopg_wait compares them)
