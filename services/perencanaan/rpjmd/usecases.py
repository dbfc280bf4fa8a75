"""The RPJMD's use cases: Bappeda makes and changes a pemda's five-year plan; every role of the pemda reads it.

The plan's codes (priority programs, the SKPD responsible) are checked against perencanaan's replica of
the codification (``..replika``): a write makes no RPC. Every write is audited and published
(``rpjmd.saved``).
"""
from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import ValidationError

from contracts.perencanaan import (
    IsiRpjmd, PenetapanRpjmd, PerubahanRpjmd, RpjmdBaru, RpjmdDitetapkanOut, RpjmdDitetapkanRingkasOut, RpjmdOut,
    RpjmdRingkasOut, RpjmdSaved,
)
from sipd_common import access, idempotency
from sipd_common.access import Scope
from sipd_common.errors import Conflict, Invalid, NotFound
from sipd_common.validation import invalid_from, record_id

from ..jadwal import usecases as jadwal
from ..policy import POLICY, Aksi
from ..renstra.domain import periksa_program, periksa_skpd
from ..replika import usecases as replika
from ..replika.domain import Kodefikasi
from ..rkpd.domain import Pelanggaran
from .domain import (
    Rpjmd, RpjmdDitetapkan, StatusTidakSesuai, hash_isi, lengkapi, periksa_isi, periksa_penetapan, periksa_periode,
    program_rpjmd, sasaran_dilepas, tumpang_tindih,
)

RECORD = "rpjmd"


def errors_of(errors: list[Pelanggaran]) -> list[dict]:
    return [{"field": e.field, "message": e.message} for e in errors]


def invalid(errors: list[Pelanggaran]) -> Invalid:
    return Invalid("; ".join(f"{e.field}: {e.message}" for e in errors), errors=errors_of(errors))


def validated(model, data: dict):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None


def stored(model, isi, kode: Kodefikasi):
    """The content as kept: names from the codification, end targets derived (``domain.lengkapi``)."""
    return model.model_validate(lengkapi(isi.model_dump(), {k: r["nama"] for k, r in kode.nomenklatur.items()}))


def out(item: Rpjmd) -> RpjmdOut:
    return RpjmdOut(id=item.id, kode_pemda=item.kode_pemda, tahun_awal=item.tahun_awal, tahun_akhir=item.tahun_akhir,
                    status=item.status, revisi=item.revisi, version=item.version,
                    pagu_indikatif=item.pagu_per_tahun(), **dict(item.isi))


def _ringkas(item: Rpjmd) -> RpjmdRingkasOut:
    return RpjmdRingkasOut(id=item.id, kode_pemda=item.kode_pemda, tahun_awal=item.tahun_awal,
                           tahun_akhir=item.tahun_akhir, visi=item.isi.visi, version=item.version)


def _saved(item: Rpjmd) -> RpjmdSaved:
    return RpjmdSaved(kode_pemda=item.kode_pemda, tahun=item.tahun_awal, aggregate_id=item.id,
                      aggregate_version=item.version, tahun_awal=item.tahun_awal, tahun_akhir=item.tahun_akhir,
                      status=item.status, revisi=item.revisi, pagu_indikatif=item.pagu_per_tahun(), **dict(item.isi))


def _audit(uow, action, before: Rpjmd | None, after: Rpjmd) -> None:
    """Every write is audited and published (``rpjmd.saved``)."""
    uow.emit(_saved(after))
    uow.audit(RECORD, after.id, action, before and out(before).model_dump(mode="json"),
              out(after).model_dump(mode="json"), kode_pemda=after.kode_pemda, tahun=after.tahun_awal)


def _codes(uow, kode_pemda: str, isi: IsiRpjmd) -> Kodefikasi:
    programs = [p for _, p in program_rpjmd(isi)]
    kode_program = sorted({p.kode_program for p in programs})
    kode = replika.codes_of_plan(uow, kode_pemda, sorted({p.kode_skpd for p in programs}), kode_program, kode_program)
    if kode is None:
        raise NotFound(f"no pemda with code {kode_pemda!r}")
    return kode


def _periksa_kode(isi: IsiRpjmd, kode: Kodefikasi) -> list[Pelanggaran]:
    """Each priority program: its SKPD a current SKPD of the pemda, serving the program's bidang urusan; the
    program current and for the pemda's level."""
    errors = []
    for at, program in program_rpjmd(isi):
        errors += periksa_skpd(f"{at}.kode_skpd", program.kode_skpd, kode)
        errors += periksa_program(f"{at}.kode_program", program.kode_program, program.kode_skpd, kode)
    return errors


def _uuid(id: str) -> str:
    return record_id(id, "RPJMD")


def step(make):
    """A step of a plan's life; a status that does not allow it is 409 naming ``status``."""
    try:
        return make()
    except StatusTidakSesuai as exc:
        raise Conflict(str(exc), errors=[{"field": "status", "message": str(exc)}]) from None


def _version(item, expected_version: int | None, what: str) -> None:
    if expected_version is not None and expected_version != item.version:
        raise Conflict(f"{what} {item.id} is at version {item.version}, not {expected_version}",
                       current_version=item.version)


# -- writes ---------------------------------------------------------------------------------------------

def create_rpjmd(uow, caller: Scope | None, kode_pemda: str, data: dict,
                 idempotency_key: str | None = None, now: datetime | None = None) -> RpjmdOut:
    """A new RPJMD of the pemda; with ``idempotency_key``, once (a repeat answers the first answer)."""
    POLICY.require(caller, Aksi.WRITE_RPJMD, kode_pemda)
    baru = validated(RpjmdBaru, data)
    isi = IsiRpjmd.model_validate(baru.model_dump(exclude={"tahun_awal", "tahun_akhir"}))
    errors = periksa_periode(baru.tahun_awal, baru.tahun_akhir)
    if errors:
        raise invalid(errors)
    errors = periksa_isi(isi, range(baru.tahun_awal, baru.tahun_akhir + 1))
    if errors:
        raise invalid(errors)
    with uow:
        earlier = idempotency.first_answer(uow, caller, idempotency_key, RpjmdOut, "create_rpjmd", kode_pemda,
                                           baru.model_dump(mode="json"))
        if earlier is not None:
            return earlier
        jadwal.require_writable(uow, kode_pemda, baru.tahun_awal, dokumen=jadwal.RPJMD, now=now)
        kode = _codes(uow, kode_pemda, isi)
        errors = _periksa_kode(isi, kode)
        if errors:
            raise invalid(errors)
        uow.rpjmd.lock_pemda(kode_pemda)
        errors = tumpang_tindih(baru.tahun_awal, baru.tahun_akhir, uow.rpjmd.periods(kode_pemda))
        if errors:
            raise Conflict(errors[0].message, errors=errors_of(errors))
        item = Rpjmd(id=str(uuid.uuid4()), kode_pemda=kode_pemda, tahun_awal=baru.tahun_awal,
                     tahun_akhir=baru.tahun_akhir, isi=stored(IsiRpjmd, isi, kode))
        uow.rpjmd.add(item)
        _audit(uow, "create", None, item)
        answer = out(item)
        idempotency.complete(uow, caller, idempotency_key, answer)
        uow.commit()
    return answer


def update_rpjmd(uow, caller: Scope | None, kode_pemda: str, id: str, data: dict,
                 expected_version: int | None = None, now: datetime | None = None) -> RpjmdOut:
    """Replace the RPJMD's content (visi, misi and below; the period stays). A sasaran a Renstra serves
    may not be dropped."""
    POLICY.require(caller, Aksi.WRITE_RPJMD, kode_pemda)
    isi = validated(IsiRpjmd, data)
    with uow:
        item = _for_update(uow, kode_pemda, id, expected_version, now)
        step(lambda: item.ubah(item.isi))  # an enacted RPJMD is refused before any check
        errors = periksa_isi(isi, item.tahun)
        if errors:
            raise invalid(errors)
        kode = _codes(uow, kode_pemda, isi)
        errors = _periksa_kode(isi, kode)
        if errors:
            raise invalid(errors)
        errors = sasaran_dilepas(item, isi, uow.renstra.serving(item.id))
        if errors:
            raise Conflict("; ".join(e.message for e in errors), errors=errors_of(errors))
        changed = step(lambda: item.ubah(stored(IsiRpjmd, isi, kode)))
        if changed is not item:
            uow.rpjmd.save(changed)
            _audit(uow, "update", item, changed)
            uow.commit()
    return out(changed)


def _for_update(uow, kode_pemda: str, id: str, expected_version: int | None, now: datetime | None) -> Rpjmd:
    """The RPJMD to write, row-locked; refused (409 naming ``tahun``) when its period's schedule
    (``jadwal``, keyed by ``tahun_awal``) has no stage open now."""
    item = uow.rpjmd.get(kode_pemda, _uuid(id), for_update=True)
    if item is None:
        raise NotFound(f"no RPJMD {id} in pemda {kode_pemda}")
    _version(item, expected_version, "RPJMD")
    jadwal.require_writable(uow, kode_pemda, item.tahun_awal, dokumen=jadwal.RPJMD, now=now)
    return item


def enact_rpjmd(uow, caller: Scope | None, kode_pemda: str, id: str, data: dict,
                expected_version: int | None = None, now: datetime | None = None) -> RpjmdOut:
    """The RPJMD enacted by its Perda: its content is kept as enacted (``rpjmd_ditetapkan``, content-hashed,
    never changed) and it no longer changes until a perubahan is opened."""
    caller = POLICY.require(caller, Aksi.ENACT_RPJMD, kode_pemda)
    penetapan = validated(PenetapanRpjmd, data)
    with uow:
        item = _for_update(uow, kode_pemda, id, expected_version, now)
        enacted = step(item.tetapkan)
        errors = periksa_penetapan(item)
        if errors:
            raise invalid(errors)
        uow.rpjmd.save(enacted)
        uow.rpjmd.add_ditetapkan(RpjmdDitetapkan(
            rpjmd_id=item.id, kode_pemda=kode_pemda, revisi=enacted.revisi, tahun_awal=item.tahun_awal,
            tahun_akhir=item.tahun_akhir, nomor_perda=penetapan.nomor_perda, tanggal_perda=penetapan.tanggal_perda,
            isi=item.isi, hash=hash_isi(item, penetapan.nomor_perda, penetapan.tanggal_perda),
            ditetapkan_oleh=caller.username, alasan_perubahan=item.alasan_perubahan))
        _audit(uow, "update", item, enacted)
        uow.commit()
    return out(enacted)


def revise_rpjmd(uow, caller: Scope | None, kode_pemda: str, id: str, data: dict,
                 expected_version: int | None = None, now: datetime | None = None) -> RpjmdOut:
    """An enacted RPJMD opened for revision (perubahan), saying why; its enacted versions stay as enacted."""
    POLICY.require(caller, Aksi.ENACT_RPJMD, kode_pemda)
    perubahan = validated(PerubahanRpjmd, data)
    with uow:
        item = _for_update(uow, kode_pemda, id, expected_version, now)
        opened = step(lambda: item.buka_perubahan(perubahan.alasan))
        uow.rpjmd.save(opened)
        _audit(uow, "update", item, opened)
        uow.commit()
    return out(opened)


# -- reads ----------------------------------------------------------------------------------------------

def get_rpjmd(uow, caller: Scope | None, kode_pemda: str, id: str) -> RpjmdOut:
    access.require_read(caller, kode_pemda)
    with uow:
        item = uow.rpjmd.get(kode_pemda, _uuid(id))
    if item is None:
        raise NotFound(f"no RPJMD {id} in pemda {kode_pemda}")
    return out(item)


def list_rpjmd(uow, caller: Scope | None, kode_pemda: str, offset: int = 0, limit: int = 50) -> dict:
    access.require_read(caller, kode_pemda)
    with uow:
        items, total = uow.rpjmd.list_page(kode_pemda, offset, limit)
    return {"items": [_ringkas(i) for i in items], "total": total}


def get_rpjmd_audit(uow, caller: Scope | None, kode_pemda: str, id: str, offset: int = 0, limit: int = 50) -> dict:
    access.require_read(caller, kode_pemda)
    with uow:
        if uow.rpjmd.get(kode_pemda, _uuid(id)) is None:
            raise NotFound(f"no RPJMD {id} in pemda {kode_pemda}")
        return uow.trail(RECORD, _uuid(id), offset, limit)


def _ditetapkan_out(d: RpjmdDitetapkan, when, whole: bool):
    common = dict(rpjmd_id=d.rpjmd_id, revisi=d.revisi, nomor_perda=d.nomor_perda, tanggal_perda=d.tanggal_perda,
                  hash=d.hash, ditetapkan_oleh=d.ditetapkan_oleh, ditetapkan_pada=when,
                  alasan_perubahan=d.alasan_perubahan)
    if not whole:
        return RpjmdDitetapkanRingkasOut(**common)
    plan = Rpjmd(d.rpjmd_id, d.kode_pemda, d.tahun_awal, d.tahun_akhir, d.isi)
    return RpjmdDitetapkanOut(**common, kode_pemda=d.kode_pemda, tahun_awal=d.tahun_awal, tahun_akhir=d.tahun_akhir,
                              pagu_indikatif=plan.pagu_per_tahun(), **dict(d.isi))


def list_rpjmd_ditetapkan(uow, caller: Scope | None, kode_pemda: str, id: str) -> dict:
    """Every enacted version of an RPJMD, oldest first."""
    access.require_read(caller, kode_pemda)
    with uow:
        item = uow.rpjmd.get(kode_pemda, _uuid(id))
        if item is None:
            raise NotFound(f"no RPJMD {id} in pemda {kode_pemda}")
        versions = uow.rpjmd.ditetapkan(item.id)
    return {"items": [_ditetapkan_out(d, when, whole=False) for d, when in versions], "total": len(versions)}


def get_rpjmd_ditetapkan(uow, caller: Scope | None, kode_pemda: str, id: str, revisi: int) -> RpjmdDitetapkanOut:
    """One enacted version, whole, as enacted."""
    access.require_read(caller, kode_pemda)
    with uow:
        item = uow.rpjmd.get(kode_pemda, _uuid(id))
        found = uow.rpjmd.ditetapkan(item.id, revisi) if item is not None else []
    if not found:
        raise NotFound(f"no enacted version {revisi} of RPJMD {id} in pemda {kode_pemda}")
    return _ditetapkan_out(*found[0], whole=True)
