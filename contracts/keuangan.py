"""keuangan's published language: the requests and answers of its RPCs (ceilings, budget lines), and its events.

Events travel on the topic exchange ``keuangan.events``.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sipd_common.events import Event
from sipd_common.money import Amount, Money, Quantity

from .referensi import Pemetaan

StatusPlafon = Literal["sesuai", "melebihi_plafon", "tanpa_rencana"]


class RincianBaru(BaseModel):
    """A budget line (rincian belanja) under an RKPD item's ceiling."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "rkpd_id": "6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d90", "kode_rekening": "5.2.03.01.01.0002",
        "uraian": "Pembangunan gedung SD Negeri 1", "volume": "1", "satuan": "Paket",
        "harga_satuan": "1750000000.00"}]})

    rkpd_id: str = Field(description="Id of the RKPD sub kegiatan whose ceiling this line falls under.",
                         pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
    kode_rekening: str = Field(min_length=1, max_length=30, description="A belanja sub rincian objek account, e.g. `5.1.02.01.01.0024`.")
    uraian: str = Field(min_length=1, max_length=500)
    volume: Quantity
    satuan: str = Field(min_length=1, max_length=100)
    harga_satuan: Money


class RincianOut(BaseModel):
    id: str
    kode_pemda: str
    tahun: int
    rkpd_id: str
    kode_rekening: str
    nama_rekening: str
    uraian: str
    volume: Quantity
    satuan: str
    harga_satuan: Money
    jumlah: Amount = Field(description="volume × harga_satuan, exact.")
    status: StatusPlafon = Field(description="The state of the ceiling the line falls under.")
    perlu_pemetaan: bool = Field(description="True when the line's account was retired from the chart of accounts: "
                                             "the line needs mapping to a current account (it is never rewritten silently).")
    pemetaan: list[Pemetaan] = Field(description="The retired codes the line uses, with suggested replacements.")


class PlafonOut(BaseModel):
    rkpd_id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    kode_sub_kegiatan: str
    kode_bidang_urusan: str
    pagu: Money
    total_rincian: Amount
    sisa: Amount = Field(description="pagu − total_rincian; negative when over the ceiling.")
    status: StatusPlafon
    version: int
    perlu_pemetaan: bool = Field(description="True when the sub kegiatan or SKPD of the ceiling was retired from the "
                                             "codification: it needs mapping to a current code.")
    pemetaan: list[Pemetaan] = Field(description="The retired codes the ceiling uses, with suggested replacements.")


# -- events -----------------------------------------------------------------------------------------
class PlafonChanged(Event):
    """The ceiling of an RKPD item, or the budget lines under it, changed; carries the whole state."""

    name = "apbd.plafon.changed"
    version = 1
    source = "keuangan"

    kode_skpd: str
    kode_sub_kegiatan: str
    kode_bidang_urusan: str
    pagu: Money = Field(description="The ceiling (plafon), from the RKPD item's pagu indikatif.")
    total_rincian: Amount = Field(description="Sum of the budget lines under this ceiling.")
    status: StatusPlafon = Field(description="`melebihi_plafon`: lines above the ceiling; `tanpa_rencana`: the plan item was deleted.")
