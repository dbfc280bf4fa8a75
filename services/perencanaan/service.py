"""perencanaan: RKPD sub kegiatan, planned by each SKPD; every change published."""
from __future__ import annotations

from nameko.exceptions import RemoteError
from nameko.rpc import ServiceRpc

from sipd_common.errors import DomainError
from sipd_common.handlers import handles
from sipd_common.rpc import rpc
from sipd_common.service import SipdService

from contracts.referensi import KodeRetired, NomenklaturChanged

from . import rkpd


class ReferensiLookup:
    """The ``rkpd.Referensi`` port over RPC: three look-ups in parallel."""

    def __init__(self, client):
        self.client = client

    def codes(self, kode_pemda, kode_skpd, kode_sub_kegiatan):
        replies = (
            self.client.get_pemda.call_async(kode_pemda),
            self.client.get_skpd.call_async(kode_pemda, kode_skpd),
            self.client.get_sub_kegiatan.call_async(kode_sub_kegiatan),
        )
        return tuple(_found_or_none(reply) for reply in replies)


def _found_or_none(reply):
    try:
        return reply.result()
    except RemoteError as exc:
        if exc.exc_type == "NotFound":
            return None
        raise


class PerencanaanService(SipdService):
    name = "perencanaan"

    referensi = ServiceRpc("referensi")

    @handles(KodeRetired)
    def on_kode_retired(self, uow, event):
        rkpd.on_kode_retired(uow, event)

    @handles(NomenklaturChanged)
    def on_nomenklatur_changed(self, uow, event):
        rkpd.on_nomenklatur_changed(uow, event)

    @rpc(expected_exceptions=DomainError)
    def create_sub_kegiatan(self, kode_pemda: str, tahun: int, data: dict) -> dict:
        return rkpd.create(self.storage, ReferensiLookup(self.referensi), self.caller, kode_pemda, tahun, data)

    @rpc(expected_exceptions=DomainError)
    def update_sub_kegiatan(self, kode_pemda: str, tahun: int, id: str, data: dict,
                            expected_version: int | None = None) -> dict:
        return rkpd.update(self.storage, self.caller, kode_pemda, tahun, id, data, expected_version)

    @rpc(expected_exceptions=DomainError)
    def delete_sub_kegiatan(self, kode_pemda: str, tahun: int, id: str, expected_version: int | None = None) -> dict:
        return rkpd.delete(self.storage, self.caller, kode_pemda, tahun, id, expected_version)

    @rpc(expected_exceptions=DomainError)
    def get_sub_kegiatan(self, kode_pemda: str, tahun: int, id: str) -> dict:
        return rkpd.get(self.storage, self.caller, kode_pemda, tahun, id)

    @rpc(expected_exceptions=DomainError)
    def get_sub_kegiatan_audit(self, kode_pemda: str, tahun: int, id: str, offset: int = 0, limit: int = 50) -> dict:
        return rkpd.audit_trail(self.storage, self.caller, kode_pemda, tahun, id, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def list_sub_kegiatan(self, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50,
                          kode_skpd: str | None = None, perlu_pemetaan: bool | None = None) -> dict:
        return rkpd.list_(self.storage, self.caller, kode_pemda, tahun, offset, limit, kode_skpd, perlu_pemetaan)
