"""keuangan's realisation as pemerintahan runs it: ``realisasi.berubah`` published as keuangan publishes it, read
tolerantly, applied once however often it is delivered, kept at the newest total, and shown by the LPPD and the
national view."""
from __future__ import annotations

import pytest
from nameko.standalone.events import event_dispatcher
from nameko.testing.services import entrypoint_waiter
from sqlalchemy import select

from contracts.keuangan import RealisasiBerubah
from services.pemerintahan.realisasi.repository import realisasi
from services.pemerintahan.service import PemerintahanService
from services.pemerintahan.tests.service.test_perda import call
from services.pemerintahan.tests.service.test_service import BIDANG, Scope, deliver, new_id


@pytest.fixture
def pemerintahan(start):
    return start(PemerintahanService)


def berubah(scope: tuple, jumlah: str, version: int, jenis: str = "belanja",
            kode_rekening: str = "5.1.02.01.01.0001") -> RealisasiBerubah:
    kode_pemda, tahun = scope
    _, kode_skpd, kode_sub = BIDANG["1.01"]
    sub = kode_sub if jenis == "belanja" else None
    return RealisasiBerubah(kode_pemda=kode_pemda, tahun=tahun, jenis=jenis, kode_skpd=kode_skpd,
                            aggregate_id=f"{kode_pemda}:{tahun}:{jenis}:{kode_skpd}:{sub or '-'}:{kode_rekening}",
                            aggregate_version=version, kode_sub_kegiatan=sub, kode_rekening=kode_rekening,
                            jumlah=jumlah, perubahan=jumlah)


def publish(container, message: dict) -> str:
    """One message on keuangan's exchange, as its relay sends it; what the handler made of it."""
    def this_message(worker_ctx, result, exc_info):
        return worker_ctx.args[0]["event_id"] == message["event_id"]

    with entrypoint_waiter(container, "on_realisasi_berubah", callback=this_message, timeout=15) as result:
        event_dispatcher()(RealisasiBerubah.source, RealisasiBerubah.event_type(), message)
    return result.get()


def test_spending_realised_is_applied_once_at_its_newest_total_and_reaches_the_lppd(pemerintahan, scope, engines):
    kode_pemda, tahun = scope
    s, item = Scope(*scope), new_id()
    deliver(pemerintahan, s.saved(item, "1.01", "1000.00"),
            s.plafon(item, "1.01", "1000.00", "800.00", "sesuai", version=2))

    # fields this consumer does not know, at the top and nested: ignored
    first = {**berubah(scope, "300.00", 1).to_message(), "nomor_sp2d": "00001/SP2D", "sumber": {"bank": "BJB"}}
    assert publish(pemerintahan, first) == "applied"
    assert publish(pemerintahan, first) == "duplicate"  # redelivered: applied once
    assert publish(pemerintahan, berubah(scope, "500.00", 2).to_message()) == "applied"
    # the first change again, under a new event id (a replay from keuangan's outbox): older, changes nothing
    assert publish(pemerintahan, {**first, "event_id": new_id()}) == "applied"
    assert publish(pemerintahan, berubah(scope, "70.00", 1, jenis="pendapatan",
                                         kode_rekening="4.1.01.06.01.0001").to_message()) == "applied"

    with engines("pemerintahan").connect() as conn:
        held = conn.execute(select(realisasi.c.jenis, realisasi.c.jumlah, realisasi.c.source_version)
                            .where(realisasi.c.kode_pemda == kode_pemda, realisasi.c.tahun == tahun)
                            .order_by(realisasi.c.jenis)).all()
    assert [(j, str(n), v) for j, n, v in held] == [("belanja", "500.000000", 2), ("pendapatan", "70.000000", 1)]

    lppd = call(pemerintahan, "draft_lppd", kode_pemda, tahun, kode_pemda=kode_pemda)
    [urusan] = lppd["isi"]["urusan"]
    [bidang] = urusan["bidang_urusan"]
    [sub] = bidang["sub_kegiatan"]
    assert (sub["anggaran"], sub["realisasi"], sub["capaian"]) == ("800.00", "500.00", "62.50")
    assert (bidang["total_realisasi"], bidang["capaian"]) == ("500.00", "62.50")  # revenue is not spending
    assert (lppd["isi"]["total_realisasi"], lppd["isi"]["capaian"]) == ("500.00", "62.50")

    # more spending after the draft: the draft is stale in that bidang urusan, and rebuilt
    assert publish(pemerintahan, berubah(scope, "800.00", 3).to_message()) == "applied"
    stale = call(pemerintahan, "get_lppd", kode_pemda, tahun, kode_pemda=kode_pemda)
    assert (stale["basi"], stale["berubah"], stale["isi"]["total_realisasi"]) == (True, ["1.01"], "500.00")
    rebuilt = call(pemerintahan, "rebuild_lppd", kode_pemda, tahun, kode_pemda=kode_pemda)
    assert (rebuilt["basi"], rebuilt["isi"]["total_realisasi"], rebuilt["isi"]["capaian"]) == (
        False, "800.00", "100.00")

    view = call(pemerintahan, "get_nasional", tahun, role="pusat_admin", provinsi=kode_pemda.split(".")[0])
    [row] = [p for p in view["items"] if p["kode_pemda"] == kode_pemda]
    assert row["total_realisasi"] == "800.00"
    assert [(u["kode_bidang_urusan"], u["total_realisasi"]) for u in row["urusan"]] == [("1.01", "800.00")]
