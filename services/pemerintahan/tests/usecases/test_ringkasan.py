"""The summary's use cases on an in-memory unit of work: what the events leave, who may read it."""
from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from contracts.keuangan import PlafonChanged
from contracts.perencanaan import RkpdSubKegiatanDeleted, RkpdSubKegiatanSaved
from sipd_common.access import Role, Scope
from sipd_common.errors import Forbidden, Unauthenticated
from services.pemerintahan.ringkasan import usecases

from .fakes import FakePemerintahanUnitOfWork

KODE = dict(kode_skpd="1.01.0.00.0.00.01.0000", kode_sub_kegiatan="1.01.02.2.01.0001", kode_bidang_urusan="1.01")
ENVELOPE = dict(kode_pemda="32.73", tahun=2026)
BAPPEDA = Scope("u1", "bappeda.bandung", Role.BAPPEDA, "32.73")


def saved(rkpd_id: str, pagu: str, version: int = 1) -> RkpdSubKegiatanSaved:
    return RkpdSubKegiatanSaved(**ENVELOPE, aggregate_id=rkpd_id, aggregate_version=version, **KODE,
                                nama_sub_kegiatan="Pembangunan USB", nama_bidang_urusan="PENDIDIKAN",
                                indikator="Jumlah", target="1", satuan="Unit", pagu_indikatif=pagu)


def deleted(rkpd_id: str, version: int, pagu: str = "0") -> RkpdSubKegiatanDeleted:
    return RkpdSubKegiatanDeleted(**ENVELOPE, aggregate_id=rkpd_id, aggregate_version=version, pagu_indikatif=pagu,
                                  **KODE)


def plafon(rkpd_id: str, total: str, status: str, version: int) -> PlafonChanged:
    return PlafonChanged(**ENVELOPE, aggregate_id=rkpd_id, aggregate_version=version, **KODE, pagu="100",
                         total_rincian=total, status=status)


def apply(uow: FakePemerintahanUnitOfWork, *events) -> None:
    handlers = {RkpdSubKegiatanSaved: usecases.apply_rkpd_saved, RkpdSubKegiatanDeleted: usecases.apply_rkpd_deleted,
                PlafonChanged: usecases.apply_plafon_changed}
    for event in events:
        handlers[type(event)](uow, event)
        uow.commit()


def summary(uow) -> dict:
    return usecases.get_ringkasan(uow, BAPPEDA, "32.73", 2026).model_dump(mode="json")


def test_the_latest_plan_and_budget_make_the_summary_whatever_the_order():
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    uow = FakePemerintahanUnitOfWork()
    apply(uow, saved(a, "300", version=2), saved(a, "100", version=1), saved(b, "50"),
          plafon(a, "350", "melebihi_plafon", 2), plafon(a, "10", "sesuai", 1))
    body = summary(uow)
    assert Decimal(body["total_pagu_indikatif"]) == Decimal(350)
    [row] = body["bidang_urusan"]
    assert (row["jumlah_sub_kegiatan"], row["jumlah_bermasalah"]) == (2, 1)
    assert Decimal(row["total_anggaran"]) == Decimal(350)


def test_a_deletion_seen_before_the_creation_still_wins():
    a = str(uuid.uuid4())
    uow = FakePemerintahanUnitOfWork()
    apply(uow, deleted(a, version=2, pagu="100"), saved(a, "100", version=1))
    assert summary(uow)["bidang_urusan"][0]["jumlah_sub_kegiatan"] == 0


@pytest.mark.parametrize("caller, error", [
    (None, Unauthenticated),
    (Scope("u2", "bappeda.cimahi", Role.BAPPEDA, "32.77"), Forbidden),
])
def test_only_the_pemda_reads_its_summary(caller, error):
    with pytest.raises(error):
        usecases.get_ringkasan(FakePemerintahanUnitOfWork(), caller, "32.73", 2026)


def test_a_province_administrator_and_an_skpd_operator_read_it():
    for caller in (Scope("u3", "jabar", Role.PROVINSI_ADMIN, "32"),
                   Scope("u4", "dinas", Role.SKPD_OPERATOR, "32.73", "1.02.0.00.0.00.01.0000")):
        assert usecases.get_ringkasan(FakePemerintahanUnitOfWork(), caller, "32.73", 2026).kode_pemda == "32.73"
