"""What keuangan keeps of referensi's lists, and what a retirement or a rename means for its records. Pure."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from services.keuangan.replika.domain import (
    PLAFON_SKPD, PLAFON_SUB_KEGIATAN, RINCIAN_REKENING, NamaRekening, Rekening, Skpd, baris, dipensiunkan,
    kode_bidang_urusan, kode_pensiun, lebih_baru, nama_rekening, record, tambah_pemetaan, terbaru,
)


def item(kode="5.2.03.01.01.0002", revisi=10, aksi="added", tingkat="sub_rincian_objek", nama="Belanja",
         **over) -> SimpleNamespace:
    return SimpleNamespace(**{**dict(kode=kode, tingkat=tingkat, akun="belanja", peruntukan="belanja_modal", nama=nama,
                                     kode_induk=kode.rsplit(".", 1)[0], valid_from="v-1", valid_until=None,
                                     revisi=revisi, aksi=aksi, kode_pengganti=[]), **over})


def test_a_batch_keeps_one_row_per_record_its_newest_in_key_order():
    rows = terbaru("rekening", [item("5.2", 12), item("5.1", 11), item("5.2", 13, nama="Baru"), item("5.2", 9)])
    assert [(r["kode"], r["revisi"], r["nama"]) for r in rows] == [("5.1", 11, "Belanja"), ("5.2", 13, "Baru")]


def test_a_retired_item_is_kept_as_not_in_force_with_its_replacements():
    [row] = terbaru("rekening", [item(aksi="retired", valid_until="v-2", kode_pengganti=["5.2.03.01.01.0003"])])
    assert (row["berlaku"], row["valid_until"], row["kode_pengganti"]) == (False, "v-2", ["5.2.03.01.01.0003"])


@pytest.mark.parametrize("kode, bidang", [("1.01.02.2.01.0001", "1.01"), ("X.XX.01.2.01.0001", "X.XX")])
def test_a_sub_kegiatan_s_bidang_urusan_is_its_code_s_first_two_segments(kode, bidang):
    assert kode_bidang_urusan(kode) == bidang


@pytest.mark.parametrize("akun, kept", [("belanja", True), ("pendapatan", True), ("pembiayaan", True),
                                        ("aset", False), ("kewajiban", False), ("ekuitas", False),
                                        ("pendapatan_lo", False), ("beban", False)])
def test_of_the_chart_of_accounts_the_budget_s_roots_are_kept(akun, kept):
    """The balance-sheet and operational accounts are nine tenths of the chart (51,677 of 56,920)."""
    assert (baris("rekening", item("1.1.01.01.01.0001", akun=akun)) is not None) is kept


@pytest.mark.parametrize("tingkat, kept", [("urusan", True), ("bidang_urusan", True), ("program", True),
                                           ("kegiatan", False), ("sub_kegiatan", True)])
def test_of_the_nomenclature_the_sub_kegiatan_and_the_levels_the_summaries_name_are_kept(tingkat, kept):
    row = baris("nomenklatur", item("1.01.02", tingkat=tingkat))
    assert (row is not None) is kept and (row is None or row["tingkat"] == tingkat)


def test_an_skpd_is_kept_per_pemda():
    skpd = SimpleNamespace(kode_pemda="32.73", kode="1.01.0.00.0.00.01.0000", nama="Dinas Pendidikan",
                           bidang_urusan=["1.01"], valid_from="v-1", valid_until=None, revisi=3, aksi="added",
                           kode_pengganti=[])
    [row] = terbaru("skpd", [skpd])
    assert record("skpd", row) == Skpd("32.73", "1.01.0.00.0.00.01.0000", "Dinas Pendidikan", ("1.01",),
                                        valid_from="v-1", valid_until=None, revisi=3)


def test_a_stored_row_reads_back_as_its_record_with_lists_as_tuples():
    row = {**terbaru("rekening", [item(kode_pengganti=["a", "b"])])[0], "updated_at": "ignored"}
    assert record("rekening", row) == Rekening("5.2.03.01.01.0002", "sub_rincian_objek", "belanja", "belanja_modal",
                                               "Belanja", "5.2.03.01.01", valid_from="v-1", valid_until=None,
                                               revisi=10, kode_pengganti=("a", "b"), berlaku=True)


def test_only_a_newer_state_replaces_the_one_held():
    assert lebih_baru(None, 1) and lebih_baru(1, 2)
    assert not lebih_baru(2, 2) and not lebih_baru(3, 2)


# -- retirements -----------------------------------------------------------------------------------------

def test_retired_codes_are_found_where_keuangan_holds_them():
    rekening = [item(aksi="retired", valid_until="v-2"), item("5.2.03", tingkat="jenis", aksi="retired"),
                item("5.2.03.01.01.0003")]
    assert [(r.dipakai_sebagai, r.kode) for r in kode_pensiun("rekening", rekening)] == [
        (RINCIAN_REKENING, "5.2.03.01.01.0002")]
    sub = [item("1.01.02.2.01.0001", tingkat="sub_kegiatan", aksi="retired"), item("1.01", tingkat="bidang_urusan",
                                                                                   aksi="retired")]
    assert [r.dipakai_sebagai for r in kode_pensiun("nomenklatur", sub)] == [PLAFON_SUB_KEGIATAN]
    skpd = SimpleNamespace(kode_pemda="32.73", kode="1.01.0.00.0.00.01.0000", aksi="retired", valid_until="v-2",
                           kode_pengganti=[])
    [found] = kode_pensiun("skpd", [skpd])
    assert (found.dipakai_sebagai, found.kode_pemda) == (PLAFON_SKPD, "32.73")
    assert kode_pensiun("sumber_dana", [item("1.1", tingkat=2, aksi="retired")]) == []


def test_a_retired_sub_kegiatan_reaches_the_pemda_that_read_it():
    """A code's provincial variant is the provinces'; its record the regencies/cities', and the provinces' too
    unless the code has a current provincial variant."""
    beda, sama = "1.01.02.3.05.0001", "1.01.02.2.01.0001"
    subs = [item(beda, tingkat="sub_kegiatan", aksi="retired", varian="provinsi"),
            item(beda, tingkat="sub_kegiatan", aksi="retired"), item(sama, tingkat="sub_kegiatan", aksi="retired")]
    found = kode_pensiun("nomenklatur", subs, varian_provinsi={beda})
    assert [(r.kode, sorted(r.untuk)) for r in found] == [
        (beda, ["provinsi"]), (beda, ["kabupaten_kota"]), (sama, ["kabupaten_kota", "provinsi"])]
    assert baris("nomenklatur", subs[0])["varian"] == "provinsi" and baris("nomenklatur", subs[2])["varian"] == "umum"


def test_what_a_record_keeps_of_a_retired_code():
    [found] = kode_pensiun("rekening", [item(aksi="retired", valid_until="v-2", kode_pengganti=["x"])])
    assert found.pemetaan == {"kind": "rekening", "kode": "5.2.03.01.01.0002", "versi": "v-2", "kode_pengganti": ["x"]}


def test_a_retired_code_is_added_once_per_list_code_and_version():
    entry = {"kind": "rekening", "kode": "5.2", "versi": "v-2", "kode_pengganti": []}
    assert tambah_pemetaan([], entry) == [entry]
    assert tambah_pemetaan([entry], {**entry, "kode_pengganti": ["x"]}) == [entry]
    assert len(tambah_pemetaan([entry], {**entry, "versi": "v-3"})) == 2
    assert len(tambah_pemetaan([entry], {**entry, "kind": "nomenklatur"})) == 2


def test_why_a_retired_code_cannot_be_used():
    assert dipensiunkan("account", Rekening("5.2", "jenis", "belanja", "x", "n", valid_until="v-2")) == \
        "account 5.2 was retired in version v-2"
    assert dipensiunkan("SKPD", Skpd("32.73", "1.01", "n", valid_until="v-2", kode_pengganti=("a", "b"))) == \
        "SKPD 1.01 was retired in version v-2; use a or b"


# -- renames ----------------------------------------------------------------------------------------------

def test_the_names_lines_take_are_the_current_sub_rincian_objek_s_newest():
    names = nama_rekening([item(nama="A", revisi=11), item(nama="B", revisi=12, aksi="changed"),
                           item("5.2.03", tingkat="jenis", nama="C"), item("5.2.04.01.01.0001", aksi="retired")])
    assert names == [NamaRekening("5.2.03.01.01.0002", "B", 12)]
