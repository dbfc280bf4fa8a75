"""What referensi answers: look-ups by code, as plain dicts for RPC callers."""
from __future__ import annotations

from sqlalchemy.orm import Session

from sipd_common.errors import NotFound

from . import repository as repo
from .domain import kode as k


def _check(kode: str, check, what: str) -> None:
    try:
        check(kode)
    except k.KodeTidakSah as exc:
        raise NotFound(f"no {what} with code {kode!r}: {exc}") from None


def sub_kegiatan(session: Session, kode: str) -> dict:
    _check(kode, k.tingkat_nomenklatur, "sub kegiatan")
    row = repo.get_nomenklatur(session, kode)
    if row is None or row.tingkat != "sub_kegiatan":
        raise NotFound(f"no sub kegiatan with code {kode!r}")
    kode_kegiatan = row.kode_induk
    kode_program = k.induk_nomenklatur(kode_kegiatan)
    kode_bidang = k.kode_bidang_urusan(kode)
    kode_urusan = k.induk_nomenklatur(kode_bidang)
    names = repo.get_many_nomenklatur(session, [kode_kegiatan, kode_program, kode_bidang, kode_urusan])

    def ref(code: str) -> dict:
        return {"kode": code, "nama": names[code].nama if code in names else None}

    return {
        "kode": row.kode, "nama": row.nama, "kinerja": row.kinerja, "indikator": row.indikator,
        "satuan": row.satuan, "level_pemerintahan": k.level_pemerintahan(kode),
        "kegiatan": ref(kode_kegiatan), "program": ref(kode_program),
        "bidang_urusan": ref(kode_bidang), "urusan": ref(kode_urusan),
    }


def rekening(session: Session, kode: str) -> dict:
    _check(kode, k.tingkat_rekening, "account")
    row = repo.get_rekening(session, kode)
    if row is None:
        raise NotFound(f"no account with code {kode!r}")
    return {"kode": row.kode, "nama": row.nama, "tingkat": row.tingkat, "akun": row.akun, "kode_induk": row.kode_induk}


def pemda(session: Session, kode: str) -> dict:
    _check(kode, k.tingkat_wilayah, "pemda")
    row = repo.get_wilayah(session, kode)
    if row is None or row.tingkat > 2:
        raise NotFound(f"no pemda with code {kode!r}")
    return {
        "kode": row.kode, "nama": row.nama, "jenis": k.jenis_pemda(row.kode, row.nama),
        "kode_provinsi": row.kode.split(".")[0],
    }


def skpd(session: Session, kode_pemda: str, kode: str) -> dict:
    row = repo.get_skpd(session, kode_pemda, kode)
    if row is None:
        raise NotFound(f"no SKPD {kode!r} in pemda {kode_pemda!r}")
    return {"kode_pemda": row.kode_pemda, "kode": row.kode, "nama": row.nama, "bidang_urusan": list(row.bidang_urusan)}
