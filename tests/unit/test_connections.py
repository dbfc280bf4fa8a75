"""The connection budget's arithmetic (sipd_common.connections); on PostgreSQL: services/keuangan/tests/service."""
from __future__ import annotations

import os
from types import SimpleNamespace

from sipd_common.connections import Budget, _budget, application_name


def test_sipd_processes_count_at_their_whole_pool_others_as_they_are():
    row = SimpleNamespace(max_connections=100, reserved=3, clients=[
        ["sipd-keuangan pool=16 pid=11", 2], ["sipd-keuangan pool=16 pid=12", 1], ["psql", 2], ["", 1],
        [application_name("keuangan", 16), 4]])  # this process's own: its pool is what it asks for
    budget = _budget(row, headroom=5)
    assert budget.sipd == {"sipd-keuangan pool=16 pid=11": 16, "sipd-keuangan pool=16 pid=12": 16}
    assert budget.others == 3 and budget.available == 92
    assert application_name("gateway", 10) == f"sipd-gateway pool=10 pid={os.getpid()}"


def test_a_pool_that_fits_starts_one_that_does_not_is_told_why():
    budget = Budget(max_connections=100, reserved=3, headroom=5, others=2,
                    sipd={f"sipd-{s} pool=16 pid={i}": 16 for i, s in enumerate(
                        ("referensi", "perencanaan", "keuangan", "keuangan", "pemerintahan"))})
    assert budget.problem("gateway", 10) is None  # 80 + 2 + 10 = 92: just
    problem = budget.problem("keuangan", 16)
    assert problem.startswith("keuangan needs up to 16 database connections, and only 10 are left")
    assert "max_connections 100" in problem and "keuangan 32" in problem and "SIPD_DB_POOL_SIZE" in problem


def test_make_run_scaled_to_three_keuangan_fits_postgresql_default_max_connections(monkeypatch, capsys):
    """``make run ARGS="--scale keuangan=3"``: six service instances and the gateway on PostgreSQL's default 100."""
    from gateway.db import MAX_OVERFLOW, POOL_SIZE
    from ops import run
    from sipd_common.db import RELAY_CONNECTIONS

    monkeypatch.setattr(run, "_server_limits", lambda: (100, 3))
    env = {"SIPD_DB_POOL_SIZE": ""}
    run.fit_pools(env, {"keuangan": 3})
    assert env["SIPD_DB_POOL_SIZE"] == env["SIPD_MAX_WORKERS"] == env["SIPD_PREFETCH_COUNT"] == "12"
    assert "6 service instances: 12 connections and workers each" in capsys.readouterr().out
    # what each process's start-up check then adds up: every instance at its whole pool, and the gateway's
    budget = Budget(max_connections=100, reserved=3, headroom=5, others=0,
                    sipd={f"sipd-{s} pool={12 + RELAY_CONNECTIONS} pid={i}": 12 + RELAY_CONNECTIONS
                          for i, s in enumerate(("referensi", "perencanaan", "keuangan", "keuangan", "pemerintahan"))})
    assert budget.problem("keuangan", 12 + RELAY_CONNECTIONS) is None  # the third keuangan starts
    budget.sipd["sipd-keuangan pool=13 pid=99"] = 12 + RELAY_CONNECTIONS
    assert budget.problem("gateway", POOL_SIZE + MAX_OVERFLOW) is None  # and the gateway after them all
    # with the default pool (16 each) the sixth instance would have been refused
    full = Budget(max_connections=100, reserved=3, headroom=5, others=0,
                  sipd={f"sipd-s pool=16 pid={i}": 16 for i in range(5)})
    assert full.problem("keuangan", 16) is not None


def test_fit_pools_counts_every_gateway_worker_and_leaves_a_set_pool_alone(monkeypatch):
    from ops import run

    monkeypatch.setattr(run, "_server_limits", lambda: (100, 3))
    # two gateway workers take 20: (100 - 3 - 5 - 20) // 6 - 1 = 11
    assert run.pool_per_instance(100, 3, 5, {"keuangan": 3}, gateway_workers=2) == 11
    assert run.pool_per_instance(200, 3, 5, {"keuangan": 3}) == 15  # room enough: the default pool
    env = {"SIPD_DB_POOL_SIZE": "8"}
    run.fit_pools(env, {"keuangan": 3})
    assert env == {"SIPD_DB_POOL_SIZE": "8"}
    env = {}
    run.fit_pools(env, {})  # not scaled: every instance its default pool (4 × 16 + 10 fits 100)
    assert env == {}
