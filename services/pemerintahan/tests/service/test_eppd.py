"""EPPD as it runs: the seeded indicator set and bands, scores upserted, flags replaced, in PostgreSQL."""
from __future__ import annotations

from decimal import Decimal

import pytest

from services.pemerintahan.service import PemerintahanService
from services.pemerintahan.tests.service.test_perda import call


@pytest.fixture
def pemerintahan(start):
    return start(PemerintahanService)


def test_a_round_on_the_seeded_set_scores_upserted_and_flags_replaced(pemerintahan, scope):
    _, tahun = scope
    ronde = call(pemerintahan, "open_eppd", tahun, {}, role="pusat_admin")
    assert (ronde["versi_indikator"], [b["status"] for b in ronde["bands"]]) == (
        "eppd-2025", ["sangat_tinggi", "tinggi", "sedang", "rendah", "sangat_rendah"])
    assert sum(Decimal(i["bobot"]) for i in ronde["indikator"]) == 100
    score = {"nilai": [{"kode_indikator": i["kode"], "skor": "4"} for i in ronde["indikator"]]}
    call(pemerintahan, "score_eppd", tahun, "32.73", score, role="provinsi_admin", kode_pemda="32")
    again = call(pemerintahan, "score_eppd", tahun, "32.73", {"nilai": [{"kode_indikator": "MAKRO", "skor": "2"}]},
                 role="provinsi_admin", kode_pemda="32")
    assert again["nilai"]["MAKRO"] == "2.00" and again["hasil"]["indeks"] == "3.40"
    for status in ("nihil", "tidak_dinilai"):
        flagged = call(pemerintahan, "flag_eppd", tahun, "32.73", {"status": status, "alasan": "uji"},
                       role="provinsi_admin", kode_pemda="32")
    assert flagged["hasil"]["status"] == "tidak_dinilai"
    result = call(pemerintahan, "get_eppd", tahun, role="pusat_admin")
    assert [(h["kode_pemda"], h["status"]) for h in result["hasil"]] == [("32.73", "tidak_dinilai")]
