"""The variants of a nomenclature code, as the services that keep a replica of referensi's nomenclature read
them (``services/referensi/data/README.md``). Pure.

A code has its record (``varian`` ``umum``) and, where the provincial lampiran gives it other content than the
regency/city one (the 2027 list numbers some codes apart), a provincial variant (``provinsi``) beside it. A
province reads a code's provincial variant where there is one, else its record; a regency/city its record.
"""
from __future__ import annotations

from collections.abc import Set

from .access import is_province

UMUM, PROVINSI, KABUPATEN_KOTA = "umum", "provinsi", "kabupaten_kota"
LEVELS = (PROVINSI, KABUPATEN_KOTA)


def level_pemda(kode_pemda: str) -> str:
    """A pemda's level: ``provinsi`` (its code has no dot, ``32``) or ``kabupaten_kota`` (``32.73``)."""
    return PROVINSI if is_province(kode_pemda) else KABUPATEN_KOTA


def varian_dibaca(kode_pemda: str) -> tuple[str, ...]:
    """The records of a code the pemda reads, its own first (``provinsi`` sorts before ``umum``)."""
    return (PROVINSI, UMUM) if is_province(kode_pemda) else (UMUM,)


def berlaku_untuk(varian: str, kode: str, varian_provinsi: Set[str]) -> frozenset[str]:
    """The levels of pemda that read this record of a code: a provincial variant the provinces; a code's record the
    regencies/cities, and the provinces too unless the code has a current provincial variant (``varian_provinsi``:
    the codes that have; a set, asked once per record of a batch)."""
    if varian == PROVINSI:
        return frozenset({PROVINSI})
    return frozenset({KABUPATEN_KOTA} if kode in varian_provinsi else LEVELS)
