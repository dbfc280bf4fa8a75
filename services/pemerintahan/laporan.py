"""pemerintahan's use cases: keep the read models from events, answer the summary."""
from __future__ import annotations

from decimal import Decimal

from sipd_common import access
from sipd_common.access import Scope
from sipd_common.db import StorageHandle, UnitOfWork
from services.keuangan.events import PlafonChanged
from services.perencanaan.events import RkpdSubKegiatanDeleted, RkpdSubKegiatanSaved

from . import repository as repo
from .contracts import RingkasanOut
from .domain.ringkasan import ringkas


def on_rkpd_saved(uow: UnitOfWork, event: RkpdSubKegiatanSaved) -> None:
    repo.upsert_if_newer(uow.session, repo.rencana, dict(
        rkpd_id=event.aggregate_id, kode_pemda=event.kode_pemda, tahun=event.tahun,
        kode_bidang_urusan=event.kode_bidang_urusan, nama_bidang_urusan=event.nama_bidang_urusan,
        kode_sub_kegiatan=event.kode_sub_kegiatan, pagu=event.pagu_indikatif, dihapus=False,
        source_version=event.aggregate_version))


def on_rkpd_deleted(uow: UnitOfWork, event: RkpdSubKegiatanDeleted) -> None:
    # a deletion seen before the creation still wins: it carries the higher version
    repo.upsert_if_newer(uow.session, repo.rencana, dict(
        rkpd_id=event.aggregate_id, kode_pemda=event.kode_pemda, tahun=event.tahun,
        kode_bidang_urusan=event.kode_bidang_urusan, kode_sub_kegiatan=event.kode_sub_kegiatan,
        pagu=event.pagu_indikatif, dihapus=True, source_version=event.aggregate_version))


def on_plafon_changed(uow: UnitOfWork, event: PlafonChanged) -> None:
    repo.upsert_if_newer(uow.session, repo.anggaran, dict(
        rkpd_id=event.aggregate_id, kode_pemda=event.kode_pemda, tahun=event.tahun,
        kode_bidang_urusan=event.kode_bidang_urusan, kode_sub_kegiatan=event.kode_sub_kegiatan,
        total_rincian=event.total_rincian, status=event.status, source_version=event.aggregate_version))


def ringkasan(storage: StorageHandle, caller: Scope | None, kode_pemda: str, tahun: int) -> dict:
    """The pemda-wide summary: read by every role of the pemda, SKPD operators included (it aggregates)."""
    access.require_read(caller, kode_pemda)
    with storage.read() as session:
        rencana = repo.scope_rows(session, repo.rencana, kode_pemda, tahun)
        anggaran = repo.scope_rows(session, repo.anggaran, kode_pemda, tahun)
    rows = ringkas(rencana, anggaran)
    return RingkasanOut(
        kode_pemda=kode_pemda, tahun=tahun, bidang_urusan=[vars(r) for r in rows],
        total_pagu_indikatif=sum((r.total_pagu_indikatif for r in rows), Decimal(0)),
        total_anggaran=sum((r.total_anggaran for r in rows), Decimal(0)),
    ).model_dump(mode="json")
