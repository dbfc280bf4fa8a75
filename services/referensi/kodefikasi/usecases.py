"""What referensi answers about its codification: records by code, searches, children, the versions and
the crosswalk, each as its contract (``contracts.referensi``) publishes it.

Every answer is "as of" a version (``versi``) or, by default, the current codification. A code
looked up in the current codification that has been retired is answered with its last state
(``berlaku`` false, ``valid_until`` and ``kode_pengganti`` set), so a caller learns that it was
retired and by what it was replaced, rather than that it never existed.

Reads only: each runs in a unit of work that is never committed.
"""
from __future__ import annotations

from typing import Any, Callable

from contracts.referensi import (
    CrosswalkOut, KodeNama, NomenklaturOut, RekeningOut, SkpdOut, StandarHargaOut, SubKegiatanOut, SumberDanaOut,
    VersiOut, WilayahOut,
)
from sipd_common.errors import Invalid, NotFound

from ..wilayah import domain as wilayah
from . import domain as k

MAX_PER_PAGE = 200
SUB_KEGIATAN_FIELDS = ("kode", "varian", "nama", "kinerja", "indikator", "satuan", "sumber", "lingkup", "spm", "tag", "jenis",
                       "pelaksana", "definisi_operasional", "valid_from", "valid_until", "revisi")
OUT = {"nomenklatur": NomenklaturOut, "rekening": RekeningOut, "sumber_dana": SumberDanaOut, "wilayah": WilayahOut,
       "skpd": SkpdOut, "standar_harga": StandarHargaOut}
# the national lists: how a code of each is checked, and what its record is called
CODE_SHAPES: dict[str, tuple[Callable[[str], Any], str]] = {
    "nomenklatur": (k.tingkat_nomenklatur, "nomenclature record"), "rekening": (k.tingkat_rekening, "account"),
    "sumber_dana": (k.tingkat_sumber_dana, "funding source"), "wilayah": (wilayah.periksa_kode_wilayah, "region")}


# -- shared by the look-ups of every list ------------------------------------------------------------

def as_of(uow, versi: str | None):
    """What a query as of ``versi`` sees; ``Invalid`` naming ``versi`` for a version that does not exist."""
    try:
        return uow.kodefikasi.pada(versi)
    except k.VersiTidakSah as exc:
        raise Invalid.field("versi", str(exc)) from None


def check_code(kode: str, check: Callable[[str], Any], what: str) -> None:
    """A code of the wrong shape is no record of the list: ``NotFound`` saying why."""
    try:
        check(kode)
    except k.KodeTidakSah as exc:
        raise NotFound(f"no {what} with code {kode!r}: {exc}") from None


def lingkup_pemda(lingkup: str | None, kind: str = "nomenklatur") -> str | None:
    """The pemda's level a nomenclature read answers for (``provinsi``, ``kabupaten_kota``; None: no level);
    ``Invalid`` naming ``lingkup`` otherwise, or for a list without lampiran."""
    if lingkup is None:
        return None
    if kind != "nomenklatur":
        raise Invalid.field("lingkup", f"{kind} has no lampiran; only the nomenclature has (provinsi, kabupaten_kota)")
    if lingkup not in ("provinsi", "kabupaten_kota"):
        raise Invalid.field("lingkup", f"{lingkup!r} is no lampiran: provinsi or kabupaten_kota")
    return lingkup


def not_found(message: str, versi: str | None) -> NotFound:
    return NotFound(message + (f" in version {versi}" if versi else ""))


def replacements(daftar, record: dict, kode_pemda: str = "") -> list[str]:
    """A retired record's replacements (the crosswalk); none for a current one."""
    if record["valid_until"] is None:
        return []
    return daftar.pengganti([record["kode"]], kode_pemda).get(record["kode"], [])


RESMI_BUKAN = ("tulisan-tangan", "contoh")  # hand-written to fill a gap of the sources; sample data


def status(record: dict, pengganti: list[str] | None) -> dict:
    sumber = record.get("sumber")
    fields = {"berlaku": record["valid_until"] is None, "kode_pengganti": pengganti or [],
              "dari_daftar_resmi": sumber not in RESMI_BUKAN}
    if "sumber_bidang_urusan" in record:  # an SKPD: its bidang urusan may be named by hand though its code is not
        fields["bidang_urusan_dari_daftar_resmi"] = (
            fields["dari_daftar_resmi"] and record["sumber_bidang_urusan"] not in RESMI_BUKAN)
    return fields


def level_pemerintahan(record: dict) -> str | None:
    """A kegiatan's or sub kegiatan's government level: its level digit (1, 2) or, for the digits of regions
    with special status, the one lampiran that lists it; None above the kegiatan or when both list it."""
    if record["tingkat"] not in ("kegiatan", "sub_kegiatan"):
        return None
    if record["kode"].split(".")[3] in ("1", "2"):
        return k.level_pemerintahan(record["kode"])
    lingkup = record.get("lingkup") or []
    return lingkup[0] if len(lingkup) == 1 else None


def record_out(kind: str, record: dict, pengganti: list[str] | None = None):
    """A stored record in its published shape (``NomenklaturOut``, ``RekeningOut``, …)."""
    fields = {**record, **status(record, pengganti)}
    if kind == "wilayah":
        fields = wilayah.publik(fields)
    elif kind == "nomenklatur":
        fields["level_pemerintahan"] = level_pemerintahan(record)
    elif kind == "rekening":
        fields["laporan"] = k.laporan_rekening(record["kode"])
    return OUT[kind].model_validate(fields)


def page(daftar, rows: list[dict], total: int, shape: Callable[[dict, list[str]], Any] | None = None,
         kode_pemda: str = "") -> dict:
    """A page of records, each with its replacements when retired: ``{"items": [...], "total": n}``."""
    retired = [r["kode"] for r in rows if r["valid_until"] is not None]
    pengganti = daftar.pengganti(retired, kode_pemda) if retired else {}
    shape = shape or (lambda record, p: record_out(daftar.kind, record, p))
    return {"items": [shape(row, pengganti.get(row["kode"], [])) for row in rows], "total": total}


def per_page(limit: int) -> int:
    return min(limit, MAX_PER_PAGE)


# -- look-ups by code ------------------------------------------------------------------------------------

def get_sub_kegiatan(uow, kode: str, versi: str | None = None, lingkup: str | None = None) -> SubKegiatanOut:
    """A sub kegiatan with the names of its kegiatan, program, bidang urusan and urusan; for a pemda of level
    ``lingkup``, the variant (and the names) that level reads."""
    lingkup = lingkup_pemda(lingkup)
    check_code(kode, k.tingkat_nomenklatur, "sub kegiatan")
    with uow:
        pada = as_of(uow, versi)
        daftar = uow.kodefikasi.nomenklatur
        row = daftar.get(kode, pada, lingkup)
        if row is None or row["tingkat"] != "sub_kegiatan":
            raise not_found(f"no sub kegiatan with code {kode!r}", versi)
        kode_kegiatan = row["kode_induk"]
        kode_program = k.induk_nomenklatur(kode_kegiatan)
        kode_bidang = k.kode_bidang_urusan(kode)
        kode_urusan = k.induk_nomenklatur(kode_bidang)
        names = daftar.names([kode_kegiatan, kode_program, kode_bidang, kode_urusan], pada, lingkup)
        pengganti = replacements(daftar, row)

    def ref(code: str) -> KodeNama:
        return KodeNama(kode=code, nama=names.get(code))

    return SubKegiatanOut(
        **{c: row[c] for c in SUB_KEGIATAN_FIELDS}, level_pemerintahan=level_pemerintahan(row),
        kegiatan=ref(kode_kegiatan), program=ref(kode_program), bidang_urusan=ref(kode_bidang), urusan=ref(kode_urusan),
        **status(row, pengganti))


def get_record(uow, kind: str, kode: str, versi: str | None = None, lingkup: str | None = None):
    """One record of a national list (nomenklatur at any level, rekening, sumber_dana, wilayah); of the
    nomenclature, the variant a pemda of level ``lingkup`` reads."""
    lingkup = lingkup_pemda(lingkup, kind)
    check, what = CODE_SHAPES[kind]
    check_code(kode, check, what)
    with uow:
        daftar = uow.daftar(kind)
        row = daftar.get(kode, as_of(uow, versi), lingkup)
        if row is None:
            raise not_found(f"no {what} with code {kode!r}", versi)
        return record_out(kind, row, replacements(daftar, row))


# -- lists ----------------------------------------------------------------------------------------------

def _national(kind: str) -> None:
    if kind not in CODE_SHAPES:
        raise Invalid.field("kind", f"one of {', '.join(CODE_SHAPES)}")


def search(uow, kind: str, q: str | None = None, prefix: str | None = None, tingkat: Any = None,
           versi: str | None = None, offset: int = 0, limit: int = 50, lingkup: str | None = None) -> dict:
    """Search a national list by words (all of them, as word prefixes) and/or by code prefix; the nomenclature
    of one lampiran (``lingkup``: what a pemda of that level reads), or of both (each variant a record)."""
    _national(kind)
    lingkup = lingkup_pemda(lingkup, kind)
    if kind == "wilayah" and tingkat is not None:
        try:
            tingkat = wilayah.nomor_tingkat(tingkat)
        except ValueError as exc:
            raise Invalid.field("tingkat", str(exc)) from None
    with uow:
        daftar = uow.daftar(kind)
        rows, total = daftar.search(as_of(uow, versi), offset, per_page(limit), q=q, prefix=prefix, tingkat=tingkat,
                                    lingkup=lingkup)
        return page(daftar, rows, total)


def list_children(uow, kind: str, kode: str, versi: str | None = None, offset: int = 0, limit: int = 50,
                  lingkup: str | None = None) -> dict:
    """The children of a record: the next level of the tree under it (of the nomenclature, those one lampiran
    lists, ``lingkup``)."""
    _national(kind)
    lingkup = lingkup_pemda(lingkup, kind)
    check, what = CODE_SHAPES[kind]
    check_code(kode, check, what)
    with uow:
        daftar = uow.daftar(kind)
        pada = as_of(uow, versi)
        if daftar.get(kode, pada, lingkup) is None:
            raise not_found(f"no {kind} record with code {kode!r}", versi)
        rows, total = daftar.search(pada, offset, per_page(limit), kode_induk=kode, lingkup=lingkup)
        return page(daftar, rows, total)


def list_versi(uow, offset: int = 0, limit: int = 50) -> dict:
    """The versions (decrees), oldest first; the latest marked."""
    with uow:
        versions = uow.kodefikasi.versions()
    latest = k.terbaru(versions)
    items = [VersiOut(kode=v.kode, judul=v.judul, tanggal=v.tanggal, urutan=v.urutan, jenis=v.jenis, terbaru=v == latest)
             for v in versions]
    return {"items": items[offset:offset + per_page(limit)], "total": len(items)}


def list_crosswalk(uow, kind: str | None = None, kode_lama: str | None = None, kode_baru: str | None = None,
                   versi: str | None = None, offset: int = 0, limit: int = 50) -> dict:
    """Which new code(s) replaced an old code of a national list, and in which version."""
    with uow:
        rows, total = uow.kodefikasi.list_crosswalk(kind, kode_lama, kode_baru, versi, offset, per_page(limit))
    return {"items": [CrosswalkOut.model_validate(r) for r in rows], "total": total}
