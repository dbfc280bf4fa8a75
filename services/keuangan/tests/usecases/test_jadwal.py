"""The budget's schedule on an in-memory unit of work: a line refused outside the RKA window (409 naming
``tahap``, nothing changed), accepted inside it; a lock keeps a content-hashed snapshot; a reopening (for a reason,
recorded) takes writes again and a new lock a new snapshot, the first kept; never once enacted; TAPD's alone."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from services.keuangan.apbd.domain import Apbd
from services.keuangan.jadwal import usecases
from services.keuangan.rincian import usecases as rincian
from sipd_common.access import Role, Scope
from sipd_common.errors import Conflict, Forbidden, Invalid, NotFound

from .fakes import PEMDA, TAHUN
from .test_rincian import TAPD, budget, line, state

NOW = datetime.now(timezone.utc)
DAY = timedelta(days=1)
OPERATOR = Scope("u2", "op.pendidikan", Role.SKPD_OPERATOR, PEMDA, kode_skpd="1.01.0.00.0.00.01.0000")


def windows(rka: tuple[datetime, datetime]) -> dict:
    start = min(rka[0], NOW) - 30 * DAY
    return {"tahap": [
        {"kode_tahap": "ppas", "waktu_mulai": start.isoformat(), "waktu_selesai": (start + DAY).isoformat()},
        {"kode_tahap": "rka", "waktu_mulai": rka[0].isoformat(), "waktu_selesai": rka[1].isoformat()},
        {"kode_tahap": "rapbd", "waktu_mulai": rka[1].isoformat(), "waktu_selesai": (rka[1] + 30 * DAY).isoformat()}]}


def scheduled(rka: tuple[datetime, datetime]):
    uow, rkpd_id = budget()
    usecases.create_jadwal_anggaran(uow, TAPD, PEMDA, TAHUN, windows(rka))
    return uow, rkpd_id


def test_a_year_without_a_schedule_takes_lines_as_before():
    uow, rkpd_id = budget()
    assert rincian.create_rincian(uow, TAPD, PEMDA, TAHUN, line(rkpd_id)).jumlah == Decimal("600001.00")
    with pytest.raises(NotFound):
        usecases.get_jadwal_anggaran(uow, TAPD, PEMDA, TAHUN)


def test_a_line_outside_the_rka_window_is_refused_naming_the_stage_and_nothing_changes():
    uow, rkpd_id = scheduled((NOW - 10 * DAY, NOW - DAY))
    before = state(uow)
    with pytest.raises(Conflict) as refused:
        rincian.create_rincian(uow, TAPD, PEMDA, TAHUN, line(rkpd_id))
    assert refused.value.errors[0]["field"] == "tahap" and "rka" in refused.value.errors[0]["message"]
    assert state(uow) == before


def test_a_line_inside_the_window_is_accepted_and_an_extension_reopens_a_closed_one():
    uow, rkpd_id = scheduled((NOW - 10 * DAY, NOW - DAY))
    out = usecases.extend_tahap_anggaran(uow, TAPD, PEMDA, TAHUN, "rka", {"waktu_selesai": (NOW + DAY).isoformat()})
    assert next(t for t in out.tahap if t.kode == "rka").terbuka_sekarang
    assert rincian.create_rincian(uow, TAPD, PEMDA, TAHUN, line(rkpd_id)).jumlah == Decimal("600001.00")
    with pytest.raises(Invalid) as short:
        usecases.extend_tahap_anggaran(uow, TAPD, PEMDA, TAHUN, "rka", {"waktu_selesai": NOW.isoformat()})
    assert short.value.errors[0]["field"] == "waktu_selesai"


def test_a_lock_keeps_a_hashed_snapshot_of_the_lines_and_closes_the_stage():
    uow, rkpd_id = scheduled((NOW - DAY, NOW + DAY))
    rincian.create_rincian(uow, TAPD, PEMDA, TAHUN, line(rkpd_id))
    locked = usecases.lock_tahap_anggaran(uow, TAPD, PEMDA, TAHUN, "rka")
    stage = next(t for t in locked.tahap if t.kode == "rka")
    assert stage.status == "terkunci" and not stage.terbuka_sekarang and stage.dikunci_oleh == TAPD.username
    snap = usecases.get_snapshot_anggaran(uow, TAPD, PEMDA, TAHUN, stage.snapshot_id)
    assert Decimal(snap.isi["total_belanja"]) == Decimal("600001") and len(snap.isi["belanja"]) == 1 and len(snap.hash) == 64
    assert any(a for a in uow.audited)
    with pytest.raises(Conflict) as again:
        usecases.lock_tahap_anggaran(uow, TAPD, PEMDA, TAHUN, "rka")
    assert again.value.errors[0]["field"] == "tahap"
    with pytest.raises(Conflict):
        rincian.create_rincian(uow, TAPD, PEMDA, TAHUN, line(rkpd_id, harga="1"))


def test_only_tapd_schedules_and_locks_and_a_year_is_scheduled_once():
    uow, _ = scheduled((NOW - DAY, NOW + DAY))
    with pytest.raises(Forbidden):
        usecases.lock_tahap_anggaran(uow, OPERATOR, PEMDA, TAHUN, "rka")
    with pytest.raises(Forbidden):
        usecases.create_jadwal_anggaran(uow, OPERATOR, PEMDA, TAHUN + 1, windows((NOW, NOW + DAY)))
    with pytest.raises(Conflict) as twice:
        usecases.create_jadwal_anggaran(uow, TAPD, PEMDA, TAHUN, windows((NOW, NOW + DAY)))
    assert twice.value.errors[0]["field"] == "tahun"


def test_a_schedule_missing_a_stage_is_refused_naming_it():
    uow, _ = budget()
    body = windows((NOW, NOW + DAY))
    body["tahap"] = body["tahap"][:2]
    with pytest.raises(Invalid) as refused:
        usecases.create_jadwal_anggaran(uow, TAPD, PEMDA, TAHUN, body)
    assert refused.value.errors[0]["field"] == "tahap" and "rapbd" in refused.value.errors[0]["message"]


# -- reopening a locked stage (buka kembali) ------------------------------------------------------------------

def reopen(uow, caller=TAPD, kode="rka", alasan="koreksi hasil verifikasi TAPD", selesai=NOW + 2 * DAY):
    return usecases.reopen_tahap_anggaran(uow, caller, PEMDA, TAHUN, kode,
                                          {"alasan": alasan, "waktu_selesai": selesai.isoformat()})


def test_a_reopened_stage_takes_writes_again_is_recorded_and_its_first_snapshot_is_kept():
    uow, rkpd_id = scheduled((NOW - DAY, NOW + DAY))
    rincian.create_rincian(uow, TAPD, PEMDA, TAHUN, line(rkpd_id))
    first = next(t for t in usecases.lock_tahap_anggaran(uow, TAPD, PEMDA, TAHUN, "rka").tahap if t.kode == "rka")
    kept = usecases.get_snapshot_anggaran(uow, TAPD, PEMDA, TAHUN, first.snapshot_id)

    out = reopen(uow)
    stage = next(t for t in out.tahap if t.kode == "rka")
    assert stage.status == "terbuka" and stage.terbuka_sekarang and stage.jumlah_kunci == 1
    assert [(b.oleh, b.alasan, b.snapshot_id) for b in stage.buka_kembali] == [
        (TAPD.username, "koreksi hasil verifikasi TAPD", first.snapshot_id)]
    assert uow.audited[-1]["after"]["alasan"] == "koreksi hasil verifikasi TAPD"
    added = rincian.create_rincian(uow, TAPD, PEMDA, TAHUN, line(rkpd_id, harga="1"))  # writes pass again

    second = next(t for t in usecases.lock_tahap_anggaran(uow, TAPD, PEMDA, TAHUN, "rka").tahap if t.kode == "rka")
    assert second.snapshot_id != first.snapshot_id and second.jumlah_kunci == 2
    snap = usecases.get_snapshot_anggaran(uow, TAPD, PEMDA, TAHUN, second.snapshot_id)
    assert (snap.versi, Decimal(snap.isi["total_belanja"])) == (2, Decimal("600001") + added.jumlah)
    assert usecases.get_snapshot_anggaran(uow, TAPD, PEMDA, TAHUN, first.snapshot_id) == kept  # never overwritten
    assert kept.versi == 1


def test_a_reopening_is_tapd_s_for_a_reason_and_refused_naming_the_field_changing_nothing():
    uow, _ = scheduled((NOW - DAY, NOW + DAY))
    usecases.lock_tahap_anggaran(uow, TAPD, PEMDA, TAHUN, "rka")
    before = (dict(uow.jadwal.rows), len(uow.audited))
    with pytest.raises(Forbidden):
        reopen(uow, OPERATOR)
    for kwargs, error, field in (({"alasan": " "}, Invalid, "alasan"), ({"selesai": NOW - DAY}, Invalid,
                                 "waktu_selesai"), ({"kode": "ppas"}, Conflict, "tahap")):
        with pytest.raises(error) as raised:
            reopen(uow, **kwargs)
        assert raised.value.errors[0]["field"] == field
    assert (dict(uow.jadwal.rows), len(uow.audited)) == before


def test_an_enacted_apbd_never_reopens_its_stages():
    uow, _ = scheduled((NOW - DAY, NOW + DAY))
    usecases.lock_tahap_anggaran(uow, TAPD, PEMDA, TAHUN, "rka")
    uow.apbd.save(Apbd(PEMDA, TAHUN, status="ditetapkan", version=3))
    with pytest.raises(Conflict) as raised:
        reopen(uow)
    assert raised.value.errors[0]["field"] == "tahap" and "APBD-P" in raised.value.errors[0]["message"]
