"""The SKPD ceilings' use cases: Bappeda sets an SKPD's pagu indikatif ceiling for a year (while the
RKPD's schedule lets it be written), everyone of the pemda reads them, and every write of an RKPD
item passes ``require_within``."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import ValidationError

from contracts.perencanaan import PaguSkpdBaru, PaguSkpdOut
from sipd_common import access
from sipd_common.access import Scope
from sipd_common.errors import Conflict, Invalid, NotFound
from sipd_common.validation import invalid_from

from ..jadwal import usecases as jadwal
from ..policy import POLICY, Aksi
from . import domain
from .domain import PaguSkpd

RECORD = "pagu_skpd"


def _invalid(errors) -> Invalid:
    return Invalid("; ".join(e.message for e in errors),
                   errors=[{"field": e.field, "message": e.message} for e in errors])


def _out(p: PaguSkpd, terpakai: Decimal) -> PaguSkpdOut:
    return PaguSkpdOut(kode_pemda=p.kode_pemda, tahun=p.tahun, kode_skpd=p.kode_skpd, pagu=p.pagu,
                       terpakai=terpakai, sisa=p.pagu - terpakai, version=p.version)


def set_pagu_skpd(uow, caller: Scope | None, kode_pemda: str, tahun: int, kode_skpd: str, data: dict,
                  expected_version: int | None = None, now: datetime | None = None) -> PaguSkpdOut:
    POLICY.require(caller, Aksi.TETAPKAN_PAGU_SKPD, kode_pemda)
    try:
        baru = PaguSkpdBaru.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None
    with uow:
        jadwal.require_writable(uow, kode_pemda, tahun, now=now)
        pemda, skpd, _, _ = uow.replika.codes(kode_pemda, kode_skpd, "", None)
        if pemda is None or skpd is None:
            raise NotFound(f"no SKPD {kode_skpd} in pemda {kode_pemda}")
        before = uow.pagu_skpd.get(kode_pemda, tahun, kode_skpd, for_update=True)
        if expected_version is not None and expected_version != (before.version if before else 0):
            raise Conflict(f"the ceiling of SKPD {kode_skpd} is at version {before.version if before else 0}, "
                           f"not {expected_version}", current_version=before.version if before else 0)
        planned = uow.rkpd.total_pagu(kode_pemda, tahun, kode_skpd)
        errors = domain.periksa_pagu(kode_skpd, baru.pagu, planned)
        if errors:
            raise _invalid(errors)
        after = PaguSkpd(kode_pemda, tahun, kode_skpd, baru.pagu, (before.version if before else 0) + 1)
        if before is not None and before.pagu == after.pagu:
            return _out(before, planned)
        if not uow.pagu_skpd.put(after):
            raise Conflict(f"the ceiling of SKPD {kode_skpd} was set by another writer just now; read it again")
        uow.audit(RECORD, f"{kode_pemda}/{tahun}/{kode_skpd}", "create" if before is None else "update",
                  before and _out(before, planned).model_dump(mode="json"), _out(after, planned).model_dump(mode="json"),
                  kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd)
        uow.commit()
    return _out(after, planned)


def list_pagu_skpd(uow, caller: Scope | None, kode_pemda: str, tahun: int, kode_skpd: str | None = None) -> dict:
    """The year's ceilings with what each SKPD plans against them (an SKPD operator: its own)."""
    caller = access.require_read(caller, kode_pemda)
    kode_skpd = access.require_skpd_filter(caller, kode_skpd)
    with uow:
        ceilings = uow.pagu_skpd.list(kode_pemda, tahun, kode_skpd)
        totals = uow.rkpd.totals_by_skpd(kode_pemda, tahun)
    items = [_out(p, totals.get(p.kode_skpd, Decimal(0))) for p in ceilings]
    return {"items": items, "total": len(items)}


def require_within(uow, kode_pemda: str, tahun: int, kode_skpd: str, pagu_indikatif: Decimal,
                   item_id: str | None = None) -> None:
    """An item of ``pagu_indikatif`` (replacing ``item_id``'s) keeps its SKPD under its ceiling, or
    ``Invalid`` naming ``pagu_indikatif``. Holds the ceiling's row until commit: one SKPD's writes go one at
    a time, so two cannot pass the ceiling together."""
    ceiling = uow.pagu_skpd.get(kode_pemda, tahun, kode_skpd, for_update=True)
    if ceiling is None:
        return
    errors = domain.periksa_item(ceiling, uow.rkpd.total_pagu(kode_pemda, tahun, kode_skpd, excluding=item_id),
                                 pagu_indikatif)
    if errors:
        raise _invalid(errors)
