"""Regions and the pemda among them: what a region code is, which regions are pemda. Pure.

A region code has one segment for a province, two for a regency/city, three for a district and
four for a village (Kepmendagri on region codes), with the published widths: 2, 2, 2 and 4 digits.
The provinces and the regencies/cities are the pemda (regional governments); whether a regency/city
is a regency (kabupaten) or a city (kota), its name says.
"""
from __future__ import annotations

import re

from ..kodefikasi.domain import KodeTidakSah, segments

WILAYAH_TINGKAT = {1: "provinsi", 2: "kabupaten_kota", 3: "kecamatan", 4: "desa"}
WILAYAH_LEBAR = (2, 2, 2, 4)  # digits per segment: province, regency/city, district, village
_WILAYAH = re.compile(r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$")
JENIS_PEMDA = ("provinsi", "kabupaten", "kota")


def tingkat_wilayah(kode: str) -> str:
    parts = segments(kode)
    try:
        return WILAYAH_TINGKAT[len(parts)]
    except KeyError:
        raise KodeTidakSah(f"{kode!r} is not a region code") from None


def periksa_kode_wilayah(kode: str) -> int:
    """The level (1-4) of a region code whose segments have the published widths (2, 2, 2, 4 digits)."""
    if not isinstance(kode, str) or not _WILAYAH.fullmatch(kode):
        tingkat_wilayah(kode)  # the same message as for any code of the wrong shape
        raise KodeTidakSah(f"{kode!r}: region codes have segments of {', '.join(map(str, WILAYAH_LEBAR))} digits")
    return kode.count(".") + 1


def nomor_tingkat(nama: str) -> int:
    """The stored level (1-4) of a level's name (``provinsi`` … ``desa``); ValueError naming them otherwise."""
    for number, name in WILAYAH_TINGKAT.items():
        if name == nama:
            return number
    raise ValueError(f"one of {', '.join(WILAYAH_TINGKAT.values())}")


def is_pemda(tingkat: int) -> bool:
    """A province or a regency/city is a pemda; a district or a village is not."""
    return tingkat <= 2


def jenis_pemda(kode: str, nama: str) -> str:
    """'provinsi', 'kabupaten' or 'kota' for a pemda; the name says which for a regency/city."""
    if tingkat_wilayah(kode) == "provinsi":
        return "provinsi"
    if tingkat_wilayah(kode) != "kabupaten_kota":
        raise KodeTidakSah(f"{kode!r} is a district or village, not a pemda")
    return "kota" if nama.lower().startswith("kota") else "kabupaten"


def kode_provinsi(kode: str) -> str:
    """The province a region belongs to: its first segment."""
    return kode.split(".")[0]


def publik(record: dict) -> dict:
    """A stored region in its published shape: its level by its name (``kabupaten_kota``), not its number."""
    tingkat = record.get("tingkat")
    return {**record, "tingkat": WILAYAH_TINGKAT[tingkat]} if isinstance(tingkat, int) else record
