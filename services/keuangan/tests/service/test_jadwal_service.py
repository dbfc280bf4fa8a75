"""The budget's schedule on keuangan's real unit of work and PostgreSQL: a stage refused outside its window, a
lock's snapshot summed in the database and hashed, and the database itself keeping the snapshot unchanged. Each
test schedules a pemda-year of its own."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from services.keuangan.apbd import usecases as apbd
from services.keuangan.jadwal import domain
from services.keuangan.jadwal import usecases as jadwal
from services.keuangan.uow import KeuanganUnitOfWork
from sipd_common.errors import Conflict

from .test_apbd_service import caller, store

NOW = datetime.now(timezone.utc)
DAY = timedelta(days=1)


def test_a_stage_outside_its_window_is_refused_and_a_lock_keeps_an_immutable_hashed_snapshot(db, scope):
    kode_pemda, tahun = scope
    belanja, _ = store(db, kode_pemda, tahun)
    tapd = caller(kode_pemda)

    def uow():
        return KeuanganUnitOfWork(db, "keuangan", {}, actor=tapd)

    jadwal.create_jadwal_anggaran(uow(), tapd, kode_pemda, tahun, {"tahap": [
        {"kode_tahap": "ppas", "waktu_mulai": (NOW - 9 * DAY).isoformat(), "waktu_selesai": (NOW - DAY).isoformat()},
        {"kode_tahap": "rka", "waktu_mulai": (NOW - DAY).isoformat(), "waktu_selesai": (NOW + DAY).isoformat()},
        {"kode_tahap": "rapbd", "waktu_mulai": (NOW + DAY).isoformat(), "waktu_selesai": (NOW + 9 * DAY).isoformat()}]})

    # the draft APBD's stage has not begun: its submission is refused naming the stage, the APBD stays a draft
    with pytest.raises(Conflict) as refused:
        apbd.ajukan_apbd(uow(), tapd, kode_pemda, tahun)
    assert refused.value.errors[0]["field"] == "tahap" and "rapbd" in refused.value.errors[0]["message"]
    with uow() as u:
        assert u.apbd.get(kode_pemda, tahun) is None or u.apbd.get(kode_pemda, tahun).status == "draft"

    locked = jadwal.lock_tahap_anggaran(uow(), tapd, kode_pemda, tahun, "rka")
    stage = next(t for t in locked.tahap if t.kode == "rka")
    snap = jadwal.get_snapshot_anggaran(uow(), tapd, kode_pemda, tahun, stage.snapshot_id)
    assert Decimal(snap.isi["total_belanja"]) == sum(b.jumlah for b in belanja)
    header = {"kode_pemda": kode_pemda, "tahun": tahun, "kode_tahap": "rka"}
    assert snap.hash == domain.content_hash(header, snap.isi)
    with pytest.raises(Conflict):
        jadwal.lock_tahap_anggaran(uow(), tapd, kode_pemda, tahun, "rka")

    # the database refuses to change or delete a snapshot
    for sql in ("UPDATE jadwal_anggaran_snapshot SET hash = 'x' WHERE id = :id",
                "DELETE FROM jadwal_anggaran_snapshot WHERE id = :id"):
        with pytest.raises(DBAPIError, match="never changes"), db.begin() as conn:
            conn.execute(text(sql), {"id": stage.snapshot_id})

    # TAPD reopens the stage for a reason; locked again it keeps a second snapshot beside the first, both unchanged
    reopened = jadwal.reopen_tahap_anggaran(uow(), tapd, kode_pemda, tahun, "rka", {
        "alasan": "koreksi RKA Dinas Pendidikan", "waktu_selesai": (NOW + 2 * DAY).isoformat()})
    again = next(t for t in reopened.tahap if t.kode == "rka")
    assert again.terbuka_sekarang and again.buka_kembali[0].snapshot_id == stage.snapshot_id
    relocked = next(t for t in jadwal.lock_tahap_anggaran(uow(), tapd, kode_pemda, tahun, "rka").tahap
                    if t.kode == "rka")
    second = jadwal.get_snapshot_anggaran(uow(), tapd, kode_pemda, tahun, relocked.snapshot_id)
    assert (second.versi, relocked.jumlah_kunci, second.hash) == (2, 2, snap.hash)  # the same lines, a new version
    assert jadwal.get_snapshot_anggaran(uow(), tapd, kode_pemda, tahun, stage.snapshot_id) == snap
    assert snap.versi == 1
