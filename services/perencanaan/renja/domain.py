"""The Renja (rencana kerja) of an SKPD for a year: its part of the year's RKPD, planned by the SKPD,
submitted, and verified by Bappeda or returned with a note (Permendagri 86/2017). While it is submitted or
verified its items no longer change (``..rkpd`` asks ``dapat_diubah``). Pure."""
from __future__ import annotations

from dataclasses import dataclass, replace

from contracts.perencanaan import StatusRenja

from ..rkpd.domain import Pelanggaran
from ..rpjmd.domain import StatusTidakSesuai


@dataclass(frozen=True)
class Renja:
    kode_pemda: str
    tahun: int
    kode_skpd: str
    status: StatusRenja = StatusRenja.DRAFT
    catatan: str | None = None
    version: int = 0  # 0: never submitted (no row yet)

    @property
    def dapat_diubah(self) -> bool:
        """Its items change while the SKPD works on it: a draft, or returned by Bappeda."""
        return self.status in (StatusRenja.DRAFT, StatusRenja.DIKEMBALIKAN)

    def ajukan(self) -> "Renja":
        if not self.dapat_diubah:
            raise StatusTidakSesuai(f"the Renja of SKPD {self.kode_skpd} for {self.tahun} is {self.status}")
        return replace(self, status=StatusRenja.DIAJUKAN, version=self.version + 1)

    def verifikasi(self, setuju: bool, catatan: str | None) -> "Renja":
        if self.status != StatusRenja.DIAJUKAN:
            raise StatusTidakSesuai(f"the Renja of SKPD {self.kode_skpd} for {self.tahun} is {self.status}; "
                                    "Bappeda verifies a submitted one")
        status = StatusRenja.TERVERIFIKASI if setuju else StatusRenja.DIKEMBALIKAN
        return replace(self, status=status, catatan=catatan, version=self.version + 1)


def periksa_ajukan(jumlah_sub_kegiatan: int) -> list[Pelanggaran]:
    if jumlah_sub_kegiatan == 0:
        return [Pelanggaran("kode_skpd", "the SKPD plans no sub kegiatan this year: nothing to submit")]
    return []


def periksa_verifikasi(setuju: bool, catatan: str | None) -> list[Pelanggaran]:
    if not setuju and not catatan:
        return [Pelanggaran("catatan", "say why the Renja is returned to the SKPD")]
    return []
