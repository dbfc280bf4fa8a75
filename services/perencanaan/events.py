"""Events perencanaan publishes (exchange ``perencanaan.events``)."""
from __future__ import annotations

from pydantic import Field

from sipd_common.events import Event
from sipd_common.money import Money, Quantity


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
