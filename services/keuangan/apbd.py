"""keuangan's use cases: ceilings kept from the plan's events, budget lines under them."""
from __future__ import annotations

import uuid
from typing import Callable

from pydantic import ValidationError

from sipd_common.db import StorageHandle, UnitOfWork
from sipd_common.errors import Invalid
from sipd_common.validation import invalid_from
from services.perencanaan.events import RkpdSubKegiatanDeleted, RkpdSubKegiatanSaved
from services.referensi.events import KodeRetired, RekeningChanged, tambah_pemetaan

from . import repository as repo
from .contracts import PlafonOut, RincianBaru, RincianOut
from .domain.plafon import Pelanggaran, Plafon, jumlah, periksa_rekening
from .events import PlafonChanged


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
    if p.terapkan_hapus(event.aggregate_version):
        repo.save(uow.session, p)
        uow.emit(_changed(p))


# -- from the codification ------------------------------------------------------------
RETIRED_CODE_COLUMNS = {"sub_kegiatan": "kode_sub_kegiatan", "skpd": "kode_skpd"}  # of a ceiling


def on_kode_retired(uow: UnitOfWork, event: KodeRetired) -> None:
    """An account, sub kegiatan or SKPD the budget uses was retired: flag the lines or ceilings, rewrite nothing."""
    if event.dipakai_sebagai == "rekening":
        for line in repo.rincian_using(uow.session, event.kode):
            flagged = tambah_pemetaan(line.pemetaan, event.pemetaan())
            if flagged != line.pemetaan:
                repo.flag_rincian(uow.session, line.id, flagged)
        return
    column = RETIRED_CODE_COLUMNS.get(event.dipakai_sebagai)
    if column is None:
        return
    for p in repo.plafon_using(uow.session, column, event.kode, event.kode_pemda):
        if p.tandai_pemetaan(event.pemetaan()):
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


def create_rincian(storage: StorageHandle, get_rekening: Callable[[str], dict | None],
                   kode_pemda: str, tahun: int, data: dict) -> dict:
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
        _raise(p.periksa_rincian(amount))
        p.tambah_rincian(amount)
        values = {**baru.model_dump(), "id": str(uuid.uuid4()), "kode_pemda": kode_pemda, "tahun": tahun,
                  "nama_rekening": rekening["nama"], "jumlah": amount, "revisi_rekening": rekening.get("revisi", 0)}
        repo.add_rincian(uow.session, values)
        repo.save(uow.session, p)
        uow.emit(_changed(p))
        uow.commit()
    return RincianOut.model_validate({**values, "status": p.status, "perlu_pemetaan": False, "pemetaan": []}
                                     ).model_dump(mode="json")


def list_rincian(storage: StorageHandle, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50,
                 rkpd_id: str | None = None) -> dict:
    if rkpd_id is not None:
        try:
            rkpd_id = str(uuid.UUID(rkpd_id))
        except ValueError:
            raise Invalid.field("rkpd_id", "must be a UUID") from None
    with storage.read() as session:
        rows, total = repo.list_rincian(session, kode_pemda, tahun, offset, limit, rkpd_id)
    return {"items": [_rincian_out(r) for r in rows], "total": total}


def list_plafon(storage: StorageHandle, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50) -> dict:
    with storage.read() as session:
        items, total = repo.list_plafon(session, kode_pemda, tahun, offset, limit)
    return {"items": [PlafonOut.model_validate({**vars(p), "status": p.status, "sisa": p.sisa}).model_dump(mode="json")
                      for p in items], "total": total}
