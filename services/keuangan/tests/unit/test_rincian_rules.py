"""A budget line: its amount (volume × harga satuan, exact) and the account it may sit on. Pure, no database."""
from __future__ import annotations

import decimal
from dataclasses import replace
from decimal import Decimal, Inexact

import pytest

from services.keuangan.replika.domain import Rekening
from services.keuangan.rincian.domain import jumlah, periksa_rekening, tanpa_plafon


# --- jumlah: volume × harga satuan, exact ----------------------------------------------------------

@pytest.mark.parametrize("volume, harga, expected", [
    ("1", "1750000000.00", "1750000000.00"),
    ("2.5", "1000.00", "2500.000"),
    ("0.0001", "0.01", "0.000001"),
    ("0", "999999999999999.99", "0"),
    ("12", "0.33", "3.96"),
])
def test_jumlah(volume, harga, expected):
    assert jumlah(Decimal(volume), Decimal(harga)) == Decimal(expected)


def test_jumlah_is_exact_where_the_default_context_would_round():
    volume = Decimal("999999999999.9999")      # 16 digits, the largest quantity
    harga = Decimal("999999999999999.99")      # 17 digits, the largest money value
    exact = Decimal("999999999999999890000000000.000001")
    assert getcontext_product(volume, harga) != exact  # what a naive volume * harga gives
    assert jumlah(volume, harga) == exact
    assert str(jumlah(volume, harga)) == "999999999999999890000000000.000001"


def getcontext_product(a: Decimal, b: Decimal) -> Decimal:
    with decimal.localcontext(decimal.Context()):  # default: 28 digits, rounding
        return a * b


def test_jumlah_leaves_the_callers_context_alone():
    ctx = decimal.getcontext()
    prec, trapped = ctx.prec, ctx.traps[Inexact]
    jumlah(Decimal("999999999999.9999"), Decimal("999999999999999.99"))
    assert (decimal.getcontext().prec, decimal.getcontext().traps[Inexact]) == (prec, trapped)


def test_jumlah_raises_rather_than_rounds_beyond_its_precision():
    with pytest.raises(Inexact):
        jumlah(Decimal("9" * 40), Decimal("9" * 40))


# --- periksa_rekening ------------------------------------------------------------------------------

def rekening(kode="5.2.03.01.01.0002", akun="belanja", tingkat="sub_rincian_objek") -> Rekening:
    return Rekening(kode=kode, nama="Belanja Modal Bangunan Gedung Tempat Pendidikan", akun=akun, tingkat=tingkat,
                    peruntukan="belanja_modal", kode_induk=kode.rsplit(".", 1)[0])


def test_a_belanja_sub_rincian_objek_is_accepted():
    assert periksa_rekening(rekening()) == []


def test_an_unknown_account_is_refused():
    assert [e.field for e in periksa_rekening(None)] == ["kode_rekening"]


@pytest.mark.parametrize("akun", ["pendapatan", "pembiayaan", "aset", "beban", "lainnya"])
def test_a_non_belanja_account_is_refused_naming_its_kind(akun):
    errors = periksa_rekening(rekening("4.1.01.09.01.0001", akun=akun))
    assert [e.field for e in errors] == ["kode_rekening"]
    assert akun in errors[0].message and "4.1.01.09.01.0001" in errors[0].message


@pytest.mark.parametrize("tingkat", ["akun", "kelompok", "jenis", "objek", "rincian_objek"])
def test_a_belanja_account_above_the_lowest_level_is_refused(tingkat):
    errors = periksa_rekening(rekening("5.1.02.01.01", tingkat=tingkat))
    assert [e.field for e in errors] == ["kode_rekening"]
    assert tingkat in errors[0].message


def test_a_non_belanja_account_at_a_high_level_reports_one_error():
    assert len(periksa_rekening(rekening("4", akun="pendapatan", tingkat="akun"))) == 1


def test_a_retired_account_is_refused_naming_its_replacement():
    retired = replace(rekening(), berlaku=False, valid_until="v-2", kode_pengganti=("5.2.03.01.01.0003",))
    errors = periksa_rekening(retired)
    assert [e.field for e in errors] == ["kode_rekening"]
    assert "retired in version v-2" in errors[0].message and "5.2.03.01.01.0003" in errors[0].message


def test_a_retired_account_without_replacement_names_no_other():
    errors = periksa_rekening(replace(rekening(), berlaku=False, valid_until="v-2"))
    assert errors[0].message == "account 5.2.03.01.01.0002 was retired in version v-2"


def test_a_line_without_a_ceiling_names_the_rkpd_item():
    p = tanpa_plafon("6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d90", "32.73", 2026)
    assert (p.field, p.message) == ("rkpd_id", "no RKPD item 6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d90 with a ceiling "
                                               "in 32.73/2026")
