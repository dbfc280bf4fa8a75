"""Binwas (pembinaan dan pengawasan, UU 23/2014 art. 373–383): findings the level above records against
a pemda — on its LPPD, a budget ratio, a Perda or anything else — each with its recommendation, and the
follow-up the pemda answers.

A finding is ``terbuka`` (open) → the pemda answers (``ditanggapi``) → the supervisor accepts it
(``selesai``) or sends it back (``terbuka`` again, with its note). Who supervises a pemda: the ministry
(every pemda) and a regency/city's province. Pure: no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from sipd_common.access import Role, Scope, is_province, province_of

OBJEK = ("lppd", "rasio_anggaran", "perda", "lainnya")


def pengawas(caller: Scope, kode_pemda: str) -> bool:
    """The ministry supervises every pemda; a province administrator its regencies/cities (not itself)."""
    if caller.is_national:
        return True
    return (caller.role is Role.PROVINSI_ADMIN and not is_province(kode_pemda)
            and province_of(kode_pemda) == caller.kode_pemda)


class Ditolak(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


@dataclass(frozen=True)
class Temuan:
    id: str
    kode_pemda: str
    tahun: int
    objek: str
    objek_id: str | None
    uraian: str
    rekomendasi: str
    dicatat_oleh: str
    status: str = "terbuka"
    tindak_lanjut: tuple = field(default_factory=tuple)
    version: int = 1

    def tanggapi(self, oleh: Scope, isi: str, pada: str) -> "Temuan":
        """The pemda's answer: what it did about the recommendation."""
        if self.status != "terbuka":
            raise Ditolak("status", f"the finding is {self.status}: only an open finding is answered")
        return self._langkah("ditanggapi", "tanggapan", oleh, isi, pada)

    def putuskan(self, oleh: Scope, diterima: bool, catatan: str | None, pada: str) -> "Temuan":
        """The supervisor's decision on the answer: accepted (closed) or sent back (open again)."""
        if self.status != "ditanggapi":
            raise Ditolak("status", f"the finding is {self.status}: only an answered finding is decided")
        return self._langkah("selesai" if diterima else "terbuka", "diterima" if diterima else "dikembalikan",
                             oleh, catatan, pada)

    def _langkah(self, status: str, jenis: str, oleh: Scope, isi: str | None, pada: str) -> "Temuan":
        entry = {"jenis": jenis, "isi": isi, "oleh": oleh.username, "peran": str(oleh.role), "pada": pada}
        return replace(self, status=status, tindak_lanjut=self.tindak_lanjut + (entry,), version=self.version + 1)
