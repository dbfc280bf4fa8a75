"""perencanaan's use cases: plan, change, delete and read RKPD sub kegiatan, and their audit trail.

Every use case takes the worker's ``caller`` and checks it first (``sipd_common.access``): the
pemda, the role's right to write plans, and for an SKPD operator the record's SKPD.
"""
from __future__ import annotations

import uuid
from typing import Protocol

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from sipd_common import access
from sipd_common.access import Scope
from sipd_common.audit import read_trail
from sipd_common.db import StorageHandle, UnitOfWork
from sipd_common.errors import Conflict, Invalid, NotFound
from sipd_common.validation import invalid_from, record_id
from contracts.referensi import KodeRetired, NomenklaturChanged

from . import repository as repo
from .policy import POLICY, Aksi
from contracts.perencanaan import PerubahanSubKegiatan, SubKegiatanBaru, SubKegiatanRkpdOut
from .domain.rkpd import SubKegiatanRkpd, periksa_kode, periksa_tahun
from contracts.perencanaan import RkpdSubKegiatanDeleted, RkpdSubKegiatanSaved


class Referensi(Protocol):
    """What perencanaan asks of the national codification; ``None`` where a code is unknown."""

    def codes(self, kode_pemda: str, kode_skpd: str, kode_sub_kegiatan: str) -> tuple[dict | None, dict | None, dict | None]: ...


def _out(item: SubKegiatanRkpd) -> dict:
    return SubKegiatanRkpdOut.model_validate(item, from_attributes=True).model_dump(mode="json")


def _saved(item: SubKegiatanRkpd) -> RkpdSubKegiatanSaved:
    return RkpdSubKegiatanSaved(
        kode_pemda=item.kode_pemda, tahun=item.tahun, aggregate_id=item.id, aggregate_version=item.version,
        kode_skpd=item.kode_skpd, kode_sub_kegiatan=item.kode_sub_kegiatan, nama_sub_kegiatan=item.nama_sub_kegiatan,
        kode_bidang_urusan=item.kode_bidang_urusan, nama_bidang_urusan=item.nama_bidang_urusan,
        indikator=item.indikator, target=item.target, satuan=item.satuan, pagu_indikatif=item.pagu_indikatif,
    )


RECORD = "rkpd_sub_kegiatan"


def _audit(uow: UnitOfWork, action, before: SubKegiatanRkpd | None, after: SubKegiatanRkpd | None) -> None:
    item = after or before
    uow.audit(RECORD, item.id, action, before and _out(before), after and _out(after),
              kode_pemda=item.kode_pemda, tahun=item.tahun, kode_skpd=item.kode_skpd)


def _check_tahun(tahun: int) -> None:
    errors = periksa_tahun(tahun)
    if errors:
        raise Invalid(errors[0].message, errors=[{"field": e.field, "message": e.message} for e in errors])


def create(storage: StorageHandle, referensi: Referensi, caller: Scope | None, kode_pemda: str, tahun: int,
           data: dict) -> dict:
    POLICY.require(caller, Aksi.CREATE_SUB_KEGIATAN, kode_pemda)
    _check_tahun(tahun)
    try:
        baru = SubKegiatanBaru.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None
    POLICY.require(caller, Aksi.CREATE_SUB_KEGIATAN, kode_pemda, baru.kode_skpd)
    pemda, skpd, sub = referensi.codes(kode_pemda, baru.kode_skpd, baru.kode_sub_kegiatan)
    if pemda is None:
        raise NotFound(f"no pemda with code {kode_pemda!r}")
    errors = periksa_kode(pemda, skpd, sub)
    if errors:
        raise Invalid("; ".join(e.message for e in errors),
                      errors=[{"field": e.field, "message": e.message} for e in errors])
    item = SubKegiatanRkpd(
        id=str(uuid.uuid4()), kode_pemda=kode_pemda, tahun=tahun, kode_skpd=baru.kode_skpd,
        kode_sub_kegiatan=sub["kode"], nama_sub_kegiatan=sub["nama"],
        kode_bidang_urusan=sub["bidang_urusan"]["kode"], nama_bidang_urusan=sub["bidang_urusan"]["nama"],
        indikator=baru.indikator, target=baru.target, satuan=baru.satuan, pagu_indikatif=baru.pagu_indikatif,
        revisi_sub_kegiatan=sub.get("revisi", 0),
    )
    duplicate = Conflict(f"SKPD {item.kode_skpd} already plans sub kegiatan {item.kode_sub_kegiatan} in {tahun}",
                         errors=[{"field": "kode_sub_kegiatan", "message": "already planned for this SKPD and year"}])
    with storage.unit_of_work() as uow:
        if repo.find_duplicate(uow.session, item):
            raise duplicate
        repo.add(uow.session, item)
        uow.emit(_saved(item))
        _audit(uow, "create", None, item)
        try:
            uow.commit()
        except IntegrityError:  # a concurrent create of the same item won the race
            raise duplicate from None
    return _out(item)


def _get_for_update(uow, caller: Scope, aksi: Aksi, kode_pemda: str, tahun: int, id: str,
                    expected_version: int | None) -> SubKegiatanRkpd:
    item = repo.get(uow.session, kode_pemda, tahun, id, for_update=True)
    if item is None:
        raise NotFound(f"no RKPD sub kegiatan {id} in {kode_pemda}/{tahun}")
    POLICY.require(caller, aksi, kode_pemda, item.kode_skpd)
    if expected_version is not None and expected_version != item.version:
        raise Conflict(f"RKPD sub kegiatan {id} is at version {item.version}, not {expected_version}",
                       current_version=item.version)
    return item


def update(storage: StorageHandle, caller: Scope | None, kode_pemda: str, tahun: int, id: str, data: dict,
           expected_version: int | None = None) -> dict:
    caller = POLICY.require(caller, Aksi.UPDATE_SUB_KEGIATAN, kode_pemda)
    try:
        perubahan = PerubahanSubKegiatan.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None
    with storage.unit_of_work() as uow:
        item = _get_for_update(uow, caller, Aksi.UPDATE_SUB_KEGIATAN, kode_pemda, tahun, _uuid(id), expected_version)
        changed = item.ubah(**{name: getattr(perubahan, name) for name in perubahan.model_fields_set})
        if changed is not item:
            repo.save(uow.session, changed)
            uow.emit(_saved(changed))
            _audit(uow, "update", item, changed)
            uow.commit()
    return _out(changed)


def delete(storage: StorageHandle, caller: Scope | None, kode_pemda: str, tahun: int, id: str,
           expected_version: int | None = None) -> dict:
    caller = POLICY.require(caller, Aksi.DELETE_SUB_KEGIATAN, kode_pemda)
    with storage.unit_of_work() as uow:
        item = _get_for_update(uow, caller, Aksi.DELETE_SUB_KEGIATAN, kode_pemda, tahun, _uuid(id), expected_version)
        version = item.version + 1
        repo.mark_deleted(uow.session, item, version)
        uow.emit(RkpdSubKegiatanDeleted(
            kode_pemda=kode_pemda, tahun=tahun, aggregate_id=item.id, aggregate_version=version,
            kode_skpd=item.kode_skpd, kode_sub_kegiatan=item.kode_sub_kegiatan,
            kode_bidang_urusan=item.kode_bidang_urusan, pagu_indikatif=item.pagu_indikatif))
        _audit(uow, "delete", item, None)
        uow.commit()
    return {"id": item.id, "version": version, "deleted": True}


def _readable(session, caller: Scope | None, kode_pemda: str, tahun: int, id: str,
              include_deleted: bool = False) -> SubKegiatanRkpd:
    return access.require_readable(
        caller, kode_pemda, lambda: repo.get(session, kode_pemda, tahun, _uuid(id), include_deleted=include_deleted),
        lambda item: item.kode_skpd, f"no RKPD sub kegiatan {id} in {kode_pemda}/{tahun}")


def get(storage: StorageHandle, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> dict:
    with storage.read() as session:
        return _out(_readable(session, caller, kode_pemda, tahun, id))


def audit_trail(storage: StorageHandle, caller: Scope | None, kode_pemda: str, tahun: int, id: str,
                offset: int = 0, limit: int = 50) -> dict:
    """Every write to one item, oldest first; the trail of a deleted item stays readable."""
    with storage.read() as session:
        item = _readable(session, caller, kode_pemda, tahun, id, include_deleted=True)
        return read_trail(session, RECORD, item.id, offset, limit)


def list_(storage: StorageHandle, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0,
          limit: int = 50, kode_skpd: str | None = None, perlu_pemetaan: bool | None = None) -> dict:
    caller = access.require_read(caller, kode_pemda)
    kode_skpd = access.require_skpd_filter(caller, kode_skpd)
    with storage.read() as session:
        items, total = repo.list_page(session, kode_pemda, tahun, offset, limit, kode_skpd, perlu_pemetaan)
    return {"items": [_out(i) for i in items], "total": total}


# -- from the codification -------------------------------------------------------------------------
RETIRED_CODE_COLUMNS = {"sub_kegiatan": "kode_sub_kegiatan", "skpd": "kode_skpd"}


def on_kode_retired(uow: UnitOfWork, event: KodeRetired) -> None:
    """A sub kegiatan or SKPD the plan uses was retired: flag the items, rewrite nothing."""
    column = RETIRED_CODE_COLUMNS.get(_dipakai_sebagai(event))
    if column is None:
        return
    for item in repo.using(uow.session, column, event.kode, event.kode_pemda):
        flagged = item.tandai_pemetaan(_pemetaan(event))
        if flagged != item:
            repo.save(uow.session, flagged)


def on_nomenklatur_changed(uow: UnitOfWork, event: NomenklaturChanged) -> None:
    """Renamed sub kegiatan and bidang urusan: the items carry the new names, as a new version."""
    for change in event.perubahan:
        if change.aksi != "changed" or change.tingkat not in SubKegiatanRkpd.NAMES:
            continue
        column = SubKegiatanRkpd.NAMES[change.tingkat][0]
        for item in repo.using(uow.session, column, change.kode):
            renamed = item.ganti_nama(change.tingkat, change.kode, change.nama, change.revisi)
            if renamed is not item:
                repo.save(uow.session, renamed)
                if renamed.version != item.version:
                    uow.emit(_saved(renamed))


def _uuid(id: str) -> str:
    return record_id(id, "RKPD sub kegiatan")


def _dipakai_sebagai(event: KodeRetired) -> str | None:
    """What a record of this service holds the retired code as; None for the levels no record holds."""
    if event.kind == "nomenklatur":
        return "sub_kegiatan" if event.tingkat == "sub_kegiatan" else None
    if event.kind == "rekening":
        return "rekening" if event.tingkat == "sub_rincian_objek" else None
    return event.kind if event.kind in ("skpd", "sumber_dana") else None


def _pemetaan(event: KodeRetired) -> dict:
    return {"kind": event.kind, "kode": event.kode, "versi": event.versi, "kode_pengganti": list(event.kode_pengganti)}
