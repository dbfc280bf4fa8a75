"""What referensi answers: look-ups by code, children, searches, as plain dicts for RPC callers.

Every answer is "as of" a version (``versi``) or, by default, the current codification. A code
looked up in the current codification that has been retired is answered with its last state
(``berlaku`` false, ``valid_until`` and ``kode_pengganti`` set), so a caller learns that it was
retired and by what it was replaced, rather than that it never existed.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from sipd_common.errors import Invalid, NotFound

from . import repository as repo
from .domain import kode as k
from .domain import versi as dv

MAX_PER_PAGE = 200


def _check(kode: str, check, what: str) -> None:
    try:
        check(kode)
    except k.KodeTidakSah as exc:
        raise NotFound(f"no {what} with code {kode!r}: {exc}") from None


def pada(session: Session, versi: str | None) -> repo.Pada:
    try:
        return repo.Pada.of(session, versi)
    except dv.VersiTidakSah as exc:
        raise Invalid.field("versi", str(exc)) from None


# -- the public shape of each kind of record ------------------------------------------------------

def data(kind: str, record: Any) -> dict:
    """A stored record (row or dict) in its public shape: its fields and its validity."""
    r = record if isinstance(record, dict) else record._mapping
    out = {c: r[c] for c in repo.STORED[kind]}
    if kind == "wilayah":
        out["tingkat"] = k.WILAYAH_TINGKAT[r["tingkat"]]
    if kind == "standar_harga":
        out["harga"] = str(r["harga"])
    return out


def out(kind: str, record: Any, pengganti: list[str] | None = None) -> dict:
    result = data(kind, record)
    result["berlaku"] = result["valid_until"] is None
    result["kode_pengganti"] = pengganti or []
    if kind == "nomenklatur":
        result["level_pemerintahan"] = (k.level_pemerintahan(result["kode"])
                                        if result["tingkat"] in ("kegiatan", "sub_kegiatan") else None)
    elif kind == "rekening":
        result["laporan"] = k.laporan_rekening(result["kode"])
    return result


def _pengganti(session: Session, kind: str, row, kode_pemda: str = "") -> list[str]:
    if row.valid_until is None:
        return []
    return repo.pengganti(session, kind, [row.kode], kode_pemda).get(row.kode, [])


def _get(session: Session, kind: str, kode: str, versi: str | None, what: str, **scope):
    row = repo.get(session, kind, kode, pada(session, versi), **scope)
    if row is None:
        raise NotFound(f"no {what} with code {kode!r}" + (f" in version {versi}" if versi else ""))
    return row


# -- look-ups by code -------------------------------------------------------------------------------

def sub_kegiatan(session: Session, kode: str, versi: str | None = None) -> dict:
    _check(kode, k.tingkat_nomenklatur, "sub kegiatan")
    as_of = pada(session, versi)
    row = repo.get(session, "nomenklatur", kode, as_of)
    if row is None or row.tingkat != "sub_kegiatan":
        raise NotFound(f"no sub kegiatan with code {kode!r}" + (f" in version {versi}" if versi else ""))
    kode_kegiatan = row.kode_induk
    kode_program = k.induk_nomenklatur(kode_kegiatan)
    kode_bidang = k.kode_bidang_urusan(kode)
    kode_urusan = k.induk_nomenklatur(kode_bidang)
    names = repo.names(session, "nomenklatur", [kode_kegiatan, kode_program, kode_bidang, kode_urusan], as_of)

    def ref(code: str) -> dict:
        return {"kode": code, "nama": names.get(code)}

    return {
        "kode": row.kode, "nama": row.nama, "kinerja": row.kinerja, "indikator": row.indikator,
        "satuan": row.satuan, "level_pemerintahan": k.level_pemerintahan(kode),
        "kegiatan": ref(kode_kegiatan), "program": ref(kode_program),
        "bidang_urusan": ref(kode_bidang), "urusan": ref(kode_urusan),
        "valid_from": row.valid_from, "valid_until": row.valid_until, "revisi": row.revisi,
        "berlaku": row.valid_until is None, "kode_pengganti": _pengganti(session, "nomenklatur", row),
    }


CODE_SHAPES = {"nomenklatur": (k.tingkat_nomenklatur, "nomenclature record"), "rekening": (k.tingkat_rekening, "account"),
               "sumber_dana": (k.tingkat_sumber_dana, "funding source"), "wilayah": (k.periksa_kode_wilayah, "region")}


def by_code(session: Session, kind: str, kode: str, versi: str | None = None) -> dict:
    """One record of a national list (nomenklatur at any level, rekening, sumber_dana, wilayah)."""
    check, what = CODE_SHAPES[kind]
    _check(kode, check, what)
    row = _get(session, kind, kode, versi, what)
    return out(kind, row, _pengganti(session, kind, row))


def _pemda(row, pengganti: list[str]) -> dict:
    return {
        "kode": row.kode, "nama": row.nama, "jenis": k.jenis_pemda(row.kode, row.nama),
        "kode_provinsi": row.kode.split(".")[0], "valid_from": row.valid_from, "valid_until": row.valid_until,
        "revisi": row.revisi, "berlaku": row.valid_until is None, "kode_pengganti": pengganti,
    }


def pemda(session: Session, kode: str, versi: str | None = None) -> dict:
    _check(kode, k.tingkat_wilayah, "pemda")
    row = repo.get(session, "wilayah", kode, pada(session, versi))
    if row is None or row.tingkat > 2:
        raise NotFound(f"no pemda with code {kode!r}" + (f" in version {versi}" if versi else ""))
    return _pemda(row, _pengganti(session, "wilayah", row))


def skpd(session: Session, kode_pemda: str, kode: str, versi: str | None = None) -> dict:
    row = repo.get(session, "skpd", kode, pada(session, versi), kode_pemda=kode_pemda)
    if row is None:
        raise NotFound(f"no SKPD {kode!r} in pemda {kode_pemda!r}" + (f" in version {versi}" if versi else ""))
    return out("skpd", row, _pengganti(session, "skpd", row, kode_pemda))


# -- lists ------------------------------------------------------------------------------------------

def _page(session: Session, kind: str, f: repo.Filter, versi: str | None, offset: int, limit: int,
          shape=None, **scope) -> dict:
    rows, total = repo.search(session, kind, f, pada(session, versi), offset, min(limit, MAX_PER_PAGE), **scope)
    retired = [r.kode for r in rows if r.valid_until is not None]
    pengganti = repo.pengganti(session, kind, retired, scope.get("kode_pemda", "")) if retired else {}
    shape = shape or (lambda row, p: out(kind, row, p))
    return {"items": [shape(row, pengganti.get(row.kode, [])) for row in rows], "total": total}


def _national(kind: str) -> None:
    if kind not in CODE_SHAPES:
        raise Invalid.field("kind", f"one of {', '.join(CODE_SHAPES)}")


def cari(session: Session, kind: str, q: str | None = None, prefix: str | None = None, tingkat: Any = None,
         versi: str | None = None, offset: int = 0, limit: int = 50) -> dict:
    """Search a national list by words (all of them, as word prefixes) and/or by code prefix."""
    _national(kind)
    if kind == "wilayah" and tingkat is not None:
        tingkat = _tingkat_wilayah(tingkat)
    return _page(session, kind, repo.Filter(q=q, prefix=prefix, tingkat=tingkat), versi, offset, limit)


def anak(session: Session, kind: str, kode: str, versi: str | None = None, offset: int = 0, limit: int = 50) -> dict:
    """The children of a record: the next level of the tree under it."""
    _national(kind)
    check, what = CODE_SHAPES[kind]
    _check(kode, check, what)
    if repo.get(session, kind, kode, pada(session, versi)) is None:
        raise NotFound(f"no {kind} record with code {kode!r}" + (f" in version {versi}" if versi else ""))
    return _page(session, kind, repo.Filter(kode_induk=kode), versi, offset, limit)


def _tingkat_wilayah(tingkat: str) -> int:
    for number, name in k.WILAYAH_TINGKAT.items():
        if name == tingkat:
            return number
    raise Invalid.field("tingkat", f"one of {', '.join(k.WILAYAH_TINGKAT.values())}")


def daftar_pemda(session: Session, kode_provinsi: str | None = None, jenis: str | None = None, q: str | None = None,
                 versi: str | None = None, offset: int = 0, limit: int = 50) -> dict:
    """Pemda: the provinces and regencies/cities; of one province (it and its regencies/cities)."""
    t = repo.wilayah
    extra = [t.c.tingkat <= 2]
    if kode_provinsi:
        extra.append((t.c.kode == kode_provinsi) | (t.c.kode_induk == kode_provinsi))
    if jenis == "provinsi":
        extra.append(t.c.tingkat == 1)
    elif jenis in ("kabupaten", "kota"):
        is_kota = t.c.nama.ilike("kota%")  # as k.jenis_pemda decides
        extra += [t.c.tingkat == 2, is_kota if jenis == "kota" else ~is_kota]
    return _page(session, "wilayah", repo.Filter(q=q, extra=tuple(extra)), versi, offset, limit,
                 shape=lambda row, p: _pemda(row, p))


def daftar_skpd(session: Session, kode_pemda: str, q: str | None = None, bidang_urusan: str | None = None,
                versi: str | None = None, offset: int = 0, limit: int = 50) -> dict:
    extra = (repo.skpd.c.bidang_urusan.contains([bidang_urusan]),) if bidang_urusan else ()
    return _page(session, "skpd", repo.Filter(q=q, extra=extra), versi, offset, limit, kode_pemda=kode_pemda)


def daftar_standar_harga(session: Session, kode_pemda: str, tahun: int, kode_rekening: str | None = None,
                         jenis: str | None = None, q: str | None = None, versi: str | None = None,
                         offset: int = 0, limit: int = 50) -> dict:
    t = repo.standar_harga
    extra = []
    if kode_rekening:
        extra.append(t.c.kode_rekening.contains([kode_rekening]))
    if jenis:
        extra.append(t.c.jenis == jenis)
    return _page(session, "standar_harga", repo.Filter(q=q, extra=tuple(extra)), versi, offset, limit,
                 kode_pemda=kode_pemda, tahun=tahun)


def daftar_versi(session: Session, offset: int = 0, limit: int = 50) -> dict:
    rows = repo.list_versions(session)
    latest = rows[-1].kode if rows else None
    items = [{"kode": r.kode, "judul": r.judul, "tanggal": r.tanggal.isoformat(), "urutan": r.urutan,
              "terbaru": r.kode == latest} for r in rows]
    return {"items": items[offset:offset + min(limit, MAX_PER_PAGE)], "total": len(items)}


def daftar_crosswalk(session: Session, kind: str | None = None, kode_lama: str | None = None,
                     kode_baru: str | None = None, versi: str | None = None, offset: int = 0, limit: int = 50) -> dict:
    rows, total = repo.list_crosswalk(session, kind, kode_lama, kode_baru, versi, offset, min(limit, MAX_PER_PAGE))
    return {"items": [{"kind": r.kind, "kode_lama": r.kode_lama, "kode_baru": r.kode_baru, "versi": r.versi}
                      for r in rows], "total": total}
