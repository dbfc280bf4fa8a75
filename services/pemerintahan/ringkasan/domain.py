"""The governance summary per bidang urusan, from what the plan and the budget reported.

Pure: the read models arrive as rows (kept at their latest version by the repository).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class BarisRingkasan:
    kode_bidang_urusan: str
    nama_bidang_urusan: str | None = None
    jumlah_sub_kegiatan: int = 0
    total_pagu_indikatif: Decimal = Decimal(0)
    total_anggaran: Decimal = Decimal(0)
    jumlah_bermasalah: int = 0
    bermasalah: list[dict] = field(default_factory=list)


def ringkas(rencana: list, anggaran: list) -> list[BarisRingkasan]:
    """rencana: rows of (rkpd_id, kode_bidang_urusan, nama_bidang_urusan, pagu, dihapus);
    anggaran: rows of (rkpd_id, kode_bidang_urusan, kode_sub_kegiatan, total_rincian, status)."""
    rows: dict[str, BarisRingkasan] = {}

    def baris(kode: str) -> BarisRingkasan:
        return rows.setdefault(kode, BarisRingkasan(kode))

    for r in rencana:
        b = baris(r.kode_bidang_urusan)
        b.nama_bidang_urusan = b.nama_bidang_urusan or r.nama_bidang_urusan
        if not r.dihapus:
            b.jumlah_sub_kegiatan += 1
            b.total_pagu_indikatif += r.pagu
    for a in anggaran:
        b = baris(a.kode_bidang_urusan)
        b.total_anggaran += a.total_rincian
        if a.status != "sesuai":
            b.jumlah_bermasalah += 1
            b.bermasalah.append({"rkpd_id": a.rkpd_id, "kode_sub_kegiatan": a.kode_sub_kegiatan, "status": a.status})
    return [rows[k] for k in sorted(rows)]
