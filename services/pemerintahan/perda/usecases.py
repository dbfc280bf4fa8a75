"""The register of regional regulations: entered as drafts, moved step by step by the level that takes
each step, signed PDFs attached, read by the pemda and the levels above it; promulgated ones by anyone.

The APBD's Perda and Perkada, and the APBD-P's, come enacted from keuangan (``register_perda_apbd``) and join the
same register at ``ditetapkan``: the pemda promulgates them as any other.

What becomes public is published (``_terbit``), in the change's transaction: ``perda.ditetapkan`` once a regulation
is enacted (stepped or registered so), ``perda.diundangkan`` once promulgated, ``perda.lampiran.ditambahkan`` for a
signed PDF attached to an enacted one.
"""
from __future__ import annotations

import base64
import binascii
import os
import uuid
from dataclasses import replace
from datetime import datetime, timezone

from pydantic import ValidationError

from contracts.keuangan import ApbdDitetapkan, ApbdPerubahanDitetapkan
from contracts.pemerintahan import (
    LampiranIsiOut, LampiranOut, LampiranPerdaDitambahkan, PerdaApbd, PerdaBaru, PerdaDitetapkan, PerdaDiundangkan,
    PerdaLangkah, PerdaOut,
)
from sipd_common import access, idempotency
from sipd_common.access import Scope, province_of
from sipd_common.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from sipd_common.validation import invalid_from, record_id

from ..policy import POLICY, Aksi
from .domain import Ditolak, Jenis, Pelaku, Perda, Status, format_noreg, periksa_lampiran

PERDA = "perda"  # the record type of the audit trail
# The largest signed PDF accepted (bytes); the gateway's route limit for the upload follows the same setting.
LAMPIRAN_MAX_BYTES = int(os.environ.get("SIPD_LAMPIRAN_MAX_BYTES") or 10 * 1024 * 1024)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _error(refused: Ditolak) -> DomainError:
    errors = [{"field": refused.field, "message": refused.message}]
    if refused.terlarang:
        return Forbidden(refused.message, errors=errors)
    if refused.konflik:
        return Conflict(refused.message, errors=errors)
    return Invalid(refused.message, errors=errors)


def _out(uow, item: Perda) -> PerdaOut:
    step = item.berikut
    return PerdaOut.model_validate({
        **{k: getattr(item, k) for k in ("id", "kode_pemda", "tahun", "kategori", "judul", "noreg", "nomor",
                                         "tanggal_penetapan", "nomor_pengundangan", "tanggal_pengundangan",
                                         "sumber", "version")},
        "jenis": str(item.jenis), "status": str(item.status), "riwayat": list(item.riwayat),
        "tahap_berikut": str(step.ke) if step else None, "pelaku_berikut": str(step.pelaku) if step else None,
        "lampiran": uow.perda.lampiran_of(item.id)})


def _audit(uow, action: str, before: PerdaOut | None, after: PerdaOut) -> None:
    uow.audit(PERDA, after.id, action, before.model_dump(mode="json") if before else None,
              after.model_dump(mode="json"), kode_pemda=after.kode_pemda, tahun=after.tahun)


def _terbit(uow, item: Perda) -> None:
    """The event of a regulation that became public (enacted) or completed its path (promulgated); none for the
    steps before, which only the pemda and the levels above read."""
    envelope = {"kode_pemda": item.kode_pemda, "tahun": item.tahun, "aggregate_id": item.id,
                "aggregate_version": item.version, "jenis": str(item.jenis), "kategori": item.kategori,
                "judul": item.judul, "noreg": item.noreg, "nomor": item.nomor,
                "tanggal_penetapan": item.tanggal_penetapan}
    if item.status is Status.DITETAPKAN:
        uow.emit(PerdaDitetapkan(**envelope, sumber=item.sumber))
    elif item.status is Status.DIUNDANGKAN:
        uow.emit(PerdaDiundangkan(**envelope, nomor_pengundangan=item.nomor_pengundangan,
                                  tanggal_pengundangan=item.tanggal_pengundangan))


def _parse(model, data: dict):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None


def _readable(uow, caller: Scope | None, kode_pemda: str, id: str) -> Perda:
    access.require_read(caller, kode_pemda)
    item = uow.perda.get(kode_pemda, record_id(id, "regulation"))
    if item is None:
        raise NotFound(f"no regulation {id} in {kode_pemda}")
    return item


def create_perda(uow, caller: Scope | None, kode_pemda: str, data: dict,
                 idempotency_key: str | None = None) -> PerdaOut:
    """A draft in the register; with ``idempotency_key``, once (a repeat answers the first answer)."""
    caller = POLICY.require(caller, Aksi.CREATE_PERDA, kode_pemda)
    baru = _parse(PerdaBaru, data)
    if baru.jenis == "perkada" and baru.kategori not in ("umum", "apbd", "perubahan_apbd"):
        raise Invalid.field("kategori", "a Perkada is `umum`, or the APBD's elaboration (`apbd`, `perubahan_apbd`)")
    item = Perda(id=str(uuid.uuid4()), kode_pemda=kode_pemda, tahun=baru.tahun, jenis=Jenis(baru.jenis),
                 kategori=baru.kategori, judul=baru.judul,
                 riwayat=({"tahap": "draft", "pada": _now(), "oleh": caller.username, "peran": str(caller.role),
                           "catatan": None},))
    with uow:
        earlier = idempotency.first_answer(uow, caller, idempotency_key, PerdaOut, "create_perda", kode_pemda,
                                           baru.model_dump(mode="json"))
        if earlier is not None:
            return earlier
        uow.perda.add(item)
        out = _out(uow, item)
        _audit(uow, "create", None, out)
        idempotency.complete(uow, caller, idempotency_key, out)
        uow.commit()
    return out


def step_perda(uow, caller: Scope | None, kode_pemda: str, id: str, data: dict,
               expected_version: int | None = None) -> PerdaOut:
    """The next step of the regulation's path, by the level that takes it (``perda/domain.py``): out of
    order 409, by the wrong level or role 403, each naming ``tahap``; nothing changes."""
    caller = access.require_read(caller, kode_pemda)
    langkah = _parse(PerdaLangkah, data)
    with uow:
        item = uow.perda.get(kode_pemda, record_id(id, "regulation"), for_update=True)
        if item is None:
            raise NotFound(f"no regulation {id} in {kode_pemda}")
        if expected_version is not None and expected_version != item.version:
            raise Conflict(f"the regulation is at version {item.version}, not {expected_version}",
                           errors=[{"field": "If-Match", "message": "changed since read"}])
        ke = Status(langkah.tahap)
        step = item.berikut
        if step is not None and step.ke is ke and step.pelaku is Pelaku.PEMDA:
            aksi = Aksi.APPROVE_PERDA if ke is Status.PERSETUJUAN_BERSAMA else Aksi.STEP_PERDA
            reason = POLICY.refusal(caller, aksi, kode_pemda)
            if reason is not None:
                raise Forbidden(reason, errors=[{"field": "tahap", "message": reason}])
        try:
            changed = item.lanjut(ke, caller, _now(), catatan=langkah.catatan, nomor=langkah.nomor,
                                  tanggal=langkah.tanggal)
            if ke is Status.NOREG:
                nomor = uow.perda.next_noreg(province_of(kode_pemda), item.tahun)
                changed = replace(changed, noreg=format_noreg(kode_pemda, nomor, item.tahun))
        except Ditolak as refused:
            raise _error(refused) from None
        before = _out(uow, item)
        uow.perda.save(changed)
        out = _out(uow, changed)
        _audit(uow, "update", before, out)
        _terbit(uow, changed)
        uow.commit()
    return out


def attach_perda(uow, caller: Scope | None, kode_pemda: str, id: str, nama_file: str, isi_base64: str,
                 idempotency_key: str | None = None) -> PerdaOut:
    """A signed PDF stored with its SHA-256; refused (naming ``file``) when over the limit or not a PDF.
    Attachments are added, never replaced; a promulgated regulation takes none. With ``idempotency_key``, once
    (a repeat answers the first answer)."""
    caller = POLICY.require(caller, Aksi.ATTACH_PERDA, kode_pemda)
    try:
        isi = base64.b64decode(isi_base64, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid.field("file", "not base64") from None
    try:
        sha256 = periksa_lampiran(isi, LAMPIRAN_MAX_BYTES)
    except Ditolak as refused:
        raise _error(refused) from None
    with uow:
        earlier = idempotency.first_answer(uow, caller, idempotency_key, PerdaOut, "attach_perda", kode_pemda,
                                           id.lower(), sha256, nama_file)
        if earlier is not None:
            return earlier
        item = uow.perda.get(kode_pemda, record_id(id, "regulation"), for_update=True)
        if item is None:
            raise NotFound(f"no regulation {id} in {kode_pemda}")
        if item.status is Status.DIUNDANGKAN:
            raise Conflict("a promulgated regulation never changes", errors=[{"field": "status", "message": "diundangkan"}])
        before = _out(uow, item)
        nama = (nama_file or "").replace("\x00", "")[:255] or "lampiran.pdf"  # PostgreSQL text holds no NUL
        lampiran_id = str(uuid.uuid4())
        uow.perda.add_lampiran({"id": lampiran_id, "perda_id": item.id, "nama_file": nama, "ukuran": len(isi),
                                "sha256": sha256, "isi": isi, "diunggah_oleh": caller.username})
        changed = replace(item, version=item.version + 1)
        uow.perda.save(changed)
        out = _out(uow, changed)
        _audit(uow, "update", before, out)
        if changed.publik:
            uow.emit(LampiranPerdaDitambahkan(
                kode_pemda=changed.kode_pemda, tahun=changed.tahun, aggregate_id=changed.id,
                aggregate_version=changed.version, lampiran_id=lampiran_id, nama_file=nama, ukuran=len(isi),
                sha256=sha256))
        idempotency.complete(uow, caller, idempotency_key, out)
        uow.commit()
    return out


def _isi(row: dict | None, what: str) -> LampiranIsiOut:
    if row is None:
        raise NotFound(f"no attachment {what}")
    return LampiranIsiOut(**{k: row[k] for k in LampiranOut.model_fields}, isi=base64.b64encode(row["isi"]).decode())


def get_lampiran(uow, caller: Scope | None, kode_pemda: str, id: str, lampiran_id: str) -> LampiranIsiOut:
    with uow:
        item = _readable(uow, caller, kode_pemda, id)
        return _isi(uow.perda.lampiran(item.id, record_id(lampiran_id, "attachment")), lampiran_id)


def get_perda(uow, caller: Scope | None, kode_pemda: str, id: str) -> PerdaOut:
    with uow:
        return _out(uow, _readable(uow, caller, kode_pemda, id))


def perda_audit(uow, caller: Scope | None, kode_pemda: str, id: str, offset: int = 0, limit: int = 50) -> dict:
    with uow:
        item = _readable(uow, caller, kode_pemda, id)
        return uow.trail(PERDA, item.id, offset, limit)


def list_perda(uow, caller: Scope | None, kode_pemda: str, offset: int = 0, limit: int = 50, tahun: int | None = None,
               status: str | None = None) -> dict:
    access.require_read(caller, kode_pemda)
    with uow:
        rows, total = uow.perda.list_page(kode_pemda, offset, limit, tahun=tahun, status=status)
        return {"items": [_out(uow, r) for r in rows], "total": total}


# -- the public: enacted regulations only -------------------------------------------------------------------
PUBLIK = (str(Status.DITETAPKAN), str(Status.DIUNDANGKAN))


def list_perda_publik(uow, offset: int = 0, limit: int = 50, kode_pemda: str | None = None,
                      tahun: int | None = None) -> dict:
    with uow:
        rows, total = uow.perda.list_page(kode_pemda, offset, limit, tahun=tahun, status=PUBLIK)
        return {"items": [_out(uow, r) for r in rows], "total": total}


def _publik(uow, id: str) -> Perda:
    item = uow.perda.get(None, record_id(id, "regulation"))
    if item is None or not item.publik:  # one not yet enacted is, to the public, not there
        raise NotFound(f"no enacted regulation {id}")
    return item


def get_perda_publik(uow, id: str) -> PerdaOut:
    with uow:
        return _out(uow, _publik(uow, id))


def get_lampiran_publik(uow, id: str, lampiran_id: str) -> LampiranIsiOut:
    with uow:
        item = _publik(uow, id)
        return _isi(uow.perda.lampiran(item.id, record_id(lampiran_id, "attachment")), lampiran_id)


# -- the APBD's regulations (and the APBD-P's), from keuangan's enactment -------------------------------------
def register_perda_apbd(uow, data: PerdaApbd) -> PerdaOut | None:
    """The APBD's (or the APBD-P's) Perda / Perkada, enacted in keuangan, entered at ``ditetapkan`` — once per
    ``sumber_id`` (None when registered already). A Perda enacted without a noreg gets the next of its province's
    year here, as the register would have given it (the number and the Perda commit together, so no gap).
    The system's (an event handler's): the caller's transaction, committed with its inbox record."""
    apbd = "APBD-P" if data.kategori == "perubahan_apbd" else "APBD"
    riwayat = ({"tahap": "ditetapkan", "pada": _now(), "oleh": "system", "peran": None,
                "catatan": f"registered from keuangan's enactment of the {apbd} {data.tahun}"},)
    item = Perda(id=str(uuid.uuid4()), kode_pemda=data.kode_pemda, tahun=data.tahun, jenis=Jenis(data.jenis),
                 kategori=data.kategori, judul=data.judul, status=Status.DITETAPKAN, noreg=data.noreg,
                 nomor=data.nomor, tanggal_penetapan=data.tanggal_penetapan, riwayat=riwayat,
                 sumber=f"keuangan.{apbd.lower().replace('-', '_')}")
    if uow.perda.exists(data.sumber_id):
        return None
    if item.jenis is Jenis.PERDA and not item.noreg:
        item = replace(item, noreg=format_noreg(item.kode_pemda, uow.perda.next_noreg(
            province_of(item.kode_pemda), item.tahun), item.tahun))
    uow.perda.add(item, sumber_id=data.sumber_id)
    out = _out(uow, item)
    _audit(uow, "create", None, out)
    _terbit(uow, item)
    return out


def apply_apbd_ditetapkan(uow, event: ApbdDitetapkan | ApbdPerubahanDitetapkan) -> None:
    """keuangan enacted an APBD, or its APBD-P (``apbd.perubahan.ditetapkan``): its Perda and Perkada penjabaran
    join the register (the APBD-P's as ``perubahan_apbd``). Keyed by the budget and its version, so a replay of the
    same enactment registers nothing twice."""
    perubahan = isinstance(event, ApbdPerubahanDitetapkan)
    apbd, kategori = ("Perubahan APBD", "perubahan_apbd") if perubahan else ("APBD", "apbd")
    where = f"{'apbd-p' if perubahan else 'apbd'}:{event.aggregate_id}:v{event.aggregate_version}"
    for jenis, nomor, tanggal, judul in (
            ("perda", event.nomor_perda, event.tanggal_perda,
             f"Peraturan Daerah tentang {apbd} Tahun Anggaran {event.tahun}"),
            ("perkada", event.nomor_perkada, event.tanggal_perkada,
             f"Peraturan Kepala Daerah tentang Penjabaran {apbd} Tahun Anggaran {event.tahun}")):
        register_perda_apbd(uow, PerdaApbd(kode_pemda=event.kode_pemda, tahun=event.tahun, jenis=jenis,
                                           kategori=kategori, judul=judul, nomor=nomor, tanggal_penetapan=tanggal,
                                           sumber_id=f"{where}:{jenis}"))
