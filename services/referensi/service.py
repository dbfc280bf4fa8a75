"""referensi: the national codification, read by the other services and the public over RPC."""
from __future__ import annotations

import base64
import binascii
import time

from sipd_common import access
from sipd_common.errors import DomainError, Invalid
from sipd_common.rpc import rpc
from sipd_common.service import SipdService

from . import impor, lookup


def _yield(stage: str, done: int, total: int | None = None) -> None:
    time.sleep(0)  # green under eventlet: a long import lets the look-ups of others run


class ReferensiService(SipdService):
    name = "referensi"

    def _read(self, use_case, *args):
        with self.storage.read() as session:
            return use_case(session, *args)

    # -- look-ups by code (the other services depend on these three) ----------------------------------
    @rpc(expected_exceptions=DomainError)
    def get_sub_kegiatan(self, kode: str, versi: str | None = None) -> dict:
        return self._read(lookup.sub_kegiatan, kode, versi)

    @rpc(expected_exceptions=DomainError)
    def get_rekening(self, kode: str, versi: str | None = None) -> dict:
        return self._read(lookup.by_code, "rekening", kode, versi)

    @rpc(expected_exceptions=DomainError)
    def get_pemda(self, kode: str, versi: str | None = None) -> dict:
        return self._read(lookup.pemda, kode, versi)

    @rpc(expected_exceptions=DomainError)
    def get_skpd(self, kode_pemda: str, kode: str, versi: str | None = None) -> dict:
        return self._read(lookup.skpd, kode_pemda, kode, versi)

    @rpc(expected_exceptions=DomainError)
    def get_nomenklatur(self, kode: str, versi: str | None = None) -> dict:
        return self._read(lookup.by_code, "nomenklatur", kode, versi)

    @rpc(expected_exceptions=DomainError)
    def get_sumber_dana(self, kode: str, versi: str | None = None) -> dict:
        return self._read(lookup.by_code, "sumber_dana", kode, versi)

    @rpc(expected_exceptions=DomainError)
    def get_wilayah(self, kode: str, versi: str | None = None) -> dict:
        return self._read(lookup.by_code, "wilayah", kode, versi)

    # -- lists ----------------------------------------------------------------------------------------
    @rpc(expected_exceptions=DomainError)
    def search(self, kind: str, q: str | None = None, prefix: str | None = None, tingkat=None,
               versi: str | None = None, offset: int = 0, limit: int = 50) -> dict:
        return self._read(lookup.cari, kind, q, prefix, tingkat, versi, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def children(self, kind: str, kode: str, versi: str | None = None, offset: int = 0, limit: int = 50) -> dict:
        return self._read(lookup.anak, kind, kode, versi, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def list_pemda(self, kode_provinsi: str | None = None, jenis: str | None = None, q: str | None = None,
                   versi: str | None = None, offset: int = 0, limit: int = 50) -> dict:
        return self._read(lookup.daftar_pemda, kode_provinsi, jenis, q, versi, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def list_skpd(self, kode_pemda: str, q: str | None = None, bidang_urusan: str | None = None,
                  versi: str | None = None, offset: int = 0, limit: int = 50) -> dict:
        return self._read(lookup.daftar_skpd, kode_pemda, q, bidang_urusan, versi, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def list_standar_harga(self, kode_pemda: str, tahun: int, kode_rekening: str | None = None,
                           jenis: str | None = None, q: str | None = None, versi: str | None = None,
                           offset: int = 0, limit: int = 50) -> dict:
        return self._read(lookup.daftar_standar_harga, kode_pemda, tahun, kode_rekening, jenis, q, versi, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def list_versi(self, offset: int = 0, limit: int = 50) -> dict:
        return self._read(lookup.daftar_versi, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def list_crosswalk(self, kind: str | None = None, kode_lama: str | None = None, kode_baru: str | None = None,
                       versi: str | None = None, offset: int = 0, limit: int = 50) -> dict:
        return self._read(lookup.daftar_crosswalk, kind, kode_lama, kode_baru, versi, offset, limit)

    # -- administration -------------------------------------------------------------------------------
    @rpc(expected_exceptions=DomainError)
    def import_file(self, request: dict, content_base64: str, file_name: str) -> dict:
        """Import a CSV or XLSX file (its bytes in base64); the report.

        A refused file is answered with its report too (``errors`` set, nothing applied), not raised:
        Nameko sends an exception's arguments as text, and the report's numbers must stay numbers."""
        imported_by = access.require_national_admin(self.caller).username  # checked here too, not only at the gateway
        try:
            content = base64.b64decode(content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise Invalid.field("file", "the file content is not base64") from None
        try:
            return impor.run(self.storage, request, content, file_name, imported_by, progress=_yield)
        except Invalid as refused:
            if "report" in refused.extra:
                return refused.extra["report"]
            raise
