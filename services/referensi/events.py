"""Events referensi publishes (exchange ``referensi.events``), each import's through the outbox.

- ``referensi.<list>.changed.v1``: records of one list added, changed or retired by an import,
  each with its whole state, in batches; read models of the codification stay current with them.
- ``referensi.kode.retired.v1``: one code retired, with its replacements from the crosswalk; the
  services whose records use it flag those records as needing mapping.
"""
from __future__ import annotations

from pydantic import BaseModel, Field

from sipd_common.events import Event

from .contracts import (
    Aksi, Kind, NomenklaturData, RekeningData, SkpdData, StandarHargaData, SumberDanaData, WilayahData,
)

BATCH = 500  # records per change event


class PerubahanReferensi(Event):
    """Base of referensi's events: national lists have no pemda and no year."""

    kode_pemda: str | None = Field(default=None, description=(
        "The pemda, for the lists kept per pemda (SKPD, standard prices); null for the national codification."))
    tahun: int | None = Field(default=None, description="The year, for standard prices; null otherwise.")
    versi: str = Field(description="The version the import was made into, e.g. `kepmendagri-050-5889-2021`.")


class _Perubahan(BaseModel):
    aksi: Aksi = Field(description="added, changed (this is the new state) or retired (this is the last state, "
                                   "`valid_until` set).")


# an item of a change event: the record's whole state and what happened to it
class NomenklaturItem(NomenklaturData, _Perubahan):
    pass


class RekeningItem(RekeningData, _Perubahan):
    pass


class SumberDanaItem(SumberDanaData, _Perubahan):
    pass


class WilayahItem(WilayahData, _Perubahan):
    pass


class SkpdItem(SkpdData, _Perubahan):
    pass


class StandarHargaItem(StandarHargaData, _Perubahan):
    pass


class NomenklaturChanged(PerubahanReferensi):
    """Records of the nomenclature (urusan to sub kegiatan) were added, changed or retired."""

    name = "referensi.nomenklatur.changed"
    version = 1
    source = "referensi"
    perubahan: list[NomenklaturItem]


class RekeningChanged(PerubahanReferensi):
    """Accounts of the chart of accounts were added, changed or retired."""

    name = "referensi.rekening.changed"
    version = 1
    source = "referensi"
    perubahan: list[RekeningItem]


class SumberDanaChanged(PerubahanReferensi):
    """Funding sources were added, changed or retired."""

    name = "referensi.sumber_dana.changed"
    version = 1
    source = "referensi"
    perubahan: list[SumberDanaItem]


class WilayahChanged(PerubahanReferensi):
    """Regions were added, changed or retired."""

    name = "referensi.wilayah.changed"
    version = 1
    source = "referensi"
    perubahan: list[WilayahItem]


class SkpdChanged(PerubahanReferensi):
    """Organisation units (SKPD) of a pemda were added, changed or retired."""

    name = "referensi.skpd.changed"
    version = 1
    source = "referensi"
    perubahan: list[SkpdItem]


class StandarHargaChanged(PerubahanReferensi):
    """Standard prices of a pemda and year were added, changed or retired."""

    name = "referensi.standar_harga.changed"
    version = 1
    source = "referensi"
    perubahan: list[StandarHargaItem]


CHANGED = {"nomenklatur": NomenklaturChanged, "rekening": RekeningChanged, "sumber_dana": SumberDanaChanged,
           "wilayah": WilayahChanged, "skpd": SkpdChanged, "standar_harga": StandarHargaChanged}


class KodeRetired(PerubahanReferensi):
    """A code was retired; records that use it need mapping to a current code (nothing is rewritten)."""

    name = "referensi.kode.retired"
    version = 1
    source = "referensi"

    kind: Kind = Field(description="The list the code belongs to.")
    kode: str
    tingkat: str | None = Field(description="Its level, e.g. `sub_kegiatan` or `sub_rincian_objek`.")
    nama: str = Field(description="Its last name.")
    kode_pengganti: list[str] = Field(description="Its replacements from the crosswalk; empty when none is known.")

    @property
    def dipakai_sebagai(self) -> str | None:
        """What a record of another service holds this code as: ``sub_kegiatan``, ``skpd``, ``rekening``
        (a sub rincian objek) or ``sumber_dana``; None for the levels and lists no record holds."""
        if self.kind == "nomenklatur":
            return "sub_kegiatan" if self.tingkat == "sub_kegiatan" else None
        if self.kind == "rekening":
            return "rekening" if self.tingkat == "sub_rincian_objek" else None
        return self.kind if self.kind in ("skpd", "sumber_dana") else None

    def pemetaan(self) -> dict:
        """What a record using the code keeps until it is mapped (``contracts.Pemetaan``)."""
        return {"kind": self.kind, "kode": self.kode, "versi": self.versi, "kode_pengganti": list(self.kode_pengganti)}


# -- for the services that use the codification's codes (pure) ---------------------------------------

def tambah_pemetaan(existing: list[dict], pemetaan: dict) -> list[dict]:
    """The retired codes a record uses, with one more unless it is there already (same code and version)."""
    same = ("kind", "kode", "versi")
    if any(all(e.get(k) == pemetaan.get(k) for k in same) for e in existing):
        return list(existing)
    return [*existing, pemetaan]


def dipensiunkan(what: str, record: dict) -> str:
    """Why a retired code (a look-up answer with ``berlaku`` false) cannot be used, and what replaces it."""
    message = f"{what} {record['kode']} was retired in version {record.get('valid_until')}"
    if record.get("kode_pengganti"):
        message += f"; use {' or '.join(record['kode_pengganti'])}"
    return message
