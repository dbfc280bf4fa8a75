"""Revenue received: the bendahara penerimaan records receipts (TBP) and deposits them (STS); the BUD (or kuasa
BUD), another user, validates the deposit: its receipts become realised revenue per account, and
``realisasi.berubah`` tells the governance reports.

A refusal changes nothing: 422 naming the field, 409 naming ``status`` (validated already), 403 naming
``pemeriksa`` (the depositor validating their own deposit); another SKPD's receipt or deposit: 403.
"""
from __future__ import annotations

import dataclasses
import uuid
from decimal import Decimal

from contracts.keuangan import RealisasiBerubah, RealisasiOut, StsBaru, StsOut, TbpBaru, TbpOut
from sipd_common import access, idempotency
from sipd_common.access import Scope

from ..penatausahaan.usecases import JenisDokumen, baca, halaman, parse, periksa, selesai, ubah
from ..penomoran.usecases import nomor_berikut
from ..policy import POLICY, Aksi
from ..replika import usecases as replika
from . import domain
from .domain import Sts, Tbp

TBP, STS = "tbp", "sts"  # record types of the audit trail


def tbp_out(t: Tbp) -> TbpOut:
    return TbpOut.model_validate(dataclasses.asdict(t))


def sts_out(s: Sts) -> StsOut:
    return StsOut.model_validate(dataclasses.asdict(s))


def _json(obj) -> dict:
    return {k: (format(v, "f") if isinstance(v, Decimal) else v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in dataclasses.asdict(obj).items()}


SETORAN = JenisDokumen(STS, "deposit", "penerimaan", sts_out, _json)


def buat_tbp(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict,
             idempotency_key: str | None = None) -> TbpOut:
    """A receipt on a current 4.x sub rincian objek of the SKPD's own, dated in the year; with ``idempotency_key``,
    once (a repeat answers the first answer)."""
    caller = POLICY.require(caller, Aksi.BUAT_TBP, kode_pemda)
    baru = parse(TbpBaru, data)
    POLICY.require(caller, Aksi.BUAT_TBP, kode_pemda, baru.kode_skpd)
    t = Tbp(str(uuid.uuid4()), kode_pemda, tahun, baru.kode_skpd, baru.kode_rekening, "", baru.tanggal, baru.uraian,
            baru.penyetor, baru.nilai, caller.user_id)
    with uow:
        if (earlier := idempotency.first_answer(uow, caller, idempotency_key, TbpOut, "buat_tbp", kode_pemda, tahun,
                                                baru)) is not None:
            return earlier
        rekening = replika.find(uow, "rekening", t.kode_rekening)
        periksa(domain.periksa_tbp(t, rekening, replika.find(uow, "skpd", kode_pemda, t.kode_skpd)))
        t.nama_rekening = rekening.nama
        _, t.nomor = nomor_berikut(uow, kode_pemda, tahun, t.kode_skpd, "tbp")
        uow.penerimaan.add_tbp(t)
        uow.audit(TBP, t.id, "create", None, _json(t), kode_pemda=kode_pemda, tahun=tahun, kode_skpd=t.kode_skpd)
        return selesai(uow, caller, idempotency_key, tbp_out(t))


def list_tbp(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50,
             kode_skpd: str | None = None, belum_disetor: bool = False) -> dict:
    return halaman(uow, caller, kode_pemda, kode_skpd, tbp_out,
                   lambda skpd: uow.penerimaan.list_tbp(kode_pemda, tahun, offset, limit, skpd, belum_disetor))


def get_tbp(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> TbpOut:
    with uow:
        t = access.require_readable(caller, kode_pemda,
                                    lambda: uow.penerimaan.tbps(kode_pemda, tahun, [id]).get(id),
                                    lambda t: t.kode_skpd, f"no receipt {id} in this pemda and year")
    return tbp_out(t)


def buat_sts(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict,
             idempotency_key: str | None = None) -> StsOut:
    """A deposit of receipts of the SKPD not deposited yet (locked: a receipt lands in one deposit only); with
    ``idempotency_key``, once (a repeat answers the first answer, not 422 for receipts deposited already)."""
    caller = POLICY.require(caller, Aksi.BUAT_STS, kode_pemda)
    baru = parse(StsBaru, data)
    POLICY.require(caller, Aksi.BUAT_STS, kode_pemda, baru.kode_skpd)
    s = Sts(str(uuid.uuid4()), kode_pemda, tahun, baru.kode_skpd, baru.tanggal, list(baru.tbp_ids), Decimal(0),
            caller.user_id)
    with uow:
        if (earlier := idempotency.first_answer(uow, caller, idempotency_key, StsOut, "buat_sts", kode_pemda, tahun,
                                                baru)) is not None:
            return earlier
        tbps = uow.penerimaan.tbps(kode_pemda, tahun, sorted(set(s.tbp_ids)), lock=True)
        periksa(domain.periksa_sts(s, tbps))
        s.nilai = sum((tbps[id].nilai for id in s.tbp_ids), Decimal(0))
        _, s.nomor = nomor_berikut(uow, kode_pemda, tahun, s.kode_skpd, "sts")
        uow.penerimaan.add_sts(s)
        uow.penerimaan.simpan_setoran(s.tbp_ids, s.id)
        uow.audit(STS, s.id, "create", None, _json(s), kode_pemda=kode_pemda, tahun=tahun, kode_skpd=s.kode_skpd)
        return selesai(uow, caller, idempotency_key, sts_out(s))


def validasi_sts(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> StsOut:
    """The BUD confirms the deposit reached the RKUD: its receipts are realised revenue, per account."""

    def realisasi(s: Sts) -> None:
        per_akun = domain.per_akun(list(uow.penerimaan.tbps(kode_pemda, tahun, s.tbp_ids).values()))
        totals = uow.penerimaan.tambah_realisasi(kode_pemda, tahun, s.kode_skpd, per_akun)
        uow.emit_many([RealisasiBerubah(
            kode_pemda=kode_pemda, tahun=tahun, aggregate_id=f"{kode_pemda}:{tahun}:pendapatan:{s.kode_skpd}:-:{rek}",
            aggregate_version=version, jenis="pendapatan", kode_skpd=s.kode_skpd, kode_rekening=rek, jumlah=jumlah,
            perubahan=per_akun[rek]) for rek, jumlah, version in totals])
    return ubah(uow, caller, Aksi.VALIDASI_STS, SETORAN, kode_pemda, tahun, id,
                lambda s, c: domain.validasi(s, c.user_id), sesudah=realisasi)


def get_sts(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> StsOut:
    return baca(uow, caller, SETORAN, kode_pemda, tahun, id)


def list_sts(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50,
             kode_skpd: str | None = None) -> dict:
    return halaman(uow, caller, kode_pemda, kode_skpd, sts_out,
                   lambda skpd: uow.penerimaan.list_sts(kode_pemda, tahun, offset, limit, skpd))


def list_realisasi_pendapatan(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0,
                              limit: int = 50, kode_skpd: str | None = None) -> dict:
    """Realised revenue per SKPD and account (an SKPD-bound role: its own SKPD's)."""
    return halaman(uow, caller, kode_pemda, kode_skpd, RealisasiOut.model_validate,
                   lambda skpd: uow.penerimaan.list_realisasi(kode_pemda, tahun, offset, limit, skpd))
