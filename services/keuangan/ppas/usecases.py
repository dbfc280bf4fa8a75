"""KUA-PPAS: kept from the enacted RKPD (``rkpd.ditetapkan``), adjusted by TAPD, agreed with the DPRD; and the
plan's changes against an agreed ceiling (pergeseran), which TAPD accepts or rejects.

What does keuangan do when the plan is enacted? ``apply_rkpd_ditetapkan``. When the nota kesepakatan is
recorded? ``agree_ppas``: every ceiling of the year takes its agreed figure. When the plan changes after it?
``plafon/usecases.py`` ``apply_rkpd_saved`` keeps the plan's figure beside the agreed one.

The KUA-PPAS perubahan (``perubahan=True``) is the same, for the APBD-P: it starts as the APBD-P opens
(``mulai_perubahan``) from what the plan says then, TAPD adjusts it within the APBD-P's window, and its nota
kesepakatan perubahan fixes the ceilings the APBD-P's positions then respect (``perubahan/usecases.py``); the
murni KUA-PPAS and the budget lines' ceilings stay as agreed.
"""
from __future__ import annotations

from contracts.keuangan import (
    KeputusanPergeseran, NotaKesepakatan, PaguPpasOut, PenyesuaianPpas, PlafonOut, PpasOut, PpasPerubahanOut,
)
from contracts.perencanaan import RkpdDitetapkan
from sipd_common import access
from sipd_common.access import Scope
from sipd_common.errors import Conflict, Invalid, NotFound
from sipd_common.validation import invalid_from, record_id

from pydantic import ValidationError

from ..jadwal.domain import APBD_P, PPAS
from ..jadwal.usecases import require_tahap
from ..plafon.domain import Ditolak, TidakAdaPergeseran
from ..plafon.usecases import plafon_changed, plafon_out
from ..policy import POLICY, Aksi
from .domain import PaguPpas, Ppas, SudahDisepakati, bertingkat

# record types of the audit trail
AUDIT_PPAS, AUDIT_PPAS_PERUBAHAN, PLAFON = "ppas", "ppas_perubahan", "plafon"


def _rows(event: RkpdDitetapkan) -> list[PaguPpas]:
    rows = [PaguPpas("skpd", r.kode_skpd, r.kode_skpd, r.pagu_indikatif, r.pagu_indikatif) for r in event.skpd]
    rows += [PaguPpas("program", r.kode_skpd, r.kode_program, r.pagu_indikatif, r.pagu_indikatif) for r in event.program]
    rows += [PaguPpas("kegiatan", r.kode_skpd, r.kode_kegiatan, r.pagu_indikatif, r.pagu_indikatif)
             for r in event.kegiatan]
    rows += [PaguPpas("sub_kegiatan", r.kode_skpd, r.kode_sub_kegiatan, r.pagu_indikatif, r.pagu_indikatif)
             for r in event.sub_kegiatan]
    return rows


def apply_rkpd_ditetapkan(uow, event: RkpdDitetapkan) -> None:
    """The enacted RKPD's totals become the provisional ceilings (a later enactment, a perubahan, refreshes
    them: ``Ppas.terapkan_rkpd``). The ceilings of the budget lines still follow the plan until the agreement."""
    p = uow.ppas.lock(event.kode_pemda, event.tahun) or Ppas(event.kode_pemda, event.tahun)
    applied, changed = p.terapkan_rkpd(event.aggregate_version, event.snapshot_id, _rows(event))
    if applied:
        uow.ppas.save(p, changed)


def _parse(model, data: dict):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None


def _invalid(refused: Ditolak) -> Invalid:
    return Invalid("; ".join(e.message for e in refused.pelanggaran),
                   errors=[{"field": e.field, "message": e.message} for e in refused.pelanggaran])


def _repository(uow, perubahan: bool):
    return uow.ppas_perubahan if perubahan else uow.ppas


def _ppas_out(uow, p: Ppas, perubahan: bool = False) -> PpasOut | PpasPerubahanOut:
    total, total_rkpd = _repository(uow, perubahan).totals(p.kode_pemda, p.tahun)
    return (PpasPerubahanOut if perubahan else PpasOut).model_validate(
        {**vars(p), "total": total, "total_rkpd": total_rkpd})


def _none(kode_pemda: str, tahun: int, perubahan: bool) -> NotFound:
    return NotFound(f"no KUA-PPAS perubahan {kode_pemda}/{tahun}: the APBD-P of {tahun} is not open" if perubahan
                    else f"no KUA-PPAS {kode_pemda}/{tahun}: the RKPD of {tahun} is not enacted yet")


def _locked(uow, kode_pemda: str, tahun: int, perubahan: bool = False) -> Ppas:
    p = _repository(uow, perubahan).lock(kode_pemda, tahun)
    if p is None:
        raise _none(kode_pemda, tahun, perubahan)
    return p


def get_ppas(uow, caller: Scope | None, kode_pemda: str, tahun: int,
             perubahan: bool = False) -> PpasOut | PpasPerubahanOut:
    """The year's KUA-PPAS, or KUA-PPAS perubahan (status, agreement, totals): every role of the pemda reads it."""
    access.require_read(caller, kode_pemda)
    with uow:
        p = _repository(uow, perubahan).get(kode_pemda, tahun)
        if p is None:
            raise _none(kode_pemda, tahun, perubahan)
        return _ppas_out(uow, p, perubahan)


def list_pagu_ppas(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50,
                   tingkat: str | None = None, kode_skpd: str | None = None, perubahan: bool = False) -> dict:
    """The PPAS (or PPAS perubahan) ceilings (an SKPD operator: its own SKPD's), by level and SKPD, a page and the
    total."""
    caller = access.require_read(caller, kode_pemda)
    kode_skpd = access.require_skpd_filter(caller, kode_skpd)
    if tingkat is not None and tingkat not in ("skpd", "program", "kegiatan", "sub_kegiatan"):
        raise Invalid.field("tingkat", "one of skpd, program, kegiatan, sub_kegiatan")
    with uow:
        rows, total = _repository(uow, perubahan).list_pagu(kode_pemda, tahun, offset, limit, tingkat, kode_skpd)
    return {"items": [PaguPpasOut.model_validate(vars(r)) for r in rows], "total": total}


def adjust_ppas(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict,
                perubahan: bool = False) -> PaguPpasOut:
    """TAPD sets one provisional ceiling (audited); refused after the agreement (409) or when the ceilings under
    a parent would exceed it (422 naming ``pagu``). ``perubahan``: of the KUA-PPAS perubahan, inside the APBD-P's
    window."""
    POLICY.require(caller, Aksi.SESUAIKAN_PPAS, kode_pemda)
    body = _parse(PenyesuaianPpas, data)
    with uow:
        require_tahap(uow, kode_pemda, tahun, APBD_P if perubahan else PPAS)  # inside its stage's window
        p = _locked(uow, kode_pemda, tahun, perubahan)
        before = p.pagu.get((body.tingkat, body.kode_skpd, body.kode))
        before = PaguPpasOut.model_validate(vars(before)).model_dump(mode="json") if before else None
        try:
            row = p.sesuaikan(body.tingkat, body.kode_skpd, body.kode, body.pagu)
        except SudahDisepakati as exc:
            raise Conflict(str(exc)) from None
        except Ditolak as refused:
            raise _invalid(refused) from None
        _repository(uow, perubahan).save(p, [row])
        out = PaguPpasOut.model_validate(vars(row))
        uow.audit(AUDIT_PPAS_PERUBAHAN if perubahan else AUDIT_PPAS, f"{kode_pemda}/{tahun}", "update", before,
                  {**out.model_dump(mode="json"), "alasan": body.alasan}, kode_pemda=kode_pemda, tahun=tahun,
                  kode_skpd=body.kode_skpd)
        uow.commit()
    return out


def agree_ppas(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict,
               perubahan: bool = False) -> PpasOut | PpasPerubahanOut:
    """The nota kesepakatan (number, date) fixes the ceilings: every ceiling of the year takes its agreed PPAS
    figure (0 for a sub kegiatan the PPAS lacks: its plan figure waits as a pergeseran); audited, published.
    ``perubahan``: the nota kesepakatan perubahan, inside the APBD-P's window; its ceilings are the APBD-P's (the
    budget lines' stay as agreed)."""
    POLICY.require(caller, Aksi.SEPAKATI_PPAS, kode_pemda)
    body = _parse(NotaKesepakatan, data)
    with uow:
        require_tahap(uow, kode_pemda, tahun, APBD_P if perubahan else PPAS)  # inside its stage's window
        p = _locked(uow, kode_pemda, tahun, perubahan)
        try:
            p.sepakati(body.nomor, body.tanggal)
        except SudahDisepakati as exc:
            raise Conflict(str(exc)) from None
        _repository(uow, perubahan).save(p, [])
        if not perubahan:
            ceilings = uow.plafon.lock_tahun(kode_pemda, tahun)
            for c in ceilings:
                c.sepakati(p.pagu_sub_kegiatan(c.kode_skpd, c.kode_sub_kegiatan))
            uow.plafon.save_all(ceilings)
            uow.emit_many([plafon_changed(c) for c in ceilings])
        out = _ppas_out(uow, p, perubahan)
        uow.audit(AUDIT_PPAS_PERUBAHAN if perubahan else AUDIT_PPAS, f"{kode_pemda}/{tahun}", "update", None,
                  out.model_dump(mode="json"), kode_pemda=kode_pemda, tahun=tahun)
        uow.commit()
    return out


def mulai_perubahan(uow, kode_pemda: str, tahun: int) -> None:
    """The KUA-PPAS perubahan, as the APBD-P opens (in its transaction): provisional, each ceiling what the plan
    says now (its sub kegiatan's summed up to every level, ``bertingkat``); audited."""
    p = Ppas(kode_pemda, tahun, version=1)
    rows = bertingkat(uow.plafon.pagu_rencana_per_sub_kegiatan(kode_pemda, tahun))
    uow.ppas_perubahan.save(p, rows)
    uow.audit(AUDIT_PPAS_PERUBAHAN, f"{kode_pemda}/{tahun}", "create", None,
              _ppas_out(uow, p, perubahan=True).model_dump(mode="json"), kode_pemda=kode_pemda, tahun=tahun)


def ppas_audit(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50) -> dict:
    """Every adjustment and the agreement of the year's PPAS, oldest first (TAPD's, every role of the pemda reads)."""
    access.require_read(caller, kode_pemda)
    with uow:
        return uow.trail(AUDIT_PPAS, f"{kode_pemda}/{tahun}", offset, limit)


def list_pergeseran(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50) -> dict:
    """The agreed ceilings the plan now differs from (plan says X, agreed ceiling says Y), pending or rejected."""
    caller = access.require_read(caller, kode_pemda)
    with uow:
        items, total = uow.plafon.list_pergeseran(kode_pemda, tahun, offset, limit, caller.skpd_filter)
    return {"items": [plafon_out(p) for p in items], "total": total}


def decide_pergeseran(uow, caller: Scope | None, kode_pemda: str, tahun: int, rkpd_id: str, terima: bool,
                      data: dict | None = None) -> PlafonOut:
    """TAPD accepts (the plan's figures become the ceiling) or rejects (the agreed ceiling stays, the plan's
    figure shown beside it) a pending pergeseran; 409 when none is pending. Audited, published."""
    POLICY.require(caller, Aksi.PUTUSKAN_PERGESERAN, kode_pemda)
    body = _parse(KeputusanPergeseran, data or {})
    with uow:
        c = uow.plafon.lock(record_id(rkpd_id, "ceiling"), kode_pemda, tahun)
        if c is None or not c.ada:
            raise NotFound(f"no ceiling of RKPD item {rkpd_id} in {kode_pemda}/{tahun}")
        before = plafon_out(c).model_dump(mode="json")
        try:
            c.terima_pergeseran() if terima else c.tolak_pergeseran()
        except TidakAdaPergeseran as exc:
            raise Conflict(str(exc)) from None
        uow.plafon.save(c)
        uow.emit(plafon_changed(c))
        out = plafon_out(c)
        uow.audit(PLAFON, c.rkpd_id, "update", before,
                  {**out.model_dump(mode="json"), "keputusan": "terima" if terima else "tolak", "alasan": body.alasan},
                  kode_pemda=kode_pemda, tahun=tahun, kode_skpd=c.kode_skpd)
        uow.commit()
    return out
