"""perencanaan's published language: the RKPD requests and answers of its RPCs, and its events.

Events travel on the topic exchange ``perencanaan.events``.
"""
from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from sipd_common.events import Event
from sipd_common.money import Money, Quantity
from sipd_common.validation import PartialUpdate

from .referensi import Pemetaan

_TEXT = dict(min_length=1, max_length=500)


class SubKegiatanBaru(BaseModel):
    """A sub kegiatan to put in an SKPD's RKPD for the year."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "kode_skpd": "1.01.0.00.0.00.01.0000", "kode_sub_kegiatan": "1.01.02.2.01.0001",
        "indikator": "Jumlah Unit Sekolah Baru yang Dibangun", "target": "2", "satuan": "Unit",
        "pagu_indikatif": "3500000000.00"}]})

    kode_skpd: str = Field(min_length=1, max_length=40, description="Organisation code of the SKPD, e.g. `1.01.0.00.0.00.01.0000`.")
    kode_sub_kegiatan: str = Field(min_length=1, max_length=30, description="Sub kegiatan code of the national codification.")
    indikator: str = Field(**_TEXT)
    target: Quantity
    satuan: str = Field(min_length=1, max_length=100)
    pagu_indikatif: Money


class PerubahanSubKegiatan(PartialUpdate):
    """Fields of a plan item to change; codes cannot change (delete the item and plan another)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"pagu_indikatif": "3000000000.00"}]})

    indikator: str | None = Field(default=None, **_TEXT)
    target: Quantity | None = None
    satuan: str | None = Field(default=None, min_length=1, max_length=100)
    pagu_indikatif: Money | None = None


class SubKegiatanDihapusOut(BaseModel):
    """What ``delete_sub_kegiatan`` answers: the item is gone from the plan, at this version."""

    id: str
    version: int = Field(description="The item's version after the deletion (the deletion event carries it).")
    deleted: bool = True


class SubKegiatanRkpdOut(BaseModel):
    id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    kode_sub_kegiatan: str
    nama_sub_kegiatan: str
    kode_bidang_urusan: str
    nama_bidang_urusan: str
    indikator: str
    target: Quantity
    satuan: str
    pagu_indikatif: Money
    version: int = Field(description="Increases with every change; send it back as If-Match to change safely.")
    perlu_pemetaan: bool = Field(description="True when a code the item uses was retired from the codification: "
                                             "the item needs mapping to a current code (it is never rewritten silently).")
    pemetaan: list[Pemetaan] = Field(description="The retired codes the item uses, with suggested replacements.")


# -- events -----------------------------------------------------------------------------------------
class RkpdSubKegiatanSaved(Event):
    """An RKPD sub kegiatan was created or changed; carries its whole state."""

    name = "rkpd.sub_kegiatan.saved"
    version = 1
    source = "perencanaan"

    kode_skpd: str
    kode_sub_kegiatan: str
    nama_sub_kegiatan: str
    kode_bidang_urusan: str
    nama_bidang_urusan: str
    indikator: str
    target: Quantity
    satuan: str
    pagu_indikatif: Money = Field(description="Indicative ceiling (pagu indikatif), rupiah.")


class RkpdSubKegiatanDeleted(Event):
    """An RKPD sub kegiatan was deleted from the plan."""

    name = "rkpd.sub_kegiatan.deleted"
    version = 1
    source = "perencanaan"

    kode_skpd: str
    kode_sub_kegiatan: str
    kode_bidang_urusan: str
    pagu_indikatif: Money = Field(description="The item's last pagu indikatif: a consumer that sees the "
                                              "deletion before the last change still ends in the same state.")
