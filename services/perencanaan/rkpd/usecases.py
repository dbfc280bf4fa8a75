"""The RKPD's use cases: plan, change, delete and read sub kegiatan, their audit trail, and what the
plan does when the codification retires or renames a code it uses.

Every use case takes the worker's ``caller`` and asks the policy first (``..policy``): the pemda, the
role's right to the action, and for an SKPD operator the record's SKPD. A write then passes the year's
schedule (``..jadwal``: only while a stage is open, inside its window). A plan item's codes are checked
against perencanaan's own replica of the codification (``..replika``): a write makes no RPC.
"""
from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal

from pydantic import ValidationError

from contracts.perencanaan import (
    ImporRenjaOut, PerubahanSubKegiatan, RkpdSubKegiatanDeleted, RkpdSubKegiatanSaved, SubKegiatanBaru, SubKegiatanDihapusOut,
    SubKegiatanRkpdOut, SumberDanaPagu,
)
from sipd_common import access, berkas, idempotency
from sipd_common.access import Scope
from sipd_common.varian import LEVELS, level_pemda
from sipd_common.errors import Conflict, Invalid, NotFound
from sipd_common.validation import invalid_from, record_id

from ..jadwal import usecases as jadwal
from ..policy import POLICY, Aksi
from ..replika import usecases as replika
from ..pagu_skpd import usecases as pagu_skpd
from ..renja import domain as format_renja
from ..renja import usecases as renja
from ..renstra.domain import Renstra, periksa_sasaran_tahunan
from ..usulan.domain import ringkas
from .domain import (
    SASARAN, Pelanggaran, SubKegiatanRkpd, keluaran, pemetaan, periksa_kode, periksa_rincian, periksa_sasaran_wajib,
    periksa_tahun,
)

RECORD = "rkpd_sub_kegiatan"
# what a new item takes as given (its output fields default to the codification's: ``keluaran``)
RINCIAN = ("pagu_indikatif_n1", "lokasi", "sumber_dana", "bulan_mulai", "bulan_selesai", "label_prioritas",
           "catatan", "kode_sasaran_renstra")


def _out(item: SubKegiatanRkpd) -> SubKegiatanRkpdOut:
    return SubKegiatanRkpdOut.model_validate(item, from_attributes=True)


def _answering(uow, item: SubKegiatanRkpd) -> SubKegiatanRkpdOut:
    """One item as a read or a write of it answers: with the accepted proposals it answers (``..usulan``)."""
    return _out(item).model_copy(update={"usulan": [ringkas(u) for u in uow.usulan.answering(item.id)]})


def _saved(item: SubKegiatanRkpd) -> RkpdSubKegiatanSaved:
    return RkpdSubKegiatanSaved(
        kode_pemda=item.kode_pemda, tahun=item.tahun, aggregate_id=item.id, aggregate_version=item.version,
        kode_skpd=item.kode_skpd, kode_sub_kegiatan=item.kode_sub_kegiatan, nama_sub_kegiatan=item.nama_sub_kegiatan,
        kode_bidang_urusan=item.kode_bidang_urusan, nama_bidang_urusan=item.nama_bidang_urusan,
        indikator=item.indikator, target=item.target, satuan=item.satuan, pagu_indikatif=item.pagu_indikatif,
        sumber_dana=[SumberDanaPagu.model_validate(d) for d in item.sumber_dana],
        kode_sasaran_renstra=item.kode_sasaran_renstra,
    )


def _audit(uow, action, before: SubKegiatanRkpd | None, after: SubKegiatanRkpd | None) -> None:
    item = after or before
    uow.audit(RECORD, item.id, action, before and _out(before).model_dump(mode="json"),
              after and _out(after).model_dump(mode="json"),
              kode_pemda=item.kode_pemda, tahun=item.tahun, kode_skpd=item.kode_skpd)


def _invalid(errors) -> Invalid:
    return Invalid("; ".join(e.message for e in errors), errors=[{"field": e.field, "message": e.message} for e in errors])


def _uuid(id: str) -> str:
    return record_id(id, "RKPD sub kegiatan")


# -- writes ---------------------------------------------------------------------------------------------

def _lokasi_tak_dikenal(uow, lokasi: dict[str, list[str]], errors: list[Pelanggaran]) -> list[Pelanggaran]:
    """The location codes (``lokasi``: per field prefix, an item's list) that are no current region of the
    replica's (``..replika``), as ``<prefix>lokasi.<i>``: all in one round trip, but a field ``errors``
    already refuses not again."""
    refused = {e.field for e in errors}
    named = [(f"{prefix}lokasi.{i}", kode) for prefix, kodes in lokasi.items() for i, kode in enumerate(kodes)
             if f"{prefix}lokasi.{i}" not in refused]
    return [Pelanggaran(field, message) for field, message in replika.regions_not_held(uow, named)]


def _periksa_sasaran(item: SubKegiatanRkpd, stage, renstra: Callable[[], Renstra | None]) -> list[Pelanggaran]:
    """The Renstra sasaran an item written in ``stage`` (``..jadwal``; None: no schedule) serves: required where
    the decree's stage says so (``domain.periksa_sasaran_wajib``); when given, a sasaran of its SKPD's verified
    Renstra covering the year (``renstra``: that Renstra, read only when needed)."""
    errors = periksa_sasaran_wajib(item, stage and stage.kode, bool(stage and stage.wajib_sasaran))
    if errors or not item.kode_sasaran_renstra:
        return errors
    return periksa_sasaran_tahunan(SASARAN, item.kode_sasaran_renstra, item.kode_skpd, item.tahun, renstra())


def _renstra_of(uow, kode_pemda: str, tahun: int, kode_skpd: str) -> Callable[[], Renstra | None]:
    return lambda: uow.renstra.covering(kode_pemda, kode_skpd, tahun)


def _item_baru(kode_pemda: str, tahun: int, baru: SubKegiatanBaru, pemda: dict | None, skpd: dict | None,
               sub: dict | None) -> tuple[SubKegiatanRkpd | None, list]:
    """A new item from what the planner gives and its codes as the replica holds them (``NotFound``: no such
    pemda), its output defaulting to the codification's; None and what is wrong when it cannot be one."""
    if pemda is None:
        raise NotFound(f"no pemda with code {kode_pemda!r}")
    errors = periksa_kode(pemda, skpd, sub)
    if errors:
        return None, errors
    output, errors = keluaran(baru.model_dump(), sub)
    if errors:
        return None, errors
    item = SubKegiatanRkpd(
        id=str(uuid.uuid4()), kode_pemda=kode_pemda, tahun=tahun, kode_skpd=baru.kode_skpd,
        kode_sub_kegiatan=sub["kode"], nama_sub_kegiatan=sub["nama"],
        kode_bidang_urusan=sub["bidang_urusan"]["kode"], nama_bidang_urusan=sub["bidang_urusan"]["nama"],
        target=baru.target, pagu_indikatif=baru.pagu_indikatif, **output,
        **baru.model_dump(include=set(RINCIAN)),
        revisi_sub_kegiatan=sub.get("revisi", 0), revisi_bidang_urusan=sub["bidang_urusan"].get("revisi", 0),
    )
    return item, periksa_rincian(item)


def create_sub_kegiatan(uow, caller: Scope | None, kode_pemda: str, tahun: int, data: dict,
                        idempotency_key: str | None = None, now: datetime | None = None) -> SubKegiatanRkpdOut:
    """A new item of the year's RKPD; with ``idempotency_key``, once (a repeat answers the first answer)."""
    POLICY.require(caller, Aksi.CREATE_SUB_KEGIATAN, kode_pemda)
    errors = periksa_tahun(tahun)
    if errors:
        raise _invalid(errors[:1])
    try:
        baru = SubKegiatanBaru.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None
    POLICY.require(caller, Aksi.CREATE_SUB_KEGIATAN, kode_pemda, baru.kode_skpd)
    with uow:
        earlier = idempotency.first_answer(uow, caller, idempotency_key, SubKegiatanRkpdOut, "create_sub_kegiatan",
                                           kode_pemda, tahun, baru.model_dump(mode="json"))
        if earlier is not None:
            return earlier
        stage = jadwal.writable_stage(uow, kode_pemda, tahun, now=now)
        renja.require_changeable(uow, kode_pemda, tahun, baru.kode_skpd)
        item, errors = _item_baru(kode_pemda, tahun, baru, *replika.codes_of_plan_item(
            uow, kode_pemda, baru.kode_skpd, baru.kode_sub_kegiatan))
        errors += _lokasi_tak_dikenal(uow, {"": baru.lokasi}, errors)
        if item is not None:
            errors += _periksa_sasaran(item, stage, _renstra_of(uow, kode_pemda, tahun, item.kode_skpd))
        if errors:
            raise _invalid(errors)
        pagu_skpd.require_within(uow, kode_pemda, tahun, item.kode_skpd, item.pagu_indikatif)
        if not uow.rkpd.add(item):
            raise Conflict(f"SKPD {item.kode_skpd} already plans sub kegiatan {item.kode_sub_kegiatan} in {tahun}",
                           errors=[{"field": "kode_sub_kegiatan", "message": "already planned for this SKPD and year"}])
        uow.emit(_saved(item))
        _audit(uow, "create", None, item)
        out = _out(item).model_copy(update={"usulan": []})  # a new item answers no proposal yet
        idempotency.complete(uow, caller, idempotency_key, out)
        uow.commit()
    return out


def _get_for_update(uow, caller: Scope, aksi: Aksi, kode_pemda: str, tahun: int, id: str,
                    expected_version: int | None) -> SubKegiatanRkpd:
    item = uow.rkpd.get(kode_pemda, tahun, id, for_update=True)
    if item is None:
        raise NotFound(f"no RKPD sub kegiatan {id} in {kode_pemda}/{tahun}")
    POLICY.require(caller, aksi, kode_pemda, item.kode_skpd)
    if expected_version is not None and expected_version != item.version:
        raise Conflict(f"RKPD sub kegiatan {id} is at version {item.version}, not {expected_version}",
                       current_version=item.version)
    return item


def update_sub_kegiatan(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str, data: dict,
                        expected_version: int | None = None, now: datetime | None = None) -> SubKegiatanRkpdOut:
    caller = POLICY.require(caller, Aksi.UPDATE_SUB_KEGIATAN, kode_pemda)
    try:
        perubahan = PerubahanSubKegiatan.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc) from None
    with uow:
        item = _get_for_update(uow, caller, Aksi.UPDATE_SUB_KEGIATAN, kode_pemda, tahun, _uuid(id), expected_version)
        stage = jadwal.writable_stage(uow, kode_pemda, tahun, now=now)
        renja.require_changeable(uow, kode_pemda, tahun, item.kode_skpd)
        changed = item.ubah(**perubahan.model_dump(include=perubahan.model_fields_set))
        errors = periksa_rincian(changed) + _periksa_sasaran(changed, stage, _renstra_of(uow, kode_pemda, tahun,
                                                                                           item.kode_skpd))
        if "lokasi" in perubahan.model_fields_set:  # an item's other fields change under the regions it holds
            errors += _lokasi_tak_dikenal(uow, {"": changed.lokasi}, errors)
        if errors:
            raise _invalid(errors)
        if changed.pagu_indikatif != item.pagu_indikatif:
            pagu_skpd.require_within(uow, kode_pemda, tahun, item.kode_skpd, changed.pagu_indikatif, item.id)
        out = _answering(uow, changed)
        if changed is not item:
            uow.rkpd.save(changed)
            uow.emit(_saved(changed))
            _audit(uow, "update", item, changed)
            uow.commit()
    return out


def delete_sub_kegiatan(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str,
                        expected_version: int | None = None, now: datetime | None = None) -> SubKegiatanDihapusOut:
    caller = POLICY.require(caller, Aksi.DELETE_SUB_KEGIATAN, kode_pemda)
    with uow:
        item = _get_for_update(uow, caller, Aksi.DELETE_SUB_KEGIATAN, kode_pemda, tahun, _uuid(id), expected_version)
        jadwal.require_writable(uow, kode_pemda, tahun, now=now)
        renja.require_changeable(uow, kode_pemda, tahun, item.kode_skpd)
        version = item.version + 1
        uow.rkpd.mark_deleted(item, version)
        uow.emit(RkpdSubKegiatanDeleted(
            kode_pemda=kode_pemda, tahun=tahun, aggregate_id=item.id, aggregate_version=version,
            kode_skpd=item.kode_skpd, kode_sub_kegiatan=item.kode_sub_kegiatan,
            kode_bidang_urusan=item.kode_bidang_urusan, pagu_indikatif=item.pagu_indikatif))
        _audit(uow, "delete", item, None)
        uow.commit()
    return SubKegiatanDihapusOut(id=item.id, version=version)


# -- reads ----------------------------------------------------------------------------------------------

def _readable(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str,
              include_deleted: bool = False) -> SubKegiatanRkpd:
    return access.require_readable(
        caller, kode_pemda, lambda: uow.rkpd.get(kode_pemda, tahun, _uuid(id), include_deleted=include_deleted),
        lambda item: item.kode_skpd, f"no RKPD sub kegiatan {id} in {kode_pemda}/{tahun}")


def get_sub_kegiatan(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str) -> SubKegiatanRkpdOut:
    with uow:
        return _answering(uow, _readable(uow, caller, kode_pemda, tahun, id))


def get_sub_kegiatan_audit(uow, caller: Scope | None, kode_pemda: str, tahun: int, id: str, offset: int = 0,
                           limit: int = 50) -> dict:
    """Every write to one item, oldest first; the trail of a deleted item stays readable."""
    with uow:
        item = _readable(uow, caller, kode_pemda, tahun, id, include_deleted=True)
        return uow.trail(RECORD, item.id, offset, limit)


def list_sub_kegiatan(uow, caller: Scope | None, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50,
                      kode_skpd: str | None = None, perlu_pemetaan: bool | None = None) -> dict:
    caller = access.require_read(caller, kode_pemda)
    kode_skpd = access.require_skpd_filter(caller, kode_skpd)
    with uow:
        items, total = uow.rkpd.list_page(kode_pemda, tahun, offset, limit, kode_skpd, perlu_pemetaan)
    return {"items": [_out(i) for i in items], "total": total}


# -- from the codification (called by ``replika`` as its replica changes) -------------------------------

def flag_retired_sub_kegiatan(uow, retired: Iterable[tuple]) -> None:
    """Sub kegiatan the codification retired, as ``(kode, versi, kode_pengganti)``: flag the live items that
    use them, in every pemda and year; rewrite nothing, and flag once per code and version. A fourth member, the
    levels of pemda that read the retired record (``provinsi``, ``kabupaten_kota``: a provincial variant is the
    provinces'), keeps the flags to the items of those pemda."""
    by_kode: dict[tuple[str, str], dict] = {}
    for kode, versi, pengganti, *untuk in retired:
        for level in (untuk[0] if untuk else LEVELS):
            by_kode[(kode, level)] = pemetaan("nomenklatur", kode, versi, pengganti)
    items = [i for i in uow.rkpd.using("kode_sub_kegiatan", {kode for kode, _ in by_kode})
             if (i.kode_sub_kegiatan, level_pemda(i.kode_pemda)) in by_kode]
    _flag(uow, items, lambda item: by_kode[(item.kode_sub_kegiatan, level_pemda(item.kode_pemda))])


def flag_retired_skpd(uow, retired: Iterable[tuple[str, str, str, list[str]]]) -> None:
    """SKPD retired from their pemda, as ``(kode_pemda, kode, versi, kode_pengganti)``: flag that pemda's live
    items of them (once per code and version)."""
    by_key = {(kode_pemda, kode): pemetaan("skpd", kode, versi, pengganti)
              for kode_pemda, kode, versi, pengganti in retired}
    _flag(uow, uow.rkpd.using_skpd(by_key), lambda item: by_key[(item.kode_pemda, item.kode_skpd)])


def _flag(uow, items: list[SubKegiatanRkpd], pemetaan_of) -> None:
    flagged = [after for item in items if (after := item.tandai_pemetaan(pemetaan_of(item))) != item]
    uow.rkpd.save_many(flagged)


def follow_renames(uow, tingkat: str, names: Iterable[tuple]) -> None:
    """The codification's names of sub kegiatan or bidang urusan (``tingkat``), as ``(kode, nama, revisi)``:
    the items holding an older name carry the new one, as a new version, published. A rename older than
    the name an item holds changes nothing; a newer one to the same name only records its revisi. A fourth
    member, the levels of pemda that read the renamed record, keeps the rename to the items of those pemda (a
    provincial variant's name is the provinces')."""
    newest: dict[tuple[str, str], tuple[str, int]] = {}
    for kode, nama, revisi, *untuk in names:
        for level in (untuk[0] if untuk else LEVELS):
            if (kode, level) not in newest or revisi > newest[(kode, level)][1]:
                newest[(kode, level)] = (nama, revisi)
    asked: dict[str, int] = {}
    for (kode, _), (_, revisi) in newest.items():
        asked[kode] = max(revisi, asked.get(kode, 0))
    column = SubKegiatanRkpd.NAMES[tingkat][0]
    changed, published = [], []
    for item in uow.rkpd.named_before(tingkat, asked):
        found = newest.get((getattr(item, column), level_pemda(item.kode_pemda)))
        if found is None:
            continue
        nama, revisi = found
        renamed = item.ganti_nama(tingkat, getattr(item, column), nama, revisi)
        if renamed is not item:
            changed.append(renamed)
            if renamed.version != item.version:
                published.append(_saved(renamed))
    uow.rkpd.save_many(changed)
    uow.emit_many(published)


# -- from a signed berita acara (called by ``..pemetaan`` as it signs) ----------------------------------

def save_mapped(uow, mapped: list[tuple[SubKegiatanRkpd, SubKegiatanRkpd]]) -> None:
    """Items given current codes by a signed berita acara, as ``(before, after)``: saved, published (so the
    ceilings and the reports follow the new codes) and audited. Items may exchange codes among themselves (a
    swap, a chain); an item planned meanwhile under one of the new codes is 409 naming the pairs."""
    if not uow.rkpd.remap_many([after for _, after in mapped]):
        message = "another RKPD item was planned under one of the new codes while signing: edit the draft"
        raise Conflict(message, errors=[{"field": "pasangan", "message": message}])
    uow.emit_many([_saved(after) for _, after in mapped])
    for before, after in mapped:
        _audit(uow, "update", before, after)


# -- the Renja as a spreadsheet: the SKPD's items entered in bulk ---------------------------------------

def import_renja(uow, caller: Scope | None, kode_pemda: str, tahun: int, kode_skpd: str, content: bytes,
                 file_name: str = "", now: datetime | None = None, idempotency_key: str | None = None) -> ImporRenjaOut:
    """Every row of the file (``renja.domain.KOLOM``) a new item of the SKPD, each checked as a single plan item
    is (and against the others: a sub kegiatan once, the SKPD's ceiling); validated whole: one bad row and
    nothing is written, every bad row reported as ``rows.<row>.<column>`` (the header is row 1). With
    ``idempotency_key``, once: the same file again answers the first answer (the file is compared by its SHA-256)."""
    POLICY.require(caller, Aksi.CREATE_SUB_KEGIATAN, kode_pemda, kode_skpd)
    errors = periksa_tahun(tahun)
    if errors:
        raise _invalid(errors)
    rows, errors = _baca_renja(kode_skpd, content, file_name)
    with uow:
        earlier = idempotency.first_answer(uow, caller, idempotency_key, ImporRenjaOut, "import_renja", kode_pemda,
                                           tahun, kode_skpd, hashlib.sha256(content).hexdigest(), file_name)
        if earlier is not None:
            return earlier
        stage = jadwal.writable_stage(uow, kode_pemda, tahun, now=now)
        renja.require_changeable(uow, kode_pemda, tahun, kode_skpd)
        planned = uow.rkpd.planned_codes(kode_pemda, tahun, kode_skpd)
        covering = functools.cache(_renstra_of(uow, kode_pemda, tahun, kode_skpd))  # read once, for every row
        items, seen = [], {}
        pemda, skpd, subs = replika.codes_of_plan_items(uow, kode_pemda, kode_skpd,
                                                        [b.kode_sub_kegiatan for _, b in rows])
        wilayah: dict[int, list[Pelanggaran]] = {}  # every row's locations, read in one round trip
        for e in _lokasi_tak_dikenal(uow, {f"rows.{number}.": b.lokasi for number, b in rows}, []):
            _, number, field = e.field.split(".", 2)
            wilayah.setdefault(int(number), []).append(Pelanggaran(field, e.message))
        for number, baru in rows:
            item, found = _item_baru(kode_pemda, tahun, baru, pemda, skpd, subs[baru.kode_sub_kegiatan])
            if item is not None and item.kode_sub_kegiatan in planned:
                found = [Pelanggaran("kode_sub_kegiatan", f"SKPD {kode_skpd} already plans it in {tahun}")]
            elif item is not None and item.kode_sub_kegiatan in seen:
                found = [Pelanggaran("kode_sub_kegiatan", f"also in row {seen[item.kode_sub_kegiatan]}")]
            if item is not None:
                found = found + _periksa_sasaran(item, stage, covering)
            found = found + [e for e in wilayah.get(number, []) if e.field not in {f.field for f in found}]
            errors += [Pelanggaran(f"rows.{number}.{e.field}", e.message) if e.field != "kode_skpd" else e
                       for e in found]
            if item is not None and not found:
                seen[item.kode_sub_kegiatan] = number
                items.append(item)
        total = sum((i.pagu_indikatif for i in items), Decimal(0))
        if not errors:
            try:
                pagu_skpd.require_within(uow, kode_pemda, tahun, kode_skpd, total)
            except Invalid as exc:
                errors += [Pelanggaran("pagu_indikatif", e["message"]) for e in exc.errors]
        if errors:
            unique = list(dict.fromkeys(errors))
            raise Invalid(f"{len({e.field.split('.')[1] for e in unique if e.field.startswith('rows.')})} rows "
                          f"refused; nothing was imported", errors=[{"field": e.field, "message": e.message}
                                                                    for e in unique])
        stored = uow.rkpd.add_many(items)
        if len(stored) != len(items):  # planned meanwhile by another writer
            late = next(i for i in items if i.id not in stored)
            raise Conflict(f"SKPD {kode_skpd} already plans sub kegiatan {late.kode_sub_kegiatan} in {tahun}",
                           errors=[{"field": "kode_sub_kegiatan", "message": "already planned"}])
        uow.emit_many([_saved(i) for i in items])
        uow.audit_many([(RECORD, i.id, "create", None, _out(i).model_dump(mode="json"),
                         dict(kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd)) for i in items])
        out = ImporRenjaOut(kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd, baris=len(rows),
                            dibuat=len(items), total_pagu_indikatif=total, id=[i.id for i in items])
        idempotency.complete(uow, caller, idempotency_key, out)
        uow.commit()
    return out


def _baca_renja(kode_skpd: str, content: bytes, file_name: str) -> tuple[list[tuple[int, SubKegiatanBaru]], list]:
    """The file's rows as new items of the SKPD, and what cannot be read; a file that cannot be read at all, or
    holds more rows than a Renja has, is ``Invalid`` naming ``file``."""
    try:
        header, cells = berkas.baca(content, file_name)
        columns, errors = format_renja.periksa_header(header)
        rows = []
        for number, values in cells:
            if format_renja.kosong(values):
                continue
            if len(rows) >= format_renja.MAX_BARIS:
                raise berkas.BerkasTidakTerbaca(f"more than {format_renja.MAX_BARIS} rows: a Renja has fewer")
            data, found = format_renja.baris(number, columns, values)
            errors += found
            try:
                rows.append((number, SubKegiatanBaru.model_validate({**data, "kode_skpd": kode_skpd})))
            except ValidationError as exc:
                errors += [Pelanggaran(f"rows.{number}.{'.'.join(map(str, e['loc']))}", e["msg"])
                           for e in exc.errors() if f"rows.{number}.{e['loc'][0]}" not in {x.field for x in found}]
    except berkas.BerkasTidakTerbaca as exc:
        raise Invalid(str(exc), errors=[{"field": "file", "message": str(exc)}]) from None
    if not rows and not errors:
        errors.append(Pelanggaran("file", "no data rows: the header is row 1, the sub kegiatan below it"))
    return rows, errors
