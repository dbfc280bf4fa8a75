"""What a consumer's replica is filled from: change items, the snapshot's paging and levels. Pure."""
from __future__ import annotations

import pytest

from services.referensi.replikasi import domain as r

REGION = {"kode": "32.73", "tingkat": 2, "nama": "Kota Bandung", "kode_induk": "32", "valid_from": "v-1",
          "valid_until": None, "revisi": 9}


def test_a_region_is_published_with_its_level_by_name():
    assert r.item("wilayah", REGION, r.aksi_terakhir(REGION))["tingkat"] == "kabupaten_kota"
    assert r.item("nomenklatur", {"tingkat": "program"}, "added")["tingkat"] == "program"


def test_only_a_retired_item_carries_replacements():
    retired = {**REGION, "valid_until": "v-2"}
    assert r.aksi_terakhir(retired) == "retired" and r.aksi_terakhir(REGION) == "added"
    assert r.item("wilayah", retired, "retired", ["32.74"])["kode_pengganti"] == ["32.74"]
    assert r.item("wilayah", REGION, "added", ["32.74"])["kode_pengganti"] == []
    assert r.item("wilayah", retired, "retired", None)["kode_pengganti"] == []


def test_the_key_of_a_page_follows_the_list():
    assert r.kunci("skpd", {"kode_pemda": "32.73", "kode": "1.01.0.00.0.00.01.0000"}) == ["32.73",
                                                                                        "1.01.0.00.0.00.01.0000"]
    assert r.setelah("standar_harga", ["32.73", "2026", "1.1"]) == ("32.73", 2026, "1.1")
    assert r.setelah("nomenklatur", None) is None
    # a nomenclature code's record and its provincial variant are two records
    assert r.kunci("nomenklatur", {"kode": "7.01", "varian": "provinsi"}) == ["7.01", "provinsi"]
    assert r.setelah("nomenklatur", ["7.01", "umum"]) == ("7.01", "umum")


@pytest.mark.parametrize("kind, after", [
    ("nomenklatur", ["1"]), ("nomenklatur", ["1", 2]), ("skpd", ["32.73"]), ("standar_harga", ["32.73", "dua ribu", "1.1"]),
    ("rekening", [5]),
])
def test_an_after_that_is_no_key_of_the_list(kind, after):
    with pytest.raises(r.PermintaanTidakSah) as refused:
        r.setelah(kind, after)
    assert refused.value.field == "after"


def test_levels_as_the_list_keeps_them():
    assert r.tingkat_tersimpan("wilayah", ["provinsi", "kabupaten_kota"]) == [1, 2]
    assert r.tingkat_tersimpan("sumber_dana", ["1", "3"]) == [1, 3]
    assert r.tingkat_tersimpan("nomenklatur", ["sub_kegiatan"]) == ["sub_kegiatan"]
    assert r.tingkat_tersimpan("skpd", None) is None


@pytest.mark.parametrize("kind, tingkat", [("wilayah", ["kota"]), ("nomenklatur", ["desa"]), ("sumber_dana", ["7"]),
                                           ("skpd", ["provinsi"]), ("standar_harga", ["SSH"])])
def test_levels_a_list_does_not_have(kind, tingkat):
    with pytest.raises(r.PermintaanTidakSah) as refused:
        r.tingkat_tersimpan(kind, tingkat)
    assert refused.value.field == "tingkat"
