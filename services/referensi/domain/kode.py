"""Rules of the national codification that follow from the codes themselves.

Permendagri 90/2019: nomenclature codes are dotted, one segment per level,
except that the kegiatan carries two (the level digit, `1` province or `2`
regency/city, and its number); the chart of accounts has six levels, one
segment each; a region code has one segment for a province, two for a
regency/city, three for a district and four for a village.
"""
from __future__ import annotations

import re

NOMENKLATUR_TINGKAT = {1: "urusan", 2: "bidang_urusan", 3: "program", 5: "kegiatan", 6: "sub_kegiatan"}
REKENING_TINGKAT = {1: "akun", 2: "kelompok", 3: "jenis", 4: "objek", 5: "rincian_objek", 6: "sub_rincian_objek"}
WILAYAH_TINGKAT = {1: "provinsi", 2: "kabupaten_kota", 3: "kecamatan", 4: "desa"}
AKUN = {"1": "aset", "2": "kewajiban", "3": "ekuitas", "4": "pendapatan", "5": "belanja", "6": "pembiayaan",
        "7": "pendapatan_lo", "8": "beban"}

_KODE = re.compile(r"^[0-9A-Z]+(\.[0-9A-Z]+)*$")


class KodeTidakSah(ValueError):
    """A code that does not have the shape of its kind."""


def segments(kode: str) -> list[str]:
    if not _KODE.fullmatch(kode or ""):
        raise KodeTidakSah(f"{kode!r} is not a dotted code")
    return kode.split(".")


def tingkat_nomenklatur(kode: str) -> str:
    parts = segments(kode)
    try:
        tingkat = NOMENKLATUR_TINGKAT[len(parts)]
    except KeyError:
        raise KodeTidakSah(f"{kode!r} has {len(parts)} segments; no nomenclature level has that many") from None
    if tingkat in ("kegiatan", "sub_kegiatan") and parts[3] not in ("1", "2"):
        raise KodeTidakSah(f"{kode!r}: the kegiatan level digit must be 1 (province) or 2 (regency/city)")
    return tingkat


def induk_nomenklatur(kode: str) -> str | None:
    parts = segments(kode)
    if len(parts) == 1:
        return None
    # the kegiatan's parent is the program: drop its level digit and number together
    return ".".join(parts[:3] if len(parts) == 5 else parts[:-1])


def kode_bidang_urusan(kode: str) -> str:
    parts = segments(kode)
    if len(parts) < 2:
        raise KodeTidakSah(f"{kode!r} is above the bidang urusan level")
    return ".".join(parts[:2])


def level_pemerintahan(kode_kegiatan_or_sub: str) -> str:
    """'provinsi' or 'kabupaten_kota', from the kegiatan level digit."""
    parts = segments(kode_kegiatan_or_sub)
    if len(parts) < 5 or parts[3] not in ("1", "2"):
        raise KodeTidakSah(f"{kode_kegiatan_or_sub!r} has no kegiatan level digit (1 or 2)")
    return "provinsi" if parts[3] == "1" else "kabupaten_kota"


def tingkat_rekening(kode: str) -> str:
    parts = segments(kode)
    try:
        return REKENING_TINGKAT[len(parts)]
    except KeyError:
        raise KodeTidakSah(f"{kode!r} has {len(parts)} segments; accounts have one to six") from None


def induk(kode: str) -> str | None:
    parts = segments(kode)
    return ".".join(parts[:-1]) if len(parts) > 1 else None


def akun(kode: str) -> str:
    return AKUN.get(segments(kode)[0], "lainnya")


def tingkat_wilayah(kode: str) -> str:
    parts = segments(kode)
    try:
        return WILAYAH_TINGKAT[len(parts)]
    except KeyError:
        raise KodeTidakSah(f"{kode!r} is not a region code") from None


def jenis_pemda(kode: str, nama: str) -> str:
    """'provinsi', 'kabupaten' or 'kota' for a pemda; the name says which for a regency/city."""
    if tingkat_wilayah(kode) == "provinsi":
        return "provinsi"
    if tingkat_wilayah(kode) != "kabupaten_kota":
        raise KodeTidakSah(f"{kode!r} is a district or village, not a pemda")
    return "kota" if nama.lower().startswith("kota") else "kabupaten"


def bersihkan_nama(nama: str) -> str:
    """Names as published carry stray spaces; codes are kept exactly, names are cleaned."""
    return " ".join(nama.split())
