"""keuangan: ceilings from the plan's events, budget lines priced under them."""
from __future__ import annotations

from nameko.exceptions import RemoteError
from nameko.rpc import ServiceRpc

from sipd_common.errors import DomainError
from sipd_common.handlers import handles
from sipd_common.rpc import rpc
from sipd_common.service import SipdService
from contracts.perencanaan import RkpdSubKegiatanDeleted, RkpdSubKegiatanSaved
from contracts.referensi import KodeRetired, RekeningChanged

from . import apbd


class KeuanganService(SipdService):
    name = "keuangan"

    referensi = ServiceRpc("referensi")

    @handles(RkpdSubKegiatanSaved)
    def on_rkpd_saved(self, uow, event):
        apbd.on_rkpd_saved(uow, event)

    @handles(RkpdSubKegiatanDeleted)
    def on_rkpd_deleted(self, uow, event):
        apbd.on_rkpd_deleted(uow, event)

    @handles(KodeRetired)
    def on_kode_retired(self, uow, event):
        apbd.on_kode_retired(uow, event)

    @handles(RekeningChanged)
    def on_rekening_changed(self, uow, event):
        apbd.on_rekening_changed(uow, event)

    @rpc(expected_exceptions=DomainError)
    def create_rincian(self, kode_pemda: str, tahun: int, data: dict) -> dict:
        return apbd.create_rincian(self.storage, self._rekening, self.caller, kode_pemda, tahun, data)

    @rpc(expected_exceptions=DomainError)
    def get_rincian(self, kode_pemda: str, tahun: int, id: str) -> dict:
        return apbd.get_rincian(self.storage, self.caller, kode_pemda, tahun, id)

    @rpc(expected_exceptions=DomainError)
    def get_rincian_audit(self, kode_pemda: str, tahun: int, id: str, offset: int = 0, limit: int = 50) -> dict:
        return apbd.rincian_audit(self.storage, self.caller, kode_pemda, tahun, id, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def list_rincian(self, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50,
                     rkpd_id: str | None = None) -> dict:
        return apbd.list_rincian(self.storage, self.caller, kode_pemda, tahun, offset, limit, rkpd_id)

    @rpc(expected_exceptions=DomainError)
    def list_plafon(self, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50) -> dict:
        return apbd.list_plafon(self.storage, self.caller, kode_pemda, tahun, offset, limit)

    def _rekening(self, kode: str) -> dict | None:
        try:
            return self.referensi.get_rekening(kode)
        except RemoteError as exc:
            if exc.exc_type == "NotFound":
                return None
            raise
