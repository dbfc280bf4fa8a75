"""The summary per bidang urusan: kept from the plan's and the budget's events, read by the pemda.

Every handler keeps the latest state only (events carry their record's version), so events may come
late, twice or out of order and the summary still ends in the latest state.
"""
from __future__ import annotations

from decimal import Decimal

from contracts.keuangan import PlafonChanged
from contracts.pemerintahan import BarisRingkasanOut, RingkasanOut
from contracts.perencanaan import RkpdSubKegiatanDeleted, RkpdSubKegiatanSaved
from sipd_common.access import Scope
from sipd_common.events import check_version_step

from .. import policy
from .domain import ringkas


def apply_rkpd_saved(uow, event: RkpdSubKegiatanSaved) -> bool:
    """The plan item's state, unless the one held is as new; True if stored. Idempotent by version on its own
    (one statement): the handler keeps no inbox record for it."""
    check_version_step(event.aggregate_version, lambda: uow.ringkasan.versi_rencana(event.aggregate_id))
    return uow.ringkasan.simpan_rencana(dict(
        rkpd_id=event.aggregate_id, kode_pemda=event.kode_pemda, tahun=event.tahun,
        kode_bidang_urusan=event.kode_bidang_urusan, nama_bidang_urusan=event.nama_bidang_urusan,
        kode_skpd=event.kode_skpd, kode_sub_kegiatan=event.kode_sub_kegiatan, nama_sub_kegiatan=event.nama_sub_kegiatan,
        indikator=event.indikator, target=event.target, satuan=event.satuan, pagu=event.pagu_indikatif, dihapus=False,
        source_version=event.aggregate_version))


def apply_rkpd_deleted(uow, event: RkpdSubKegiatanDeleted) -> bool:
    """As ``apply_rkpd_saved``: a deletion seen before the creation still wins, it carries the higher version."""
    check_version_step(event.aggregate_version, lambda: uow.ringkasan.versi_rencana(event.aggregate_id))
    return uow.ringkasan.simpan_rencana(dict(
        rkpd_id=event.aggregate_id, kode_pemda=event.kode_pemda, tahun=event.tahun,
        kode_bidang_urusan=event.kode_bidang_urusan, kode_skpd=event.kode_skpd,
        kode_sub_kegiatan=event.kode_sub_kegiatan, pagu=event.pagu_indikatif, dihapus=True,
        source_version=event.aggregate_version))


def apply_plafon_changed(uow, event: PlafonChanged) -> None:
    check_version_step(event.aggregate_version, lambda: uow.ringkasan.versi_anggaran(event.aggregate_id))
    uow.ringkasan.simpan_anggaran(dict(
        rkpd_id=event.aggregate_id, kode_pemda=event.kode_pemda, tahun=event.tahun,
        kode_bidang_urusan=event.kode_bidang_urusan, kode_sub_kegiatan=event.kode_sub_kegiatan,
        total_rincian=event.total_rincian, status=event.status, source_version=event.aggregate_version))


def get_ringkasan(uow, caller: Scope | None, kode_pemda: str, tahun: int) -> RingkasanOut:
    """The pemda-wide summary: read by every role of the pemda, SKPD operators included (it aggregates)."""
    policy.baca_laporan(caller, kode_pemda)
    with uow:
        rows = ringkas(uow.ringkasan.rencana_of(kode_pemda, tahun), uow.ringkasan.anggaran_of(kode_pemda, tahun))
    return RingkasanOut(
        kode_pemda=kode_pemda, tahun=tahun, bidang_urusan=[BarisRingkasanOut.model_validate(vars(r)) for r in rows],
        total_pagu_indikatif=sum((r.total_pagu_indikatif for r in rows), Decimal(0)),
        total_anggaran=sum((r.total_anggaran for r in rows), Decimal(0)),
    )
