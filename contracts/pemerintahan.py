"""pemerintahan's published language: the answers of its report RPCs. It publishes no events yet."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from sipd_common.money import Amount


class ItemBermasalah(BaseModel):
    rkpd_id: str
    kode_sub_kegiatan: str
    status: Literal["melebihi_plafon", "tanpa_rencana"]


class BarisRingkasanOut(BaseModel):
    kode_bidang_urusan: str
    nama_bidang_urusan: str | None
    jumlah_sub_kegiatan: int = Field(description="Sub kegiatan planned in the RKPD (deleted ones not counted).")
    total_pagu_indikatif: Amount
    total_anggaran: Amount = Field(description="Sum of the budget lines (rincian) in keuangan.")
    jumlah_bermasalah: int = Field(description="Ceilings flagged: lines above the ceiling, or lines without plan.")
    bermasalah: list[ItemBermasalah]


class RingkasanOut(BaseModel):
    kode_pemda: str
    tahun: int
    bidang_urusan: list[BarisRingkasanOut]
    total_pagu_indikatif: Amount
    total_anggaran: Amount
