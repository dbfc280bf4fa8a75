"""Binwas findings: recorded by the level above, answered by the pemda, accepted or sent back."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from pydantic import ValidationError

from contracts.pemerintahan import PutusanTemuan, TanggapanTemuan, TemuanBaru, TemuanOut
from sipd_common import access, idempotency
from sipd_common.access import Scope
from sipd_common.errors import Conflict, Forbidden, NotFound
from sipd_common.validation import invalid_from, record_id

from ..policy import POLICY, Aksi
from .domain import Ditolak, Temuan, pengawas

TEMUAN = "binwas_temuan"  # the record type of the audit trail


def _parse(model, data: dict):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _out(item: Temuan) -> TemuanOut:
    return TemuanOut.model_validate({**vars(item), "tindak_lanjut": list(item.tindak_lanjut)})


def _pengawas(caller: Scope | None, kode_pemda: str) -> Scope:
    caller = access.require_caller(caller)
    if not pengawas(caller, kode_pemda):
        raise Forbidden(f"a {caller.role} of {caller.kode_pemda or 'pusat'} does not supervise pemda {kode_pemda}: "
                        "the ministry does, and a regency/city's province")
    return caller


def _write(uow, caller, kode_pemda: str, id: str, change) -> TemuanOut:
    with uow:
        item = uow.binwas.get(kode_pemda, record_id(id, "finding"), for_update=True)
        if item is None:
            raise NotFound(f"no finding {id} in {kode_pemda}")
        try:
            changed = change(item)
        except Ditolak as refused:
            raise Conflict(refused.message, errors=[{"field": refused.field, "message": refused.message}]) from None
        uow.binwas.save(changed)
        out = _out(changed)
        uow.audit(TEMUAN, item.id, "update", _out(item).model_dump(mode="json"), out.model_dump(mode="json"),
                  kode_pemda=kode_pemda, tahun=item.tahun)
        uow.commit()
    return out


def create_temuan(uow, caller: Scope | None, kode_pemda: str, data: dict,
                  idempotency_key: str | None = None) -> TemuanOut:
    """A finding on the pemda; with ``idempotency_key``, once (a repeat answers the first answer)."""
    caller = _pengawas(caller, kode_pemda)
    baru = _parse(TemuanBaru, data)
    item = Temuan(id=str(uuid.uuid4()), kode_pemda=kode_pemda, dicatat_oleh=caller.username, **baru.model_dump())
    with uow:
        earlier = idempotency.first_answer(uow, caller, idempotency_key, TemuanOut, "create_temuan", kode_pemda,
                                           baru.model_dump(mode="json"))
        if earlier is not None:
            return earlier
        uow.binwas.add(item)
        out = _out(item)
        uow.audit(TEMUAN, item.id, "create", None, out.model_dump(mode="json"), kode_pemda=kode_pemda, tahun=item.tahun)
        idempotency.complete(uow, caller, idempotency_key, out)
        uow.commit()
    return out


def answer_temuan(uow, caller: Scope | None, kode_pemda: str, id: str, data: dict) -> TemuanOut:
    caller = POLICY.require(caller, Aksi.ANSWER_TEMUAN, kode_pemda)
    isi = _parse(TanggapanTemuan, data).isi
    return _write(uow, caller, kode_pemda, id, lambda item: item.tanggapi(caller, isi, _now()))


def decide_temuan(uow, caller: Scope | None, kode_pemda: str, id: str, data: dict) -> TemuanOut:
    caller = _pengawas(caller, kode_pemda)
    putusan = _parse(PutusanTemuan, data)
    return _write(uow, caller, kode_pemda, id, lambda item: item.putuskan(caller, putusan.diterima, putusan.catatan,
                                                                          _now()))


def get_temuan(uow, caller: Scope | None, kode_pemda: str, id: str) -> TemuanOut:
    access.require_read(caller, kode_pemda)
    with uow:
        item = uow.binwas.get(kode_pemda, record_id(id, "finding"))
        if item is None:
            raise NotFound(f"no finding {id} in {kode_pemda}")
        return _out(item)


def list_temuan(uow, caller: Scope | None, kode_pemda: str, offset: int = 0, limit: int = 50,
                tahun: int | None = None, status: str | None = None) -> dict:
    access.require_read(caller, kode_pemda)
    with uow:
        rows, total = uow.binwas.list_page(kode_pemda, offset, limit, tahun, status)
    return {"items": [_out(r) for r in rows], "total": total}
