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
