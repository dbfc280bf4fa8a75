"""pemerintahan: governance reports, built from the plan's and the budget's events only."""
from __future__ import annotations

from contracts.keuangan import PlafonChanged
from contracts.pemerintahan import RingkasanOut
from contracts.perencanaan import RkpdSubKegiatanDeleted, RkpdSubKegiatanSaved
from sipd_common.db import Storage
from sipd_common.errors import DomainError
from sipd_common.handlers import handles
from sipd_common.rpc import rpc
from sipd_common.service import SipdService

from .ringkasan import usecases as ringkasan
from .uow import PemerintahanUnitOfWork


class PemerintahanService(SipdService):
    name = "pemerintahan"
    storage = Storage(PemerintahanUnitOfWork)

    @handles(RkpdSubKegiatanSaved)
    def on_rkpd_saved(self, uow, event):
        ringkasan.apply_rkpd_saved(uow, event)

    @handles(RkpdSubKegiatanDeleted)
    def on_rkpd_deleted(self, uow, event):
        ringkasan.apply_rkpd_deleted(uow, event)

    @handles(PlafonChanged)
    def on_plafon_changed(self, uow, event):
        ringkasan.apply_plafon_changed(uow, event)

    @rpc(expected_exceptions=DomainError)
    def get_ringkasan(self, kode_pemda: str, tahun: int) -> RingkasanOut:
        return ringkasan.get_ringkasan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun)
