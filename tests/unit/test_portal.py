"""The portal's pure parts: how it shows rupiah and targets (exact, Indonesian conventions), and CSV cells a
spreadsheet cannot run as formulas."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from gateway.portal.data import KAMUS, fiscal_data_package, rows_rkpd
from gateway.portal.tampilan import aman, angka, csv_bytes, persen, rupiah


@pytest.mark.parametrize("value, shown", [
    ("1750000000.25", "Rp1.750.000.000"), ("0.50", "Rp1"), ("0.49", "Rp0"), (Decimal("999.5"), "Rp1.000"),
    ("-2500.5", "-Rp2.501"), (None, "–"), (0, "Rp0")])
def test_rupiah_is_whole_rupiah_rounded_half_up_with_dots(value, shown):
    assert rupiah(value) == shown


@pytest.mark.parametrize("value, shown", [("2.5000", "2,5"), ("1000000", "1.000.000"), ("0.0001", "0,0001"),
                                          ("12", "12"), (None, "–")])
def test_targets_are_shown_exactly(value, shown):
    assert angka(value) == shown


def test_a_share_is_a_percentage_with_one_decimal_and_none_of_nothing():
    assert persen(Decimal(1), Decimal(3)) == "33,3 %" and persen(Decimal(1), Decimal(8)) == "12,5 %"
    assert persen(Decimal(1), Decimal(0)) == "–"


@pytest.mark.parametrize("cell, written", [
    ("=SUM(A1:A9)", "'=SUM(A1:A9)"), ("+62 811", "'+62 811"), ("-x", "'-x"), ("@cmd", "'@cmd"),
    ("\t=1", "'\t=1"), ("-12.5", "-12.5"), ("12", "12"), ("Sekolah = baik", "Sekolah = baik"), (None, "")])
def test_csv_cells_that_would_be_formulas_are_neutralised(cell, written):
    assert aman(cell) == written


def test_csv_is_utf8_with_a_bom_and_neutralised():
    text = csv_bytes(["a", "b"], [["=1+1", "Rp"], ["ok", "-5"]]).decode("utf-8")
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [["a", "b"], ["'=1+1", "Rp"], ["ok", "-5"]]


RKPD = {"kode_pemda": "32.73", "nama_pemda": "Kota Bandung", "tahun": 2031, "kode_tahap": "penetapan",
        "ditetapkan_at": "2030-06-30T10:00:00+00:00", "snapshot_id": "s1", "sub_kegiatan": [{
            "kode_skpd": "1.01.0.00.0.00.01.0000", "nama_skpd": "Dinas Pendidikan", "kode_bidang_urusan": "1.01",
            "nama_bidang_urusan": "PENDIDIKAN", "kode_program": "1.01.02", "nama_program": "PROGRAM PENGELOLAAN",
            "kode_sub_kegiatan": "1.01.02.2.01.0001", "nama_sub_kegiatan": "USB", "kinerja": None,
            "indikator": "Jumlah", "target": "2", "satuan": "Unit", "lokasi": ["32.73.01", "32.73.02"],
            "pagu_indikatif": "1000.00", "pagu_indikatif_n1": None, "pagu_indikatif_murni": None}]}


def test_every_column_of_a_dataset_is_in_its_dictionary_and_its_rows():
    [row] = rows_rkpd(RKPD)
    assert set(row) == {k[0] for k in KAMUS["rkpd"]["kolom"]}
    assert row["lokasi"] == "32.73.01;32.73.02" and row["pagu_indikatif"] == "1000.00"


def test_the_fiscal_model_names_only_columns_of_its_resource():
    package = fiscal_data_package(RKPD)
    fields = {f["name"] for f in package["resources"][0]["schema"]["fields"]}
    sources = {a["source"] for d in package["model"]["dimensions"].values() for a in d["attributes"].values()}
    assert sources <= fields and package["model"]["measures"]["pagu_indikatif"]["source"] in fields
    assert package["name"] == "sipd-rkpd-32-73-2031" and package["fiscalPeriod"]["start"] == "2031-01-01"
