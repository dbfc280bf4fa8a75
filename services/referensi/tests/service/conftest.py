"""Fixtures of referensi's service tests: the running service, its database, a version per test."""
from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from services.referensi.service import ReferensiService

_n = itertools.count(1)
_pemda = itertools.count(50)


@pytest.fixture
def versi():
    """A version of this test's own, the latest of all."""
    n = next(_n)
    return {"versi": f"uji-layanan-{n}", "versi_judul": f"Keputusan uji {n}",
            "versi_tanggal": (date(2090, 1, 1) + timedelta(days=n)).isoformat()}


@pytest.fixture
def db(engines):
    return engines("referensi")


@pytest.fixture
def referensi(start):
    return start(ReferensiService)


@pytest.fixture
def pemda_baru():
    """``pemda_baru()`` → a pemda code no other test writes SKPD or prices in (regencies 11.50, 11.51, …: codes of
    the right shape that no shipped list uses), for imports that would retire another test's records."""
    return lambda: f"11.{next(_pemda):02d}"
