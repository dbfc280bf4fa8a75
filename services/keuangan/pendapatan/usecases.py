"""Revenue targets and financing lines: added (once per idempotency key) while the budget is open, listed.

A revenue target is an SKPD's (an SKPD operator adds its own SKPD's PAD); transfers and financing are the
PPKD's (``domain.periksa``). The account and SKPD are checked against keuangan's own replica; whether the
budget is open, by ``apbd.usecases.require_terbuka`` (the one rule every write asks).
"""
from __future__ import annotations

import uuid

from pydantic import ValidationError

from contracts.keuangan import AnggaranBaru, AnggaranOut
from sipd_common import access, idempotency
from sipd_common.access import Scope
from sipd_common.validation import invalid_from

from ..apbd.usecases import invalid, require_terbuka
from ..jadwal.domain import RKA
from ..jadwal.usecases import require_tahap
from ..policy import POLICY, Aksi
from ..replika import usecases as replika
from .domain import PENDAPATAN, PENERIMAAN, PENGELUARAN, jenis, periksa

ANGGARAN = "pendapatan_pembiayaan"  # the record type of the audit trail
PEMBIAYAAN = (PENERIMAAN, PENGELUARAN)


def _create(uow, caller: Scope | None, aksi: Aksi, boleh: tuple[str, ...], kode_pemda: str, tahun: int, data: dict,
            idempotency_key: str | None) -> AnggaranOut:
    caller = POLICY.require(caller, aksi, kode_pemda)
    try:
        baru = AnggaranBaru.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None
    POLICY.require(caller, aksi, kode_pemda, baru.kode_skpd)
    with uow:
        earlier = idempotency.first_answer(uow, caller, idempotency_key, AnggaranOut, f"create_{aksi.name.lower()}",
                                           kode_pemda, tahun, baru.model_dump(mode="json"))
        if earlier is not None:
            return earlier
        require_tahap(uow, kode_pemda, tahun, RKA)  # inside the stage's window (jadwal anggaran)
        require_terbuka(uow, kode_pemda, tahun)
        rekening = replika.find(uow, "rekening", baru.kode_rekening)
        skpd = replika.find(uow, "skpd", kode_pemda, baru.kode_skpd)
        errors = periksa(rekening, skpd, kode_rekening=baru.kode_rekening, kode_skpd=baru.kode_skpd,
                         kode_pemda=kode_pemda, boleh=boleh)
        if errors:
            raise invalid(errors)
        out = AnggaranOut.model_validate({
            **baru.model_dump(), "id": str(uuid.uuid4()), "kode_pemda": kode_pemda, "tahun": tahun,
            "jenis": jenis(rekening.kode), "nama_rekening": rekening.nama})
        uow.pendapatan.add(out.model_dump())
        uow.audit(ANGGARAN, out.id, "create", None, out.model_dump(mode="json"), kode_pemda=kode_pemda, tahun=tahun,
                  kode_skpd=out.kode_skpd)
        idempotency.complete(uow, caller, idempotency_key, out)
        uow.commit()
    return out


def create_pendapatan(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict,
                      idempotency_key: str | None = None) -> AnggaranOut:
    """A revenue target on a 4.x sub rincian objek, of an SKPD of the pemda (transfers: the PPKD's)."""
    return _create(uow, caller, Aksi.CREATE_PENDAPATAN, (PENDAPATAN,), kode_pemda, tahun, data, idempotency_key)


def create_pembiayaan(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict,
                      idempotency_key: str | None = None) -> AnggaranOut:
    """A financing receipt (6.1) or payment (6.2) of the PPKD."""
    return _create(uow, caller, Aksi.CREATE_PEMBIAYAAN, PEMBIAYAAN, kode_pemda, tahun, data, idempotency_key)


def _list(uow, caller: Scope | None, kode_pemda: str, tahun: int, kinds: tuple[str, ...], offset: int,
          limit: int) -> dict:
    caller = access.require_read(caller, kode_pemda)
    with uow:
        rows, total = uow.pendapatan.list_page(kode_pemda, tahun, kinds, offset, limit, caller.skpd_filter)
    return {"items": [AnggaranOut.model_validate(r) for r in rows], "total": total}


def list_pendapatan(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50) -> dict:
    """The year's revenue targets (an SKPD operator: its own SKPD's)."""
    return _list(uow, caller, kode_pemda, tahun, (PENDAPATAN,), offset, limit)


def list_pembiayaan(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50) -> dict:
    """The year's financing receipts and payments."""
    return _list(uow, caller, kode_pemda, tahun, PEMBIAYAAN, offset, limit)
