"""Ceilings: kept from the plan's events, read by the pemda (flagged when a code they use is retired:
``replika/usecases.py``).

The handlers of the plan's events are the system's (no caller): each keeps the latest version of the
plan item (events may come late, twice or out of order) and publishes the ceiling's new state.
"""
from __future__ import annotations

from contracts.keuangan import PlafonChanged, PlafonOut
from contracts.perencanaan import RkpdSubKegiatanDeleted, RkpdSubKegiatanSaved
from sipd_common import access
from sipd_common.access import Scope

from .domain import Plafon


def plafon_changed(p: Plafon) -> PlafonChanged:
    """The event of the ceiling's new state (after the plan changed it, or a line was added under it)."""
    return PlafonChanged(
        kode_pemda=p.kode_pemda, tahun=p.tahun, aggregate_id=p.rkpd_id, aggregate_version=p.version,
        kode_skpd=p.kode_skpd, kode_sub_kegiatan=p.kode_sub_kegiatan, kode_bidang_urusan=p.kode_bidang_urusan,
        pagu=p.pagu, total_rincian=p.total_rincian, status=p.status,
    )


def _identity(event: RkpdSubKegiatanSaved | RkpdSubKegiatanDeleted) -> dict:
    return dict(kode_pemda=event.kode_pemda, tahun=event.tahun, kode_skpd=event.kode_skpd,
                kode_sub_kegiatan=event.kode_sub_kegiatan, kode_bidang_urusan=event.kode_bidang_urusan)


def apply_rkpd_saved(uow, event: RkpdSubKegiatanSaved) -> None:
    """The plan item's pagu is the ceiling (unless a newer version of it is held)."""
    p = uow.plafon.lock_or_create(event.aggregate_id, **_identity(event))
    if p.terapkan_rencana(event.aggregate_version, event.pagu_indikatif, **_identity(event)):
        uow.plafon.save(p)
        uow.emit(plafon_changed(p))


def apply_rkpd_deleted(uow, event: RkpdSubKegiatanDeleted) -> None:
    """The plan item is gone: its lines stay, the ceiling says ``tanpa_rencana``."""
    p = uow.plafon.lock_or_create(event.aggregate_id, **_identity(event))
    if p.terapkan_hapus(event.aggregate_version, event.pagu_indikatif):
        uow.plafon.save(p)
        uow.emit(plafon_changed(p))


def list_plafon(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0,
                limit: int = 50) -> dict:
    """The ceilings of a pemda and year (an SKPD operator: its own SKPD's), a page with the total."""
    caller = access.require_read(caller, kode_pemda)
    with uow:
        items, total = uow.plafon.list_page(kode_pemda, tahun, offset, limit, caller.skpd_filter)
    return {"items": [PlafonOut.model_validate({**vars(p), "status": p.status, "sisa": p.sisa}) for p in items],
            "total": total}
