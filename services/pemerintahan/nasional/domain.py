"""The national view: for a year, every pemda in scope with its planned, budgeted and realised totals
per bidang urusan, its LPPD's state, its EPPD status and rank, its Perda per state and its open binwas
findings — filtered by province and type, sorted, paged. Pure: assembled from pemerintahan's own read
models (no call to another service).

A pemda is in the view once pemerintahan holds anything of it for the year (a plan item, a ceiling, a
realisation, a Perda, an EPPD score or flag, a finding, an LPPD): pemerintahan keeps no copy of the region
list yet.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sipd_common.access import province_of

from ..eppd.domain import klaster

NOL = Decimal(0)
SORTS = ("kode_pemda", "total_rencana", "total_anggaran", "total_realisasi", "eppd_indeks", "perda_total")


@dataclass
class Urusan:
    kode_bidang_urusan: str
    jumlah_sub_kegiatan: int = 0
    total_rencana: Decimal = NOL
    total_anggaran: Decimal = NOL
    total_realisasi: Decimal | None = None  # none held (nothing disbursed yet)


@dataclass
class BarisNasional:
    kode_pemda: str
    jenis: str
    kode_provinsi: str
    total_rencana: Decimal = NOL
    total_anggaran: Decimal = NOL
    total_realisasi: Decimal | None = None
    urusan: dict[str, Urusan] = field(default_factory=dict)  # filled for the page's pemda only
    lppd_status: str | None = None
    lppd_terlambat: bool = False
    eppd_indeks: Decimal | None = None
    eppd_status: str | None = None
    eppd_peringkat: int | None = None
    perda: dict[str, int] = field(default_factory=dict)
    temuan_terbuka: int = 0

    @property
    def perda_total(self) -> int:
        return sum(self.perda.values())


def susun(rencana: dict[str, Decimal], anggaran: dict[str, Decimal], realisasi: dict[str, Decimal], eppd: dict,
          perda: dict[str, dict[str, int]], temuan: dict[str, int],
          lppd: dict[str, tuple[str, bool]]) -> dict[str, BarisNasional]:
    """One row per pemda: rencana / anggaran / realisasi (spending): kode_pemda → total; eppd: kode_pemda →
    result (indeks, status, peringkat); lppd: kode_pemda → (status, late). The breakdown per bidang urusan
    follows (``rinci``) for the page's pemda only: the sums of 552 × 30 are not built to show 50."""
    rows: dict[str, BarisNasional] = {}

    def baris(kode: str) -> BarisNasional:
        if kode not in rows:
            rows[kode] = BarisNasional(kode, klaster(kode), province_of(kode))
        return rows[kode]

    for kode, total in rencana.items():
        baris(kode).total_rencana = total
    for kode, total in anggaran.items():
        baris(kode).total_anggaran = total
    for kode, total in realisasi.items():
        baris(kode).total_realisasi = total
    for kode, h in eppd.items():
        b = baris(kode)
        b.eppd_indeks, b.eppd_status, b.eppd_peringkat = h.indeks, h.status, h.peringkat
    for kode, counts in perda.items():
        baris(kode).perda = dict(counts)
    for kode, n in temuan.items():
        baris(kode).temuan_terbuka = n
    for kode, (status, late) in lppd.items():
        b = baris(kode)
        b.lppd_status, b.lppd_terlambat = status, late
    return rows


def pilih(rows: list[BarisNasional], provinsi: str | None, jenis: str | None, sort: str, descending: bool,
          offset: int, limit: int) -> tuple[list[BarisNasional], int]:
    """Filter, sort (a pemda without the sorted value last, whatever the order; ties by code), page."""
    found = [r for r in rows if (provinsi is None or r.kode_provinsi == provinsi) and (jenis is None or r.jenis == jenis)]
    with_value = [r for r in found if getattr(r, sort) is not None]
    without = sorted((r for r in found if getattr(r, sort) is None), key=lambda r: r.kode_pemda)
    with_value.sort(key=lambda r: r.kode_pemda)
    with_value.sort(key=lambda r: getattr(r, sort), reverse=descending)  # stable: ties stay by code
    ordered = with_value + without
    return ordered[offset:offset + limit], len(ordered)


def rinci(rows: list[BarisNasional], rencana: list, anggaran: list, realisasi: list) -> None:
    """The breakdown per bidang urusan of ``rows``: rencana (kode_pemda, kode_bidang_urusan, jumlah, total),
    anggaran and realisasi (kode_pemda, kode_bidang_urusan, total)."""
    by_code = {r.kode_pemda: r for r in rows}
    for kode, bidang, jumlah, total in rencana:
        by_code[kode].urusan[bidang] = Urusan(bidang, jumlah, total)

    def of(kode: str, bidang: str) -> Urusan:
        return by_code[kode].urusan.setdefault(bidang, Urusan(bidang))

    for kode, bidang, total in anggaran:
        of(kode, bidang).total_anggaran = total
    for kode, bidang, total in realisasi:
        of(kode, bidang).total_realisasi = total
