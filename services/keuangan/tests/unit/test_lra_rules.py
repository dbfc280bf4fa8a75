"""The LRA's pure rules: the periods, the levels, the percentage and the SAP's sections."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from services.keuangan.lra import domain as d

ANGGARAN = {"4.1.01.01.01.0001": D("1000.00"), "4.1.02.01.01.0001": D("500.00"),
            "5.1.02.01.01.0001": D("900.00"), "5.2.03.01.01.0010": D("300.00"),
            "6.1.01.01.01.0001": D("200.00"), "6.2.02.01.01.0001": D("50.00")}
REALISASI = {"4.1.01.01.01.0001": D("333.33"), "5.1.02.01.01.0001": D("100.005"), "5.2.03.01.01.0010": D("300")}
LALU = {"4.1.01.01.01.0001": D("10"), "5.1.02.01.01.0001": D("7")}


def test_periods_are_cumulative_months_halves_and_the_year():
    assert d.rentang(2026, "tahun") == (date(2026, 1, 1), date(2026, 12, 31))
    assert d.rentang(2026, "semester-1") == (date(2026, 1, 1), date(2026, 6, 30))
    assert d.rentang(2026, "semester-2") == (date(2026, 7, 1), date(2026, 12, 31))
    assert d.rentang(2024, "bulan-2") == (date(2024, 1, 1), date(2024, 2, 29))
    assert d.rentang(2026, "bulan-12") == (date(2026, 1, 1), date(2026, 12, 31))
    for bad in ("bulan-0", "bulan-13", "semester-3", "", "Tahun"):
        with pytest.raises(ValueError):
            d.rentang(2026, bad)


def test_percentage_rounds_half_up_to_two_decimals_and_none_without_budget():
    assert d.persen(D(1), D(3)) == D("33.33")
    assert d.persen(D(2), D(3)) == D("66.67")
    assert d.persen(D("0.125"), D(1)) == D("12.50")
    assert d.persen(D("1.00005"), D(100)) == D("1.00")
    assert d.persen(D("1.005"), D(100)) == D("1.01")  # half-up, not half-even
    assert d.persen(D(150), D(100)) == D("150.00")
    assert d.persen(D(5), D(0)) is None


def test_rows_stop_at_the_level_asked_and_sum_what_lies_below():
    lra = d.susun(ANGGARAN, REALISASI, LALU, 2)
    assert [(r.kode, r.tingkat) for r in lra.pendapatan.baris] == [("4", 1), ("4.1", 2)]
    assert lra.pendapatan.baris[0].nilai == d.Nilai(D("1500.00"), D("333.33"), D(10))
    assert [r.kode for r in lra.belanja.baris] == ["5", "5.1", "5.2"]
    # pembiayaan: 6.1 and 6.2 apart, never the root 6
    assert [r.kode for r in lra.penerimaan_pembiayaan.baris] == ["6.1"]
    assert [r.kode for r in lra.pengeluaran_pembiayaan.baris] == ["6.2"]
    full = d.susun(ANGGARAN, REALISASI, LALU, 6, {"4": "PENDAPATAN DAERAH"})
    assert [r.kode for r in full.pendapatan.baris][:6] == ["4", "4.1", "4.1.01", "4.1.01.01", "4.1.01.01.01",
                                                         "4.1.01.01.01.0001"]
    assert full.pendapatan.baris[0].nama == "PENDAPATAN DAERAH" and full.pendapatan.baris[1].nama is None
    # every level sums to the same section total
    for lvl in range(1, 7):
        x = d.susun(ANGGARAN, REALISASI, LALU, lvl)
        assert sum((r.nilai.anggaran for r in x.belanja.baris if r.tingkat == 1), D(0)) == x.belanja.jumlah.anggaran
    with pytest.raises(ValueError):
        d.susun(ANGGARAN, REALISASI, LALU, 7)


def test_the_sections_and_their_identities():
    lra = d.susun(ANGGARAN, REALISASI, LALU, 3)
    assert lra.pendapatan.jumlah == d.Nilai(D("1500.00"), D("333.33"), D(10))
    assert lra.belanja.jumlah == d.Nilai(D("1200.00"), D("400.005"), D(7))
    assert lra.surplus_defisit == d.Nilai(D("300.00"), D("-66.675"), D(3))
    assert lra.penerimaan_pembiayaan.jumlah.anggaran == D("200.00")
    assert lra.pembiayaan_netto == d.Nilai(D("150.00"), D(0), D(0))
    assert lra.silpa == d.Nilai(D("450.00"), D("-66.675"), D(3))
    assert lra.pendapatan.jumlah.persen == D("22.22") and lra.belanja.jumlah.persen == D("33.33")
    assert lra.penerimaan_pembiayaan.jumlah.persen == D("0.00")


def test_realisation_without_budget_is_shown_with_no_percentage():
    lra = d.susun({}, {"4.1.01.01.01.0001": D(5)}, {}, 1)
    assert lra.pendapatan.baris[0].nilai == d.Nilai(D(0), D(5), D(0)) and lra.pendapatan.baris[0].nilai.persen is None
    empty = d.susun({}, {}, {}, 6)
    assert empty.pendapatan.baris == [] and empty.silpa == d.Nilai()
