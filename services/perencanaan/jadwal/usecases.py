"""The schedules' use cases: schedule a document's stages, open, extend, lock (a snapshot; enacting
publishes ``RkpdDitetapkan``) and reopen them; read schedules and snapshots; and the gate every write
of a scheduled document passes (``require_writable``).

Every use case asks the policy first (``..policy``); a refusal by the stage's state is a ``Conflict``
naming the field, and changes nothing. ``now`` is the caller's clock (the service's, or a test's).
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from decimal import Decimal

from contracts.perencanaan import (
    BukaKembaliTahap, JadwalBaru, JadwalOut, JendelaTahap, PerpanjanganTahap, RkpdDitetapkan, SnapshotInfoOut,
    SnapshotOut, TahapanOut, TahapOut,
)
from sipd_common import access, idempotency
from sipd_common.access import Scope
from sipd_common.errors import Conflict, Invalid, NotFound
from sipd_common.validation import parse, record_id

from ..policy import POLICY, Aksi
from ..rkpd.domain import periksa_kunci_sasaran
from . import domain
from .domain import Jadwal, Snapshot

RECORD = "jadwal"
RKPD, RPJMD, RENSTRA = "rkpd", "rpjmd", "renstra"


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(timezone.utc)


def _out(j: Jadwal, now: datetime) -> JadwalOut:
    open_now = j.terbuka()
    return JadwalOut(
        id=j.id, kode_pemda=j.kode_pemda, dokumen=j.dokumen, tahun=j.tahun, versi_tahapan=j.versi_tahapan,
        version=j.version,
        tahap=[TahapOut(**{k: getattr(t, k) for k in domain.Tahap.__dataclass_fields__},
                        melewati_batas=bool(t.batas and t.waktu_selesai.date() > t.batas)) for t in j.tahap],
        tahap_terbuka=open_now.kode if open_now and open_now.terbuka_pada(now) else None)


def _audit(uow, before: Jadwal | None, after: Jadwal, now: datetime, **note) -> None:
    uow.audit(RECORD, after.id, "create" if before is None else "update",
              before and _out(before, now).model_dump(mode="json"),
              {**_out(after, now).model_dump(mode="json"), **note}, kode_pemda=after.kode_pemda, tahun=after.tahun)


def _tahapan(uow, dokumen: str, tahun: int, field: str = "dokumen") -> domain.Tahapan:
    versions = uow.jadwal.tahapan(dokumen)
    found = domain.tahapan_berlaku(versions, dokumen, tahun)
    if found is None:
        known = sorted({v.dokumen for v in uow.jadwal.tahapan()})
        raise Invalid.field(field, f"no stage list for document {dokumen!r} in {tahun} (documents: {', '.join(known)})")
    return found


def _tahapan_of(uow, j: Jadwal) -> domain.Tahapan:
    return next(v for v in uow.jadwal.tahapan(j.dokumen) if v.versi == j.versi_tahapan)


def _for_update(uow, kode_pemda: str, dokumen: str, tahun: int) -> Jadwal:
    j = uow.jadwal.get(kode_pemda, dokumen, tahun, lock="update")
    if j is None:
        raise NotFound(f"no {dokumen} jadwal for {tahun} in pemda {kode_pemda}")
    return j


def _save(uow, before: Jadwal, after: Jadwal, now: datetime, **note) -> JadwalOut:
    uow.jadwal.save(after)
    _audit(uow, before, after, now, **note)
    uow.commit()
    return _out(after, now)


# -- the decrees' stages ------------------------------------------------------------------------------

def list_tahapan(uow, dokumen: str | None = None) -> list[TahapanOut]:
    """Every document's stage lists, each version (decree) with the year it applies from. Public."""
    with uow:
        return [TahapanOut(dokumen=v.dokumen, versi=v.versi, dasar_hukum=v.dasar_hukum, berlaku_mulai=v.berlaku_mulai,
                           tahap=[vars(t) for t in v.tahap]) for v in uow.jadwal.tahapan(dokumen)]


# -- schedules ----------------------------------------------------------------------------------------

def create_jadwal(uow, caller: Scope | None, kode_pemda: str, data: dict, now: datetime | None = None,
                  idempotency_key: str | None = None) -> JadwalOut:
    """A schedule of the document's year; with ``idempotency_key``, once (a repeat answers the first answer,
    not 409 for the year scheduled already)."""
    POLICY.require(caller, Aksi.KELOLA_JADWAL, kode_pemda)
    now = _now(now)
    baru = parse(JadwalBaru, data)
    with uow:
        earlier = idempotency.first_answer(uow, caller, idempotency_key, JadwalOut, "create_jadwal", kode_pemda,
                                           baru.model_dump(mode="json"))
        if earlier is not None:
            return earlier
        tahapan = _tahapan(uow, baru.dokumen, baru.tahun)
        j, errors = domain.susun_jadwal(str(uuid.uuid4()), kode_pemda, baru.tahun, tahapan,
                                        [(t.kode_tahap, t.waktu_mulai, t.waktu_selesai) for t in baru.tahap])
        if errors:
            raise Invalid.of(errors)
        if not uow.jadwal.add(j):
            raise Conflict(f"pemda {kode_pemda} has a {baru.dokumen} jadwal for {baru.tahun} already",
                           errors=[{"field": "tahun", "message": "scheduled already; change its stages instead"}])
        _audit(uow, None, j, now)
        answer = _out(j, now)
        idempotency.complete(uow, caller, idempotency_key, answer)
        uow.commit()
    return answer


def add_tahap(uow, caller: Scope | None, kode_pemda: str, dokumen: str, tahun: int, data: dict,
              now: datetime | None = None) -> JadwalOut:
    """Schedule a stage left out at first (an optional one: perubahan)."""
    POLICY.require(caller, Aksi.KELOLA_JADWAL, kode_pemda)
    now = _now(now)
    jendela = parse(JendelaTahap, data)
    with uow:
        j = _for_update(uow, kode_pemda, dokumen, tahun)
        after, errors = domain.tambah_tahap(j, _tahapan_of(uow, j), jendela.kode_tahap, jendela.waktu_mulai,
                                            jendela.waktu_selesai)
        if errors:
            raise Invalid.of(errors)
        return _save(uow, j, after, now)


def open_tahap(uow, caller: Scope | None, kode_pemda: str, dokumen: str, tahun: int, kode_tahap: str,
               now: datetime | None = None) -> JadwalOut:
    POLICY.require(caller, Aksi.KELOLA_JADWAL, kode_pemda)
    now = _now(now)
    with uow:
        j = _for_update(uow, kode_pemda, dokumen, tahun)
        after, errors = domain.buka(j, kode_tahap, now)
        if errors:
            raise Conflict.of(errors)
        return _save(uow, j, after, now)


def extend_tahap(uow, caller: Scope | None, kode_pemda: str, dokumen: str, tahun: int, kode_tahap: str, data: dict,
                 now: datetime | None = None) -> JadwalOut:
    POLICY.require(caller, Aksi.KELOLA_JADWAL, kode_pemda)
    now = _now(now)
    perpanjangan = parse(PerpanjanganTahap, data)
    with uow:
        j = _for_update(uow, kode_pemda, dokumen, tahun)
        after, errors = domain.perpanjang(j, kode_tahap, perpanjangan.waktu_selesai, now)
        if errors:
            raise (Invalid if errors[0].field == "waktu_selesai" else Conflict).of(errors)
        return _save(uow, j, after, now)


def reopen_tahap(uow, caller: Scope | None, kode_pemda: str, dokumen: str, tahun: int, kode_tahap: str, data: dict,
                 now: datetime | None = None) -> JadwalOut:
    """Reopen a locked stage, for a reason (kept in the audit trail and on the stage)."""
    POLICY.require(caller, Aksi.BUKA_KEMBALI_TAHAP, kode_pemda)
    now = _now(now)
    body = parse(BukaKembaliTahap, data)
    with uow:
        j = _for_update(uow, kode_pemda, dokumen, tahun)
        after, errors = domain.buka_kembali(j, kode_tahap, body.alasan, body.waktu_selesai, now)
        if errors:
            raise (Invalid if errors[0].field in ("alasan", "waktu_selesai") else Conflict).of(errors)
        return _save(uow, j, after, now, alasan=body.alasan.strip())


def lock_tahap(uow, caller: Scope | None, kode_pemda: str, dokumen: str, tahun: int, kode_tahap: str,
               now: datetime | None = None) -> JadwalOut:
    """Lock the open stage: a snapshot of everything the document holds, content-hashed, kept for ever.
    Locking the enacting stage (penetapan, or a perubahan) publishes ``RkpdDitetapkan`` with its totals.

    Two callers racing: the schedule's row lock serialises them; the second finds the stage locked
    (409), so there is one lock and one snapshot. Writes of the document hold the row shared, so a lock
    waits for those in flight and the snapshot has all of them.

    A stage of the RKPD the decree marks ``wajib_sasaran`` (rancangan akhir, penetapan) is not locked while an
    item of the year names no Renstra sasaran (``rkpd.domain.periksa_kunci_sasaran``: 422 naming
    ``kode_sasaran_renstra``, one error per item; nothing locked)."""
    caller = POLICY.require(caller, Aksi.KUNCI_TAHAP, kode_pemda)
    now = _now(now)
    with uow:
        j = _for_update(uow, kode_pemda, dokumen, tahun)
        stage = j.get(kode_tahap)
        snapshot_id = str(uuid.uuid4())
        after, errors = domain.kunci(j, kode_tahap, snapshot_id)
        if errors:
            raise Conflict.of(errors)
        items = uow.rkpd.all_of(j.kode_pemda, j.tahun) if j.dokumen == RKPD else []
        errors = periksa_kunci_sasaran(items, stage.kode, stage.wajib_sasaran,
                                       lambda: uow.renstra.any_verified_covering(j.kode_pemda, j.tahun))
        if errors:
            raise Invalid(f"stage {stage.kode} is not locked: items of the RKPD {j.tahun} name no Renstra sasaran",
                          errors=[{"field": e.field, "message": e.message} for e in errors])
        snapshot = _snapshot(uow, j, stage, snapshot_id, caller, now, items)
        uow.jadwal.add_snapshot(snapshot)
        if stage.menetapkan and dokumen == RKPD:
            uow.emit(_ditetapkan(after, stage, snapshot))
        return _save(uow, j, after, now, snapshot_id=snapshot_id, hash=snapshot.hash)


def _periode_items(uow, j: Jadwal) -> list[dict]:
    """What an RPJMD or Renstra stage holds: the plans of the pemda whose period starts in the jadwal's year."""
    repo = uow.rpjmd if j.dokumen == RPJMD else uow.renstra
    found, _ = repo.list_page(j.kode_pemda, 0, 10_000)
    return [{"id": p.id, "kode_skpd": getattr(p, "kode_skpd", None), "tahun_awal": p.tahun_awal,
             "tahun_akhir": p.tahun_akhir, "status": str(p.status), "version": p.version,
             "isi": p.isi.model_dump(mode="json")}
            for p in sorted(found, key=lambda p: (getattr(p, "kode_skpd", ""), p.id)) if p.tahun_awal == j.tahun]


def _snapshot(uow, j: Jadwal, stage: domain.Tahap, snapshot_id: str, caller: Scope, now: datetime,
              rkpd_items: list) -> Snapshot:
    if j.dokumen in domain.PER_PERIODE:
        return _snapshot_periode(uow, j, stage, snapshot_id, caller, now)
    items = [i.isi_snapshot() for i in rkpd_items]
    murni_id = None
    if stage.perubahan:
        murni_id = j.penetapan().snapshot_id
        murni = uow.jadwal.snapshot(j.kode_pemda, murni_id)
        items = domain.dengan_murni(items, [{**m, "pagu_indikatif": Decimal(m["pagu_indikatif"])}
                                            for m in murni.items])
    kunci_ke = stage.jumlah_kunci + 1
    header = domain.snapshot_header(j.kode_pemda, j.dokumen, j.tahun, stage.kode, kunci_ke, stage.dari_snapshot_id,
                                    murni_id)
    stored = domain.as_json(domain.urutkan(items))
    return Snapshot(id=snapshot_id, jadwal_id=j.id, kode_pemda=j.kode_pemda, dokumen=j.dokumen, tahun=j.tahun,
                    kode_tahap=stage.kode, kunci_ke=kunci_ke, hash=domain.content_hash(header, stored), items=stored,
                    ringkasan=domain.as_json(domain.ringkasan(items)), dari_snapshot_id=stage.dari_snapshot_id,
                    murni_snapshot_id=murni_id, dibuat_oleh=caller.username, dibuat_at=now)


def _snapshot_periode(uow, j: Jadwal, stage: domain.Tahap, snapshot_id: str, caller: Scope,
                      now: datetime) -> Snapshot:
    items = domain.as_json(_periode_items(uow, j))
    kunci_ke = stage.jumlah_kunci + 1
    header = domain.snapshot_header(j.kode_pemda, j.dokumen, j.tahun, stage.kode, kunci_ke, stage.dari_snapshot_id,
                                    None)
    return Snapshot(id=snapshot_id, jadwal_id=j.id, kode_pemda=j.kode_pemda, dokumen=j.dokumen, tahun=j.tahun,
                    kode_tahap=stage.kode, kunci_ke=kunci_ke, hash=domain.content_hash(header, items), items=items,
                    ringkasan={"jumlah_dokumen": len(items)}, dari_snapshot_id=stage.dari_snapshot_id,
                    dibuat_oleh=caller.username, dibuat_at=now)


def _ditetapkan(j: Jadwal, stage: domain.Tahap, s: Snapshot) -> RkpdDitetapkan:
    r = s.ringkasan
    return RkpdDitetapkan(
        kode_pemda=j.kode_pemda, tahun=j.tahun, aggregate_id=j.id, aggregate_version=j.version,
        snapshot_id=s.id, hash=s.hash, kode_tahap=stage.kode, perubahan=stage.perubahan,
        murni_snapshot_id=s.murni_snapshot_id, jumlah_sub_kegiatan=r["jumlah_sub_kegiatan"],
        total_pagu_indikatif=r["total"]["pagu_indikatif"],
        total_pagu_indikatif_murni=r["total"].get("pagu_indikatif_murni"),
        skpd=r["skpd"], program=r["program"], kegiatan=r["kegiatan"], sub_kegiatan=r["sub_kegiatan"])


# -- the gate of every write of a scheduled document ---------------------------------------------------

def require_writable(uow, kode_pemda: str, tahun: int, dokumen: str = RKPD, now: datetime | None = None) -> str | None:
    """The stage a write of the document goes into (None: the year is not under a schedule; for an RPJMD or
    Renstra ``tahun`` is its period's first year, ``tahun_awal``); ``Conflict``
    naming ``tahun`` when no stage is open now. Holds the schedule's row shared until the write commits,
    so a lock of the stage cannot pass a write in flight."""
    stage = writable_stage(uow, kode_pemda, tahun, dokumen, now)
    return stage.kode if stage else None


def writable_stage(uow, kode_pemda: str, tahun: int, dokumen: str = RKPD,
                   now: datetime | None = None) -> domain.Tahap | None:
    """``require_writable``, answering the stage itself (what the decree asks of a write in it, such as
    ``wajib_sasaran``)."""
    j = uow.jadwal.get(kode_pemda, dokumen, tahun, lock="share")
    stage, errors = domain.boleh_menulis(j, _now(now))
    if errors:
        raise Conflict.of(errors)
    return stage


# -- reads --------------------------------------------------------------------------------------------

def get_jadwal(uow, caller: Scope | None, kode_pemda: str, dokumen: str, tahun: int,
               now: datetime | None = None) -> JadwalOut:
    access.require_read(caller, kode_pemda)
    with uow:
        j = uow.jadwal.get(kode_pemda, dokumen, tahun)
    if j is None:
        raise NotFound(f"no {dokumen} jadwal for {tahun} in pemda {kode_pemda}")
    return _out(j, _now(now))


def list_jadwal(uow, caller: Scope | None, kode_pemda: str, tahun: int | None = None, dokumen: str | None = None,
                now: datetime | None = None) -> dict:
    access.require_read(caller, kode_pemda)
    with uow:
        found = uow.jadwal.list(kode_pemda, tahun, dokumen)
    return {"items": [_out(j, _now(now)) for j in found], "total": len(found)}


def get_jadwal_audit(uow, caller: Scope | None, kode_pemda: str, dokumen: str, tahun: int, offset: int = 0,
                     limit: int = 50) -> dict:
    """Every change of the schedule, oldest first: who opened, extended, locked and reopened what, and why."""
    access.require_read(caller, kode_pemda)
    with uow:
        j = uow.jadwal.get(kode_pemda, dokumen, tahun)
        if j is None:
            raise NotFound(f"no {dokumen} jadwal for {tahun} in pemda {kode_pemda}")
        return uow.trail(RECORD, j.id, offset, limit)


def _info(s: Snapshot) -> dict:
    return {k: getattr(s, k) for k in SnapshotInfoOut.model_fields}


def list_snapshot(uow, caller: Scope | None, kode_pemda: str, dokumen: str, tahun: int) -> dict:
    access.require_read(caller, kode_pemda)
    with uow:
        j = uow.jadwal.get(kode_pemda, dokumen, tahun)
        if j is None:
            raise NotFound(f"no {dokumen} jadwal for {tahun} in pemda {kode_pemda}")
        found = uow.jadwal.snapshots(j.id)
    return {"items": [SnapshotInfoOut(**_info(s)) for s in found], "total": len(found)}


def get_snapshot(uow, caller: Scope | None, kode_pemda: str, id: str, offset: int = 0, limit: int = 200,
                 kode_skpd: str | None = None) -> SnapshotOut:
    """A snapshot as it was taken, with a page of its items (an SKPD operator's: its own SKPD's)."""
    caller = access.require_read(caller, kode_pemda)
    kode_skpd = access.require_skpd_filter(caller, kode_skpd)
    with uow:
        s = uow.jadwal.snapshot(kode_pemda, record_id(id, "snapshot"))
    if s is None:
        raise NotFound(f"no snapshot {id} in pemda {kode_pemda}")
    items = [i for i in s.items if kode_skpd is None or i["kode_skpd"] == kode_skpd]
    info = _info(s)
    if kode_skpd is not None and s.dokumen not in domain.PER_PERIODE:
        info["ringkasan"] = {**s.ringkasan, **{level: [r for r in s.ringkasan[level] if r["kode_skpd"] == kode_skpd]
                                               for level in ("skpd", "program", "kegiatan", "sub_kegiatan")}}
    return SnapshotOut(**info, items=items[offset:offset + limit], total=len(items),
                       page=offset // limit + 1 if limit else 1, per_page=limit)
