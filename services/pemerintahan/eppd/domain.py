"""EPPD, the evaluation of how each pemda governed (PP 13/2019 art. 25; DOMAIN-DETAIL D).

A round per year, on an indicator set with weights and on status bands, both versioned data (seeded
tables, ``migrations/versions/0005_eppd.py``: a new decree is new rows). The evaluating team scores
each indicator 0–4: the ministry's team for a province, the province's for its regencies/cities.

- index = Σ (weight × score) / Σ weight over every indicator of the set; an indicator left unscored
  counts 0 (the set is whole: a gap is the pemda's loss, not a smaller denominator); rounded half-up to
  four decimals, and the status and rank read from the rounded index;
- status: the highest band whose lower bound the index reaches; ``tidak_dinilai`` (the head of region
  is a corruption suspect, or the pemda failed to review its data) and ``nihil`` (no data sent) are
  set by the team and replace it, and such a pemda is not ranked;
- rank: per cluster (provinsi, kabupaten, kota), highest index first; equal indices share a rank
  (1, 1, 3).

Pure: no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sipd_common.access import Role, Scope, is_province, province_of

INDEX_QUANTUM = Decimal("0.0001")
SKOR_MAKS = Decimal(4)
KHUSUS = ("tidak_dinilai", "nihil")


def klaster(kode_pemda: str) -> str:
    """A pemda's cluster from its code (Kepmendagri's region codes): one segment is a province; a
    regency/city whose second segment is 71 or above is a city (kota), below a regency (kabupaten) —
    true of all 514 in ``services/referensi/data/wilayah.csv`` (98 kota, 416 kabupaten)."""
    if is_province(kode_pemda):
        return "provinsi"
    return "kota" if int(kode_pemda.split(".")[1]) >= 71 else "kabupaten"


def penilai(kode_pemda: str) -> tuple[Role, str | None]:
    """The team that scores a pemda: the ministry's for a province, the province's for a regency/city."""
    if is_province(kode_pemda):
        return Role.PUSAT_ADMIN, None
    return Role.PROVINSI_ADMIN, province_of(kode_pemda)


def boleh_menilai(caller: Scope, kode_pemda: str) -> bool:
    role, kode = penilai(kode_pemda)
    return caller.role is role and caller.kode_pemda == kode


@dataclass(frozen=True)
class Band:
    status: str
    batas_bawah: Decimal


def indeks(bobot: dict[str, Decimal], skor: dict[str, Decimal]) -> Decimal:
    total = sum(bobot.values(), Decimal(0))
    if total == 0:
        return Decimal(0).quantize(INDEX_QUANTUM)
    weighted = sum((w * skor.get(kode, Decimal(0)) for kode, w in bobot.items()), Decimal(0))
    return (weighted / total).quantize(INDEX_QUANTUM, rounding=ROUND_HALF_UP)


def status_dari(nilai: Decimal, bands: list[Band]) -> str:
    for band in sorted(bands, key=lambda b: b.batas_bawah, reverse=True):
        if nilai >= band.batas_bawah:
            return band.status
    return sorted(bands, key=lambda b: b.batas_bawah)[0].status


@dataclass
class Hasil:
    kode_pemda: str
    klaster: str
    indeks: Decimal | None
    status: str
    peringkat: int | None = None


def hasil(bobot: dict[str, Decimal], bands: list[Band], skor: dict[str, dict[str, Decimal]],
          khusus: dict[str, str]) -> list[Hasil]:
    """Each pemda scored or flagged: its index, status and rank in its cluster; sorted by cluster and rank."""
    rows = []
    for kode in sorted(set(skor) | set(khusus)):
        if kode in khusus:
            rows.append(Hasil(kode, klaster(kode), None, khusus[kode]))
        else:
            value = indeks(bobot, skor[kode])
            rows.append(Hasil(kode, klaster(kode), value, status_dari(value, bands)))
    for name in ("provinsi", "kabupaten", "kota"):
        ranked = sorted((r for r in rows if r.klaster == name and r.indeks is not None),
                        key=lambda r: (-r.indeks, r.kode_pemda))
        for i, row in enumerate(ranked):
            row.peringkat = ranked[i - 1].peringkat if i and ranked[i - 1].indeks == row.indeks else i + 1
    order = {"provinsi": 0, "kabupaten": 1, "kota": 2}
    return sorted(rows, key=lambda r: (order[r.klaster], r.peringkat is None, r.peringkat or 0, r.kode_pemda))
