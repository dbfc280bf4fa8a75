"""The Renstra's use cases: an SKPD makes its five-year plan for the period of its pemda's RPJMD, submits
it, and Bappeda verifies it or returns it with a note; every role of the pemda reads it (an SKPD
operator: its own SKPD's). Every write is published (``renstra.saved``).

The codes are checked against perencanaan's replica of the codification (``..replika``): a write makes no
RPC. The RPJMD followed is read with a share lock, so that it cannot drop a sasaran the Renstra is being
linked to meanwhile (``..rpjmd.usecases.update_rpjmd`` asks which sasaran are served). Every write is
audited.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from contracts.perencanaan import (
    IsiRenstra, RenstraBaru, RenstraOut, RenstraRingkasOut, RenstraSaved, VerifikasiRenstra,
)
from sipd_common import access, idempotency
from sipd_common.access import Scope
from sipd_common.errors import Conflict, Invalid, NotFound
from sipd_common.validation import record_id

from ..jadwal import usecases as jadwal
from ..policy import POLICY, Aksi
from ..replika import usecases as replika
from ..rpjmd.domain import Rpjmd
from ..rpjmd.usecases import invalid, stored, validated
from .domain import Renstra, StatusTidakSesuai, kode_renstra, periksa_isi, periksa_skpd, periksa_verifikasi

RECORD = "renstra"


def _out(item: Renstra) -> RenstraOut:
    return RenstraOut(id=item.id, kode_pemda=item.kode_pemda, kode_skpd=item.kode_skpd, rpjmd_id=item.rpjmd_id,
                      tahun_awal=item.tahun_awal, tahun_akhir=item.tahun_akhir, status=item.status,
                      catatan=item.catatan, version=item.version, pagu_indikatif=item.pagu_per_tahun(),
                      **dict(item.isi))


def _ringkas(item: Renstra) -> RenstraRingkasOut:
    return RenstraRingkasOut(id=item.id, kode_pemda=item.kode_pemda, kode_skpd=item.kode_skpd, rpjmd_id=item.rpjmd_id,
                             tahun_awal=item.tahun_awal, tahun_akhir=item.tahun_akhir, status=item.status,
                             version=item.version)


def _saved(item: Renstra) -> RenstraSaved:
    return RenstraSaved(kode_pemda=item.kode_pemda, tahun=item.tahun_awal, aggregate_id=item.id,
                        aggregate_version=item.version, kode_skpd=item.kode_skpd, rpjmd_id=item.rpjmd_id,
                        tahun_awal=item.tahun_awal, tahun_akhir=item.tahun_akhir, status=item.status,
                        catatan=item.catatan, pagu_indikatif=item.pagu_per_tahun(), **dict(item.isi))


def _audit(uow, action, before: Renstra | None, after: Renstra) -> None:
    """Every write is audited and published (``renstra.saved``)."""
    uow.emit(_saved(after))
    uow.audit(RECORD, after.id, action, before and _out(before).model_dump(mode="json"),
              _out(after).model_dump(mode="json"), kode_pemda=after.kode_pemda, tahun=after.tahun_awal,
              kode_skpd=after.kode_skpd)


def _rpjmd(uow, kode_pemda: str, rpjmd_id: str) -> Rpjmd:
    """The RPJMD a Renstra follows: one of its own pemda's (share-locked until the write ends)."""
    refused = Invalid.field("rpjmd_id", f"RPJMD {rpjmd_id} is not an RPJMD of pemda {kode_pemda}; a Renstra "
                                        "follows its own pemda's RPJMD")
    try:
        rpjmd_id = str(uuid.UUID(rpjmd_id))
    except ValueError:
        raise refused from None
    rpjmd = uow.rpjmd.get(kode_pemda, rpjmd_id, for_share=True)
    if rpjmd is None:
        raise refused
    return rpjmd


def _checked(uow, kode_pemda: str, kode_skpd: str, isi: IsiRenstra, rpjmd: Rpjmd) -> IsiRenstra:
    """The content as kept, once every rule holds (``domain.periksa_isi``); else ``Invalid`` naming each field."""
    kodes, programs = kode_renstra(isi)
    kode = replika.codes_of_plan(uow, kode_pemda, [kode_skpd], kodes, programs)
    if kode is None:
        raise NotFound(f"no pemda with code {kode_pemda!r}")
    errors = periksa_skpd("kode_skpd", kode_skpd, kode) or periksa_isi(isi, kode_skpd, rpjmd, kode)
    if errors:
        raise invalid(errors)
    return stored(IsiRenstra, isi, kode)


def _uuid(id: str) -> str:
    return record_id(id, "Renstra")


def _get_for_update(uow, caller, aksi: Aksi, kode_pemda: str, kode_skpd: str, id: str,
                    expected_version: int | None, now: datetime | None = None) -> Renstra:
    """The Renstra to write, row-locked; refused (409 naming ``tahun``) when its period's schedule
    (``jadwal``, keyed by ``tahun_awal``) has no stage open now."""
    POLICY.require(caller, aksi, kode_pemda, kode_skpd)
    item = uow.renstra.get(kode_pemda, kode_skpd, _uuid(id), for_update=True)
    if item is None:
        raise NotFound(f"no Renstra {id} of SKPD {kode_skpd} in pemda {kode_pemda}")
    if expected_version is not None and expected_version != item.version:
        raise Conflict(f"Renstra {item.id} is at version {item.version}, not {expected_version}",
                       current_version=item.version)
    jadwal.require_writable(uow, kode_pemda, item.tahun_awal, dokumen=jadwal.RENSTRA, now=now)
    return item


def _step(step):
    try:
        return step()
    except StatusTidakSesuai as exc:
        raise Conflict(str(exc), errors=[{"field": "status", "message": str(exc)}]) from None


# -- writes ---------------------------------------------------------------------------------------------

def create_renstra(uow, caller: Scope | None, kode_pemda: str, kode_skpd: str, data: dict,
                   idempotency_key: str | None = None, now: datetime | None = None) -> RenstraOut:
    """A new Renstra of the SKPD; with ``idempotency_key``, once (a repeat answers the first answer)."""
    POLICY.require(caller, Aksi.WRITE_RENSTRA, kode_pemda, kode_skpd)
    baru = validated(RenstraBaru, data)
    isi = IsiRenstra.model_validate(baru.model_dump(exclude={"rpjmd_id"}))
    with uow:
        earlier = idempotency.first_answer(uow, caller, idempotency_key, RenstraOut, "create_renstra", kode_pemda,
                                           kode_skpd, baru.model_dump(mode="json"))
        if earlier is not None:
            return earlier
        rpjmd = _rpjmd(uow, kode_pemda, baru.rpjmd_id)
        jadwal.require_writable(uow, kode_pemda, rpjmd.tahun_awal, dokumen=jadwal.RENSTRA, now=now)
        item = Renstra(id=str(uuid.uuid4()), kode_pemda=kode_pemda, kode_skpd=kode_skpd, rpjmd_id=rpjmd.id,
                       tahun_awal=rpjmd.tahun_awal, tahun_akhir=rpjmd.tahun_akhir,
                       isi=_checked(uow, kode_pemda, kode_skpd, isi, rpjmd))
        if not uow.renstra.add(item):
            message = f"SKPD {kode_skpd} already has a Renstra for the RPJMD {rpjmd.periode}"
            raise Conflict(message, errors=[{"field": "rpjmd_id", "message": message}])
        _audit(uow, "create", None, item)
        answer = _out(item)
        idempotency.complete(uow, caller, idempotency_key, answer)
        uow.commit()
    return answer


def update_renstra(uow, caller: Scope | None, kode_pemda: str, kode_skpd: str, id: str, data: dict,
                   expected_version: int | None = None, now: datetime | None = None) -> RenstraOut:
    """Replace the Renstra's content, while the SKPD holds it (a draft, or returned by Bappeda)."""
    isi = validated(IsiRenstra, data)
    with uow:
        item = _get_for_update(uow, caller, Aksi.WRITE_RENSTRA, kode_pemda, kode_skpd, id, expected_version, now)
        _step(lambda: item.ubah(item.isi))  # refused before any check when the status does not allow it
        rpjmd = uow.rpjmd.get(kode_pemda, item.rpjmd_id, for_share=True)
        changed = item.ubah(_checked(uow, kode_pemda, kode_skpd, isi, rpjmd))
        if changed is not item:
            uow.renstra.save(changed)
            _audit(uow, "update", item, changed)
            uow.commit()
    return _out(changed)


def submit_renstra(uow, caller: Scope | None, kode_pemda: str, kode_skpd: str, id: str,
                   expected_version: int | None = None, now: datetime | None = None) -> RenstraOut:
    with uow:
        item = _get_for_update(uow, caller, Aksi.SUBMIT_RENSTRA, kode_pemda, kode_skpd, id, expected_version, now)
        changed = _step(item.ajukan)
        uow.renstra.save(changed)
        _audit(uow, "update", item, changed)
        uow.commit()
    return _out(changed)


def verify_renstra(uow, caller: Scope | None, kode_pemda: str, kode_skpd: str, id: str, data: dict,
                   expected_version: int | None = None, now: datetime | None = None) -> RenstraOut:
    """Bappeda verifies a submitted Renstra (it no longer changes) or returns it to the SKPD with a note."""
    POLICY.require(caller, Aksi.VERIFY_RENSTRA, kode_pemda, kode_skpd)
    verifikasi = validated(VerifikasiRenstra, data)
    errors = periksa_verifikasi(verifikasi.setuju, verifikasi.catatan)
    if errors:
        raise invalid(errors)
    with uow:
        item = _get_for_update(uow, caller, Aksi.VERIFY_RENSTRA, kode_pemda, kode_skpd, id, expected_version, now)
        changed = _step(lambda: item.verifikasi(verifikasi.setuju, verifikasi.catatan))
        uow.renstra.save(changed)
        _audit(uow, "update", item, changed)
        uow.commit()
    return _out(changed)


# -- reads ----------------------------------------------------------------------------------------------

def _readable(uow, caller, kode_pemda: str, kode_skpd: str, id: str) -> Renstra:
    access.require_read_skpd(caller, kode_pemda, kode_skpd)
    item = uow.renstra.get(kode_pemda, kode_skpd, _uuid(id))
    if item is None:
        raise NotFound(f"no Renstra {id} of SKPD {kode_skpd} in pemda {kode_pemda}")
    return item


def get_renstra(uow, caller: Scope | None, kode_pemda: str, kode_skpd: str, id: str) -> RenstraOut:
    with uow:
        return _out(_readable(uow, caller, kode_pemda, kode_skpd, id))


def get_renstra_audit(uow, caller: Scope | None, kode_pemda: str, kode_skpd: str, id: str, offset: int = 0,
                      limit: int = 50) -> dict:
    with uow:
        item = _readable(uow, caller, kode_pemda, kode_skpd, id)
        return uow.trail(RECORD, item.id, offset, limit)


def list_renstra(uow, caller: Scope | None, kode_pemda: str, offset: int = 0, limit: int = 50,
                 kode_skpd: str | None = None, rpjmd_id: str | None = None) -> dict:
    """The pemda's Renstra (an SKPD operator: its own SKPD's), newest period first."""
    caller = access.require_read(caller, kode_pemda)
    kode_skpd = access.require_skpd_filter(caller, kode_skpd)
    if rpjmd_id is not None:
        try:
            rpjmd_id = str(uuid.UUID(rpjmd_id))
        except ValueError:
            raise Invalid.field("rpjmd_id", "not an RPJMD id (a UUID)") from None
    with uow:
        items, total = uow.renstra.list_page(kode_pemda, offset, limit, kode_skpd, rpjmd_id)
    return {"items": [_ringkas(i) for i in items], "total": total}
