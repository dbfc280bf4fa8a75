"""RKPD rules of a plan item: versioned changes, the fiscal year, the codes. Pure, no database."""
from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from services.perencanaan.rkpd.domain import (
    keluaran,
    periksa_rincian,
    TAHUN_MAX,
    TAHUN_MIN,
    Pelanggaran,
    SubKegiatanRkpd,
    periksa_kode,
    periksa_kunci_sasaran,
    periksa_sasaran_wajib,
    periksa_tahun,
)


def item(**over) -> SubKegiatanRkpd:
    values = dict(
        id="6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d90", kode_pemda="32.73", tahun=2026,
        kode_skpd="1.01.0.00.0.00.01.0000", kode_sub_kegiatan="1.01.02.2.01.0001",
        nama_sub_kegiatan="Pembangunan Unit Sekolah Baru", kode_bidang_urusan="1.01",
        nama_bidang_urusan="URUSAN PEMERINTAHAN BIDANG PENDIDIKAN",
        indikator="Jumlah Unit Sekolah Baru yang Dibangun", target=Decimal("2"), satuan="Unit",
        pagu_indikatif=Decimal("3500000000.00"),
    )
    values.update(over)
    return SubKegiatanRkpd(**values)


# --- ubah: versioned changes -----------------------------------------------------------------------

def test_ubah_makes_a_new_version_with_only_the_changed_fields():
    a = item()
    b = a.ubah(pagu_indikatif=Decimal("3000000000.00"))
    assert b is not a
    assert b.version == a.version + 1 == 2
    assert b.pagu_indikatif == Decimal("3000000000.00")
    assert b.changes == {"pagu_indikatif": Decimal("3000000000.00")}
    # everything else carried over, the original untouched
    assert (b.indikator, b.target, b.satuan, b.kode_sub_kegiatan) == (a.indikator, a.target, a.satuan, a.kode_sub_kegiatan)
    assert a.pagu_indikatif == Decimal("3500000000.00") and a.version == 1 and a.changes == {}


def test_ubah_records_only_the_fields_whose_value_really_changes():
    b = item().ubah(satuan="Unit", target=Decimal("3"), indikator="Jumlah Unit Sekolah Baru yang Dibangun")
    assert b.changes == {"target": Decimal("3")}
    assert b.version == 2


@pytest.mark.parametrize("changes", [
    {},
    {"satuan": "Unit"},
    {"target": Decimal("2.0000")},            # the same number, another exponent
    {"pagu_indikatif": Decimal("3500000000")},
    {"indikator": "Jumlah Unit Sekolah Baru yang Dibangun", "pagu_indikatif": Decimal("3500000000.00")},
])
def test_a_change_that_changes_nothing_returns_the_same_object_and_version(changes):
    a = item()
    assert a.ubah(**changes) is a
    assert a.version == 1


def test_versions_accumulate_over_successive_changes():
    c = item().ubah(target=Decimal("3")).ubah(target=Decimal("4")).ubah(satuan="Paket")
    assert c.version == 4
    assert c.changes == {"satuan": "Paket"}  # the changes of the last step only
    assert (c.target, c.satuan) == (Decimal("4"), "Paket")


def test_ubah_continues_from_the_stored_version():
    assert item(version=7).ubah(target=Decimal("9")).version == 8


@pytest.mark.parametrize("field", ["kode_skpd", "kode_sub_kegiatan", "kode_pemda", "tahun", "id", "version",
                                   "changes", "nama_sub_kegiatan", "kode_bidang_urusan"])
def test_codes_and_identity_are_not_editable(field):
    a = item()
    with pytest.raises(ValueError, match=field):
        a.ubah(**{field: "something else"})


def test_an_uneditable_field_refuses_the_whole_change_even_with_an_editable_one():
    a = item()
    with pytest.raises(ValueError, match="not editable: kode_skpd, tahun"):
        a.ubah(tahun=2027, pagu_indikatif=Decimal("1.00"), kode_skpd="x")


def test_the_editable_fields_are_exactly_the_documented_ones():
    assert set(SubKegiatanRkpd.EDITABLE) == {"kinerja", "indikator", "target", "satuan", "pagu_indikatif",
                                             "pagu_indikatif_n1", "lokasi", "sumber_dana", "bulan_mulai",
                                             "bulan_selesai", "label_prioritas", "catatan", "kode_sasaran_renstra"}
    # and each is a real field of the record
    assert set(SubKegiatanRkpd.EDITABLE) <= {f.name for f in dataclasses.fields(SubKegiatanRkpd)}


def test_the_record_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        item().pagu_indikatif = Decimal("0")


def test_changes_do_not_take_part_in_equality():
    a = item()
    b = a.ubah(target=Decimal("3")).ubah(target=Decimal("2"))
    assert b.changes == {"target": Decimal("2")}
    assert b == dataclasses.replace(a, version=3)


# --- periksa_tahun ---------------------------------------------------------------------------------

@pytest.mark.parametrize("tahun", [TAHUN_MIN, TAHUN_MIN + 1, 2026, TAHUN_MAX - 1, TAHUN_MAX])
def test_years_in_range_pass(tahun):
    assert periksa_tahun(tahun) == []


@pytest.mark.parametrize("tahun", [TAHUN_MIN - 1, TAHUN_MAX + 1, 0, -2026, 20260])
def test_years_out_of_range_name_the_field(tahun):
    assert periksa_tahun(tahun) == [Pelanggaran("tahun", f"fiscal year must be between {TAHUN_MIN} and {TAHUN_MAX}")]


def test_the_year_bounds():
    assert (TAHUN_MIN, TAHUN_MAX) == (2000, 2100)


# --- periksa_kode ----------------------------------------------------------------------------------

KOTA = {"kode": "32.73", "nama": "Kota Bandung", "jenis": "kota"}
KABUPATEN = {"kode": "32.04", "nama": "Kabupaten Bandung", "jenis": "kabupaten"}
PROVINSI = {"kode": "32", "nama": "Jawa Barat", "jenis": "provinsi"}

DINAS_PENDIDIKAN = {"kode_pemda": "32.73", "kode": "1.01.0.00.0.00.01.0000", "nama": "Dinas Pendidikan",
                    "bidang_urusan": ["1.01"]}
DINAS_GABUNGAN = {"kode_pemda": "32.73", "kode": "1.01.2.19.0.00.01.0000", "nama": "Dinas Pendidikan dan Kebudayaan",
                  "bidang_urusan": ["1.01", "2.19", "2.22"]}


def sub(kode="1.01.02.2.01.0001", level="kabupaten_kota", bidang="1.01"):
    return {"kode": kode, "nama": "Pembangunan Unit Sekolah Baru", "level_pemerintahan": level,
            "bidang_urusan": {"kode": bidang, "nama": "PENDIDIKAN"}}


@pytest.mark.parametrize("pemda", [KOTA, KABUPATEN])
def test_a_kab_kota_sub_kegiatan_in_a_regency_or_city_served_by_its_skpd_passes(pemda):
    assert periksa_kode(pemda, DINAS_PENDIDIKAN, sub()) == []


def test_a_province_sub_kegiatan_in_a_province_passes():
    dinkes = {"kode": "1.02.0.00.0.00.01.0000", "bidang_urusan": ["1.02"]}
    assert periksa_kode(PROVINSI, dinkes, sub("1.02.02.1.01.0001", "provinsi", "1.02")) == []


def test_an_skpd_serving_several_affairs_may_plan_any_of_them():
    assert periksa_kode(KOTA, DINAS_GABUNGAN, sub("2.22.02.2.01.0001", bidang="2.22")) == []


def test_unknown_skpd():
    errors = periksa_kode(KOTA, None, sub())
    assert [e.field for e in errors] == ["kode_skpd"]
    assert "32.73" in errors[0].message


def test_unknown_sub_kegiatan():
    errors = periksa_kode(KOTA, DINAS_PENDIDIKAN, None)
    assert [e.field for e in errors] == ["kode_sub_kegiatan"]


def test_both_unknown_are_both_reported_and_nothing_else_is_checked():
    errors = periksa_kode(KOTA, None, None)
    assert [e.field for e in errors] == ["kode_skpd", "kode_sub_kegiatan"]


def test_a_province_sub_kegiatan_is_refused_in_a_city():
    errors = periksa_kode(KOTA, DINAS_PENDIDIKAN, sub("1.01.02.1.01.0001", level="provinsi"))
    assert [e.field for e in errors] == ["kode_sub_kegiatan"]
    assert "provinsi" in errors[0].message and "kota" in errors[0].message


def test_a_kab_kota_sub_kegiatan_is_refused_in_a_province():
    dinkes = {"kode": "1.02.0.00.0.00.01.0000", "bidang_urusan": ["1.02"]}
    errors = periksa_kode(PROVINSI, dinkes, sub("1.02.02.2.01.0001", "kabupaten_kota", "1.02"))
    assert [e.field for e in errors] == ["kode_sub_kegiatan"]
    assert "kabupaten_kota" in errors[0].message


def test_an_skpd_may_not_plan_an_affair_it_does_not_serve():
    errors = periksa_kode(KOTA, DINAS_PENDIDIKAN, sub("1.02.02.2.01.0001", bidang="1.02"))
    assert [e.field for e in errors] == ["kode_sub_kegiatan"]
    assert "1.02" in errors[0].message and "1.01" in errors[0].message


def test_bidang_urusan_must_match_exactly_not_by_prefix():
    # serving 1.01 does not mean serving 1.010 or 1.0
    skpd = {"kode": "x", "bidang_urusan": ["1.01"]}
    assert periksa_kode(KOTA, skpd, sub(bidang="1.0")) != []


def test_wrong_level_and_wrong_affair_are_both_reported():
    errors = periksa_kode(PROVINSI, DINAS_PENDIDIKAN, sub("1.02.02.2.01.0001", "kabupaten_kota", "1.02"))
    assert [e.field for e in errors] == ["kode_sub_kegiatan", "kode_sub_kegiatan"]
    assert len({e.message for e in errors}) == 2


# --- codes retired from the codification ---------------------------------------------------------------

def test_a_retired_sub_kegiatan_is_refused_naming_its_replacement():
    retired = {**sub(), "berlaku": False, "valid_until": "kepmendagri-900-2026", "kode_pengganti": ["1.01.02.2.01.0026"]}
    errors = periksa_kode(KOTA, DINAS_PENDIDIKAN, retired)
    assert [e.field for e in errors] == ["kode_sub_kegiatan"]
    assert "retired in version kepmendagri-900-2026" in errors[0].message and "1.01.02.2.01.0026" in errors[0].message


def test_a_retired_skpd_is_refused_and_no_other_rule_is_checked():
    retired = {**DINAS_PENDIDIKAN, "berlaku": False, "valid_until": "v-2", "kode_pengganti": []}
    errors = periksa_kode(KOTA, retired, sub(level="provinsi"))
    assert [e.field for e in errors] == ["kode_skpd"] and "use" not in errors[0].message


PEMETAAN = {"kind": "nomenklatur", "kode": "1.01.02.2.01.0001", "versi": "v-2", "kode_pengganti": ["1.01.02.2.01.0026"]}


def test_tandai_pemetaan_flags_once_per_code_and_version_and_changes_no_version():
    a = item()
    b = a.tandai_pemetaan(PEMETAAN)
    assert b.perlu_pemetaan and b.pemetaan == [PEMETAAN] and b.version == a.version
    assert b.kode_sub_kegiatan == a.kode_sub_kegiatan  # nothing is rewritten
    assert b.tandai_pemetaan({**PEMETAAN, "kode_pengganti": []}) == b
    c = b.tandai_pemetaan({**PEMETAAN, "kind": "skpd", "kode": "1.01.0.00.0.00.01.0000"})
    assert len(c.pemetaan) == 2


def test_ganti_nama_follows_a_newer_rename_as_a_new_version():
    a = item(revisi_sub_kegiatan=10)
    b = a.ganti_nama("sub_kegiatan", "1.01.02.2.01.0001", "Pembangunan USB", 12)
    assert (b.nama_sub_kegiatan, b.revisi_sub_kegiatan, b.version) == ("Pembangunan USB", 12, 2)
    assert b.changes == {"nama_sub_kegiatan": "Pembangunan USB"}


def test_ganti_nama_ignores_an_older_rename_and_other_codes():
    a = item(revisi_sub_kegiatan=10)
    assert a.ganti_nama("sub_kegiatan", "1.01.02.2.01.0001", "Lama", 9) is a
    assert a.ganti_nama("sub_kegiatan", "1.01.02.2.01.0002", "Lain", 20) is a


def test_ganti_nama_of_the_bidang_urusan():
    b = item().ganti_nama("bidang_urusan", "1.01", "PENDIDIKAN DASAR", 5)
    assert (b.nama_bidang_urusan, b.revisi_bidang_urusan, b.version) == ("PENDIDIKAN DASAR", 5, 2)


def test_a_newer_rename_to_the_same_name_records_its_revisi_only():
    a = item()
    b = a.ganti_nama("sub_kegiatan", "1.01.02.2.01.0001", a.nama_sub_kegiatan, 7)
    assert b.version == a.version and b.revisi_sub_kegiatan == 7


# -- what an item records: where, when, from which funds ------------------------------------------------

def _rincian(**over):
    return dataclasses.replace(item(), **over)


def test_an_item_s_output_defaults_to_the_codification_s():
    sub = {"kode": "1.01.02.2.01.0001", "kinerja": "Unit Sekolah Baru", "indikator": "Jumlah USB", "satuan": "Unit"}
    assert keluaran({"indikator": None, "satuan": "Paket"}, sub) == (
        {"kinerja": "Unit Sekolah Baru", "indikator": "Jumlah USB", "satuan": "Paket"}, [])
    fields, errors = keluaran({}, {**sub, "indikator": None, "satuan": ""})
    assert [e.field for e in errors] == ["indikator", "satuan"]


def test_lokasi_lies_in_the_pemda_and_each_region_once():
    assert periksa_rincian(_rincian(lokasi=["32.73", "32.73.01", "32.73.01.1001"])) == []
    errors = periksa_rincian(_rincian(lokasi=["32.73.01", "32.74.01", "32.730", "32.73.01"]))
    assert [e.field for e in errors] == ["lokasi.1", "lokasi.2", "lokasi"]


def test_months_run_forward():
    assert periksa_rincian(_rincian(bulan_mulai=3, bulan_selesai=3)) == []
    assert [e.field for e in periksa_rincian(_rincian(bulan_mulai=4, bulan_selesai=3))] == ["bulan_selesai"]


def test_sumber_dana_add_up_to_the_pagu_exactly():
    pagu = Decimal("1000.01")
    dana = [{"kode_sumber_dana": "1.1", "pagu": Decimal("600.005") + Decimal("0.005")},
            {"kode_sumber_dana": "2.1", "pagu": Decimal("400.00")}]
    assert periksa_rincian(_rincian(pagu_indikatif=pagu, sumber_dana=dana)) == []
    short = [dana[0], {"kode_sumber_dana": "2.1", "pagu": Decimal("399.99")}]
    [error] = periksa_rincian(_rincian(pagu_indikatif=pagu, sumber_dana=short))
    assert error.field == "sumber_dana" and "1000.00" in error.message and "1000.01" in error.message
    twice = [dana[0], {**dana[1], "kode_sumber_dana": "1.1"}]
    assert [e.field for e in periksa_rincian(_rincian(pagu_indikatif=pagu, sumber_dana=twice))] == ["sumber_dana"]
    assert periksa_rincian(_rincian(sumber_dana=[])) == []  # none given: nothing to add up


def test_from_a_stage_that_requires_it_an_item_names_its_renstra_sasaran():
    assert periksa_sasaran_wajib(item(), "rancangan", False) == []  # optional in the early stages
    assert periksa_sasaran_wajib(item(kode_sasaran_renstra="S1"), "rancangan_akhir", True) == []
    [error] = periksa_sasaran_wajib(item(), "rancangan_akhir", True)
    assert error.field == "kode_sasaran_renstra" and "stage rancangan_akhir" in error.message


def test_the_sasaran_is_editable_and_kept_in_the_snapshot():
    changed = item().ubah(kode_sasaran_renstra="S1")
    assert (changed.kode_sasaran_renstra, changed.version, changed.changes) == ("S1", 2, {"kode_sasaran_renstra": "S1"})
    assert changed.isi_snapshot()["kode_sasaran_renstra"] == "S1"


# --- locking a stage that requires the sasaran ------------------------------------------------------

def _never() -> bool:
    raise AssertionError("asked whether a Renstra covers the year although nothing needed it")


def test_a_stage_requiring_the_sasaran_is_not_locked_while_an_item_has_none():
    linked = item(kode_sasaran_renstra="S1")
    unlinked = item(id="0b6f3a1e-1111-4c55-9d0e-2b1f6a7c8d90", kode_sub_kegiatan="1.01.02.2.01.0002")
    [error] = periksa_kunci_sasaran([linked, unlinked], "rancangan_akhir", True, lambda: True)
    assert error.field == "kode_sasaran_renstra"
    assert unlinked.id in error.message and "1.01.02.2.01.0002" in error.message and "rancangan_akhir" in error.message
    # every item linked, or a stage that does not require it (a perubahan): the Renstra is not even asked
    assert periksa_kunci_sasaran([linked], "penetapan", True, _never) == []
    assert periksa_kunci_sasaran([unlinked], "perubahan", False, _never) == []
    assert periksa_kunci_sasaran([], "penetapan", True, _never) == []


def test_a_year_no_verified_renstra_covers_locks_with_items_unlinked():
    assert periksa_kunci_sasaran([item()], "penetapan", True, lambda: False) == []


def test_a_refused_lock_names_the_first_hundred_items_and_counts_the_rest():
    many = [item(id=f"00000000-0000-4000-8000-{n:012d}") for n in range(105)]
    errors = periksa_kunci_sasaran(many, "penetapan", True, lambda: True)
    assert len(errors) == 101 and {e.field for e in errors} == {"kode_sasaran_renstra"}
    assert "and 5 more items" in errors[-1].message
