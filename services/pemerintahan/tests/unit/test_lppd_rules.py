"""The LPPD's rules: capaian, the due date, lateness, who takes which step."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from sipd_common.access import Role, Scope
from services.pemerintahan.lppd.domain import Ditolak, batas_waktu, capaian, periksa, terlambat

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
