"""Spending documents: SPD (BUD) → SPP (bendahara pengeluaran / PPTK, verified by the PPK-SKPD) → SPM (PPK-SKPD,
signed by the PA/KPA, accepted or rejected by the BUD) → SP2D (BUD: issued, disbursed → realisation).

Each write: the policy (``policy.POLICY``: the role; an SKPD-bound role its own SKPD's documents only), the
document found in the pemda-year (404 otherwise), the lock its amounts need (``repository``), the rule
(``domain``), a number (``penomoran``), the audit row, one commit. A refusal changes nothing: 422 naming the
field (an amount, a missing contract …), 409 naming ``status`` (a step out of order), 403 naming
``pemeriksa`` (maker and checker the same user). A step of a document already made is ``ubah`` (the revenue
documents of ``penerimaan`` step through it too); reads are ``baca`` and ``halaman``.

Each document prints (``dokumen_belanja``: XLSX or PDF, laid out by ``dokumen``) for whoever may read it.

The DPA and its cash plan are read through ``uow.dpa.pagu_baris(kode_pemda, tahun, kode_skpd,
kode_sub_kegiatan, kode_rekening)`` → the current authorised line (``jumlah``, ``kas``: 12 months, ``versi``)
or None.
"""
from __future__ import annotations

import base64
import dataclasses
import re
import uuid
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo
from typing import Any, Callable

from pydantic import BaseModel

from contracts.keuangan import (
    BesaranUp, Keputusan, PengesahanBaru, PengesahanOut, RealisasiBerubah, RealisasiOut, Sp2dBaru, Sp2dOut, SpdBaru, SpdOut,
    SpmBaru, SpmOut, SppBaru, SppOut,
)
from sipd_common import access, idempotency, validation
from sipd_common.access import Scope
from sipd_common.errors import Conflict, DomainError, Forbidden, Invalid, NotFound

from .. import cetak
from ..penomoran.usecases import nomor_berikut
from ..policy import POLICY, Aksi
from . import dokumen, domain
from .domain import (
    Baris, BukanPemeriksa, Ditolak, Kunci, Pelanggaran, Pengesahan, SalahUrutan, Sp2d, Spd, Spm, Spp,
)

SPD, SPP, SPM, SP2D, PENGESAHAN = "spd", "spp", "spm", "sp2d", "pengesahan"  # record types of the audit trail
WIB = ZoneInfo("Asia/Jakarta")


# -- the refusals, as the caller gets them -----------------------------------------------------------------
def tolak(refused: Ditolak | list[Pelanggaran]) -> DomainError:
    """A domain refusal as its error: out of order 409, maker = checker 403, any other 422; each names its field."""
    pelanggaran = refused.pelanggaran if isinstance(refused, Ditolak) else refused
    errors = [{"field": p.field, "message": p.message} for p in pelanggaran]
    detail = "; ".join(p.message for p in pelanggaran)
    kind = Conflict if isinstance(refused, SalahUrutan) else Forbidden if isinstance(refused, BukanPemeriksa) else Invalid
    return kind(detail, errors=errors)


def periksa(errors: list[Pelanggaran]) -> None:
    if errors:
        raise tolak(errors)


def parse(model: type[BaseModel], data: dict | None) -> BaseModel:
    return validation.parse(model, data or {})


def langkah(step: Callable[[], None]) -> None:
    """Run a domain transition (or a rule that raises); its refusal as the caller's error."""
    try:
        step()
    except Ditolak as exc:
        raise tolak(exc) from None


def _baris(rows) -> list[Baris]:
    return [Baris(b.kode_sub_kegiatan, b.kode_rekening, b.nilai) for b in rows]


def _dump(obj) -> dict:
    out = dataclasses.asdict(obj)
    out["baris"] = [{k: v for k, v in b.items() if k != "versi_dpa"} for b in out.get("baris", [])]
    return out


def _isi(obj) -> dict:
    """A document as the audit trail keeps it."""
    return _json(_dump(obj) if hasattr(obj, "baris") else dataclasses.asdict(obj))


def spd_out(s: Spd) -> SpdOut:
    return SpdOut.model_validate({**_dump(s), "nilai": s.nilai})


def spp_out(s: Spp) -> SppOut:
    return SppOut.model_validate(_dump(s))


def spm_out(s: Spm) -> SpmOut:
    return SpmOut.model_validate(dataclasses.asdict(s))


def sp2d_out(s: Sp2d) -> Sp2dOut:
    return Sp2dOut.model_validate(_dump(s))


def pengesahan_out(p: Pengesahan) -> PengesahanOut:
    return PengesahanOut.model_validate(dataclasses.asdict(p))


def _audit(uow, record: str, obj, action: str, before: dict | None, isi: Callable[[Any], dict] = _isi) -> None:
    uow.audit(record, obj.id, action, before, isi(obj), kode_pemda=obj.kode_pemda, tahun=obj.tahun,
              kode_skpd=obj.kode_skpd)


def _json(d: dict) -> dict:
    def conv(v):
        if isinstance(v, Decimal):
            return format(v, "f")
        if isinstance(v, dict):
            return {k: conv(x) for k, x in v.items()}
        if isinstance(v, list):
            return [conv(x) for x in v]
        return v if v is None or isinstance(v, (str, int, float, bool)) else str(v)
    return conv(d)


def _found(obj, what: str, id: str):
    if obj is None:
        raise NotFound(f"no {what} {id} in this pemda and year")
    return obj


def _dpa(uow, kode_pemda: str, tahun: int, kode_skpd: str, kuncis) -> dict[Kunci, domain.BarisDpa | None]:
    return {k: uow.dpa.pagu_baris(kode_pemda, tahun, kode_skpd, *k) for k in kuncis}


# -- a document read, listed, moved one step (the spending documents here; the revenue ones in ``penerimaan``) --
@dataclasses.dataclass(frozen=True)
class JenisDokumen:
    """A kind of document: ``record`` its record type in the audit trail, whose repository ``uow.<repo>`` has
    ``get_<record>`` (``lock=True`` to change it) and ``save_<record>``; ``nama`` as a refusal names it; ``isi`` as
    the audit trail keeps it; ``out`` as the caller gets it."""

    record: str
    nama: str
    repo: str
    out: Callable[[Any], BaseModel]
    isi: Callable[[Any], dict] = _isi


def terbaca(uow, caller: Scope | None, jenis: JenisDokumen, kode_pemda: str, tahun: int, id: str):
    """Inside ``with uow``: the document, if the caller may read it (404 outside the pemda-year, 403 another
    SKPD's for an SKPD-bound role)."""
    get = getattr(getattr(uow, jenis.repo), f"get_{jenis.record}")
    return access.require_readable(caller, kode_pemda, lambda: get(kode_pemda, tahun, id), lambda d: d.kode_skpd,
                                   f"no {jenis.nama} {id} in this pemda and year")


def baca(uow, caller: Scope | None, jenis: JenisDokumen, kode_pemda: str, tahun: int, id: str):
    with uow:
        doc = terbaca(uow, caller, jenis, kode_pemda, tahun, id)
    return jenis.out(doc)


def halaman(uow, caller: Scope | None, kode_pemda: str, kode_skpd: str | None, out: Callable[[Any], BaseModel],
            page: Callable[[str | None], tuple[list, int]]) -> dict:
    """A page of records as ``out`` shows them, ``page(kode_skpd)`` → (rows, total): an SKPD-bound role lists its
    own SKPD's only."""
    caller = access.require_read(caller, kode_pemda)
    with uow:
        rows, total = page(access.require_skpd_filter(caller, kode_skpd))
    return {"items": [out(r) for r in rows], "total": total}


def selesai(uow, caller: Scope, idempotency_key: str | None, out: BaseModel):
    """A create's end: its answer kept with its key (``sipd_common.idempotency``), the one commit; the answer."""
    idempotency.complete(uow, caller, idempotency_key, out)
    uow.commit()
    return out


def catat(uow, jenis: str, doc, tahap: str, caller: Scope) -> None:
    """Keep who took the step ``tahap`` of ``doc`` (the officer's name and NIP as the caller carries them) and
    when."""
    uow.penatausahaan.catat_langkah(jenis, doc.id, tahap, caller.user_id, caller.nama, caller.nip)


def ubah(uow, caller: Scope | None, aksi: Aksi, jenis: JenisDokumen, kode_pemda: str, tahun: int, id: str,
         step: Callable[[Any, Scope], None], sesudah: Callable[[Any], None] | None = None, tahap: str | None = None,
         idempotency_key: str | None = None, answer: type[BaseModel] | None = None, request: tuple = ()):
    """One step of a document: the policy (the pemda first: another pemda's ids are never looked up; then the
    document's SKPD), the document locked (404 outside the pemda-year), ``step(doc, caller)`` (a domain refusal is
    the caller's error), saved, ``sesudah(doc)`` (what the step sets off), who took the step ``tahap`` and when (what
    the printed document's signature block shows), the audit row, one commit. With ``idempotency_key`` a step that
    a repeat would apply twice (an amount added) answers a repeat of ``request`` with its first ``answer``."""
    POLICY.require(caller, aksi, kode_pemda)
    with uow:
        if (earlier := idempotency.first_answer(uow, caller, idempotency_key, answer, aksi.name, kode_pemda, tahun, id,
                                                *request)) is not None:  # without a key: None, go on
            return earlier
        repo = getattr(uow, jenis.repo)
        doc = _found(getattr(repo, f"get_{jenis.record}")(kode_pemda, tahun, id, lock=True), jenis.nama, id)
        caller = POLICY.require(caller, aksi, kode_pemda, doc.kode_skpd)
        before = jenis.isi(doc)
        langkah(lambda: step(doc, caller))
        getattr(repo, f"save_{jenis.record}")(doc)
        if sesudah is not None:
            sesudah(doc)
        if tahap is not None:
            catat(uow, jenis.record, doc, tahap, caller)
        _audit(uow, jenis.record, doc, "update", before, jenis.isi)
        return selesai(uow, caller, idempotency_key, jenis.out(doc))


DOKUMEN = {SPD: JenisDokumen(SPD, "SPD", "penatausahaan", spd_out),
           SPP: JenisDokumen(SPP, "SPP", "penatausahaan", spp_out),
           SPM: JenisDokumen(SPM, "SPM", "penatausahaan", spm_out),
           SP2D: JenisDokumen(SP2D, "SP2D", "penatausahaan", sp2d_out),
           PENGESAHAN: JenisDokumen(PENGESAHAN, "SPJ or TU request", "penatausahaan", pengesahan_out)}


# == SPD ======================================================================================================
def buat_spd(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict,
             idempotency_key: str | None = None) -> SpdOut:
    """A draft SPD of one SKPD for a period, per sub kegiatan × account, within the cash plan and the DPA. Each create
    of a document here, with ``idempotency_key``: once (a repeat answers the first answer)."""
    caller = POLICY.require(caller, Aksi.BUAT_SPD, kode_pemda)
    baru = parse(SpdBaru, data)
    s = Spd(str(uuid.uuid4()), kode_pemda, tahun, baru.kode_skpd, baru.bulan_mulai, baru.bulan_sampai,
            _baris(baru.baris), caller.user_id)
    with uow:
        if (earlier := idempotency.first_answer(uow, caller, idempotency_key, SpdOut, "buat_spd", kode_pemda, tahun,
                                                baru)) is not None:
            return earlier
        uow.penatausahaan.kunci("spd", kode_pemda, tahun, s.kode_skpd)
        dpa = _dpa(uow, kode_pemda, tahun, s.kode_skpd, [b.kunci for b in s.baris])
        periksa(domain.periksa_spd(s, uow.penatausahaan.spd_skpd(kode_pemda, tahun, s.kode_skpd), dpa))
        s.baris = [dataclasses.replace(b, versi_dpa=dpa[b.kunci].versi) for b in s.baris]
        _, s.nomor = nomor_berikut(uow, kode_pemda, tahun, s.kode_skpd, "spd")
        uow.penatausahaan.add_spd(s)
        catat(uow, SPD, s, domain.DIBUAT, caller)
        _audit(uow, SPD, s, "create", None)
        return selesai(uow, caller, idempotency_key, spd_out(s))


def otorisasi_spd(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> SpdOut:
    """The BUD authorises a draft SPD (not its maker); its amounts checked again beside the SKPD's authorised ones
    and the DPA as it stands now."""
    caller = POLICY.require(caller, Aksi.OTORISASI_SPD, kode_pemda)
    with uow:
        s = _found(uow.penatausahaan.get_spd(kode_pemda, tahun, id), "SPD", id)
        uow.penatausahaan.kunci("spd", kode_pemda, tahun, s.kode_skpd)
        s = uow.penatausahaan.get_spd(kode_pemda, tahun, id, lock=True)
        before = _isi(s)
        langkah(lambda: domain.otorisasi(s, caller.user_id))
        dpa = _dpa(uow, kode_pemda, tahun, s.kode_skpd, [b.kunci for b in s.baris])
        periksa(domain.periksa_spd(s, uow.penatausahaan.spd_skpd(kode_pemda, tahun, s.kode_skpd), dpa))
        if domain.usang(s, dpa):
            raise tolak(SalahUrutan(Pelanggaran("status", "the DPA was amended since this SPD was drafted; "
                                                          "draft it again")))
        uow.penatausahaan.save_spd(s)
        catat(uow, SPD, s, domain.DIOTORISASI, caller)
        _audit(uow, SPD, s, "update", before)
        uow.commit()
    return spd_out(s)


def arsipkan_spd_usang(uow, kode_pemda: str, tahun: int, kode_skpd: str) -> list[str]:
    """The DPA of the SKPD was amended: every authorised SPD issued under an older version of one of its lines is
    superseded (``arsip``; the BUD reissues). In a transaction of its own (an operator's or a handler's call)."""
    with uow:
        done = arsipkan_dalam_transaksi(uow, kode_pemda, tahun, kode_skpd)
        uow.commit()
    return done


def arsipkan_dalam_transaksi(uow, kode_pemda: str, tahun: int, kode_skpd: str) -> list[str]:
    """``arsipkan_spd_usang`` inside the caller's open transaction: what the DPA's authorisation of a new version
    calls, so the SPD are archived with it or not at all."""
    uow.penatausahaan.kunci("spd", kode_pemda, tahun, kode_skpd)
    done = []
    for s in uow.penatausahaan.spd_skpd(kode_pemda, tahun, kode_skpd):
        if domain.usang(s, _dpa(uow, kode_pemda, tahun, kode_skpd, [b.kunci for b in s.baris])):
            before = _isi(s)
            domain.arsipkan(s)
            uow.penatausahaan.save_spd(s)
            _audit(uow, SPD, s, "update", before)
            done.append(s.id)
    return done


def get_spd(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> SpdOut:
    return baca(uow, caller, DOKUMEN[SPD], kode_pemda, tahun, id)


def list_spd(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50,
             kode_skpd: str | None = None) -> dict:
    return halaman(uow, caller, kode_pemda, kode_skpd, spd_out,
                   lambda skpd: uow.penatausahaan.list_spd(kode_pemda, tahun, offset, limit, skpd))


# == approvals an SPP needs (an SPJ for a GU, a TU request) and the UP size ======================================
def ajukan_pengesahan(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict,
                      idempotency_key: str | None = None) -> PengesahanOut:
    caller = POLICY.require(caller, Aksi.AJUKAN_PENGESAHAN, kode_pemda)
    baru = parse(PengesahanBaru, data)
    POLICY.require(caller, Aksi.AJUKAN_PENGESAHAN, kode_pemda, baru.kode_skpd)
    p = Pengesahan(str(uuid.uuid4()), kode_pemda, tahun, baru.kode_skpd, baru.jenis, baru.nilai, baru.uraian,
                   caller.user_id)
    if p.nilai <= 0:
        raise Invalid.field("nilai", "an SPJ or a TU request is above zero")
    with uow:
        if (earlier := idempotency.first_answer(uow, caller, idempotency_key, PengesahanOut, "ajukan_pengesahan",
                                                kode_pemda, tahun, baru)) is not None:
            return earlier
        uow.penatausahaan.add_pengesahan(p)
        _audit(uow, PENGESAHAN, p, "create", None)
        return selesai(uow, caller, idempotency_key, pengesahan_out(p))


def setujui_pengesahan(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> PengesahanOut:
    """An SPJ is approved by the SKPD's PPK-SKPD or PA/KPA, a TU request by the BUD; never by its maker."""
    if not POLICY.allows(access.require_caller(caller), Aksi.SETUJUI_TU, kode_pemda):
        POLICY.require(caller, Aksi.SETUJUI_SPJ, kode_pemda)
    with uow:
        p = _found(uow.penatausahaan.get_pengesahan(kode_pemda, tahun, id, lock=True), "SPJ or TU request", id)
        aksi = Aksi.SETUJUI_SPJ if p.jenis == domain.SPJ else Aksi.SETUJUI_TU
        caller = POLICY.require(caller, aksi, kode_pemda, p.kode_skpd)
        before = _isi(p)
        langkah(lambda: domain.setujui(p, caller.user_id))
        uow.penatausahaan.save_pengesahan(p)
        _audit(uow, PENGESAHAN, p, "update", before)
        uow.commit()
    return pengesahan_out(p)


def get_pengesahan(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> PengesahanOut:
    return baca(uow, caller, DOKUMEN[PENGESAHAN], kode_pemda, tahun, id)


def tetapkan_besaran_up(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict) -> dict:
    """The UP size of an SKPD for the year, as the Perkada sets it (data: changed by a new decision, not code)."""
    caller = POLICY.require(caller, Aksi.TETAPKAN_BESARAN_UP, kode_pemda)
    baru = parse(BesaranUp, data)
    with uow:
        uow.penatausahaan.set_besaran_up(kode_pemda, tahun, baru.kode_skpd, baru.besaran, baru.dasar, caller.user_id)
        uow.audit("besaran_up", f"{kode_pemda}:{tahun}:{baru.kode_skpd}", "update", None, baru.model_dump(mode="json"),
                  kode_pemda=kode_pemda, tahun=tahun, kode_skpd=baru.kode_skpd)
        uow.commit()
    return baru.model_dump(mode="json")


# == SPP ======================================================================================================
def buat_spp(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict,
             idempotency_key: str | None = None) -> SppOut:
    """A draft SPP. Its lines are checked against what remains of its SPD's lines with the SPD's row locked: of two
    SPPs racing for the last rupiah of a line, the second waits, then finds nothing left."""
    caller = POLICY.require(caller, Aksi.BUAT_SPP, kode_pemda)
    baru = parse(SppBaru, data)
    POLICY.require(caller, Aksi.BUAT_SPP, kode_pemda, baru.kode_skpd)
    baris = _baris(baru.baris)
    nilai = baru.nilai if baru.jenis == domain.UP else sum((b.nilai for b in baris), Decimal(0))
    if baru.jenis == domain.UP and nilai is None:
        raise Invalid.field("nilai", "a UP names its amount")
    if baru.jenis != domain.UP and baru.nilai is not None and baru.nilai != nilai:
        raise Invalid.field("nilai", f"an SPP's amount is the sum of its lines ({nilai}); leave it out or send that")
    s = Spp(str(uuid.uuid4()), kode_pemda, tahun, baru.kode_skpd, baru.jenis, nilai, caller.user_id, baris,
            jenis_ls=baru.jenis_ls, spd_id=baru.spd_id, pengesahan_id=baru.pengesahan_id,
            kontrak=baru.kontrak.model_dump(mode="json") if baru.kontrak else None,
            bast=baru.bast.model_dump(mode="json") if baru.bast else None)
    repo = uow.penatausahaan
    with uow:
        if (earlier := idempotency.first_answer(uow, caller, idempotency_key, SppOut, "buat_spp", kode_pemda, tahun,
                                                baru)) is not None:
            return earlier
        spd = repo.get_spd(kode_pemda, tahun, s.spd_id, lock=True) if s.spd_id else None
        if spd is not None and spd.kode_skpd != s.kode_skpd:
            spd = None  # another SKPD's SPD: as if there were none
        pengesahan = repo.get_pengesahan(kode_pemda, tahun, s.pengesahan_id, lock=True) if s.pengesahan_id else None
        if s.jenis == domain.UP:
            repo.kunci("up", kode_pemda, tahun, s.kode_skpd)
        periksa(domain.periksa_spp(
            s, spd=spd, terpakai=repo.terpakai_spd(spd.id) if spd else {},
            ada_up=s.jenis == domain.UP and repo.ada_up(kode_pemda, tahun, s.kode_skpd),
            besaran_up=repo.besaran_up(kode_pemda, tahun, s.kode_skpd) if s.jenis == domain.UP else None,
            pengesahan=pengesahan, terpakai_pengesahan=repo.terpakai_pengesahan(pengesahan.id) if pengesahan else 0))
        _, s.nomor = nomor_berikut(uow, kode_pemda, tahun, s.kode_skpd, "spp", s.jenis)
        repo.add_spp(s)
        catat(uow, SPP, s, domain.DIBUAT, caller)
        _audit(uow, SPP, s, "create", None)
        return selesai(uow, caller, idempotency_key, spp_out(s))


def ajukan_spp(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> SppOut:
    return ubah(uow, caller, Aksi.AJUKAN_SPP, DOKUMEN[SPP], kode_pemda, tahun, id, lambda s, c: domain.ajukan(s),
                tahap=domain.DIAJUKAN_OLEH)


def verifikasi_spp(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str, data: dict) -> SppOut:
    """The PPK-SKPD verifies (or sends back to draft, with the reason) a submitted SPP it did not make."""
    keputusan = parse(Keputusan, data)
    return ubah(uow, caller, Aksi.VERIFIKASI_SPP, DOKUMEN[SPP], kode_pemda, tahun, id,
                lambda s, c: domain.verifikasi(s, c.user_id, keputusan.setuju, keputusan.alasan),
                tahap=domain.DIVERIFIKASI_OLEH if keputusan.setuju else domain.DIKEMBALIKAN)


def kembalikan_tu(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str, nilai: str,
                  idempotency_key: str | None = None) -> SppOut:
    """The unused part of a disbursed TU returned: an amount added, so a repeat with its key is answered once."""
    try:
        amount = Decimal(str(nilai))
    except ArithmeticError:
        raise Invalid.field("nilai", "a decimal amount") from None

    def step(s: Spp, c):
        cair = any(x.status == domain.CAIR for m in uow.penatausahaan.spm_of_spp(s.id)
                   for x in uow.penatausahaan.sp2d_of_spm(m.id))
        domain.kembalikan_tu(s, amount, cair)
    return ubah(uow, caller, Aksi.KEMBALIKAN_TU, DOKUMEN[SPP], kode_pemda, tahun, id, step,
                idempotency_key=idempotency_key, answer=SppOut, request=(str(amount),))


def get_spp(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> SppOut:
    return baca(uow, caller, DOKUMEN[SPP], kode_pemda, tahun, id)


def list_spp(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50,
             kode_skpd: str | None = None) -> dict:
    return halaman(uow, caller, kode_pemda, kode_skpd, spp_out,
                   lambda skpd: uow.penatausahaan.list_spp(kode_pemda, tahun, offset, limit, skpd))


# == SPM ======================================================================================================
def buat_spm(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict,
             idempotency_key: str | None = None) -> SpmOut:
    """The PPK-SKPD drafts the SPM of a verified SPP, for its amount."""
    caller = POLICY.require(caller, Aksi.BUAT_SPM, kode_pemda)
    baru = parse(SpmBaru, data)
    with uow:
        if (earlier := idempotency.first_answer(uow, caller, idempotency_key, SpmOut, "buat_spm", kode_pemda, tahun,
                                                baru)) is not None:
            return earlier
        spp = uow.penatausahaan.get_spp(kode_pemda, tahun, baru.spp_id, lock=True)
        if spp is not None:
            POLICY.require(caller, Aksi.BUAT_SPM, kode_pemda, spp.kode_skpd)
        langkah(lambda: periksa(domain.periksa_spm(spp, uow.penatausahaan.spm_of_spp(baru.spp_id) if spp else [])))
        s = Spm(str(uuid.uuid4()), kode_pemda, tahun, spp.kode_skpd, spp.id, spp.jenis, spp.nilai, caller.user_id)
        _, s.nomor = nomor_berikut(uow, kode_pemda, tahun, s.kode_skpd, "spm", s.jenis)
        uow.penatausahaan.add_spm(s)
        catat(uow, SPM, s, domain.DIBUAT, caller)
        _audit(uow, SPM, s, "create", None)
        return selesai(uow, caller, idempotency_key, spm_out(s))


def tandatangani_spm(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> SpmOut:
    return ubah(uow, caller, Aksi.TANDATANGANI_SPM, DOKUMEN[SPM], kode_pemda, tahun, id,
                lambda s, c: domain.tandatangani(s, c.user_id), tahap=domain.DITANDATANGANI)


def putuskan_spm(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str, data: dict) -> SpmOut:
    keputusan = parse(Keputusan, data)
    return ubah(uow, caller, Aksi.PUTUSKAN_SPM, DOKUMEN[SPM], kode_pemda, tahun, id,
                lambda s, c: domain.putuskan(s, c.user_id, keputusan.setuju, keputusan.alasan),
                tahap=domain.DIPUTUS)


def get_spm(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> SpmOut:
    return baca(uow, caller, DOKUMEN[SPM], kode_pemda, tahun, id)


def list_spm(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50,
             kode_skpd: str | None = None) -> dict:
    return halaman(uow, caller, kode_pemda, kode_skpd, spm_out,
                   lambda skpd: uow.penatausahaan.list_spm(kode_pemda, tahun, offset, limit, skpd))


# == SP2D =====================================================================================================
def buat_sp2d(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict,
              idempotency_key: str | None = None) -> Sp2dOut:
    """The BUD drafts the SP2D of an accepted SPM, for exactly its amount."""
    caller = POLICY.require(caller, Aksi.BUAT_SP2D, kode_pemda)
    baru = parse(Sp2dBaru, data)
    with uow:
        if (earlier := idempotency.first_answer(uow, caller, idempotency_key, Sp2dOut, "buat_sp2d", kode_pemda, tahun,
                                                baru)) is not None:
            return earlier
        spm = uow.penatausahaan.get_spm(kode_pemda, tahun, baru.spm_id, lock=True)
        langkah(lambda: periksa(domain.periksa_sp2d(spm, baru.nilai,
                                                    uow.penatausahaan.sp2d_of_spm(baru.spm_id) if spm else [])))
        spp = uow.penatausahaan.get_spp(kode_pemda, tahun, spm.spp_id)
        s = Sp2d(str(uuid.uuid4()), kode_pemda, tahun, spm.kode_skpd, spm.id, spm.jenis, spm.nilai, caller.user_id,
                 list(spp.baris))
        _, s.nomor = nomor_berikut(uow, kode_pemda, tahun, s.kode_skpd, "sp2d", s.jenis)
        uow.penatausahaan.add_sp2d(s)
        catat(uow, SP2D, s, domain.DIBUAT, caller)
        _audit(uow, SP2D, s, "create", None)
        return selesai(uow, caller, idempotency_key, sp2d_out(s))


def terbitkan_sp2d(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> Sp2dOut:
    return ubah(uow, caller, Aksi.TERBITKAN_SP2D, DOKUMEN[SP2D], kode_pemda, tahun, id,
                lambda s, c: domain.terbitkan(s, c.user_id), tahap=domain.DITERBITKAN)


def cairkan_sp2d(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str,
                 tanggal: date | str | None = None) -> Sp2dOut:
    """Disbursed on ``tanggal`` (the bank's day; today in WIB when not given): each line becomes realisation of its
    sub kegiatan × account (never above the DPA line), dated for the LRA, and ``realisasi.berubah`` tells the
    governance reports."""
    if isinstance(tanggal, str):  # as an RPC carries it (ISO 8601)
        try:
            tanggal = date.fromisoformat(tanggal)
        except ValueError:
            raise Invalid.field("tanggal", "a date, YYYY-MM-DD") from None
    tanggal = tanggal or datetime.now(WIB).date()

    def step(s: Sp2d, c: Scope) -> None:
        domain.cairkan(s, c.user_id, tanggal)
        uow.penatausahaan.kunci("realisasi", kode_pemda, tahun, s.kode_skpd)
        kuncis = [b.kunci for b in s.baris]
        periksa(domain.periksa_pencairan(s, uow.penatausahaan.realisasi(kode_pemda, tahun, s.kode_skpd, kuncis),
                                         _dpa(uow, kode_pemda, tahun, s.kode_skpd, kuncis)))

    def realisasi(s: Sp2d) -> None:
        totals = uow.penatausahaan.tambah_realisasi(kode_pemda, tahun, s.kode_skpd, s.baris)
        nilai = {b.kunci: b.nilai for b in s.baris}
        uow.emit_many([RealisasiBerubah(
            kode_pemda=kode_pemda, tahun=tahun, aggregate_id=f"{kode_pemda}:{tahun}:belanja:{s.kode_skpd}:{sub}:{rek}",
            aggregate_version=version, jenis="belanja", kode_skpd=s.kode_skpd, kode_sub_kegiatan=sub,
            kode_rekening=rek, jumlah=jumlah, perubahan=nilai[(sub, rek)]) for (sub, rek), jumlah, version in totals])
    return ubah(uow, caller, Aksi.CAIRKAN_SP2D, DOKUMEN[SP2D], kode_pemda, tahun, id, step, sesudah=realisasi,
                tahap=domain.DICAIRKAN)


def get_sp2d(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> Sp2dOut:
    return baca(uow, caller, DOKUMEN[SP2D], kode_pemda, tahun, id)


def list_sp2d(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50,
              kode_skpd: str | None = None) -> dict:
    return halaman(uow, caller, kode_pemda, kode_skpd, sp2d_out,
                   lambda skpd: uow.penatausahaan.list_sp2d(kode_pemda, tahun, offset, limit, skpd))


def list_realisasi_belanja(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0,
                           limit: int = 50, kode_skpd: str | None = None) -> dict:
    """Spending realised (disbursed SP2D) per SKPD, sub kegiatan and account (an SKPD-bound role: its own SKPD's)."""
    return halaman(uow, caller, kode_pemda, kode_skpd, RealisasiOut.model_validate,
                   lambda skpd: uow.penatausahaan.list_realisasi(kode_pemda, tahun, offset, limit, skpd))


# == the printed documents ====================================================================================
# the step whose day is a document's date once taken (its issuing or authorising); before it, the day it was made
TANGGAL_DOKUMEN = {SPD: domain.DIOTORISASI, SPP: domain.DIAJUKAN_OLEH, SPM: domain.DITANDATANGANI,
                   SP2D: domain.DITERBITKAN}


def _kepala(uow, doc, baris: list[Baris], jenis: str) -> dokumen.Kepala:
    """The header of a printed document: its date and the days of its steps in WIB, its officers, the names."""
    tahap = uow.penatausahaan.langkah_of(jenis, doc.id)
    sah = tahap.get(TANGGAL_DOKUMEN[jenis])
    tanggal = sah.pada if sah else uow.penatausahaan.dibuat_pada(jenis, doc.id)
    return dokumen.Kepala(
        tanggal.astimezone(WIB).date() if tanggal else None,
        uow.apbd.nama_skpd(doc.kode_pemda, [doc.kode_skpd]).get(doc.kode_skpd, ""),
        {**uow.apbd.nama_nomenklatur(doc.kode_pemda, sorted({b.kode_sub_kegiatan for b in baris})),
         **uow.apbd.nama_rekening(sorted({b.kode_rekening for b in baris}))},
        {k: dokumen.Pejabat(l.nama, l.nip, l.pada.astimezone(WIB).date()) for k, l in tahap.items()})


def _cetak_spd(uow, s: Spd) -> cetak.Dokumen:
    """Beside each line its DPA amount and the SKPD's authorised SPD numbered before this one."""
    dpa = {k: (line.jumlah if line else None)
           for k, line in _dpa(uow, s.kode_pemda, s.tahun, s.kode_skpd, [b.kunci for b in s.baris]).items()}
    sebelumnya: dict[Kunci, Decimal] = {}
    for lain in uow.penatausahaan.spd_skpd(s.kode_pemda, s.tahun, s.kode_skpd):
        if lain.id == s.id:
            break
        if lain.status == domain.OTORISASI:
            for b in lain.baris:
                sebelumnya[b.kunci] = sebelumnya.get(b.kunci, Decimal(0)) + b.nilai
    return dokumen.spd(s, _kepala(uow, s, s.baris, SPD), dpa, sebelumnya)


def _cetak_spp(uow, s: Spp) -> cetak.Dokumen:
    spd = uow.penatausahaan.get_spd(s.kode_pemda, s.tahun, s.spd_id) if s.spd_id else None
    return dokumen.spp(s, _kepala(uow, s, s.baris, SPP), spd)


def _cetak_spm(uow, s: Spm) -> cetak.Dokumen:
    spp = uow.penatausahaan.get_spp(s.kode_pemda, s.tahun, s.spp_id)
    return dokumen.spm(s, _kepala(uow, s, spp.baris, SPM), spp)


def _cetak_sp2d(uow, s: Sp2d) -> cetak.Dokumen:
    spm = uow.penatausahaan.get_spm(s.kode_pemda, s.tahun, s.spm_id)
    return dokumen.sp2d(s, _kepala(uow, s, s.baris, SP2D), spm)


CETAK = {SPD: _cetak_spd, SPP: _cetak_spp, SPM: _cetak_spm, SP2D: _cetak_sp2d}


def dokumen_belanja(uow, caller: Scope | None, kode_pemda: str, tahun: int, jenis: str, id: str,
                    format: str) -> dict:
    """An SPD, SPP, SPM or SP2D (``jenis``) as printed, XLSX or PDF: ``{"filename", "content_type", "content"}``
    (content base64). Read as the document is (``get_spd`` …): 404 outside the pemda-year, 403 for another SKPD's."""
    if jenis not in CETAK:
        raise Invalid.field("jenis", f"jenis is one of {', '.join(CETAK)}")
    if format not in dokumen.FORMATS:
        raise Invalid.field("format", f"format is one of {', '.join(dokumen.FORMATS)}")
    with uow:
        s = terbaca(uow, caller, DOKUMEN[jenis], kode_pemda, tahun, id)
        doc = CETAK[jenis](uow, s)
    content_type, make = dokumen.FORMATS[format]
    nomor = re.sub(r"[^0-9A-Za-z.]+", "-", s.nomor)
    return {"filename": f"{jenis}-{nomor}.{format}", "content_type": content_type,
            "content": base64.b64encode(make(doc)).decode("ascii")}
