"""referensi: the national codification, read by the other services over RPC."""
from __future__ import annotations

from sipd_common.errors import DomainError
from sipd_common.rpc import rpc
from sipd_common.service import SipdService

from . import lookup


class ReferensiService(SipdService):
    name = "referensi"

    @rpc(expected_exceptions=DomainError)
    def get_sub_kegiatan(self, kode: str) -> dict:
        with self.storage.read() as session:
            return lookup.sub_kegiatan(session, kode)

    @rpc(expected_exceptions=DomainError)
    def get_rekening(self, kode: str) -> dict:
        with self.storage.read() as session:
            return lookup.rekening(session, kode)

    @rpc(expected_exceptions=DomainError)
    def get_pemda(self, kode: str) -> dict:
        with self.storage.read() as session:
            return lookup.pemda(session, kode)

    @rpc(expected_exceptions=DomainError)
    def get_skpd(self, kode_pemda: str, kode: str) -> dict:
        with self.storage.read() as session:
            return lookup.skpd(session, kode_pemda, kode)
