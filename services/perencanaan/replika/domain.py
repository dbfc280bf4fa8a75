"""What perencanaan keeps of the national codification, and what it reads there.

perencanaan checks a plan item's codes against its own replica of three of referensi's lists, kept
by their change events and repaired from referensi's snapshot (``sipd_common.replica``):

- ``nomenklatur``: every level (urusan to sub kegiatan): a plan item names a sub kegiatan and carries
  its bidang urusan; the planning issue's programs and kegiatan are there too;
- ``skpd``: the SKPD of every pemda, with the bidang urusan each serves;
- ``wilayah``: every region: the pemda (provinces and regencies/cities) in one table, the districts
  (kecamatan) and villages (desa/kelurahan) a plan item or a proposal is located in in another
  (``wilayah_bawah``: a location code is checked against it).

Per record the replica holds the latest state referensi published: its fields, its validity
(``valid_from``, ``valid_until``, ``revisi``), whether it is current (``berlaku``) and, once
retired, what replaces it (``kode_pengganti``). Pure: records arrive as change items (the events'
or the snapshot pages'), and leave as plain dicts in the shape the RKPD rules read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LISTS = ("nomenklatur", "skpd", "wilayah")  # referensi's lists perencanaan keeps
PEMDA = ("provinsi", "kabupaten_kota")  # the levels of wilayah that are a pemda
# of the nomenclature, a code's record and its provincial variant (``varian``; which a pemda reads: sipd_common.varian)
KEYS = {"nomenklatur": ("kode", "varian"), "skpd": ("kode_pemda", "kode"), "wilayah": ("kode",),
        "wilayah_bawah": ("kode",)}  # wilayah_bawah: the districts and villages of ``wilayah`` (a table, no stream)
WHAT = {"nomenklatur": "nomenclature", "skpd": "SKPD", "wilayah": "region"}


def _berlaku(item: Any) -> dict:
    retired = item.aksi == "retired"
    return {"valid_from": item.valid_from, "valid_until": item.valid_until, "revisi": item.revisi,
            "berlaku": not retired, "kode_pengganti": list(item.kode_pengganti) if retired else []}


def baris_nomenklatur(item: Any) -> dict:
    return {"kode": item.kode, "varian": item.varian, "tingkat": item.tingkat, "nama": item.nama,
            "kode_induk": item.kode_induk, "kinerja": item.kinerja, "indikator": item.indikator, "satuan": item.satuan,
            "lingkup": list(item.lingkup) if item.lingkup is not None else None, **_berlaku(item)}


def baris_skpd(item: Any) -> dict:
    return {"kode_pemda": item.kode_pemda, "kode": item.kode, "nama": item.nama,
            "bidang_urusan": list(item.bidang_urusan), **_berlaku(item)}


def adalah_pemda(item: Any) -> bool:
    return item.tingkat in PEMDA


def baris_pemda(item: Any) -> dict:
    return {"kode": item.kode, "nama": item.nama, "provinsi": item.tingkat == "provinsi", **_berlaku(item)}


def baris_wilayah_bawah(item: Any) -> dict:
    """A district (kecamatan) or village (desa/kelurahan): what a location code is checked against."""
    return {"kode": item.kode, "tingkat": item.tingkat, "nama": item.nama, "kode_induk": item.kode_induk,
            **_berlaku(item)}


def periksa_wilayah(named: list[tuple[str, str]], held: dict[str, bool]) -> list[tuple[str, str]]:
    """Of the region codes named, as ``(field, kode)``, those the replica does not hold (``held``: kode →
    current), or holds retired: ``(field, message)``."""
    errors = []
    for field_, kode in named:
        if kode not in held:
            errors.append((field_, f"no region with code {kode} in the codification"))
        elif not held[kode]:
            errors.append((field_, f"region {kode} was retired from the codification"))
    return errors


def key_of(kind: str, row: dict) -> tuple:
    return tuple(row[k] for k in KEYS[kind])


def terbaru(kind: str, rows: list[dict]) -> list[dict]:
    """One row per record, the one with the highest ``revisi``, in key order."""
    latest: dict[tuple, dict] = {}
    for row in rows:
        key = key_of(kind, row)
        if key not in latest or row["revisi"] > latest[key]["revisi"]:
            latest[key] = row
    return [latest[k] for k in sorted(latest)]


# -- codes, read from their shape (Permendagri 90/2019) ---------------------------------------------------

def kode_bidang_urusan(kode: str) -> str | None:
    """``1.01.02.2.01.0001`` belongs to bidang urusan ``1.01``; None for a code above that level."""
    parts = kode.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else None


def level_pemerintahan(kode: str, lingkup: list[str] | None = None) -> str | None:
    """'provinsi' or 'kabupaten_kota' for a kegiatan or sub kegiatan, from its level digit; for the digits of
    regions with special status (3 to 8), the one lampiran that lists it (``lingkup``), None when both do."""
    parts = kode.split(".")
    if len(parts) < 5:
        return None
    by_digit = {"1": "provinsi", "2": "kabupaten_kota"}.get(parts[3])
    if by_digit is not None:
        return by_digit
    return lingkup[0] if lingkup and len(lingkup) == 1 else None


def jenis_pemda(pemda: dict) -> str:
    """'provinsi', 'kabupaten' or 'kota': a regency/city is a city when its name says so."""
    if pemda["provinsi"]:
        return "provinsi"
    return "kota" if pemda["nama"].lower().startswith("kota") else "kabupaten"


# -- what the RKPD rules read -----------------------------------------------------------------------------

def _status(row: dict) -> dict:
    return {"valid_from": row["valid_from"], "valid_until": row["valid_until"], "revisi": row["revisi"],
            "berlaku": row["berlaku"], "kode_pengganti": list(row["kode_pengganti"])}


def pemda(row: dict) -> dict:
    return {"kode": row["kode"], "nama": row["nama"], "jenis": jenis_pemda(row), **_status(row)}


def skpd(row: dict) -> dict:
    return {"kode_pemda": row["kode_pemda"], "kode": row["kode"], "nama": row["nama"],
            "bidang_urusan": list(row["bidang_urusan"]), **_status(row)}


def sub_kegiatan(row: dict, bidang_urusan: dict) -> dict:
    return {"kode": row["kode"], "nama": row["nama"], "kinerja": row["kinerja"], "indikator": row["indikator"],
            "satuan": row["satuan"], "level_pemerintahan": level_pemerintahan(row["kode"], row.get("lingkup")),
            "bidang_urusan": {"kode": bidang_urusan["kode"], "nama": bidang_urusan["nama"],
                              "revisi": bidang_urusan["revisi"]},
            **_status(row)}


def nomenklatur(row: dict) -> dict:
    return {"kode": row["kode"], "tingkat": row["tingkat"], "nama": row["nama"], "kode_induk": row["kode_induk"],
            **_status(row)}


@dataclass(frozen=True)
class Kodefikasi:
    """The part of the codification a five-year plan names, read from the replica in a few round trips: the
    pemda, its SKPD named, the nomenclature codes named, and per program the levels (``1`` province, ``2``
    regency/city) its current kegiatan are for. Absent codes are absent keys."""

    pemda: dict
    skpd: dict[str, dict] = field(default_factory=dict)
    nomenklatur: dict[str, dict] = field(default_factory=dict)
    levels: dict[str, set[str]] = field(default_factory=dict)
