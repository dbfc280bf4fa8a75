"""The budget schedule's use cases: schedule a pemda-year's budget stages (TAPD), extend a window, lock a stage
(a content-hashed snapshot of what it holds, kept unchanged), reopen a locked one (for a reason, recorded; a new
lock is a new snapshot), read them; and the gate every write of a stage passes (``require_tahap``).

A refusal by the schedule is a ``Conflict`` naming ``tahap`` (``domain.periksa_tahap``) and changes nothing. A
pemda-year without a budget schedule is not under one: ``require_tahap`` lets every write through, as before.
``now`` is the caller's clock (the service's, or a test's).
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from contracts.keuangan import (
    BukaKembaliTahapAnggaran, JadwalAnggaranBaru, JadwalAnggaranOut, PerpanjanganTahapAnggaran, SnapshotAnggaranOut,
    TahapAnggaranOut,
)
from sipd_common import access, idempotency
from sipd_common.access import Scope
from sipd_common.errors import Conflict, Invalid, NotFound
from sipd_common.validation import parse, record_id

from ..policy import POLICY, Aksi
from . import domain
from .domain import JadwalAnggaran

RECORD = "jadwal_anggaran"  # the record type of the audit trail
_KUNCI_BARIS = ("kode_skpd", "kode_sub_kegiatan", "kode_rekening")


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(timezone.utc)


def _out(j: JadwalAnggaran, now: datetime) -> JadwalAnggaranOut:
    return JadwalAnggaranOut(
        id=j.id, kode_pemda=j.kode_pemda, tahun=j.tahun, versi_tahapan=j.versi_tahapan, version=j.version,
        tahap=[TahapAnggaranOut(**{k: getattr(t, k) for k in domain.Tahap.__dataclass_fields__},
                                terbuka_sekarang=t.terbuka_pada(now)) for t in j.tahap])


def _save(uow, before: JadwalAnggaran | None, after: JadwalAnggaran, now: datetime, idempotent: tuple = (None, None),
          **note) -> JadwalAnggaranOut:
    """``after`` stored, audited, committed; ``idempotent``: (caller, key) of a create, kept with its answer."""
    answer = _out(after, now)
    if before is None:
        if not uow.jadwal.add(after):
            raise Conflict(f"pemda {after.kode_pemda} has a budget schedule for {after.tahun} already",
                           errors=[{"field": "tahun", "message": "scheduled already; extend its stages instead"}])
    else:
        uow.jadwal.save(after)
    uow.audit(RECORD, after.id, "create" if before is None else "update",
              before and _out(before, now).model_dump(mode="json"), {**answer.model_dump(mode="json"), **note},
              kode_pemda=after.kode_pemda, tahun=after.tahun)
    idempotency.complete(uow, *idempotent, answer)
    uow.commit()
    return answer


def _for_update(uow, kode_pemda: str, tahun: int) -> JadwalAnggaran:
    j = uow.jadwal.get(kode_pemda, tahun, lock="update")
    if j is None:
        raise NotFound(f"no budget schedule for {tahun} in pemda {kode_pemda}")
    return j


# -- writes of the schedule (TAPD) --------------------------------------------------------------------------------

def create_jadwal_anggaran(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict,
                           now: datetime | None = None, idempotency_key: str | None = None) -> JadwalAnggaranOut:
    """The pemda-year's budget schedule: a window per stage of the stage list in force for the year; with
    ``idempotency_key``, once (a repeat answers the first answer, not 409 for the year scheduled already)."""
    POLICY.require(caller, Aksi.KELOLA_JADWAL_ANGGARAN, kode_pemda)
    now = _now(now)
    baru = parse(JadwalAnggaranBaru, data)
    with uow:
        if (earlier := idempotency.first_answer(uow, caller, idempotency_key, JadwalAnggaranOut,
                                                "create_jadwal_anggaran", kode_pemda, tahun, baru)) is not None:
            return earlier
        tahapan = domain.tahapan_berlaku(uow.jadwal.tahapan(), tahun)
        if tahapan is None:
            raise Invalid.field("tahun", f"no budget stage list applies to {tahun}")
        j, errors = domain.susun_jadwal(str(uuid.uuid4()), kode_pemda, tahun, tahapan,
                                        [(t.kode_tahap, t.waktu_mulai, t.waktu_selesai) for t in baru.tahap])
        if errors:
            raise Invalid.of(errors)
        return _save(uow, None, j, now, (caller, idempotency_key))


def extend_tahap_anggaran(uow, caller: Scope | None, kode_pemda: str, tahun: int, kode_tahap: str, data: dict,
                          now: datetime | None = None) -> JadwalAnggaranOut:
    """Extend a stage's window (perpanjang): 422 naming ``waktu_selesai``, 409 naming ``tahap`` when locked."""
    POLICY.require(caller, Aksi.KELOLA_JADWAL_ANGGARAN, kode_pemda)
    now = _now(now)
    body = parse(PerpanjanganTahapAnggaran, data)
    with uow:
        j = _for_update(uow, kode_pemda, tahun)
        after, errors = domain.perpanjang(j, kode_tahap, body.waktu_selesai, now)
        if errors:
            raise (Conflict if errors[0].field == "tahap" else Invalid).of(errors)
        return _save(uow, j, after, now)


def lock_tahap_anggaran(uow, caller: Scope | None, kode_pemda: str, tahun: int, kode_tahap: str,
                        now: datetime | None = None) -> JadwalAnggaranOut:
    """Lock a stage: a snapshot of what it holds, content-hashed, kept unchanged; the stage is written no more.
    The schedule's row lock orders it after the writes in flight (they hold it shared): the snapshot has them all;
    of two racing locks the second finds the stage locked (409)."""
    caller = POLICY.require(caller, Aksi.KUNCI_TAHAP_ANGGARAN, kode_pemda)
    now = _now(now)
    with uow:
        j = _for_update(uow, kode_pemda, tahun)
        snapshot_id = str(uuid.uuid4())
        after, errors = domain.kunci(j, kode_tahap, snapshot_id, caller.username)
        if errors:
            raise (Invalid if errors[0].field == "kode_tahap" else Conflict).of(errors)
        isi = domain.as_json(_isi(uow, kode_pemda, tahun, kode_tahap))
        header = {"kode_pemda": kode_pemda, "tahun": tahun, "kode_tahap": kode_tahap}
        hash = domain.content_hash(header, isi)
        versi = after.get(kode_tahap).jumlah_kunci
        uow.jadwal.add_snapshot({"id": snapshot_id, "jadwal_id": j.id, "kode_pemda": kode_pemda, "tahun": tahun,
                                 "kode_tahap": kode_tahap, "versi": versi, "hash": hash, "isi": isi,
                                 "dibuat_oleh": caller.username, "dibuat_at": now})
        return _save(uow, j, after, now, snapshot_id=snapshot_id, hash=hash)


def reopen_tahap_anggaran(uow, caller: Scope | None, kode_pemda: str, tahun: int, kode_tahap: str, data: dict,
                          now: datetime | None = None) -> JadwalAnggaranOut:
    """Reopen a locked stage (buka kembali), for a reason, until a new end of its window: its writes pass again
    inside the window. The snapshot of its lock is kept; the reopening is recorded on the stage and in the audit
    trail (who, when, why). 409 naming ``tahap`` when the stage is not locked, a later stage is locked, or the
    budget it makes is enacted (the APBD: a change is the APBD-P's; the APBD-P itself); 422 naming ``alasan`` or
    ``waktu_selesai``. The schedule's row lock orders it with a racing lock or reopening."""
    caller = POLICY.require(caller, Aksi.BUKA_KEMBALI_TAHAP_ANGGARAN, kode_pemda)
    now = _now(now)
    body = parse(BukaKembaliTahapAnggaran, data)
    with uow:
        j = _for_update(uow, kode_pemda, tahun)
        apbd = uow.apbd.get(kode_pemda, tahun)
        perubahan = uow.perubahan.perubahan(kode_pemda, tahun)
        after, errors = domain.buka_kembali(j, kode_tahap, body.alasan, body.waktu_selesai, now, caller.username,
                                            apbd.status if apbd else None,
                                            perubahan.status if perubahan else None)
        if errors:
            raise (Conflict if errors[0].field == "tahap" else Invalid).of(errors)
        return _save(uow, j, after, now, alasan=body.alasan.strip())


def _isi(uow, kode_pemda: str, tahun: int, kode_tahap: str) -> dict:
    """What a stage holds: the ceilings for ``ppas``; for the others the lines summed per SKPD × sub kegiatan ×
    account, and revenue and financing per SKPD × account (in key order, so the hash is the content's)."""
    if kode_tahap == domain.PPAS:
        pagu, _ = uow.ppas.list_pagu(kode_pemda, tahun, 0, 10 ** 9)
        rows = [{"tingkat": p.tingkat, "kode_skpd": p.kode_skpd, "kode": p.kode, "pagu_rkpd": p.pagu_rkpd,
                 "pagu": p.pagu, "disesuaikan": p.disesuaikan} for p in pagu]
        return {"pagu": sorted(rows, key=lambda r: (r["kode_skpd"], r["kode"], r["tingkat"])),
                "total_pagu": domain.total((r for r in rows if r["tingkat"] == "skpd"), "pagu")}
    belanja = sorted(uow.rincian.jumlah_per(kode_pemda, tahun, _KUNCI_BARIS),
                     key=lambda r: tuple(r[k] for k in _KUNCI_BARIS))
    anggaran = sorted(({"kode_skpd": s, "kode_rekening": r, "jumlah": j}
                       for s, r, j in uow.pendapatan.jumlah_per_akun(kode_pemda, tahun)),
                      key=lambda r: (r["kode_skpd"] or "", r["kode_rekening"]))
    return {"belanja": belanja, "pendapatan_pembiayaan": anggaran, "total_belanja": domain.total(belanja, "jumlah")}


# -- the gate of every write of a stage ----------------------------------------------------------------------------

def require_tahap(uow, kode_pemda: str, tahun: int, kode_tahap: str, now: datetime | None = None) -> None:
    """Inside the write's transaction: stage ``kode_tahap`` of the pemda-year's budget may be written now
    (``domain.periksa_tahap``), else ``Conflict`` naming ``tahap``. Holds the schedule's row shared until the write
    commits, so a lock of the stage waits for the write and its snapshot has it. No schedule: no refusal."""
    errors = domain.periksa_tahap(uow.jadwal.get(kode_pemda, tahun, lock="share"), kode_tahap, _now(now))
    if errors:
        raise Conflict.of(errors)


# -- reads ------------------------------------------------------------------------------------------------------

def get_jadwal_anggaran(uow, caller: Scope | None, kode_pemda: str, tahun: int,
                        now: datetime | None = None) -> JadwalAnggaranOut:
    access.require_read(caller, kode_pemda)
    with uow:
        j = uow.jadwal.get(kode_pemda, tahun)
    if j is None:
        raise NotFound(f"no budget schedule for {tahun} in pemda {kode_pemda} (its budget is not under one: every "
                       "stage is open)")
    return _out(j, _now(now))


def get_snapshot_anggaran(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> SnapshotAnggaranOut:
    access.require_read(caller, kode_pemda)
    with uow:
        s = uow.jadwal.snapshot(kode_pemda, record_id(id, "snapshot"))
    if s is None or s["tahun"] != tahun:
        raise NotFound(f"no budget snapshot {id} in pemda {kode_pemda} for {tahun}")
    return SnapshotAnggaranOut(**s)
