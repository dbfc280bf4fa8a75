"""Budget lines: added under a ceiling, read by the pemda (flagged or renamed as the accounts change:
``replika/usecases.py``).

Every RPC use case checks its caller first (``policy.py`` for writes, ``sipd_common.access`` for
reads). A budget line belongs to the SKPD of its ceiling's RKPD item. The account is checked against
keuangan's own replica of the chart of accounts: no RPC to referensi.
"""
from __future__ import annotations

import uuid

from pydantic import ValidationError

from contracts.keuangan import RincianBaru, RincianOut
from sipd_common import access, idempotency
from sipd_common.access import Scope
from sipd_common.errors import Invalid
from sipd_common.validation import invalid_from, record_id

from ..apbd.usecases import require_terbuka
from ..plafon.domain import Ditolak, Pelanggaran, status
from ..plafon.usecases import plafon_changed
from ..policy import POLICY, Aksi
from ..replika import usecases as replika
from .domain import jumlah, periksa_rekening, tanpa_plafon

RINCIAN = "rincian"  # the record type of the audit trail


def _invalid(errors: list[Pelanggaran]) -> Invalid:
    return Invalid("; ".join(e.message for e in errors),
                   errors=[{"field": e.field, "message": e.message} for e in errors])


def _refuse(errors: list[Pelanggaran]) -> None:
    if errors:
        raise _invalid(errors)


def _out(row: dict) -> RincianOut:
    """A stored line with its ceiling's state (``pagu``, ``total_rincian``, ``rencana_dihapus``)."""
    return RincianOut.model_validate(
        {**row, "status": status(row["pagu"], row["total_rincian"], row["rencana_dihapus"])})


def create_rincian(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict,
                   idempotency_key: str | None = None) -> RincianOut:
    """A line under the ceiling of an RKPD item, on a current belanja sub rincian objek account; refused
    (nothing changed) above the ceiling or under a deleted plan item. With ``idempotency_key``, once: a
    repeat (a retry, a redelivery) answers the first answer and consumes the ceiling no more."""
    caller = POLICY.require(caller, Aksi.CREATE_RINCIAN, kode_pemda)
    try:
        baru = RincianBaru.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None
    with uow:
        earlier = idempotency.claim(uow, caller, idempotency_key, "create_rincian", kode_pemda, tahun,
                                    baru.model_dump(mode="json"))
        if earlier is not None:
            return RincianOut.model_validate(earlier)
        require_terbuka(uow, kode_pemda, tahun)  # not once submitted, evaluated sesuai or enacted
        rekening = replika.find(uow, "rekening", baru.kode_rekening)
        _refuse(periksa_rekening(rekening))
        amount = jumlah(baru.volume, baru.harga_satuan)
        p = uow.plafon.lock(baru.rkpd_id, kode_pemda, tahun)
        if p is None or not p.ada:
            _refuse([tanpa_plafon(baru.rkpd_id, kode_pemda, tahun)])
        POLICY.require(caller, Aksi.CREATE_RINCIAN, kode_pemda, p.kode_skpd)
        try:
            p.tambah_rincian(amount)
        except Ditolak as refused:
            raise _invalid(refused.pelanggaran) from None
        values = {**baru.model_dump(), "id": str(uuid.uuid4()), "kode_pemda": kode_pemda, "tahun": tahun,
                  "nama_rekening": rekening.nama, "jumlah": amount, "revisi_rekening": rekening.revisi}
        uow.rincian.add(values)
        uow.plafon.save(p)
        uow.emit(plafon_changed(p))
        out = RincianOut.model_validate({**values, "status": p.status, "perlu_pemetaan": False, "pemetaan": []})
        uow.audit(RINCIAN, out.id, "create", None, out.model_dump(mode="json"), kode_pemda=kode_pemda, tahun=tahun,
                  kode_skpd=p.kode_skpd)
        idempotency.complete(uow, caller, idempotency_key, out)
        uow.commit()
    return out


def _readable(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> dict:
    return access.require_readable(
        caller, kode_pemda, lambda: uow.rincian.get(kode_pemda, tahun, record_id(id, "budget line")),
        lambda row: row["kode_skpd"], f"no budget line {id} in {kode_pemda}/{tahun}")


def get_rincian(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> RincianOut:
    with uow:
        return _out(_readable(uow, caller, kode_pemda, tahun, id))


def rincian_audit(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str, offset: int = 0,
                  limit: int = 50) -> dict:
    """Every write to one line, oldest first (a page), for whoever may read the line."""
    with uow:
        row = _readable(uow, caller, kode_pemda, tahun, id)
        return uow.trail(RINCIAN, row["id"], offset, limit)


def list_rincian(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50,
                 rkpd_id: str | None = None) -> dict:
    """The lines of a pemda and year (an SKPD operator: its own SKPD's), optionally of one RKPD item."""
    caller = access.require_read(caller, kode_pemda)
    if rkpd_id is not None:
        try:
            rkpd_id = str(uuid.UUID(rkpd_id))
        except ValueError:
            raise Invalid.field("rkpd_id", "must be a UUID") from None
    with uow:
        rows, total = uow.rincian.list_page(kode_pemda, tahun, offset, limit, rkpd_id, caller.skpd_filter)
    return {"items": [_out(r) for r in rows], "total": total}
