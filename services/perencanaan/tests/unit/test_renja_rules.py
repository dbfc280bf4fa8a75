"""The Renja's rules: its steps, and its spreadsheet read cell by cell. Pure."""
from __future__ import annotations

import pytest

from services.perencanaan.renja.domain import (
    Renja, baris, kosong, periksa_ajukan, periksa_header, periksa_verifikasi,
)
from services.perencanaan.rpjmd.domain import StatusTidakSesuai


def test_a_renja_goes_draft_submitted_returned_submitted_verified_and_then_stays():
    r = Renja("32.73", 2027, "1.01.0.00.0.00.01.0000")
    assert r.dapat_diubah and r.version == 0
    submitted = r.ajukan()
    assert (submitted.status, submitted.dapat_diubah, submitted.version) == ("diajukan", False, 1)
    returned = submitted.verifikasi(False, "kurang")
    assert (returned.status, returned.dapat_diubah, returned.catatan) == ("dikembalikan", True, "kurang")
    verified = returned.ajukan().verifikasi(True, None)
    assert (verified.status, verified.dapat_diubah, verified.version) == ("terverifikasi", False, 4)
    for step in (verified.ajukan, lambda: verified.verifikasi(True, None), lambda: r.verifikasi(True, None),
                 lambda: r.verifikasi(False, "x")):
        with pytest.raises(StatusTidakSesuai):
            step()
    # Bappeda may still return a verified one (e.g. an item must name its sasaran before a stage locks)
    again = verified.verifikasi(False, "tautkan sasaran")
    assert (again.status, again.dapat_diubah, again.version) == ("dikembalikan", True, 5)


def test_an_empty_renja_is_not_submitted_and_a_return_says_why():
    assert [e.field for e in periksa_ajukan(0)] == ["kode_skpd"] and periksa_ajukan(1) == []
    assert [e.field for e in periksa_verifikasi(False, None)] == ["catatan"] and periksa_verifikasi(True, None) == []


def test_the_header_names_its_columns_as_operators_write_them():
    columns, errors = periksa_header(["Kode Sub Kegiatan", "TARGET", "pagu-indikatif", None])
    assert columns == ["kode_sub_kegiatan", "target", "pagu_indikatif", ""] and errors == []
    _, errors = periksa_header(["kode_sub_kegiatan", "Target", "target", "warna"])
    assert [e.field for e in errors] == ["rows.1.warna", "rows.1.target", "rows.1.pagu_indikatif"]


def test_cells_are_read_exactly_and_a_code_typed_as_a_number_is_refused():
    columns = ["kode_sub_kegiatan", "target", "pagu_indikatif", "lokasi", "bulan_mulai", "catatan"]
    data, errors = baris(7, columns, ["1.01.02.2.01.0001 ", 2.5, 3500000000.1, "32.73.01;32.73, 32.73.02", 3.0, "  "])
    assert errors == [] and data == {"kode_sub_kegiatan": "1.01.02.2.01.0001", "target": "2.5",
                                     "pagu_indikatif": "3500000000.1", "bulan_mulai": 3,
                                     "lokasi": ["32.73.01", "32.73", "32.73.02"]}
    _, errors = baris(8, columns, [1.1, True, None, 32.73, None, None])
    assert [e.field for e in errors] == ["rows.8.kode_sub_kegiatan", "rows.8.target", "rows.8.lokasi"]
    assert kosong([None, "  ", ""]) and not kosong([None, 0])


def test_the_funding_sources_cell_reads_each_code_with_its_amount():
    columns = ["kode_sub_kegiatan", "pagu_indikatif", "sumber_dana"]
    data, errors = baris(4, columns, ["1.01.02.2.01.0001", "1000000.50", "1.1=600000; 1.2 : 400000.50\n"])
    assert errors == [] and data["sumber_dana"] == [{"kode_sumber_dana": "1.1", "pagu": "600000"},
                                                    {"kode_sumber_dana": "1.2", "pagu": "400000.50"}]
    for bad in ("1.1 600000", "1.1=600000; =5", 1.1):
        _, errors = baris(4, columns, ["1.01.02.2.01.0001", "1", bad])
        assert [e.field for e in errors] == ["rows.4.sumber_dana"], bad
