"""Code mapping's use cases: the RKPD items needing mapping, and the berita acara Bappeda drafts (proposed
from them), edits while a draft, and signs — which rewrites the items in the same transaction.

A replacement is checked against perencanaan's replica of the codification (``..replika``), never by RPC;
signing publishes each mapped item (``rkpd.sub_kegiatan.saved``), so keuangan's ceilings and the reports
follow the new codes. The schedule's windows do not apply: the berita acara is the mapping's authority,
and a stage's snapshot keeps the codes it held.
"""
from __future__ import annotations

import uuid
from dataclasses import asdict, replace
from datetime import datetime, timezone

from contracts.perencanaan import (
    BeritaAcaraBaru, BeritaAcaraOut, BeritaAcaraRingkasOut, PasanganKodeOut, PenandatangananBeritaAcara,
    PerubahanBeritaAcara, StatusBeritaAcara,
)
from sipd_common import access, idempotency
from sipd_common.access import Scope
from sipd_common.errors import Conflict, Invalid, NotFound
from sipd_common.validation import record_id

from ..policy import POLICY, Aksi
from ..replika import usecases as replika
from ..rkpd import usecases as rkpd
from ..rkpd.domain import Pelanggaran, SubKegiatanRkpd
from ..rpjmd.usecases import errors_of, invalid, validated
from .domain import (
    BeritaAcara, PasanganKode, SudahDitandatangani, periksa_bentrok, periksa_lengkap, periksa_pasangan, pilih,
    usulkan,
)

RECORD = "berita_acara"


def _uuid(id: str) -> str:
    return record_id(id, "berita acara")


def _pasangan_out(p: PasanganKode) -> PasanganKodeOut:
    return PasanganKodeOut(**asdict(p))


def _ringkas(ba: BeritaAcara) -> BeritaAcaraRingkasOut:
    return BeritaAcaraRingkasOut(id=ba.id, kode_pemda=ba.kode_pemda, tahun=ba.tahun, status=ba.status,
                                 nomor=ba.nomor, nomor_surat=ba.nomor_surat, tanggal=ba.tanggal,
                                 jumlah_pasangan=len(ba.pasangan), version=ba.version)


def _out(ba: BeritaAcara) -> BeritaAcaraOut:
    return BeritaAcaraOut(**_ringkas(ba).model_dump(), perihal=ba.perihal,
                          pasangan=[_pasangan_out(p) for p in ba.pasangan], pihak=list(ba.pihak),
                          dibuat_oleh=ba.dibuat_oleh, ditandatangani_oleh=ba.ditandatangani_oleh,
                          ditandatangani_pada=ba.ditandatangani_pada, hash=ba.hash)


def _audit(uow, action, before: BeritaAcara | None, after: BeritaAcara) -> None:
    uow.audit(RECORD, after.id, action, before and _out(before).model_dump(mode="json"),
              _out(after).model_dump(mode="json"), kode_pemda=after.kode_pemda, tahun=after.tahun)


def _signed(exc: Exception) -> Conflict:
    return Conflict(str(exc), errors=[{"field": "status", "message": str(exc)}])


def _named(uow, kode_pemda: str, pasangan: list[PasanganKode]) -> list[PasanganKode]:
    """The names of the new sub kegiatan as the pemda reads them, from the replica (for whoever reads the pairs)."""
    kodes = sorted({p.kode_sub_kegiatan_baru for p in pasangan if p.kode_sub_kegiatan_baru})
    rows = uow.replika.nomenklatur_many(kode_pemda, kodes) if kodes else {}
    return [replace(p, nama_sub_kegiatan_baru=rows[p.kode_sub_kegiatan_baru]["nama"])
            if p.kode_sub_kegiatan_baru in rows else p for p in pasangan]


def _periksa_kode(uow, kode_pemda: str, pasangan: list[PasanganKode]) -> tuple[list[Pelanggaran], dict[str, dict]]:
    """Every decided pair's new codes against the replica; the new sub kegiatan per item (for signing)."""
    errors, subs = [], {}
    for i, p in enumerate(pasangan):
        if not p.lengkap:
            continue
        pemda, skpd, sub = replika.codes_of_plan_item(uow, kode_pemda, p.kode_skpd_baru, p.kode_sub_kegiatan_baru)
        if pemda is None:
            raise NotFound(f"no pemda with code {kode_pemda!r}")
        found = periksa_pasangan(f"pasangan.{i}", p, pemda, skpd, sub)
        errors += found
        if not found:
            subs[p.rkpd_id] = sub
    return errors, subs


def _lain(uow, kode_pemda: str, tahun: int, pasangan: list[PasanganKode]) -> set[tuple[str, str]]:
    """What the year's other items (not in the pairs) plan: (SKPD, sub kegiatan)."""
    mapped = {p.rkpd_id for p in pasangan}
    return {(i.kode_skpd, i.kode_sub_kegiatan) for i in uow.rkpd.all_of(kode_pemda, tahun) if i.id not in mapped}


def _for_update(uow, kode_pemda: str, id: str, expected_version: int | None) -> BeritaAcara:
    ba = uow.pemetaan.get(kode_pemda, _uuid(id), for_update=True)
    if ba is None:
        raise NotFound(f"no berita acara {id} in pemda {kode_pemda}")
    if ba.status == StatusBeritaAcara.DITANDATANGANI:
        raise _signed(SudahDitandatangani(f"berita acara {ba.nomor_surat} is signed: it never changes"))
    if expected_version is not None and expected_version != ba.version:
        raise Conflict(f"berita acara {id} is at version {ba.version}, not {expected_version}",
                       current_version=ba.version)
    return ba


# -- writes ---------------------------------------------------------------------------------------------

def create_berita_acara(uow, caller: Scope | None, kode_pemda: str, data: dict,
                        idempotency_key: str | None = None) -> BeritaAcaraOut:
    """A draft of the year: every item needing mapping, each proposed the crosswalk's replacement where it gives
    exactly one (its current codes stay as they are). With ``idempotency_key``, once (a repeat answers the first
    answer)."""
    caller = POLICY.require(caller, Aksi.PETAKAN_KODE, kode_pemda)
    baru = validated(BeritaAcaraBaru, data)
    with uow:
        earlier = idempotency.first_answer(uow, caller, idempotency_key, BeritaAcaraOut, "create_berita_acara",
                                           kode_pemda, baru.model_dump(mode="json"))
        if earlier is not None:
            return earlier
        items = uow.rkpd.flagged(kode_pemda, baru.tahun)
        if not items:
            raise Invalid(f"no RKPD item of {kode_pemda}/{baru.tahun} needs mapping",
                          errors=[{"field": "tahun", "message": "no RKPD item of this year needs mapping"}])
        ba = BeritaAcara(id=str(uuid.uuid4()), kode_pemda=kode_pemda, tahun=baru.tahun, perihal=baru.perihal,
                         pasangan=tuple(_named(uow, kode_pemda, [usulkan(i) for i in items])),
                         dibuat_oleh=caller.username)
        uow.pemetaan.add(ba)
        _audit(uow, "create", None, ba)
        out = _out(ba)
        idempotency.complete(uow, caller, idempotency_key, out)
        uow.commit()
    return out


def update_berita_acara(uow, caller: Scope | None, kode_pemda: str, id: str, data: dict,
                        expected_version: int | None = None) -> BeritaAcaraOut:
    """A draft's pairs, whole: each a flagged item of the year (once), its new codes allowed by the replica."""
    POLICY.require(caller, Aksi.PETAKAN_KODE, kode_pemda)
    perubahan = validated(PerubahanBeritaAcara, data)
    with uow:
        ba = _for_update(uow, kode_pemda, id, expected_version)
        flagged = {i.id: i for i in uow.rkpd.flagged(kode_pemda, ba.tahun)}
        errors, seen = [], set()
        for i, p in enumerate(perubahan.pasangan):
            if p.rkpd_id.lower() in seen:
                errors.append(Pelanggaran(f"pasangan.{i}.rkpd_id", "each item is listed once"))
            elif p.rkpd_id.lower() not in flagged:
                errors.append(Pelanggaran(f"pasangan.{i}.rkpd_id",
                                          f"no RKPD item {p.rkpd_id} of {ba.tahun} needs mapping"))
            seen.add(p.rkpd_id.lower())
        if errors:
            raise invalid(errors)
        pasangan = [pilih(usulkan(flagged[p.rkpd_id.lower()]), p.kode_skpd_baru, p.kode_sub_kegiatan_baru)
                    for p in perubahan.pasangan]
        errors, _ = _periksa_kode(uow, kode_pemda, pasangan)
        errors += periksa_bentrok(pasangan, _lain(uow, kode_pemda, ba.tahun, pasangan))
        if errors:
            raise invalid(errors)
        changed = ba.ubah(_named(uow, kode_pemda, pasangan), perubahan.perihal)
        uow.pemetaan.save(changed)
        _audit(uow, "update", ba, changed)
        uow.commit()
    return _out(changed)


def sign_berita_acara(uow, caller: Scope | None, kode_pemda: str, id: str, data: dict,
                      expected_version: int | None = None, now: datetime | None = None) -> BeritaAcaraOut:
    """Signed: numbered (per pemda and year, no gaps), dated, who agreed, content-hashed, never changed again;
    in the same transaction each item takes its new codes (flag cleared, a new version, published)."""
    caller = POLICY.require(caller, Aksi.PETAKAN_KODE, kode_pemda)
    body = validated(PenandatangananBeritaAcara, data)
    now = now or datetime.now(timezone.utc)
    with uow:
        ba = _for_update(uow, kode_pemda, id, expected_version)
        items: dict[str, SubKegiatanRkpd] = {i.id: i for i in uow.rkpd.flagged(kode_pemda, ba.tahun, for_update=True)}
        pasangan = list(ba.pasangan)
        stale = [Pelanggaran(f"pasangan.{i}.rkpd_id", f"RKPD item {p.rkpd_id} no longer needs this mapping (mapped, "
                                                      "changed or deleted since the draft): edit the draft")
                 for i, p in enumerate(pasangan)
                 if (item := items.get(p.rkpd_id)) is None
                 or (item.kode_skpd, item.kode_sub_kegiatan) != (p.kode_skpd, p.kode_sub_kegiatan)]
        if stale:
            raise Conflict("; ".join(e.message for e in stale), errors=errors_of(stale))
        errors = periksa_lengkap(pasangan)
        found, subs = _periksa_kode(uow, kode_pemda, pasangan)
        errors += found + periksa_bentrok(pasangan, _lain(uow, kode_pemda, ba.tahun, pasangan))
        if errors:
            raise invalid(errors)
        signed = ba.tandatangani(uow.pemetaan.nomor_berikutnya(kode_pemda, ba.tahun), body.tanggal or now.date(),
                                 [p.model_dump(mode="json", exclude_none=True) for p in body.pihak],
                                 caller.username, now)
        uow.pemetaan.save(signed)
        _audit(uow, "update", ba, signed)
        rkpd.save_mapped(uow, [(items[p.rkpd_id], items[p.rkpd_id].petakan(p.kode_skpd_baru, subs[p.rkpd_id]))
                               for p in pasangan])
        uow.commit()
    return _out(signed)


# -- reads ----------------------------------------------------------------------------------------------

def list_perlu_pemetaan(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0,
                        limit: int = 50) -> dict:
    """The year's items needing mapping, each with the pair a draft would propose (an SKPD operator: its own)."""
    caller = access.require_read(caller, kode_pemda)
    with uow:
        items = [i for i in uow.rkpd.flagged(kode_pemda, tahun)
                 if caller.skpd_filter is None or i.kode_skpd == caller.skpd_filter]
        page = _named(uow, kode_pemda, [usulkan(i) for i in items[offset:offset + limit]])
    return {"items": [_pasangan_out(p) for p in page], "total": len(items)}


def get_berita_acara(uow, caller: Scope | None, kode_pemda: str, id: str) -> BeritaAcaraOut:
    access.require_read(caller, kode_pemda)
    with uow:
        ba = uow.pemetaan.get(kode_pemda, _uuid(id))
    if ba is None:
        raise NotFound(f"no berita acara {id} in pemda {kode_pemda}")
    return _out(ba)


def list_berita_acara(uow, caller: Scope | None, kode_pemda: str, tahun: int | None = None, offset: int = 0,
                      limit: int = 50) -> dict:
    access.require_read(caller, kode_pemda)
    with uow:
        rows, total = uow.pemetaan.list_page(kode_pemda, tahun, offset, limit)
    return {"items": [_ringkas(b) for b in rows], "total": total}
