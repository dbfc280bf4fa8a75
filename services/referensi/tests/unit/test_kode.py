"""The shapes of national codes (Permendagri 90/2019) and what follows from them: the codification's,
the regions' and the SKPD's code rules. Pure, no database."""
from __future__ import annotations

import csv
import functools
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from services.referensi import seed
from services.referensi.kodefikasi import domain as k
from services.referensi.skpd import domain as skpd
from services.referensi.wilayah import domain as w

DATA = Path(k.__file__).resolve().parent.parent / "data"
VERSIONS = [k.Versi(r["kode"], r["judul"], date.fromisoformat(r["tanggal"]), int(r["urutan"]), r["jenis"])
            for r in seed.read(DATA / "versi.csv")]


# --- segments: what a dotted code is ------------------------------------------------------------

@pytest.mark.parametrize("kode", ["1", "1.01", "X.XX.01", "5.1.02.01.01.0024", "32.73"])
def test_segments_of_well_formed_codes(kode):
    assert k.segments(kode) == kode.split(".")


@pytest.mark.parametrize("kode", [
    "", None, ".", "1.", ".1", "1..01", " 1.01", "1.01 ", "1 .01", "1,01", "1-01", "x.xx.01", "1.01/02",
])
def test_malformed_codes_are_refused_as_kode_tidak_sah(kode):
    with pytest.raises(k.KodeTidakSah):
        k.segments(kode)


def test_kode_tidak_sah_is_a_value_error():
    # callers that catch ValueError (e.g. a validation layer) still catch it
    assert issubclass(k.KodeTidakSah, ValueError)


def test_a_trailing_newline_is_not_part_of_a_code():
    with pytest.raises(k.KodeTidakSah):
        k.segments("1.01\n")


# --- nomenclature levels --------------------------------------------------------------------------

@pytest.mark.parametrize("kode, tingkat", [
    ("1", "urusan"),
    ("1.01", "bidang_urusan"),
    ("X.XX", "bidang_urusan"),
    ("1.01.02", "program"),
    ("X.XX.01", "program"),
    ("1.01.02.2.01", "kegiatan"),
    ("1.02.02.1.01", "kegiatan"),
    ("1.01.02.2.01.0001", "sub_kegiatan"),
    ("1.01.02.2.01.01", "sub_kegiatan"),  # the two-digit numbering before the 2021 update
    ("1.02.02.1.01.0001", "sub_kegiatan"),
])
def test_tingkat_nomenklatur(kode, tingkat):
    assert k.tingkat_nomenklatur(kode) == tingkat


@pytest.mark.parametrize("kode", ["1.01.02.2", "1.01.02.2.01.0001.01", "1.01.02.2.01.0001.01.01"])
def test_no_nomenclature_level_has_four_or_more_than_six_segments(kode):
    with pytest.raises(k.KodeTidakSah, match="segments"):
        k.tingkat_nomenklatur(kode)


@pytest.mark.parametrize("kode", ["1.01.02.0.01", "1.01.02.9.01", "1.01.02.01.01", "1.01.02.0.01.0001",
                                  "1.01.02.12.01.0001", "1.01.02.A.01"])
def test_kegiatan_level_digit_is_one_digit_from_1_to_8(kode):
    with pytest.raises(k.KodeTidakSah, match="level digit"):
        k.tingkat_nomenklatur(kode)


@pytest.mark.parametrize("kode", ["1.01.02.3.01", "1.01.02.4.01.0001", "1.03.13.5.01", "1.01.07.7.01"])
def test_the_lists_number_the_kegiatan_of_regions_with_special_status_3_to_8(kode):
    """1317/2023 lists 1.01.02.3.01 and 1.01.02.4.01 (education of Orang Asli Papua), 1.03.13.5.01
    (Kasultanan dan Kadipaten), 1.01.07.7.01 (Aceh's Dayah)."""
    assert k.tingkat_nomenklatur(kode) in ("kegiatan", "sub_kegiatan")


@pytest.mark.parametrize("kode, induk", [
    ("1", None),
    ("1.01", "1"),
    ("1.01.02", "1.01"),
    ("1.01.02.2.01", "1.01.02"),          # the kegiatan drops its level digit and number together
    ("1.02.02.1.01", "1.02.02"),
    ("1.01.02.2.01.0001", "1.01.02.2.01"),  # the sub kegiatan's parent is the kegiatan, level digit kept
])
def test_induk_nomenklatur(kode, induk):
    assert k.induk_nomenklatur(kode) == induk


def test_induk_nomenklatur_chain_from_sub_kegiatan_reaches_the_urusan_in_four_steps():
    chain = []
    kode = "1.01.02.2.01.0001"
    while kode is not None:
        chain.append(k.tingkat_nomenklatur(kode))
        kode = k.induk_nomenklatur(kode)
    assert chain == ["sub_kegiatan", "kegiatan", "program", "bidang_urusan", "urusan"]


@pytest.mark.parametrize("kode, bidang", [
    ("1.01", "1.01"),
    ("1.01.02", "1.01"),
    ("1.03.10.2.01.0023", "1.03"),
    ("5.02.02.2.01.0001", "5.02"),
    ("X.XX.01", "X.XX"),
])
def test_kode_bidang_urusan(kode, bidang):
    assert k.kode_bidang_urusan(kode) == bidang


def test_an_urusan_has_no_bidang_urusan():
    with pytest.raises(k.KodeTidakSah):
        k.kode_bidang_urusan("1")


@pytest.mark.parametrize("kode, level", [
    ("1.02.02.1.01", "provinsi"),
    ("1.02.02.1.01.0001", "provinsi"),
    ("1.02.02.2.01", "kabupaten_kota"),
    ("1.01.02.2.01.0001", "kabupaten_kota"),
])
def test_level_pemerintahan_from_the_level_digit(kode, level):
    assert k.level_pemerintahan(kode) == level


@pytest.mark.parametrize("kode", ["1", "1.01", "1.01.02"])
def test_level_pemerintahan_needs_a_kegiatan_level_digit(kode):
    with pytest.raises(k.KodeTidakSah):
        k.level_pemerintahan(kode)


def test_level_pemerintahan_refuses_a_level_digit_other_than_1_or_2():
    with pytest.raises(k.KodeTidakSah):
        k.level_pemerintahan("1.01.02.3.01.0001")


# --- chart of accounts ----------------------------------------------------------------------------

@pytest.mark.parametrize("kode, tingkat", [
    ("5", "akun"),
    ("5.1", "kelompok"),
    ("5.1.02", "jenis"),
    ("5.1.02.01", "objek"),
    ("5.1.02.01.01", "rincian_objek"),
    ("5.1.02.01.01.0024", "sub_rincian_objek"),
])
def test_tingkat_rekening(kode, tingkat):
    assert k.tingkat_rekening(kode) == tingkat


def test_accounts_have_at_most_six_levels():
    with pytest.raises(k.KodeTidakSah, match="one to six"):
        k.tingkat_rekening("5.1.02.01.01.0024.01")


@pytest.mark.parametrize("kode, induk", [
    ("5", None), ("5.1", "5"), ("5.1.02.01.01.0024", "5.1.02.01.01"), ("32.73", "32"), ("32.73.01.1001", "32.73.01"),
])
def test_induk(kode, induk):
    assert k.induk(kode) == induk


@pytest.mark.parametrize("kode, jenis", [
    ("1", "aset"), ("2.1", "kewajiban"), ("3", "ekuitas"), ("4.1.01.09.01.0001", "pendapatan"),
    ("5.2.03.01.01.0002", "belanja"), ("6.1.01", "pembiayaan"), ("7.1", "pendapatan_lo"), ("8.1.01", "beban"),
    ("9", "lainnya"), ("0.1", "lainnya"),
])
def test_akun_from_the_root_segment(kode, jenis):
    assert k.akun(kode) == jenis


def test_akun_looks_at_the_whole_first_segment_not_its_first_character():
    # '51' is not belanja (5): a multi-digit root is no known akun
    assert k.akun("51.1") == "lainnya"


# --- regions and pemda ----------------------------------------------------------------------------

@pytest.mark.parametrize("kode, tingkat", [
    ("32", "provinsi"), ("32.73", "kabupaten_kota"), ("32.73.01", "kecamatan"), ("32.73.01.1001", "desa"),
])
def test_tingkat_wilayah(kode, tingkat):
    assert w.tingkat_wilayah(kode) == tingkat


def test_a_region_code_has_at_most_four_segments():
    with pytest.raises(k.KodeTidakSah):
        w.tingkat_wilayah("32.73.01.1001.1")


@pytest.mark.parametrize("kode, nama, jenis", [
    ("32", "Jawa Barat", "provinsi"),
    ("31", "Kota Sesuatu", "provinsi"),  # a province is a province whatever its name says
    ("32.73", "Kota Bandung", "kota"),
    ("32.73", "KOTA BANDUNG", "kota"),
    ("32.04", "Kabupaten Bandung", "kabupaten"),
    ("71.74", "Kota Kotamobagu", "kota"),
    ("63.02", "Kabupaten Kotabaru", "kabupaten"),       # 'kota' inside a regency's name
    ("62.01", "Kabupaten Kotawaringin Barat", "kabupaten"),
])
def test_jenis_pemda(kode, nama, jenis):
    assert w.jenis_pemda(kode, nama) == jenis


@pytest.mark.parametrize("kode", ["32.73.01", "32.73.01.1001"])
def test_a_district_or_village_is_not_a_pemda(kode):
    with pytest.raises(k.KodeTidakSah, match="not a pemda"):
        w.jenis_pemda(kode, "Kota Lama")


def test_jenis_pemda_of_every_shipped_regency_and_city_agrees_with_its_code():
    """BPS numbering: regencies 01-69, cities 71-99; the name-based rule must agree on the shipped data."""
    with (DATA / "wilayah.csv").open(newline="", encoding="utf-8") as f:
        pemda = [r for r in csv.DictReader(f) if r["kode"].count(".") == 1]
    assert len(pemda) > 500
    disagree = [(r["kode"], r["nama"]) for r in pemda
                if w.jenis_pemda(r["kode"], k.bersihkan_nama(r["nama"]))
                != ("kota" if int(r["kode"].split(".")[1]) >= 71 else "kabupaten")]
    assert disagree == []


@pytest.mark.parametrize("raw, clean", [
    ("Kota  Bandung", "Kota Bandung"),
    ("  Kota Administrasi Jakarta Utara ", "Kota Administrasi Jakarta Utara"),
    ("Belanja\tGaji\nPokok", "Belanja Gaji Pokok"),
    ("Pajak Reklame Papan/Billboard", "Pajak Reklame Papan/Billboard"),
    ("", ""),
    ("   ", ""),
])
def test_bersihkan_nama(raw, clean):
    assert k.bersihkan_nama(raw) == clean


def test_bersihkan_nama_keeps_case_and_punctuation():
    assert k.bersihkan_nama("Perencanaan, Penganggaran,  dan Evaluasi") == "Perencanaan, Penganggaran, dan Evaluasi"


# --- the shipped codification is consistent with these rules ------------------------------------

def _read(name):
    return seed.read(DATA / name)


@functools.cache
def _history(kind):
    return dict(getattr(seed, kind)())


def test_the_nomenclature_of_1317_2023_has_the_counts_of_its_provenance():
    rows = _history("nomenklatur")[seed.V1317]
    assert Counter(r["tingkat"] for r in rows) == {"urusan": 10, "bidang_urusan": 45, "program": 188,
                                                   "kegiatan": 729, "sub_kegiatan": 3395}
    assert all(r["kinerja"] and r["indikator"] and r["satuan"] for r in rows if r["tingkat"] == "sub_kegiatan")


def test_the_2027_list_holds_each_lampiran_whole_with_the_counts_of_its_provenance():
    """PROVENANCE.md: PROV 50 bidang, 217 program, 912 kegiatan, 4,031 sub kegiatan; KABKOT 45, 189, 713, 3,550."""
    rows = _history("nomenklatur")[seed.V2027]

    def listed(lingkup: str) -> Counter:
        return Counter(k.tingkat_nomenklatur(r["kode"]) for r in rows if r.get("varian", "umum") == lingkup
                       or (r.get("varian", "umum") == "umum" and lingkup in r["lingkup"].split()))

    assert listed("provinsi") == {"urusan": 10, "bidang_urusan": 50, "program": 217, "kegiatan": 912,
                                  "sub_kegiatan": 4031}
    assert listed("kabupaten_kota") == {"urusan": 10, "bidang_urusan": 45, "program": 189, "kegiatan": 713,
                                        "sub_kegiatan": 3550}


def test_every_shipped_nomenclature_code_has_a_level_and_its_parent_is_shipped():
    for versi, rows in _history("nomenklatur").items():
        codes = {r["kode"] for r in rows}
        # a code once, or twice: its record and its provincial variant (the 2027 list's 599 codes the lampiran
        # give different content)
        assert len({(r["kode"], r.get("varian", "umum")) for r in rows}) == len(rows), versi
        assert len(rows) - len(codes) == (599 if versi == seed.V2027 else 0), versi
        for r in rows:
            k.tingkat_nomenklatur(r["kode"])  # raises if malformed
            parent = k.induk_nomenklatur(r["kode"])
            assert parent is None or parent in codes, (versi, r["kode"])


def test_the_2027_list_holds_both_lampiran_and_its_crosswalk_from_earlier_codes():
    rows = _history("nomenklatur")[seed.V2027]
    lingkup = Counter((k.tingkat_nomenklatur(r["kode"]), r["lingkup"]) for r in rows)
    assert lingkup[("sub_kegiatan", "provinsi")] > 3000 and lingkup[("sub_kegiatan", "kabupaten_kota")] > 3000
    pairs = [(old, r["kode"]) for r in rows for old in r.get("kode_lama", "").split()]
    assert ("1.02.02.1.02.0013", "1.02.02.1.02.0035") in pairs and len(pairs) > 300
    assert all(old != new for old, new in pairs)


def test_every_shipped_account_has_a_level_and_its_parent_is_shipped_where_its_root_holds_that_level():
    for versi, rows in _history("rekening").items():
        codes = {r["kode"] for r in rows}
        held = {(c.split(".")[0], k.tingkat_rekening(c)) for c in codes}
        for c in codes:
            parent = k.induk(c)
            if parent is not None and (parent.split(".")[0], k.tingkat_rekening(parent)) in held:
                assert parent in codes, (versi, c)
    counts = Counter((r["kode"][0], k.tingkat_rekening(r["kode"])) for r in rows if r["sumber"] != seed.TULISAN_TANGAN)
    assert len(rows) - sum(1 for r in rows if r["sumber"] == seed.TULISAN_TANGAN) == 56920
    assert [counts[("5", t)] for t in k.REKENING_TINGKAT.values()] == [1, 4, 15, 98, 324, 3836]


def test_hand_written_accounts_fill_only_what_no_source_has():
    rows = _history("rekening")[seed.V1317]
    hand = [r for r in rows if r["sumber"] == seed.TULISAN_TANGAN]
    assert hand and all(r["kode"][0] != "5" and k.tingkat_rekening(r["kode"]) in ("akun", "kelompok", "jenis")
                        for r in hand)
    assert len({r["kode"] for r in rows}) == len(rows)
    # each fills a level above accounts the sources do have: no branch of its own, no code a source has
    published = [r["kode"] for r in rows if r["sumber"] != seed.TULISAN_TANGAN]
    assert all(any(c.startswith(h["kode"] + ".") for c in published) for h in hand)


def test_the_sample_pemda_use_only_the_decrees_codes():
    """32.73's and 32's sample SKPD and prices (``contoh``) name bidang urusan and accounts of the decrees' lists."""
    bidang = {r["kode"] for r in _history("nomenklatur")[seed.V1317] if r["tingkat"] == "bidang_urusan"}
    accounts = {r["kode"] for r in _history("rekening")[seed.V1317] if r["sumber"] != seed.TULISAN_TANGAN}
    for r in _read("skpd_contoh.csv"):
        assert set(r["bidang_urusan"].replace(",", " ").split()) <= bidang, r["kode"]
    for r in _read("standar_harga_contoh.csv"):
        assert set(r["kode_rekening"].replace(",", " ").split()) <= accounts, r["kode"]


# --- what an account is for -------------------------------------------------------------------------

@pytest.mark.parametrize("kode, peruntukan, laporan", [
    ("5", "belanja", "lra"), ("5.1", "belanja_operasi", "lra"), ("5.1.01.01.01.0001", "belanja_pegawai", "lra"),
    ("5.1.02.01.01.0024", "belanja_barang_dan_jasa", "lra"), ("5.1.05", "belanja_hibah", "lra"),
    ("5.1.06.01", "belanja_bantuan_sosial", "lra"), ("5.2.03.01.01.0002", "belanja_modal", "lra"),
    ("5.3.01", "belanja_tidak_terduga", "lra"), ("5.4.02", "belanja_transfer", "lra"),
    ("4.1.01.09.01.0001", "pendapatan_asli_daerah", "lra"), ("4.2.01", "pendapatan_transfer", "lra"),
    ("6.1.01", "penerimaan_pembiayaan", "lra"), ("6.2.02", "pengeluaran_pembiayaan", "lra"),
    ("1.3", "aset", "neraca"), ("2", "kewajiban", "neraca"), ("7.1", "pendapatan_lo", "lo"), ("8.1", "beban", "lo"),
    ("9", "lainnya", "lainnya"),
])
def test_what_an_account_is_for(kode, peruntukan, laporan):
    assert (k.peruntukan_rekening(kode), k.laporan_rekening(kode)) == (peruntukan, laporan)


def test_every_shipped_belanja_account_has_a_purpose_below_belanja():
    for r in _history("rekening")[seed.V1317]:
        if r["kode"].startswith("5.") and r["kode"].count(".") >= 2:
            assert k.peruntukan_rekening(r["kode"]) not in ("belanja", "belanja_operasi", "lainnya"), r["kode"]


# --- organisation codes, region codes, funding sources ---------------------------------------------------

@pytest.mark.parametrize("kode, bidang", [
    ("1.01.0.00.0.00.01.0000", ["1.01"]),
    ("5.01.5.05.0.00.01.0000", ["5.01", "5.05"]),
    ("1.03.1.04.2.10.01.0000", ["1.03", "1.04", "2.10"]),
])
def test_the_bidang_urusan_an_organisation_code_names(kode, bidang):
    assert skpd.bidang_urusan_skpd(kode) == bidang


@pytest.mark.parametrize("kode", ["1.01.0.00.0.00.01", "0.00.0.00.0.00.01.0000", "1.1.0.00.0.00.01.0000",
                                  "1.01.0.00.0.00.1.0000", "1.01.1.01.0.00.01.0000", "1.01.0.00.0.00.01.000"])
def test_malformed_organisation_codes(kode):
    with pytest.raises(k.KodeTidakSah):
        skpd.bidang_urusan_skpd(kode)


@pytest.mark.parametrize("kode, tingkat", [("32", 1), ("32.73", 2), ("32.73.01", 3), ("32.73.01.1001", 4)])
def test_region_codes_with_the_published_widths(kode, tingkat):
    assert w.periksa_kode_wilayah(kode) == tingkat


@pytest.mark.parametrize("kode", ["3", "32.7", "32.73.1", "32.73.01.101", "32.73.01.1001.1", "AB", "32.73.01.10011"])
def test_region_codes_of_other_widths_are_refused(kode):
    with pytest.raises(k.KodeTidakSah):
        w.periksa_kode_wilayah(kode)


def test_every_shipped_region_code_has_the_published_widths():
    with (DATA / "wilayah.csv").open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            w.periksa_kode_wilayah(r["kode"])


def test_funding_source_levels():
    assert [k.tingkat_sumber_dana(c) for c in ("2", "2.1", "2.1.03.01")] == [1, 2, 4]
    with pytest.raises(k.KodeTidakSah):
        k.tingkat_sumber_dana("1.1.1.1.1.1.1")


def test_every_shipped_skpd_serves_shipped_bidang_urusan_and_every_list_keeps_its_parents():
    bidang = {r["kode"] for r in _history("nomenklatur")[seed.V2027] if r["kode"].count(".") == 1}
    for scope, history in seed.skpd(VERSIONS):
        for _, rows in history:
            for r in rows:
                served = skpd.bidang_urusan_dilayani(r["kode"], r["bidang_urusan"].split())
                assert set(served) <= bidang, r["kode"]
    for versi, rows in _history("sumber_dana").items():
        codes = {r["kode"] for r in rows}
        assert all(k.induk(c) in codes for c in codes if k.induk(c)), versi


def test_pasangkayu_prices_are_numbered_within_their_goods_group_and_name_their_accounts():
    (scope, [(versi, items)]), *_ = seed.standar_harga(VERSIONS)
    assert scope == {"kode_pemda": "76.01", "tahun": "2024"} and len(items) == 14532
    assert len({i["kode"] for i in items}) == len(items)
    assert items[0]["kode"] == "1.1.12.01.01.0001.00001" and items[0]["kode_rekening"] == "5.1.02.01.01.0001"
