"""The rules of the five-year plans (RPJMD, Renstra), pure: the period, yearly figures, end targets, the
Renstra's steps and the codes an SKPD may plan."""
from __future__ import annotations

from decimal import Decimal

import pytest

from contracts.perencanaan import IsiRenstra, StatusRenstra
from services.perencanaan.renstra.domain import (
    Renstra, StatusTidakSesuai, periksa_kegiatan, periksa_program, periksa_verifikasi,
)
from services.perencanaan.replika.domain import Kodefikasi
from services.perencanaan.rpjmd.domain import periksa_periode, periksa_tahun, target_akhir, tumpang_tindih


def test_an_rpjmd_covers_five_years():
    assert periksa_periode(2026, 2030) == []
    [error] = periksa_periode(2026, 2029)
    assert (error.field, "ends in 2030, not 2029" in error.message) == ("tahun_akhir", True)


@pytest.mark.parametrize("awal, akhir, overlaps", [(2031, 2035, False), (2021, 2025, False), (2030, 2034, True),
                                                   (2022, 2026, True), (2027, 2028, True)])
def test_periods_of_one_pemda_do_not_overlap(awal, akhir, overlaps):
    assert bool(tumpang_tindih(awal, akhir, [(2026, 2030)])) is overlaps


def test_yearly_figures_outside_the_period_are_named_by_their_path():
    isi = {"a": [{"polaritas": "positif", "target": {2026: 1, 2032: 2}}, {"pagu": {2025: 1}}]}
    assert [e.field for e in periksa_tahun(isi, range(2026, 2031))] == ["a.0.target.2032", "a.1.pagu.2025"]


@pytest.mark.parametrize("polaritas, target, akhir", [
    ("positif", {2026: "1", 2030: "5", 2028: "9"}, "5"),   # where the period ends, not the highest
    ("negatif", {2026: "12", 2027: "10"}, "10"),
    ("kumulatif", {2026: "1.5", 2027: "2.25"}, "3.75"),
    ("positif", {}, None),
])
def test_the_end_target_derived_from_the_yearly_ones(polaritas, target, akhir):
    got = target_akhir(polaritas, {y: Decimal(v) for y, v in target.items()})
    assert got == (None if akhir is None else Decimal(akhir))


def _renstra(status=StatusRenstra.DRAFT) -> Renstra:
    return Renstra("r1", "32.73", "1.01.0.00.0.00.01.0000", "p1", 2026, 2030, IsiRenstra(), status=status)


def test_the_steps_of_a_renstra():
    submitted = _renstra().ajukan()
    assert (submitted.status, submitted.version) == (StatusRenstra.DIAJUKAN, 2)
    with pytest.raises(StatusTidakSesuai):
        submitted.ubah(IsiRenstra(tujuan=[]))
    with pytest.raises(StatusTidakSesuai):
        submitted.ajukan()
    returned = submitted.verifikasi(False, "perbaiki")
    assert returned.status is StatusRenstra.DIKEMBALIKAN and returned.ajukan().status is StatusRenstra.DIAJUKAN
    verified = submitted.verifikasi(True, None)
    for step in (verified.ajukan, lambda: verified.verifikasi(True, None), lambda: verified.ubah(IsiRenstra())):
        with pytest.raises(StatusTidakSesuai):
            step()
    assert periksa_verifikasi(False, None)[0].field == "catatan" and periksa_verifikasi(True, None) == []


def _kode(jenis="kota") -> Kodefikasi:
    row = lambda kode, tingkat, induk=None, berlaku=True: {  # noqa: E731
        "kode": kode, "tingkat": tingkat, "nama": kode, "kode_induk": induk, "berlaku": berlaku,
        "valid_until": None if berlaku else "v2", "kode_pengganti": []}
    return Kodefikasi(
        pemda={"kode": "32.73", "jenis": jenis},
        skpd={"D": {"kode": "D", "bidang_urusan": ["1.01"], "berlaku": True}},
        nomenklatur={"1.01.02": row("1.01.02", "program"), "1.01.02.2.01": row("1.01.02.2.01", "kegiatan", "1.01.02"),
                     "1.01.02.1.01": row("1.01.02.1.01", "kegiatan", "1.01.02"),
                     "1.02.02": row("1.02.02", "program"), "1.01.09": row("1.01.09", "program", berlaku=False)},
        levels={"1.01.02": {"1", "2"}, "1.02.02": {"2"}})


def test_a_program_the_skpd_may_plan():
    assert periksa_program("p", "1.01.02", "D", _kode()) == []
    assert "does not serve bidang urusan 1.02" in periksa_program("p", "1.02.02", "D", _kode())[0].message
    assert "was retired" in periksa_program("p", "1.01.09", "D", _kode())[0].message
    assert "no program" in periksa_program("p", "1.01.02.2.01", "D", _kode())[0].message  # a kegiatan is not one


def test_a_kegiatan_for_the_pemdas_level():
    assert periksa_kegiatan("k", "1.01.02.2.01", "1.01.02", _kode()) == []
    assert periksa_kegiatan("k", "1.01.02.1.01", "1.01.02", _kode("provinsi")) == []
    assert "for provinsi government" in periksa_kegiatan("k", "1.01.02.1.01", "1.01.02", _kode())[0].message
    assert "not under program 1.02.02" in periksa_kegiatan("k", "1.01.02.2.01", "1.02.02", _kode())[0].message
