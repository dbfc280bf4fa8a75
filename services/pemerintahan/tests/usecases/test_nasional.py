"""The national view on an in-memory unit of work: sums per pemda and bidang urusan, the scopes of the
ministry, a province and a pemda, filters, sorting and paging."""
from __future__ import annotations

from decimal import Decimal

import pytest

from contracts.keuangan import RealisasiBerubah

from sipd_common.access import Role, Scope
from sipd_common.errors import Invalid, Unauthenticated
from services.pemerintahan.binwas import usecases as binwas
from services.pemerintahan.eppd import usecases as eppd
from services.pemerintahan.nasional import usecases
from services.pemerintahan.perda import usecases as perda
from services.pemerintahan.realisasi import usecases as realisasi

from .fakes import FakePemerintahanUnitOfWork

PUSAT = Scope("1", "kemendagri", Role.PUSAT_ADMIN)
JABAR = Scope("2", "jabar", Role.PROVINSI_ADMIN, "32")
DKI = Scope("3", "dki", Role.PROVINSI_ADMIN, "31")
KOTA = Scope("4", "bappeda.bandung", Role.BAPPEDA, "32.73")
PEMDA = ("32", "32.04", "32.73", "31", "31.71")


@pytest.fixture
def uow():
    uow = FakePemerintahanUnitOfWork()
    n = 0
    for i, kode in enumerate(PEMDA):
        for bidang in ("1.01", "1.02"):
            for j in range(2):
                n += 1
                common = dict(rkpd_id=f"id-{n}", kode_pemda=kode, tahun=2026, kode_bidang_urusan=bidang,
                              kode_sub_kegiatan=f"{bidang}.02.2.01.000{j}", source_version=1)
                uow.ringkasan.simpan_rencana({**common, "pagu": Decimal(100 * (i + 1)), "dihapus": j == 1 and i == 0})
                uow.ringkasan.simpan_anggaran({**common, "total_rincian": Decimal(10 * (i + 1)), "status": "sesuai"})
    eppd.open_ronde(uow, PUSAT, 2026, {})
    eppd.score_pemda(uow, JABAR, 2026, "32.73", {"nilai": [{"kode_indikator": "A", "skor": "4"}]})
    perda.create_perda(uow, Scope("5", "hukum", Role.PEMDA_ADMIN, "32.73"), "32.73",
                       {"jenis": "perda", "tahun": 2026, "judul": "x"})
    binwas.create_temuan(uow, JABAR, "32.73", {"tahun": 2026, "objek": "lainnya", "uraian": "u", "rekomendasi": "r"})
    uow.commit()
    return uow


def codes(out) -> list[str]:
    return [r.kode_pemda for r in out.items]


def test_the_ministry_sees_every_pemda_with_the_sums_of_its_sources(uow):
    out = usecases.get_nasional(uow, PUSAT, 2026, limit=200)
    assert codes(out) == ["31", "31.71", "32", "32.04", "32.73"] and out.total == 5
    kota = out.items[-1]
    assert (kota.jenis, kota.kode_provinsi, kota.total_rencana, kota.total_anggaran) == (
        "kota", "32", Decimal(1200), Decimal(120))
    assert [(u.kode_bidang_urusan, u.jumlah_sub_kegiatan, u.total_rencana) for u in kota.urusan] == [
        ("1.01", 2, Decimal(600)), ("1.02", 2, Decimal(600))]
    assert (kota.eppd_status, kota.eppd_peringkat, kota.perda, kota.temuan_terbuka) == (
        "tinggi", 1, {"draft": 1}, 1)  # A (weight 3 of 4) at 4: 3.0
    first = out.items[2]  # 32: one deleted item per bidang is not counted
    assert (first.kode_pemda, first.total_rencana, [u.jumlah_sub_kegiatan for u in first.urusan]) == (
        "32", Decimal(200), [1, 1])


def test_a_province_sees_itself_and_its_regencies_and_a_pemda_itself(uow):
    assert codes(usecases.get_nasional(uow, JABAR, 2026)) == ["32", "32.04", "32.73"]
    assert codes(usecases.get_nasional(uow, DKI, 2026)) == ["31", "31.71"]
    assert codes(usecases.get_nasional(uow, DKI, 2026, provinsi="32")) == []
    assert codes(usecases.get_nasional(uow, KOTA, 2026)) == ["32.73"]
    with pytest.raises(Unauthenticated):
        usecases.get_nasional(uow, None, 2026)


def test_filters_sorting_and_paging(uow):
    assert codes(usecases.get_nasional(uow, PUSAT, 2026, jenis="kota")) == ["31.71", "32.73"]
    assert codes(usecases.get_nasional(uow, PUSAT, 2026, provinsi="31")) == ["31", "31.71"]
    by_budget = usecases.get_nasional(uow, PUSAT, 2026, sort="total_anggaran", descending=True, offset=1, limit=2)
    assert codes(by_budget) == ["31", "32.73"] and by_budget.total == 5
    # no EPPD index: last whichever the order
    assert codes(usecases.get_nasional(uow, PUSAT, 2026, sort="eppd_indeks"))[0] == "32.73"
    with pytest.raises(Invalid):
        usecases.get_nasional(uow, PUSAT, 2026, sort="nama")


def test_realised_spending_per_pemda_and_bidang_urusan_sorted_with_the_pemda_without_last(uow):
    for kode, sub, rekening, jumlah, jenis in (("32.73", "1.01.02.2.01.0000", "5.1", "40", "belanja"),
                                               ("32.73", "1.01.02.2.01.0000", "5.2", "2.5", "belanja"),
                                               ("32.73", "1.02.02.2.01.0001", "5.1", "7", "belanja"),
                                               ("32.73", None, "4.1", "1000", "pendapatan"),  # not spending
                                               ("31.71", "1.01.02.2.01.0000", "5.1", "100", "belanja")):
        realisasi.apply_realisasi_berubah(uow, RealisasiBerubah(
            kode_pemda=kode, tahun=2026, aggregate_id=f"{kode}:{sub}:{rekening}", aggregate_version=1, jenis=jenis,
            kode_skpd="1.01.0.00.0.00.01.0000", kode_sub_kegiatan=sub, kode_rekening=rekening, jumlah=jumlah,
            perubahan=jumlah))
    uow.commit()
    out = usecases.get_nasional(uow, PUSAT, 2026, sort="total_realisasi", descending=True)
    assert [(r.kode_pemda, r.total_realisasi) for r in out.items] == [
        ("31.71", Decimal(100)), ("32.73", Decimal("49.5")), ("31", None), ("32", None), ("32.04", None)]
    assert [(u.kode_bidang_urusan, u.total_realisasi) for u in out.items[1].urusan] == [
        ("1.01", Decimal("42.5")), ("1.02", Decimal(7))]
    assert [r.total_realisasi for r in usecases.get_nasional(uow, KOTA, 2026).items] == [Decimal("49.5")]
