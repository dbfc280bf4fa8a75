"""EPPD's arithmetic: the weighted index, its rounding, the bands, the ranks per cluster, the teams."""
from __future__ import annotations

from decimal import Decimal as D

from sipd_common.access import Role, Scope
from services.pemerintahan.eppd.domain import Band, boleh_menilai, hasil, indeks, klaster, status_dari

BANDS = [Band("sangat_tinggi", D("3.75")), Band("tinggi", D("3")), Band("sedang", D("2")), Band("rendah", D("1")),
         Band("sangat_rendah", D("0"))]
BOBOT = {"A": D(30), "B": D(25), "C": D(20), "D": D(15), "E": D(10)}


def test_the_index_is_the_weighted_mean_rounded_half_up_to_four_decimals_and_an_unscored_indicator_counts_zero():
    assert indeks(BOBOT, {k: D(4) for k in BOBOT}) == D("4.0000")
    # (30·3 + 25·3.5 + 20·2.25 + 15·1 + 10·0) / 100 = 2.375
    assert indeks(BOBOT, {"A": D(3), "B": D("3.5"), "C": D("2.25"), "D": D(1)}) == D("2.3750")
    assert indeks({"A": D(1), "B": D(2)}, {"A": D("0.00005")}) == D("0.0000")   # 0.0000166… rounds down
    assert indeks({"A": D(1)}, {"A": D("0.00005")}) == D("0.0001")                # the half rounds up


def test_the_bands_agree_with_the_observed_anchors():
    observed = {"0.38": "sangat_rendah", "2.95": "sedang", "3.43": "tinggi", "3.50": "tinggi", "3.54": "tinggi",
                "3.68": "tinggi"}
    assert {k: status_dari(D(k), BANDS) for k in observed} == observed
    assert status_dari(D("3.75"), BANDS) == "sangat_tinggi" and status_dari(D("1"), BANDS) == "rendah"


def test_clusters_come_from_the_region_code():
    assert [klaster(k) for k in ("32", "32.04", "32.73", "32.79", "91.01")] == [
        "provinsi", "kabupaten", "kota", "kota", "kabupaten"]


def test_the_ranking_of_a_known_set_of_scores_per_cluster_ties_sharing_a_rank():
    skor = {
        "32": {"A": D(3)}, "33": {"A": D(4)}, "31": {"A": D(3)},              # provinces: 33, then 31 = 32
        "32.73": {k: D(4) for k in BOBOT}, "32.77": {k: D(2) for k in BOBOT},  # cities
        "32.04": {k: D("3.5") for k in BOBOT}, "32.01": {k: D("3.5") for k in BOBOT}, "32.02": {k: D(1) for k in BOBOT},
    }
    rows = hasil(BOBOT, BANDS, skor, {"32.03": "tidak_dinilai", "32.05": "nihil"})
    ranks = {r.kode_pemda: (r.klaster, r.peringkat, r.status) for r in rows}
    assert ranks == {
        "33": ("provinsi", 1, "rendah"), "31": ("provinsi", 2, "sangat_rendah"), "32": ("provinsi", 2, "sangat_rendah"),
        "32.01": ("kabupaten", 1, "tinggi"), "32.04": ("kabupaten", 1, "tinggi"), "32.02": ("kabupaten", 3, "rendah"),
        "32.03": ("kabupaten", None, "tidak_dinilai"), "32.05": ("kabupaten", None, "nihil"),
        "32.73": ("kota", 1, "sangat_tinggi"), "32.77": ("kota", 2, "sedang"),
    }
    assert [r.kode_pemda for r in rows] == ["33", "31", "32", "32.01", "32.04", "32.02", "32.03", "32.05", "32.73",
                                            "32.77"]


def test_a_province_is_scored_by_the_ministry_and_a_regency_by_its_province():
    pusat, jabar = Scope("1", "pusat", Role.PUSAT_ADMIN), Scope("2", "jabar", Role.PROVINSI_ADMIN, "32")
    assert boleh_menilai(pusat, "32") and not boleh_menilai(jabar, "32")
    assert boleh_menilai(jabar, "32.73") and not boleh_menilai(pusat, "32.73")
    assert not boleh_menilai(Scope("3", "dki", Role.PROVINSI_ADMIN, "31"), "32.73")
    assert not boleh_menilai(Scope("4", "inspektur", Role.INSPEKTUR, "32"), "32.73")
