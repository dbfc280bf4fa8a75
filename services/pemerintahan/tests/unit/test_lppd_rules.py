"""The LPPD's rules: capaian, the build's realisation, the due date, lateness, who takes which step."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from types import SimpleNamespace as Row

import pytest

from sipd_common.access import Role, Scope
from services.pemerintahan.lppd.domain import Ditolak, bangun, batas_waktu, berubah, capaian, periksa, terlambat
from services.pemerintahan.realisasi.domain import kode_bidang_urusan

KOTA = Scope("1", "admin.bandung", Role.PEMDA_ADMIN, "32.73")
INSPEKTUR = Scope("2", "inspektur.bandung", Role.INSPEKTUR, "32.73")
JABAR = Scope("3", "jabar", Role.PROVINSI_ADMIN, "32")
PUSAT = Scope("4", "kemendagri", Role.PUSAT_ADMIN)


def test_capaian_by_polarity_rounded_half_up_and_none_without_both_figures():
    assert capaian(D(80), D(100)) == D("125.00")
    assert capaian(D(3), D(1)) == D("33.33")
    assert capaian(D(10), D(8), "negatif") == D("120.00")   # poverty below its target: more than achieved
    assert capaian(D(3), D("0.00005")) == D("0.00")
    assert capaian(D(8), D("0.0004")) == D("0.01")          # 0.005 → half up
    assert capaian(None, D(1)) is None and capaian(D(1), None) is None and capaian(D(0), D(1)) is None


def rencana(rkpd_id: str, kode_sub: str, kode_skpd: str | None = "1.01.0.00.0.00.01.0000") -> Row:
    return Row(rkpd_id=rkpd_id, kode_bidang_urusan=kode_bidang_urusan(kode_sub), nama_bidang_urusan="B",
               kode_skpd=kode_skpd, kode_sub_kegiatan=kode_sub, nama_sub_kegiatan="S", indikator="I", target=None,
               satuan=None, pagu=D(100), dihapus=False)


def spent(kode_sub: str, jumlah: str, kode_skpd: str = "1.01.0.00.0.00.01.0000") -> Row:
    return Row(kode_skpd=kode_skpd, kode_sub_kegiatan=kode_sub, kode_bidang_urusan=kode_bidang_urusan(kode_sub),
               jumlah=D(jumlah))


def test_realisation_shows_on_its_skpd_s_item_and_counts_in_the_bidang_its_sub_kegiatan_names():
    sd, smp, lama = "1.01.02.2.01.0001", "1.01.02.2.01.0002", "1.01.02.2.01.0003"
    isi = bangun(
        [rencana("a", sd), rencana("b", smp), rencana("c", lama, kode_skpd=None)],  # c: held from before the SKPD was
        [Row(rkpd_id="a", kode_bidang_urusan="1.01", kode_sub_kegiatan=sd, total_rincian=D(300))],
        [spent(sd, "100"), spent(sd, "1", kode_skpd="1.01.0.00.0.00.02.0000"),  # another SKPD's: not on item a
         spent(lama, "2"), spent("1.02.02.2.01.0001", "7"), spent("X.XX.01.2.01.0001", "3")])
    [satu, x] = isi["urusan"]
    [pendidikan, kesehatan] = satu["bidang_urusan"]
    assert [(s["rkpd_id"], s["realisasi"], s["capaian"]) for s in pendidikan["sub_kegiatan"]] == [
        ("a", D(100), D("33.33")), ("b", None, None), ("c", None, None)]
    assert (pendidikan["total_realisasi"], pendidikan["capaian"]) == (D(103), D("34.33"))
    assert (kesehatan["total_realisasi"], kesehatan["capaian"], kesehatan["sub_kegiatan"]) == (D(7), None, [])
    assert (x["kode_urusan"], x["total_realisasi"], satu["total_realisasi"]) == ("X", D(3), D(110))
    assert (isi["total_realisasi"], isi["capaian"]) == (D(113), D("37.67"))
    nothing = bangun([rencana("a", sd)], [], [])
    assert (nothing["total_realisasi"], nothing["capaian"]) == (None, None)
    assert nothing["urusan"][0]["bidang_urusan"][0]["total_realisasi"] is None


def test_a_build_is_stale_in_the_bidang_whose_figures_changed_and_not_for_a_capaian_it_did_not_keep():
    sd = "1.01.02.2.01.0001"
    before = bangun([rencana("a", sd)], [], [])
    after = bangun([rencana("a", sd)], [], [spent(sd, "5")])
    assert berubah(before, after) == ["1.01"] and berubah(after, after) == []
    older = {**before, "urusan": [{**u, "bidang_urusan": [{k: v for k, v in b.items() if k != "capaian"}
                                                          for b in u["bidang_urusan"]]} for u in before["urusan"]]}
    assert berubah(older, before) == []


def test_the_due_date_is_three_months_after_the_year_ends_and_late_is_after_it():
    assert batas_waktu(2026, 3) == date(2027, 3, 31)
    assert batas_waktu(2026, 14) == date(2028, 2, 29)
    due = batas_waktu(2026, 3)
    assert not terlambat(due, date(2027, 3, 31), date(2027, 6, 1))
    assert terlambat(due, date(2027, 4, 1), date(2027, 4, 1))
    assert terlambat(due, None, date(2027, 4, 1)) and not terlambat(due, None, date(2027, 3, 1))


def test_a_regency_s_report_goes_through_its_province_and_a_province_s_straight_to_the_ministry():
    assert periksa("verifikasi", "draft", INSPEKTUR, "32.73") == "diverifikasi"
    assert periksa("ajukan", "diverifikasi", KOTA, "32.73") == "diajukan"
    assert periksa("teruskan", "diajukan", JABAR, "32.73") == "diteruskan"
    assert periksa("terima", "diteruskan", PUSAT, "32.73") == "diterima"
    assert periksa("terima", "diajukan", PUSAT, "32") == "diterima"
    with pytest.raises(Ditolak):
        periksa("teruskan", "diajukan", JABAR, "32")
    with pytest.raises(Ditolak) as refused:
        periksa("terima", "diajukan", PUSAT, "32.73")    # not forwarded yet
    assert (refused.value.field, refused.value.terlarang) == ("status", False)
    for caller, aksi, status in ((KOTA, "verifikasi", "draft"), (INSPEKTUR, "ajukan", "diverifikasi"),
                                 (Scope("5", "dki", Role.PROVINSI_ADMIN, "31"), "teruskan", "diajukan")):
        with pytest.raises(Ditolak) as refused:
            periksa(aksi, status, caller, "32.73")
        assert refused.value.terlarang
