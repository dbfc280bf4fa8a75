"""The Renja's use cases: an SKPD submits its part of the year's RKPD, Bappeda verifies it or returns it with
a note; every role of the pemda reads where each SKPD stands (an SKPD operator: its own). Every write of an
RKPD item asks ``require_changeable`` first. A step of a Renja is a write of the year's RKPD: it passes the
schedule's gate (``..jadwal``: only while a stage is open, inside its window; 409 naming ``tahun`` otherwise)."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from contracts.perencanaan import RenjaOut, VerifikasiRenja
from sipd_common import access
from sipd_common.access import Scope
from sipd_common.errors import Conflict

from ..jadwal import usecases as jadwal
from ..policy import POLICY, Aksi
from ..rpjmd.usecases import invalid, step, validated
from .domain import Renja, periksa_ajukan, periksa_verifikasi

RECORD = "renja"


def _out(r: Renja, jumlah: int, total: Decimal) -> RenjaOut:
    return RenjaOut(kode_pemda=r.kode_pemda, tahun=r.tahun, kode_skpd=r.kode_skpd, status=r.status,
                    catatan=r.catatan, jumlah_sub_kegiatan=jumlah, total_pagu_indikatif=total, version=r.version)


def _isi(uow, r: Renja) -> RenjaOut:
    _, jumlah = uow.rkpd.list_page(r.kode_pemda, r.tahun, 0, 0, r.kode_skpd)
    return _out(r, jumlah, uow.rkpd.total_pagu(r.kode_pemda, r.tahun, r.kode_skpd))


def require_changeable(uow, kode_pemda: str, tahun: int, kode_skpd: str) -> None:
    """An SKPD's items change only while its Renja is a draft or returned: 409 naming ``status`` otherwise."""
    uow.renja.lock(kode_pemda, tahun, kode_skpd, shared=True)
    r = uow.renja.get(kode_pemda, tahun, kode_skpd)
    if not r.dapat_diubah:
        message = (f"the Renja of SKPD {kode_skpd} for {tahun} is {r.status}: its items no longer change "
                   "(Bappeda returns it to change them)")
        raise Conflict(message, errors=[{"field": "status", "message": message}])


def _step(uow, caller, kode_pemda: str, tahun: int, kode_skpd: str, expected_version: int | None, make, action):
    uow.renja.lock(kode_pemda, tahun, kode_skpd, shared=False)
    before = uow.renja.get(kode_pemda, tahun, kode_skpd)
    if expected_version is not None and expected_version != before.version:
        raise Conflict(f"the Renja of SKPD {kode_skpd} for {tahun} is at version {before.version}, not "
                       f"{expected_version}", current_version=before.version)
    after = step(lambda: make(before))
    if not uow.renja.put(after):
        raise Conflict(f"the Renja of SKPD {kode_skpd} for {tahun} was changed just now; read it again")
    out = _isi(uow, after)
    uow.audit(RECORD, f"{kode_pemda}/{tahun}/{kode_skpd}", action, _out(before, out.jumlah_sub_kegiatan,
                                                                       out.total_pagu_indikatif).model_dump(mode="json"),
              out.model_dump(mode="json"), kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd)
    return out


def submit_renja(uow, caller: Scope | None, kode_pemda: str, tahun: int, kode_skpd: str,
                 expected_version: int | None = None, now: datetime | None = None) -> RenjaOut:
    """The SKPD submits its Renja: its items then no longer change, until Bappeda returns it."""
    POLICY.require(caller, Aksi.SUBMIT_RENJA, kode_pemda, kode_skpd)
    with uow:
        jadwal.require_writable(uow, kode_pemda, tahun, now=now)
        _, jumlah = uow.rkpd.list_page(kode_pemda, tahun, 0, 0, kode_skpd)
        errors = periksa_ajukan(jumlah)
        if errors:
            raise invalid(errors)
        out = _step(uow, caller, kode_pemda, tahun, kode_skpd, expected_version, lambda r: r.ajukan(), "update")
        uow.commit()
    return out


def verify_renja(uow, caller: Scope | None, kode_pemda: str, tahun: int, kode_skpd: str, data: dict,
                 expected_version: int | None = None, now: datetime | None = None) -> RenjaOut:
    """Bappeda verifies a submitted Renja or returns it to the SKPD with a note (a verified one too: its items
    change again)."""
    POLICY.require(caller, Aksi.VERIFY_RENJA, kode_pemda, kode_skpd)
    verifikasi = validated(VerifikasiRenja, data)
    errors = periksa_verifikasi(verifikasi.setuju, verifikasi.catatan)
    if errors:
        raise invalid(errors)
    with uow:
        jadwal.require_writable(uow, kode_pemda, tahun, now=now)
        out = _step(uow, caller, kode_pemda, tahun, kode_skpd, expected_version,
                    lambda r: r.verifikasi(verifikasi.setuju, verifikasi.catatan), "update")
        uow.commit()
    return out


def get_renja(uow, caller: Scope | None, kode_pemda: str, tahun: int, kode_skpd: str) -> RenjaOut:
    access.require_read_skpd(caller, kode_pemda, kode_skpd)
    with uow:
        return _isi(uow, uow.renja.get(kode_pemda, tahun, kode_skpd))


def list_renja(uow, caller: Scope | None, kode_pemda: str, tahun: int) -> dict:
    """Every SKPD of the year that plans items or has a Renja, where its Renja stands (an SKPD operator: its own)."""
    caller = access.require_read(caller, kode_pemda)
    own = caller.skpd_filter
    with uow:
        totals = uow.rkpd.totals_by_skpd(kode_pemda, tahun)
        held = {r.kode_skpd: r for r in uow.renja.list(kode_pemda, tahun)}
        items = []
        for kode in sorted(set(totals) | set(held)):
            if own is None or kode == own:
                r = held.get(kode, Renja(kode_pemda, tahun, kode))
                _, jumlah = uow.rkpd.list_page(kode_pemda, tahun, 0, 0, kode)
                items.append(_out(r, jumlah, totals.get(kode, Decimal(0))))
    return {"items": items, "total": len(items)}
