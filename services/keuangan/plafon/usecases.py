"""Ceilings: kept from the plan's events, read by the pemda (flagged when a code they use is retired:
``replika/usecases.py``).

The handlers of the plan's events are the system's (no caller): each keeps the latest version of the
plan item (events may come late, twice or out of order) and publishes the ceiling's new state.
"""
from __future__ import annotations

from decimal import Decimal

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


def sumber_dana_of(event: RkpdSubKegiatanSaved) -> dict[str, Decimal]:
    """The plan item's funding sources as ceilings (kode → pagu); a source named twice adds up."""
    found: dict[str, Decimal] = {}
    for sd in event.sumber_dana:
        found[sd.kode_sumber_dana] = found.get(sd.kode_sumber_dana, Decimal(0)) + sd.pagu
    return found


def apply_rkpd_saved(uow, event: RkpdSubKegiatanSaved) -> bool:
    """The plan item's pagu is the ceiling, its funding sources' amounts the sources' ceilings (unless a newer
    version of it is held). Once the KUA-PPAS is agreed, the plan's figures are kept beside the agreed ceiling
    (a pergeseran for TAPD): an item new to the plan then has no agreed ceiling (0) until TAPD accepts it.
    True if applied; False for a version not newer than the one held (a redelivery changes nothing: the handler
    keeps no inbox record for it)."""
    # the PPAS first, then the ceiling: the agreement locks them in that order too (no deadlock between them)
    agreed = uow.ppas.disepakati(event.kode_pemda, event.tahun)
    p = uow.plafon.lock_or_create(event.aggregate_id, **_identity(event))
    if not p.ada and agreed:
        p.disepakati = True
    if p.terapkan_rencana(event.aggregate_version, event.pagu_indikatif, sumber_dana_of(event), **_identity(event)):
        uow.plafon.save(p)
        uow.emit(plafon_changed(p))
        return True
    return False


def apply_rkpd_deleted(uow, event: RkpdSubKegiatanDeleted) -> bool:
    """The plan item is gone: its lines stay, the ceiling says ``tanpa_rencana``. True if applied (as above)."""
    p = uow.plafon.lock_or_create(event.aggregate_id, **_identity(event))
    if p.terapkan_hapus(event.aggregate_version, event.pagu_indikatif):
        uow.plafon.save(p)
        uow.emit(plafon_changed(p))
        return True
    return False


def list_plafon(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0,
                limit: int = 50) -> dict:
    """The ceilings of a pemda and year (an SKPD operator: its own SKPD's), a page with the total."""
    caller = access.require_read(caller, kode_pemda)
    with uow:
        items, total = uow.plafon.list_page(kode_pemda, tahun, offset, limit, caller.skpd_filter)
    return {"items": [plafon_out(p) for p in items], "total": total}


def plafon_out(p: Plafon) -> PlafonOut:
    """A ceiling as answered: its state, room left, the plan's figure beside an agreed one, each funding source."""
    kodes = sorted(set(p.sumber_dana) | set(p.sumber_dana_rencana) | set(p.total_sumber_dana))
    sumber_dana = [{
        "kode_sumber_dana": k, "pagu": p.sumber_dana.get(k, Decimal(0)), "total_rincian": p.total_sumber_dana.get(k, Decimal(0)),
        "sisa": p.sumber_dana.get(k, Decimal(0)) - p.total_sumber_dana.get(k, Decimal(0)),
        "pagu_rencana": p.sumber_dana_rencana.get(k, Decimal(0))
        if p.sumber_dana_rencana.get(k) != p.sumber_dana.get(k) else None} for k in kodes]
    return PlafonOut.model_validate({**vars(p), "status": p.status, "sisa": p.sisa, "pergeseran": p.pergeseran,
                                     "sumber_dana": sumber_dana})
