"""keuangan's service tests: its container, its schema, and its replica of the codification filled from a
running referensi (``services/conftest.py`` starts it: its snapshot RPC is what fills the replica)."""
from __future__ import annotations

import pytest

from services.keuangan.service import KeuanganService

from .support import wait_siap


@pytest.fixture
def db(engines):
    return engines("keuangan")


@pytest.fixture
def keuangan(start):
    return start(KeuanganService)


@pytest.fixture
def replika_siap(keuangan, referensi, db):
    """keuangan with every list of its replica filled (by its timer, from referensi's snapshot, unless an
    earlier test of the run filled it already)."""
    wait_siap(db)
    return keuangan
