"""Import rules: rows read with their row numbers, compared with what is current, checked against
the rest of the codification. Pure, no database."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.referensi.impor import domain as d
from services.referensi.kodefikasi import domain as k

NOMENKLATUR = d.KINDS["nomenklatur"]
REKENING = d.KINDS["rekening"]
SKPD = d.KINDS["skpd"]
HARGA = d.KINDS["standar_harga"]
HEADER = ["kode", "nama", "kinerja", "indikator", "satuan"]


def rows(*values, start=2):
    return list(enumerate(values, start))


def read(kind=NOMENKLATUR, mode="full", header=HEADER, values=(), scope=None):
    return d.baca(kind, mode, header, rows(*values), scope or {})


def errors_of(found):
    return [(e.row, e.field) for e in found]


def tree(*codes, varian="umum"):
    """Current records of a nomenclature list, by key (of ``varian``: ``provinsi``, the codes' provincial variants)."""
    out = {}
    for kode in codes:
        cells = {"nama": "nama " + kode, "varian": varian}
        record = {"kode": kode, "varian": varian, **d._nomenklatur(cells.get, kode)}
        out[(kode, varian)] = record
    return out


# --- reading rows ------------------------------------------------------------------------------------

def test_rows_are_read_with_their_spreadsheet_numbers_and_names_cleaned():
    found, errors = read(values=[["1", " URUSAN  WAJIB ", "", "", ""],
                                 ["1.01", "PENDIDIKAN", None, None, None]])
    assert errors == []
    assert [(b.row, b.record["kode"], b.record["nama"], b.record["tingkat"]) for b in found] == [
        (2, "1", "URUSAN WAJIB", "urusan"), (3, "1.01", "PENDIDIKAN", "bidang_urusan")]
    assert found[1].record["kode_induk"] == "1" and found[1].record["kinerja"] is None


def test_headers_as_operators_write_them():
    found, errors = read(header=["Kode", " NAMA ", "Kinerja", "Indikator", "Satuan", "Keterangan"],
                         values=[["1", "URUSAN", "", "", "", "ignored"]])
    assert errors == [] and found[0].record["nama"] == "URUSAN"


def test_empty_rows_are_skipped_and_the_numbering_kept():
    found, errors = read(values=[["1", "URUSAN", "", "", ""], ["", "", None, "", ""], ["1.01", "", "", "", ""]])
    assert errors_of(errors) == [(4, "nama")]


@pytest.mark.parametrize("value, field, message", [
    (["1.01.02.0.01.0001", "x", "", "", ""], "kode", "level digit"),
    (["1..01", "x", "", "", ""], "kode", "not a dotted code"),
    (["1.01", "", "", "", ""], "nama", "required"),
    (["", "x", "", "", ""], "kode", "required"),
    ([1.1, "x", "", "", ""], "kode", "format the column as text"),
    (["1.01", "x" * 2001, "", "", ""], "nama", "longer than"),
])
def test_a_bad_row_is_reported_with_its_row_number_column_and_reason(value, field, message):
    found, errors = read(values=[["1", "URUSAN", "", "", ""], value])
    assert errors_of(errors) == [(3, field)]
    assert message in errors[0].message


def test_a_whole_number_typed_as_a_number_is_a_code_still():
    found, errors = d.baca(d.KINDS["wilayah"], "full", ["kode", "nama"], rows([32, "Jawa Barat"]), {})
    assert errors == [] and found[0].record["kode"] == "32"


def test_every_bad_row_is_reported_not_only_the_first():
    found, errors = read(values=[["x", "a", "", "", ""], ["1", "", "", "", ""], ["1.01", "b", "", "", ""],
                                 ["9.9.9.9", "c", "", "", ""]])
    assert errors_of(errors) == [(2, "kode"), (3, "nama"), (5, "kode")]


def test_a_code_twice_names_the_first_row():
    found, errors = read(values=[["1", "A", "", "", ""], ["1.01", "B", "", "", ""], ["1", "C", "", "", ""]])
    assert errors_of(errors) == [(4, "kode")] and "first in row 2" in errors[0].message


def test_a_missing_column_is_a_header_finding():
    found, errors = read(header=["kode", "kinerja"], values=[["1", "x"]])
    assert errors_of(errors) == [(1, "nama")] and found == []


def test_a_full_import_has_no_aksi_column():
    found, errors = read(header=HEADER + ["aksi"], values=[["1", "A", "", "", "", "tambah"]])
    assert errors_of(errors) == [(1, "aksi")]


def test_a_file_without_rows_is_refused():
    assert errors_of(read(values=[])[1]) == [(2, "kode")]


def test_a_diff_reads_its_actions_and_needs_only_the_code_to_retire():
    found, errors = read(mode="diff", header=["aksi", "kode", "nama", "kode_pengganti"], values=[
        ["tambah", "1.01", "PENDIDIKAN", ""], ["UBAH", "1.02", "KESEHATAN", ""], ["hapus", "1.03", "", "1.02; 1.01"],
        ["retire", "1.04", "", ""]])
    assert errors == []
    assert [b.aksi for b in found] == [d.ADDED, d.CHANGED, d.RETIRED, d.RETIRED]
    assert found[2].record == {"kode": "1.03", "varian": "umum"} and found[2].kode_pengganti == ["1.02", "1.01"]


@pytest.mark.parametrize("row, field", [
    (["buang", "1.01", "x", ""], "aksi"),
    (["", "1.01", "x", ""], "aksi"),
    (["tambah", "1.01", "x", "1.02"], "kode_pengganti"),   # only a retired row has replacements
    (["hapus", "1.01", "", "1.01"], "kode_pengganti"),     # not itself
    (["hapus", "1.01", "", "1..2"], "kode_pengganti"),
    (["tambah", "1.01", "", ""], "nama"),
])
def test_bad_diff_rows(row, field):
    found, errors = read(mode="diff", header=["aksi", "kode", "nama", "kode_pengganti"], values=[row])
    assert errors_of(errors) == [(2, field)]


def test_kode_lama_names_the_codes_a_row_replaces():
    found, errors = read(header=HEADER + ["kode_lama"], values=[
        ["1.01.02.2.01.0001", "A", "", "", "", "1.01.02.2.01.01"], ["1.01.02.2.01.0002", "B", "", "", "", ""]])
    assert errors == [] and found[0].kode_lama == ["1.01.02.2.01.01"] and found[1].kode_lama == []
    assert d.crosswalk(NOMENKLATUR, found) == [("1.01.02.2.01.01", "1.01.02.2.01.0001")]


def test_crosswalk_pairs_from_both_columns_without_repeats():
    found, _ = read(mode="diff", header=["aksi", "kode", "nama", "kode_lama", "kode_pengganti"], values=[
        ["hapus", "1.01.02.2.01.01", "", "", "1.01.02.2.01.0001 1.01.02.2.01.0002"],
        ["tambah", "1.01.02.2.01.0001", "A", "1.01.02.2.01.01", ""]])
    assert d.crosswalk(NOMENKLATUR, found) == [("1.01.02.2.01.01", "1.01.02.2.01.0001"),
                                               ("1.01.02.2.01.01", "1.01.02.2.01.0002")]


# --- the lists kept per pemda ---------------------------------------------------------------------------

def test_skpd_rows_take_their_bidang_urusan_from_the_code_and_their_pemda_from_the_import():
    found, errors = d.baca(SKPD, "full", ["kode", "nama", "bidang_urusan"],
                           rows(["5.01.5.05.0.00.01.0000", "Bappeda", ""], ["1.01.0.00.0.00.01.0000", "Dinas", ""]),
                           {"kode_pemda": "32.73"})
    assert errors == []
    assert found[0].record == {"kode_pemda": "32.73", "kode": "5.01.5.05.0.00.01.0000", "nama": "Bappeda",
                               "bidang_urusan": ["5.01", "5.05"], "sumber": None, "sumber_bidang_urusan": None}


def test_skpd_rows_of_a_pemda_numbering_its_units_otherwise_name_their_bidang_urusan():
    """Kabupaten Pasangkayu's 2.11.1.00.0.00.01.0000 is its Dinas Koperasi, UMKM dan Perdagangan: 2.17 and 3.30,
    not the 2.11 (Lingkungan Hidup) its code would say; a pair ``3.00`` names nothing."""
    found, errors = d.baca(SKPD, "full", ["kode", "nama", "bidang_urusan"],
                           rows(["2.11.1.00.0.00.01.0000", "Dinas Koperasi, UMKM dan Perdagangan", "2.17 3.30"],
                                ["4.01.3.00.0.00.01.0000", "Sekretariat Daerah", ""]), {"kode_pemda": "76.01"})
    assert errors == []
    assert [b.record["bidang_urusan"] for b in found] == [["2.17", "3.30"], ["4.01"]]


@pytest.mark.parametrize("row, field", [
    (["32.71", "1.01.0.00.0.00.01.0000", "Dinas", ""], "kode_pemda"),   # another pemda in the file
    (["", "1.01.0.00.0.00.01.0000", "Dinas", "1.02 1.03 1.04 1.05"], "bidang_urusan"),  # more than three
    (["", "1.01.0.00.0.00.01", "Dinas", ""], "kode"),                    # not an organisation code
    (["32.73", "0.00.0.00.0.00.01.0000", "Dinas", ""], "kode"),
])
def test_bad_skpd_rows(row, field):
    found, errors = d.baca(SKPD, "full", ["kode_pemda", "kode", "nama", "bidang_urusan"], rows(row),
                           {"kode_pemda": "32.73"})
    assert errors_of(errors) == [(2, field)]


H = ["kode", "jenis", "uraian", "spesifikasi", "satuan", "harga", "kode_rekening"]


def harga(value):
    return d.baca(HARGA, "full", H, rows(["1.1.7.01", "ssh", "Pensil", "", "Buah", value, "5.1.02.01.01.0024"]),
                  {"kode_pemda": "32.73", "tahun": 2026})


@pytest.mark.parametrize("value, expected", [
    ("3500", Decimal("3500.00")), ("3500.5", Decimal("3500.50")), (3500, Decimal("3500.00")),
    (12500.25, Decimal("12500.25")), (0.1, Decimal("0.10")), ("0", Decimal("0.00")),
])
def test_prices_are_exact(value, expected):
    found, errors = harga(value)
    assert errors == [] and found[0].record["harga"] == expected and found[0].record["jenis"] == "SSH"


@pytest.mark.parametrize("value", ["1.500.000,00", "1,5", "-1", "1.001", "abc", "", None, 1.005, "1e3", 10 ** 15])
def test_prices_that_are_not_amounts(value):
    assert errors_of(harga(value)[1]) == [(2, "harga")]


def test_a_price_names_the_accounts_it_may_be_spent_on():
    found, errors = d.baca(HARGA, "full", H, rows(["1.1", "SBU", "Honor", "", "OJ", "1000", ""],
                                                  ["1.2", "XYZ", "Honor", "", "OJ", "1000", "5.1"],
                                                  ["1.3", "ASB", "Rapat", "", "Kali", "1000",
                                                   "5.1.02.01.01.0052, 5.1.02.01.01.0024"]),
                           {"kode_pemda": "32.73", "tahun": 2026})
    assert errors_of(errors) == [(2, "kode_rekening"), (3, "jenis")]
    assert found[0].record["kode_rekening"] == ["5.1.02.01.01.0052", "5.1.02.01.01.0024"]


def test_standard_prices_keep_no_crosswalk():
    found, errors = d.baca(HARGA, "full", H + ["kode_lama"], rows([]), {"kode_pemda": "32.73", "tahun": 2026})
    assert errors_of(errors) == [(1, "kode_lama")]


@pytest.mark.parametrize("kind, scope, fields", [
    (SKPD, {}, ["kode_pemda"]),
    (SKPD, {"kode_pemda": "32.73.01"}, ["kode_pemda"]),
    (HARGA, {"kode_pemda": "32.73"}, ["tahun"]),
    (HARGA, {"kode_pemda": "32.73", "tahun": 1990}, ["tahun"]),
    (NOMENKLATUR, {"kode_pemda": "32.73"}, ["kode_pemda"]),
    (SKPD, {"kode_pemda": "32.73"}, []),
])
def test_the_scope_of_an_import(kind, scope, fields):
    assert [e.field for e in d.periksa_lingkup(kind, scope)] == fields


# --- comparing with what is current ---------------------------------------------------------------------

def test_a_full_list_adds_changes_keeps_and_retires():
    current = tree("1", "1.01", "1.02")
    found, _ = read(values=[["1", "nama 1", "", "", ""], ["1.01", "PENDIDIKAN", "", "", ""],
                            ["1.03", "PU", "", "", ""]])
    diff, errors = d.hitung_selisih(NOMENKLATUR, "full", found, current, set())
    assert errors == []
    assert [r["kode"] for _, r in diff.added] == ["1.03"]
    assert [(old["nama"], new["nama"]) for _, old, new in diff.changed] == [("nama 1.01", "PENDIDIKAN")]
    assert [(b, old["kode"]) for b, old in diff.retired] == [(None, "1.02")]
    assert diff.unchanged == 1


def test_the_same_full_list_twice_changes_nothing_the_second_time():
    found, _ = read(values=[["1", "A", "", "", ""], ["1.01", "B", "k", "i", "s"]])
    first, _ = d.hitung_selisih(NOMENKLATUR, "full", found, {}, set())
    after = d.hasil(NOMENKLATUR, first, {})
    second, errors = d.hitung_selisih(NOMENKLATUR, "full", found, after, set())
    assert errors == [] and second.empty and second.unchanged == 2


def test_blank_and_null_are_the_same_value_and_so_are_equal_amounts():
    old = {"kode": "1", "tingkat": "urusan", "nama": "A", "kode_induk": None, "kinerja": None,
           "indikator": "", "satuan": None}
    new = {**old, "kinerja": "", "indikator": None}
    assert d.sama(NOMENKLATUR, old, new)
    assert d.sama(HARGA, {"harga": Decimal("1.0"), "kode_rekening": ["a"]}, {"harga": Decimal("1.00"),
                                                                              "kode_rekening": ("a",)})
    assert not d.sama(HARGA, {"harga": Decimal("1")}, {"harga": Decimal("2")})


DIFF_HEADER = ["aksi", "kode", "nama", "kinerja", "indikator", "satuan"]


def diff_of(current, retired_before, *values):
    found, errors = read(mode="diff", header=DIFF_HEADER, values=values)
    assert errors == []
    return d.hitung_selisih(NOMENKLATUR, "diff", found, current, retired_before)


def test_a_diff_applies_its_actions_and_touches_nothing_else():
    diff, errors = diff_of(tree("1", "1.01", "1.02", "1.03"), set(),
                           ["tambah", "1.04", "SOSIAL", "", "", ""], ["ubah", "1.01", "PENDIDIKAN", "", "", ""],
                           ["hapus", "1.02", "", "", "", ""])
    assert errors == []
    assert ([r["kode"] for _, r in diff.added], [n["kode"] for _, _, n in diff.changed],
            [o["kode"] for _, o in diff.retired]) == (["1.04"], ["1.01"], ["1.02"])
    assert diff.retired[0][0].row == 4


def test_a_diff_imported_twice_changes_nothing_the_second_time():
    diff, errors = diff_of(tree("1", "1.01"), {("1.02", "umum")}, ["tambah", "1.01", "nama 1.01", "", "", ""],
                           ["hapus", "1.02", "", "", "", ""])
    assert errors == [] and diff.empty and diff.unchanged == 2


@pytest.mark.parametrize("row, retired_before, message", [
    (["tambah", "1.01", "LAIN", "", "", ""], set(), "current already"),
    (["ubah", "1.05", "X", "", "", ""], set(), "add it with tambah"),
    (["ubah", "1.05", "X", "", "", ""], {("1.05", "umum")}, "it was retired"),
    (["hapus", "1.05", "", "", "", ""], set(), "nothing to retire"),
])
def test_actions_that_do_not_fit_what_is_current(row, retired_before, message):
    diff, errors = diff_of(tree("1", "1.01"), retired_before, row)
    assert errors_of(errors) == [(2, "kode")] and message in errors[0].message


# --- the 2027 list's columns, and its provincial variants -------------------------------------------------

HEADER_2027 = ["jenis_pemda", "kode", "nama", "kinerja", "indikator", "satuan", "tag", "spm", "jenis", "pelaksana",
               "definisi_operasional"]


def test_the_2027_list_reads_its_tags_spm_jenis_and_pelaksana():
    found, errors = read(header=HEADER_2027, values=[
        ["PROV", "1.01.02.1.01.0040", "Sub", "K", "I", "Unit", '["ANGGARAN RESPONSIF GENDER (ASTACITA)", " KESPRO "]',
         "SPM", "Layanan", "bidang yang mengurusi  pengelolaan SMA", "Baris satu\n  baris  dua"],
        ["KABKOT", "1.01.02.2.01.0001", "Sub", "K", "I", "Unit", "GEOPARK;KESPRO", "NON-SPM", "Aktifitas", "", ""],
        ["KABKOT", "1.01.02.2.01.0002", "Sub", "K", "I", "Unit", "", "", "", "", ""]])
    assert errors == []
    first, second, third = (b.record for b in found)
    assert (first["tag"], first["spm"], first["jenis"], first["pelaksana"], first["lingkup"]) == (
        ["ANGGARAN RESPONSIF GENDER (ASTACITA)", "KESPRO"], True, "Layanan", "bidang yang mengurusi pengelolaan SMA",
        ["provinsi"])
    assert first["definisi_operasional"] == "Baris satu\nbaris dua"  # its line breaks kept, each line cleaned
    assert (second["tag"], second["spm"], second["jenis"], second["pelaksana"]) == (
        ["GEOPARK", "KESPRO"], False, "Aktifitas", None)
    assert (third["tag"], third["spm"], third["jenis"], third["pelaksana"]) == (None, None, None, None)


@pytest.mark.parametrize("column, value, message", [
    ("tag", '["GEOPARK", 1]', "JSON array"), ("tag", "[tidak json", "JSON array"), ("spm", "mungkin", "neither"),
    ("jenis", "J" * 21, "longer than 20"),
])
def test_bad_cells_of_the_2027_list(column, value, message):
    cells = {"jenis_pemda": "PROV", "kode": "1.01.02.1.01.0040", "nama": "Sub", "kinerja": "", "indikator": "",
             "satuan": "", "tag": "", "spm": "", "jenis": "", "pelaksana": "", "definisi_operasional": "", column: value}
    _, errors = read(header=HEADER_2027, values=[[cells[c] for c in HEADER_2027]])
    assert errors_of(errors) == [(2, column)] and message in errors[0].message


def test_a_code_may_have_a_provincial_variant_beside_its_record():
    found, errors = read(header=["kode", "varian", "nama", "lingkup"], values=[
        ["1.01.02.3.05.0001", "", "Pembangunan USB (Unit Sekolah Baru)", "kabupaten_kota"],
        ["1.01.02.3.05.0001", "provinsi", "Penyediaan Beasiswa", ""],
        ["1.01.02.3.05.0001", "PROVINSI", "Lagi", ""]])
    assert errors_of(errors) == [(4, "kode")] and "1.01.02.3.05.0001 (provinsi) appears again" in errors[0].message
    assert [(NOMENKLATUR.key_of(b.record), b.record["lingkup"]) for b in found] == [
        (("1.01.02.3.05.0001", "umum"), ["kabupaten_kota"]), (("1.01.02.3.05.0001", "provinsi"), ["provinsi"])]


@pytest.mark.parametrize("varian, lingkup, field", [("kota", "", "varian"), ("provinsi", "kabupaten_kota", "lingkup")])
def test_bad_variants(varian, lingkup, field):
    _, errors = read(header=["kode", "varian", "nama", "lingkup"], values=[["1.01.02.3.05", varian, "K", lingkup]])
    assert errors_of(errors) == [(2, field)]


def test_a_provincial_variant_stands_beside_the_codes_record_which_the_provinces_then_do_not_list():
    current = {**tree("1", "1.01", "1.01.02", "1.01.02.3.05")}
    alone, _ = read(mode="diff", header=["aksi", "kode", "varian", "nama"],
                    values=[["tambah", "1.01.02.3.05.0001", "provinsi", "Beasiswa"]])
    diff, _ = d.hitung_selisih(NOMENKLATUR, "diff", alone, current, set())
    errors = d.periksa_varian(NOMENKLATUR, "diff", alone, diff, current)
    assert errors_of(errors) == [(2, "varian")] and "needs the code's umum record" in errors[0].message

    both, _ = read(header=["kode", "varian", "nama", "lingkup"], values=[
        ["1.01.02.3.05.0001", "", "USB", "kabupaten_kota provinsi"], ["1.01.02.3.05.0001", "provinsi", "Beasiswa", ""]])
    diff, _ = d.hitung_selisih(NOMENKLATUR, "full", both, {}, set())
    errors = d.periksa_varian(NOMENKLATUR, "full", both, diff, {})
    assert errors_of(errors) == [(2, "lingkup")]


def test_a_provincial_variants_parent_is_its_parents_variant_or_record():
    current = {**tree("1", "1.01", "1.01.02", "1.01.02.3.05"), **tree("1.01.02.3.06", varian="provinsi")}
    found, _ = read(mode="diff", header=["aksi", "kode", "varian", "nama"], values=[
        ["tambah", "1.01.02.3.05.0001", "provinsi", "under the parent's record"],
        ["tambah", "1.01.02.3.06.0001", "provinsi", "under the parent's variant"],
        ["tambah", "1.01.02.3.06.0002", "", "a record has no provincial parent"]])
    diff, _ = d.hitung_selisih(NOMENKLATUR, "diff", found, current, set())
    errors = d.periksa_pohon(NOMENKLATUR, "diff", found, diff, current)
    assert errors_of(errors) == [(4, "kode")] and "parent 1.01.02.3.06" in errors[0].message
    # the variant of a parent cannot be retired while a variant under it stays (its record is no parent here)
    current = {**current, **tree("1.01.02.3.06.0001", varian="provinsi")}
    found, _ = read(mode="diff", header=["aksi", "kode", "varian", "nama"],
                    values=[["hapus", "1.01.02.3.06", "provinsi", ""]])
    diff, _ = d.hitung_selisih(NOMENKLATUR, "diff", found, current, set())
    assert errors_of(d.periksa_pohon(NOMENKLATUR, "diff", found, diff, current)) == [(2, "kode")]


# --- the tree stays whole ---------------------------------------------------------------------------------

def test_a_full_list_needs_every_parent():
    found, _ = read(values=[["1", "A", "", "", ""], ["1.01.02", "PROGRAM", "", "", ""]])
    diff, _ = d.hitung_selisih(NOMENKLATUR, "full", found, {}, set())
    errors = d.periksa_pohon(NOMENKLATUR, "full", found, diff, {})
    assert errors_of(errors) == [(3, "kode")] and "parent 1.01" in errors[0].message


def test_a_parent_added_in_the_same_file_is_enough():
    found, _ = read(mode="diff", header=DIFF_HEADER, values=[["tambah", "1.01.02.2.01", "Kegiatan", "", "", ""],
                                                             ["tambah", "1.01.02", "Program", "", "", ""]])
    diff, _ = d.hitung_selisih(NOMENKLATUR, "diff", found, tree("1", "1.01"), set())
    assert d.periksa_pohon(NOMENKLATUR, "diff", found, diff, tree("1", "1.01")) == []


def test_a_parent_cannot_be_retired_while_a_child_stays():
    current = tree("1", "1.01", "1.01.02", "1.01.02.2.01")
    found, _ = read(mode="diff", header=DIFF_HEADER, values=[["hapus", "1.01.02", "", "", "", ""]])
    diff, _ = d.hitung_selisih(NOMENKLATUR, "diff", found, current, set())
    errors = d.periksa_pohon(NOMENKLATUR, "diff", found, diff, current)
    assert errors_of(errors) == [(2, "kode")] and "1.01.02.2.01" in errors[0].message


def test_retiring_a_parent_with_its_children_is_fine():
    current = tree("1", "1.01", "1.01.02", "1.01.02.2.01")
    found, _ = read(mode="diff", header=DIFF_HEADER, values=[["hapus", "1.01.02", "", "", "", ""],
                                                             ["hapus", "1.01.02.2.01", "", "", "", ""]])
    diff, _ = d.hitung_selisih(NOMENKLATUR, "diff", found, current, set())
    assert d.periksa_pohon(NOMENKLATUR, "diff", found, diff, current) == []


def test_accounts_are_a_tree_too():
    found, _ = d.baca(REKENING, "full", ["kode", "nama"],
                      rows(["5", "BELANJA"], ["5.2", "BELANJA MODAL"], ["5.1.02", "Barang dan Jasa"]), {})
    diff, _ = d.hitung_selisih(REKENING, "full", found, {}, set())
    assert errors_of(d.periksa_pohon(REKENING, "full", found, diff, {})) == [(4, "kode")]
    assert found[2].record["peruntukan"] == "belanja_barang_dan_jasa" and found[2].record["akun"] == "belanja"


def test_a_root_published_at_its_lowest_level_only_keeps_its_accounts_without_their_parents():
    """Accounts 1-4 and 6-8 come at sub rincian objek level only: a parent is required only at a level the
    list holds under that root (here 4.1 and 4.1.01 are held, no objek or rincian objek of 4 is)."""
    found, _ = d.baca(REKENING, "full", ["kode", "nama"], rows(
        ["4", "PENDAPATAN DAERAH"], ["4.1", "PAD"], ["4.1.01", "Pajak Daerah"],
        ["4.1.01.01.01.0001", "PKB-Mobil Penumpang-Sedan-Pribadi"], ["4.2.01", "Transfer Pusat"]), {})
    diff, _ = d.hitung_selisih(REKENING, "full", found, {}, set())
    assert errors_of(d.periksa_pohon(REKENING, "full", found, diff, {})) == [(6, "kode")]  # 4.2 is held level


# --- references to other lists -----------------------------------------------------------------------------

def test_an_skpd_serves_current_bidang_urusan_only():
    found, _ = d.baca(SKPD, "full", ["kode", "nama"], rows(["1.01.0.00.0.00.01.0000", "Dinas"],
                                                          ["9.99.0.00.0.00.01.0000", "Dinas Lain"]),
                      {"kode_pemda": "32.73"})
    diff, _ = d.hitung_selisih(SKPD, "full", found, {}, set())
    errors = d.periksa_rujukan(SKPD, "full", found, diff, {"bidang_urusan": {"1.01"}})
    assert errors_of(errors) == [(3, "kode")] and "9.99" in errors[0].message


def test_a_price_may_be_spent_on_current_belanja_accounts_only():
    found, _ = d.baca(HARGA, "full", H, rows(["1.1", "SSH", "Pensil", "", "Buah", "1", "5.1.02.01.01.0024 4.1.01.09.01.0001"]),
                      {"kode_pemda": "32.73", "tahun": 2026})
    diff, _ = d.hitung_selisih(HARGA, "full", found, {}, set())
    errors = d.periksa_rujukan(HARGA, "full", found, diff, {"rekening_belanja": {"5.1.02.01.01.0024"}})
    assert errors_of(errors) == [(2, "kode_rekening")] and "4.1.01.09.01.0001" in errors[0].message


# --- which version an import goes into ---------------------------------------------------------------------

VERSIONS = [k.Versi("permendagri-90-2019", "Permendagri 90/2019", date(2019, 12, 12), 1),
            k.Versi("kepmendagri-050-5889-2021", "Kepmendagri 050-5889/2021", date(2021, 10, 14), 2)]


@pytest.mark.parametrize("kind, versi, fields", [
    (NOMENKLATUR, None, ["versi"]),                 # a national list names the version of its file
    (NOMENKLATUR, "Versi Baru", ["versi"]),         # not a version code
    (NOMENKLATUR, "kepmendagri-050-5889-2021", []),
    (SKPD, None, []),                               # SKPD go into the latest version when left out
])
def test_what_an_import_is_asked(kind, versi, fields):
    scope = {"kode_pemda": "32.73"} if kind is SKPD else {}
    assert [e.field for e in d.periksa_permintaan(kind, scope, versi)] == fields


def test_an_import_goes_into_the_version_named_or_the_latest():
    assert d.versi_tujuan(VERSIONS, "permendagri-90-2019", None, None, None) == ("permendagri-90-2019", None)
    assert d.versi_tujuan(VERSIONS, None, None, None, "permendagri-90-2019") == ("kepmendagri-050-5889-2021", None)
    with pytest.raises(k.VersiTidakSah, match="no version is registered yet"):
        d.versi_tujuan([], None, None, None, None)


def test_a_new_version_is_registered_with_its_decree():
    kode, new = d.versi_tujuan(VERSIONS, "uji-2030", "Keputusan Uji", date(2030, 1, 1), "kepmendagri-050-5889-2021")
    assert (kode, new) == ("uji-2030", k.Versi("uji-2030", "Keputusan Uji", date(2030, 1, 1), 3))
    with pytest.raises(k.VersiTidakSah, match="title"):
        d.versi_tujuan(VERSIONS, "uji-2030", None, date(2030, 1, 1), None)


def test_an_import_may_not_rewrite_history():
    with pytest.raises(k.VersiTidakSah, match="later than permendagri-90-2019"):
        d.versi_tujuan(VERSIONS, "permendagri-90-2019", None, None, "kepmendagri-050-5889-2021")
