"""pemerintahan as it runs: the summary built from perencanaan's and keuangan's events only.

Events are published as their owners publish them (``<source>.events``,
routing key ``<name>.v<version>``), one at a time, each awaited until handled.
"""
from __future__ import annotations

import uuid

import pytest
from nameko.standalone.events import event_dispatcher
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from sqlalchemy import func, select

from ops.testing import as_operator, auth_context, wait_until

from contracts.keuangan import PlafonChanged
from contracts.perencanaan import RkpdSubKegiatanDeleted, RkpdSubKegiatanSaved
from services.pemerintahan.ringkasan import usecases as ringkasan_usecases
from services.pemerintahan.service import PemerintahanService
from sipd_common.tables import handler_failure_table, inbox_table

BIDANG = {
    "1.01": ("URUSAN PEMERINTAHAN BIDANG PENDIDIKAN", "1.01.0.00.0.00.01.0000", "1.01.02.2.01.0001"),
    "1.02": ("URUSAN PEMERINTAHAN BIDANG KESEHATAN", "1.02.0.00.0.00.01.0000", "1.02.02.2.01.0001"),
}
HANDLER = {RkpdSubKegiatanSaved: "on_rkpd_saved", RkpdSubKegiatanDeleted: "on_rkpd_deleted",
           PlafonChanged: "on_plafon_changed"}


@pytest.fixture
def pemerintahan(start):
    return start(PemerintahanService)


# -- helpers -----------------------------------------------------------------------------------------

class Scope:
    """Builds the events of one pemda and year."""

    def __init__(self, kode_pemda: str, tahun: int):
        self.envelope = dict(kode_pemda=kode_pemda, tahun=tahun)

    def _kode(self, bidang: str) -> dict:
        _, kode_skpd, kode_sub = BIDANG[bidang]
        return dict(kode_skpd=kode_skpd, kode_sub_kegiatan=kode_sub, kode_bidang_urusan=bidang)

    def saved(self, rkpd_id: str, bidang: str, pagu: str, version: int = 1) -> RkpdSubKegiatanSaved:
        return RkpdSubKegiatanSaved(
            **self.envelope, aggregate_id=rkpd_id, aggregate_version=version, **self._kode(bidang),
            nama_sub_kegiatan="Pembangunan", nama_bidang_urusan=BIDANG[bidang][0], indikator="Jumlah",
            target="1", satuan="Unit", pagu_indikatif=pagu)

    def deleted(self, rkpd_id: str, bidang: str, version: int, pagu: str = "0") -> RkpdSubKegiatanDeleted:
        return RkpdSubKegiatanDeleted(**self.envelope, aggregate_id=rkpd_id, aggregate_version=version,
                                      pagu_indikatif=pagu, **self._kode(bidang))

    def plafon(self, rkpd_id: str, bidang: str, pagu: str, total: str, status: str, version: int) -> PlafonChanged:
        return PlafonChanged(**self.envelope, aggregate_id=rkpd_id, aggregate_version=version, **self._kode(bidang),
                             pagu=pagu, total_rincian=total, status=status)


def deliver(container, *events) -> None:
    """Publish each event as its owner would, and wait until pemerintahan has applied it."""
    dispatch = event_dispatcher()
    for event in events:
        def this_event(worker_ctx, result, exc_info, event_id=str(event.event_id)):
            return worker_ctx.args[0]["event_id"] == event_id

        with entrypoint_waiter(container, HANDLER[type(event)], callback=this_event, timeout=15) as result:
            dispatch(event.source, event.event_type(), event.to_message())
        assert result.get() == "applied"


def ringkasan(container, scope) -> dict:
    with entrypoint_hook(container, "get_ringkasan", context_data=auth_context()) as get:
        return get(*scope)


def new_id() -> str:
    return str(uuid.uuid4())


# -- tests -------------------------------------------------------------------------------------------

def test_the_summary_adds_up_the_plan_and_the_budget_per_bidang_urusan(pemerintahan, scope):
    s = Scope(*scope)
    sd, smp, gone, puskesmas = new_id(), new_id(), new_id(), new_id()

    deliver(pemerintahan,
            s.saved(sd, "1.01", "1000000.00"),
            s.saved(smp, "1.01", "2500000.50"),
            s.saved(gone, "1.01", "999.99"),
            s.deleted(gone, "1.01", version=2),
            s.saved(puskesmas, "1.02", "750000.25"),
            s.plafon(sd, "1.01", "1000000.00", "1200000.00", "melebihi_plafon", version=2),
            s.plafon(smp, "1.01", "2500000.50", "500000.125", "sesuai", version=3),
            s.plafon(gone, "1.01", "999.99", "10.00", "tanpa_rencana", version=4))

    summary = ringkasan(pemerintahan, scope)

    assert (summary["kode_pemda"], summary["tahun"]) == scope
    assert summary["total_pagu_indikatif"] == "4250000.75"
    assert summary["total_anggaran"] == "1700010.125"
    pendidikan, kesehatan = summary["bidang_urusan"]
    assert pendidikan["kode_bidang_urusan"] == "1.01"
    assert pendidikan["nama_bidang_urusan"] == "URUSAN PEMERINTAHAN BIDANG PENDIDIKAN"
    assert pendidikan["jumlah_sub_kegiatan"] == 2  # the deleted one is not counted
    assert pendidikan["total_pagu_indikatif"] == "3500000.50"
    assert pendidikan["total_anggaran"] == "1700010.125"
    assert pendidikan["jumlah_bermasalah"] == 2
    assert sorted((b["rkpd_id"], b["status"]) for b in pendidikan["bermasalah"]) == \
        sorted([(sd, "melebihi_plafon"), (gone, "tanpa_rencana")])
    assert kesehatan == {
        "kode_bidang_urusan": "1.02", "nama_bidang_urusan": "URUSAN PEMERINTAHAN BIDANG KESEHATAN",
        "jumlah_sub_kegiatan": 1, "total_pagu_indikatif": "750000.25", "total_anggaran": "0.00",
        "jumlah_bermasalah": 0, "bermasalah": [],
    }


def test_a_stale_plafon_change_after_a_newer_one_changes_nothing(pemerintahan, scope):
    s = Scope(*scope)
    rkpd_id = new_id()
    deliver(pemerintahan,
            s.saved(rkpd_id, "1.01", "1000000.00"),
            s.plafon(rkpd_id, "1.01", "1000000.00", "1500000.00", "melebihi_plafon", version=3))
    before = ringkasan(pemerintahan, scope)

    deliver(pemerintahan, s.plafon(rkpd_id, "1.01", "1000000.00", "200000.00", "sesuai", version=2))

    assert ringkasan(pemerintahan, scope) == before
    [row] = before["bidang_urusan"]
    assert (row["total_anggaran"], row["jumlah_bermasalah"]) == ("1500000.00", 1)
    assert row["bermasalah"] == [{"rkpd_id": rkpd_id, "kode_sub_kegiatan": "1.01.02.2.01.0001",
                                  "status": "melebihi_plafon"}]


def test_an_event_whose_version_jumps_implausibly_far_is_parked_and_freezes_nothing(pemerintahan, lingkungan):
    """A forged (or corrupt) event claiming version 2**31 - 1 would make every genuine change after it 'older'."""
    from nameko.standalone.events import event_dispatcher

    scope = Scope(*lingkungan())
    rkpd_id = new_id()
    deliver(pemerintahan, scope.saved(rkpd_id, "1.01", "100"))
    forged = scope.saved(rkpd_id, "1.01", "999999999", version=2**31 - 1)
    with entrypoint_waiter(pemerintahan, "on_rkpd_saved", timeout=15) as result:
        event_dispatcher()(forged.source, forged.event_type(), forged.to_message())
    assert result.get() == "parked"
    [row] = [p for p in as_operator(pemerintahan, "parked_events") if p["event_id"] == str(forged.event_id)]
    assert row["error"].startswith("implausible version")

    deliver(pemerintahan, scope.saved(rkpd_id, "1.01", "200", version=2))  # the genuine next change applies
    assert ringkasan(pemerintahan, tuple(scope.envelope.values()))["total_pagu_indikatif"] == "200.00"


# -- the plan's events: idempotent by version, without an inbox or a transaction ----------------------

def _held(engines, table, column, value) -> int:
    with engines("pemerintahan").connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(table.c[column] == value)).scalar_one()


def test_a_plan_event_delivered_again_changes_nothing_and_keeps_no_inbox_record(pemerintahan, scope, engines):
    s = Scope(*scope)
    rkpd_id = new_id()
    first = s.saved(rkpd_id, "1.01", "1000000.00", version=2)
    deliver(pemerintahan, first)
    before = ringkasan(pemerintahan, scope)

    # redelivered, and an older version arriving late: neither is applied again (the version held decides)
    for again in (first, s.saved(rkpd_id, "1.01", "5.00", version=1)):
        with entrypoint_waiter(pemerintahan, "on_rkpd_saved", timeout=15) as result:
            event_dispatcher()(again.source, again.event_type(), again.to_message())
        assert result.get() == "duplicate"

    assert ringkasan(pemerintahan, scope) == before
    assert before["total_pagu_indikatif"] == "1000000.00"
    assert _held(engines, inbox_table, "event_id", first.event_id) == 0  # the version is the record


def test_a_plan_event_that_failed_once_is_applied_on_redelivery_and_its_attempt_forgotten(
        pemerintahan, scope, engines, monkeypatch):
    s = Scope(*scope)
    event = s.saved(new_id(), "1.01", "250.00")
    apply = ringkasan_usecases.apply_rkpd_saved
    calls = []

    def fails_once(uow, e):
        calls.append(e.event_id)
        if len(calls) == 1:
            raise RuntimeError("a failure of the first attempt")
        return apply(uow, e)

    monkeypatch.setattr(ringkasan_usecases, "apply_rkpd_saved", fails_once)
    event_dispatcher()(event.source, event.event_type(), event.to_message())

    wait_until(lambda: ringkasan(pemerintahan, scope)["total_pagu_indikatif"] == "250.00", timeout=15,
               message="applied on its redelivery")
    assert calls == [event.event_id, event.event_id]
    # the attempt recorded by the failure is forgotten with the effects of the redelivery (its transaction)
    wait_until(lambda: _held(engines, handler_failure_table, "event_id", event.event_id) == 0, timeout=5,
               message="the failed attempt forgotten")
