"""keuangan's use cases: ceilings kept from the plan's events, budget lines under them.

The handlers of the plan's events are the system's (no caller); every RPC use case checks its
caller first (``sipd_common.access``). A budget line belongs to the SKPD of its ceiling's RKPD item.
"""
from __future__ import annotations

import uuid
from typing import Callable

from pydantic import ValidationError

from sipd_common import access
from sipd_common.access import Scope
from sipd_common.audit import read_trail
from sipd_common.db import StorageHandle, UnitOfWork
from sipd_common.errors import Invalid
from sipd_common.validation import invalid_from, record_id
from contracts.perencanaan import RkpdSubKegiatanDeleted, RkpdSubKegiatanSaved
from contracts.referensi import KodeRetired, RekeningChanged

from . import repository as repo
from .policy import POLICY, Aksi
from contracts.keuangan import PlafonOut, RincianBaru, RincianOut
from .domain.plafon import Pelanggaran, Plafon, jumlah, periksa_rekening, tambah_pemetaan
from contracts.keuangan import PlafonChanged


def _changed(p: Plafon) -> PlafonChanged:
    return PlafonChanged(
        kode_pemda=p.kode_pemda, tahun=p.tahun, aggregate_id=p.rkpd_id, aggregate_version=p.version,
        kode_skpd=p.kode_skpd, kode_sub_kegiatan=p.kode_sub_kegiatan, kode_bidang_urusan=p.kode_bidang_urusan,
        pagu=p.pagu, total_rincian=p.total_rincian, status=p.status,
    )


def _identity(event) -> dict:
    return dict(kode_pemda=event.kode_pemda, tahun=event.tahun, kode_skpd=event.kode_skpd,
                kode_sub_kegiatan=event.kode_sub_kegiatan, kode_bidang_urusan=event.kode_bidang_urusan)


# -- from the plan -------------------------------------------------------------
def on_rkpd_saved(uow: UnitOfWork, event: RkpdSubKegiatanSaved) -> None:
    p = repo.lock_or_create(uow.session, event.aggregate_id, **_identity(event))
    if p.terapkan_rencana(event.aggregate_version, event.pagu_indikatif, **_identity(event)):
        repo.save(uow.session, p)
        uow.emit(_changed(p))


def on_rkpd_deleted(uow: UnitOfWork, event: RkpdSubKegiatanDeleted) -> None:
    p = repo.lock_or_create(uow.session, event.aggregate_id, **_identity(event))
    if p.terapkan_hapus(event.aggregate_version, event.pagu_indikatif):
        repo.save(uow.session, p)
        uow.emit(_changed(p))


# -- from the codification ------------------------------------------------------------
RETIRED_CODE_COLUMNS = {"sub_kegiatan": "kode_sub_kegiatan", "skpd": "kode_skpd"}  # of a ceiling


def on_kode_retired(uow: UnitOfWork, event: KodeRetired) -> None:
    """An account, sub kegiatan or SKPD the budget uses was retired: flag the lines or ceilings, rewrite nothing."""
    if _dipakai_sebagai(event) == "rekening":
        for line in repo.rincian_using(uow.session, event.kode):
            flagged = tambah_pemetaan(line.pemetaan, _pemetaan(event))
            if flagged != line.pemetaan:
                repo.flag_rincian(uow.session, line.id, flagged)
        return
    column = RETIRED_CODE_COLUMNS.get(_dipakai_sebagai(event))
    if column is None:
        return
    for p in repo.plafon_using(uow.session, column, event.kode, event.kode_pemda):
        if p.tandai_pemetaan(_pemetaan(event)):
            repo.save(uow.session, p)


def on_rekening_changed(uow: UnitOfWork, event: RekeningChanged) -> None:
    """Renamed accounts: the lines on them carry the new name."""
    for change in event.perubahan:
        if change.aksi == "changed" and change.tingkat == "sub_rincian_objek":
            repo.rename_rekening(uow.session, change.kode, change.nama, change.revisi)


# -- budget lines ----------------------------------------------------------------
def _raise(errors: list[Pelanggaran]) -> None:
    if errors:
        raise Invalid("; ".join(e.message for e in errors),
                      errors=[{"field": e.field, "message": e.message} for e in errors])


def _rincian_out(row) -> dict:
    p = Plafon(rkpd_id=row.rkpd_id, kode_pemda=row.kode_pemda, tahun=row.tahun, kode_skpd="", kode_sub_kegiatan="",
               kode_bidang_urusan="", pagu=row.pagu, total_rincian=row.total_rincian, rencana_dihapus=row.rencana_dihapus)
    return RincianOut.model_validate({**row._asdict(), "status": p.status}).model_dump(mode="json")


RINCIAN = "rincian"


def create_rincian(storage: StorageHandle, get_rekening: Callable[[str], dict | None], caller: Scope | None,
                   kode_pemda: str, tahun: int, data: dict) -> dict:
    caller = POLICY.require(caller, Aksi.CREATE_RINCIAN, kode_pemda)
    try:
        baru = RincianBaru.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None
    rekening = get_rekening(baru.kode_rekening)
    _raise(periksa_rekening(rekening))
    amount = jumlah(baru.volume, baru.harga_satuan)
    with storage.unit_of_work() as uow:
        p = repo.lock(uow.session, baru.rkpd_id, kode_pemda, tahun)
        if p is None or p.version == 0:
            _raise([Pelanggaran("rkpd_id", f"no RKPD item {baru.rkpd_id} with a ceiling in {kode_pemda}/{tahun}")])
        POLICY.require(caller, Aksi.CREATE_RINCIAN, kode_pemda, p.kode_skpd)
        _raise(p.periksa_rincian(amount))
        p.tambah_rincian(amount)
        values = {**baru.model_dump(), "id": str(uuid.uuid4()), "kode_pemda": kode_pemda, "tahun": tahun,
                  "nama_rekening": rekening["nama"], "jumlah": amount, "revisi_rekening": rekening.get("revisi", 0)}
        repo.add_rincian(uow.session, values)
        repo.save(uow.session, p)
        uow.emit(_changed(p))
        out = RincianOut.model_validate({**values, "status": p.status, "perlu_pemetaan": False, "pemetaan": []}
                                        ).model_dump(mode="json")
        uow.audit(RINCIAN, out["id"], "create", None, out, kode_pemda=kode_pemda, tahun=tahun, kode_skpd=p.kode_skpd)
        uow.commit()
    return out


def _readable_rincian(session, caller: Scope | None, kode_pemda: str, tahun: int, id: str):
    return access.require_readable(
        caller, kode_pemda, lambda: repo.get_rincian(session, kode_pemda, tahun, record_id(id, "budget line")),
        lambda row: row.kode_skpd, f"no budget line {id} in {kode_pemda}/{tahun}")


def get_rincian(storage: StorageHandle, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> dict:
    with storage.read() as session:
        return _rincian_out(_readable_rincian(session, caller, kode_pemda, tahun, id))


def rincian_audit(storage: StorageHandle, caller: Scope | None, kode_pemda: str, tahun: int, id: str,
                  offset: int = 0, limit: int = 50) -> dict:
    with storage.read() as session:
        row = _readable_rincian(session, caller, kode_pemda, tahun, id)
        return read_trail(session, RINCIAN, row.id, offset, limit)


def list_rincian(storage: StorageHandle, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0,
                 limit: int = 50, rkpd_id: str | None = None) -> dict:
    caller = access.require_read(caller, kode_pemda)
    if rkpd_id is not None:
        try:
            rkpd_id = str(uuid.UUID(rkpd_id))
        except ValueError:
            raise Invalid.field("rkpd_id", "must be a UUID") from None
    with storage.read() as session:
        rows, total = repo.list_rincian(session, kode_pemda, tahun, offset, limit, rkpd_id, caller.skpd_filter)
    return {"items": [_rincian_out(r) for r in rows], "total": total}


def list_plafon(storage: StorageHandle, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0,
                limit: int = 50) -> dict:
    caller = access.require_read(caller, kode_pemda)
    with storage.read() as session:
        items, total = repo.list_plafon(session, kode_pemda, tahun, offset, limit, caller.skpd_filter)
    return {"items": [PlafonOut.model_validate({**vars(p), "status": p.status, "sisa": p.sisa}).model_dump(mode="json")
                      for p in items], "total": total}


def _dipakai_sebagai(event: KodeRetired) -> str | None:
    """What a record of this service holds the retired code as; None for the levels no record holds."""
    if event.kind == "nomenklatur":
        return "sub_kegiatan" if event.tingkat == "sub_kegiatan" else None
    if event.kind == "rekening":
        return "rekening" if event.tingkat == "sub_rincian_objek" else None
    return event.kind if event.kind in ("skpd", "sumber_dana") else None


def _pemetaan(event: KodeRetired) -> dict:
    return {"kind": event.kind, "kode": event.kode, "versi": event.versi, "kode_pengganti": list(event.kode_pengganti)}
