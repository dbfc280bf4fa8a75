"""Ceilings on an in-memory unit of work: what the plan's events leave, in any order, and who reads them."""
from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from contracts.keuangan import PlafonChanged
from services.keuangan.plafon import usecases
from services.keuangan.rincian.usecases import create_rincian, list_rincian
from sipd_common.access import Role, Scope
from sipd_common.errors import Forbidden, Unauthenticated

from .fakes import (
    KODE, PEMDA, REKENING_GEDUNG_SEKOLAH, TAHUN, FakeKeuanganUnitOfWork, apply, deleted, saved, with_chart,
)

TAPD = Scope("u1", "tapd.bandung", Role.TAPD, PEMDA)


def ceilings(uow, caller: Scope = TAPD) -> list[dict]:
    return [p.model_dump(mode="json") for p in usecases.list_plafon(uow, caller, PEMDA, TAHUN)["items"]]


def test_a_saved_plan_item_makes_its_ceiling_and_publishes_it():
    rkpd_id = str(uuid.uuid4())
    uow = FakeKeuanganUnitOfWork()
    apply(uow, usecases.apply_rkpd_saved, saved(rkpd_id, "3500000.00"))
    [ceiling] = ceilings(uow)
    assert (ceiling["rkpd_id"], ceiling["pagu"], ceiling["sisa"], ceiling["status"], ceiling["version"]) == (
        rkpd_id, "3500000.00", "3500000.00", "sesuai", 1)
    [event] = uow.events
    assert isinstance(event, PlafonChanged)
    assert (event.aggregate_id, event.aggregate_version, event.pagu, event.status) == (
        rkpd_id, 1, Decimal("3500000.00"), "sesuai")


def test_out_of_order_plan_events_end_at_the_newest_and_publish_once_per_change():
    rkpd_id = str(uuid.uuid4())
    uow = FakeKeuanganUnitOfWork()
    apply(uow, usecases.apply_rkpd_saved, saved(rkpd_id, "3000000.00", version=3), saved(rkpd_id, "2000000.00", version=2),
          saved(rkpd_id, "3000000.00", version=3))
    [ceiling] = ceilings(uow)
    assert (ceiling["pagu"], ceiling["version"]) == ("3000000.00", 1)
    assert [e.pagu for e in uow.events] == [Decimal("3000000.00")]


def test_a_deletion_seen_before_the_creation_wins():
    rkpd_id = str(uuid.uuid4())
    uow = FakeKeuanganUnitOfWork()
    apply(uow, usecases.apply_rkpd_deleted, deleted(rkpd_id, version=2))
    apply(uow, usecases.apply_rkpd_saved, saved(rkpd_id, version=1))
    [ceiling] = ceilings(uow)
    assert ceiling["status"] == "tanpa_rencana"
    assert [e.status for e in uow.events] == ["tanpa_rencana"]


def test_a_deleted_plan_item_keeps_its_lines_and_flags_them_tanpa_rencana():
    rkpd_id = str(uuid.uuid4())
    uow = with_chart(FakeKeuanganUnitOfWork())
    apply(uow, usecases.apply_rkpd_saved, saved(rkpd_id, "1000000.00"))
    line = create_rincian(uow, TAPD, PEMDA, TAHUN, dict(rkpd_id=rkpd_id, kode_rekening=REKENING_GEDUNG_SEKOLAH,
                                                        uraian="Gedung SD", volume="1", satuan="Paket",
                                                        harga_satuan="400000.00"))
    apply(uow, usecases.apply_rkpd_deleted, deleted(rkpd_id, version=2))

    [ceiling] = ceilings(uow)
    assert (ceiling["status"], ceiling["total_rincian"], ceiling["pagu"]) == ("tanpa_rencana", "400000.00", "1000000.00")
    [kept] = list_rincian(uow, TAPD, PEMDA, TAHUN)["items"]
    assert (kept.id, kept.status, kept.jumlah) == (line.id, "tanpa_rencana", Decimal("400000.00"))
    assert uow.events[-1].status == "tanpa_rencana" and uow.events[-1].total_rincian == Decimal("400000.00")


def test_a_ceiling_never_reached_by_the_plan_is_not_listed():
    uow = FakeKeuanganUnitOfWork()
    uow.plafon.lock_or_create(str(uuid.uuid4()), kode_pemda=PEMDA, tahun=TAHUN, **KODE)  # a rolled back race
    uow.commit()
    assert ceilings(uow) == []


def test_an_skpd_operator_lists_its_own_skpd_s_ceilings_only():
    mine, theirs = str(uuid.uuid4()), str(uuid.uuid4())
    uow = FakeKeuanganUnitOfWork()
    apply(uow, usecases.apply_rkpd_saved, saved(mine), saved(theirs, kode_skpd="1.02.0.00.0.00.01.0000"))
    operator = Scope("u2", "dinas.pendidikan", Role.SKPD_OPERATOR, PEMDA, KODE["kode_skpd"])
    assert [c["rkpd_id"] for c in ceilings(uow, operator)] == [mine]
    assert {c["rkpd_id"] for c in ceilings(uow)} == {mine, theirs}


@pytest.mark.parametrize("caller, error", [
    (None, Unauthenticated),
    (Scope("u3", "tapd.cimahi", Role.TAPD, "32.77"), Forbidden),
])
def test_only_the_pemda_reads_its_ceilings(caller, error):
    with pytest.raises(error):
        usecases.list_plafon(FakeKeuanganUnitOfWork(), caller, PEMDA, TAHUN)
