"""pemerintahan: governance reports, built from the plan's and the budget's events only."""
from __future__ import annotations

from sipd_common.errors import DomainError
from sipd_common.handlers import handles
from sipd_common.rpc import rpc
from sipd_common.service import SipdService
from services.keuangan.events import PlafonChanged
from services.perencanaan.events import RkpdSubKegiatanDeleted, RkpdSubKegiatanSaved

from . import laporan


class PemerintahanService(SipdService):
    name = "pemerintahan"

    @handles(RkpdSubKegiatanSaved)
    def on_rkpd_saved(self, uow, event):
        laporan.on_rkpd_saved(uow, event)

    @handles(RkpdSubKegiatanDeleted)
    def on_rkpd_deleted(self, uow, event):
        laporan.on_rkpd_deleted(uow, event)

    @handles(PlafonChanged)
    def on_plafon_changed(self, uow, event):
        laporan.on_plafon_changed(uow, event)

    @rpc(expected_exceptions=DomainError)
    def get_ringkasan(self, kode_pemda: str, tahun: int) -> dict:
        return laporan.ringkasan(self.storage, self.caller, kode_pemda, tahun)
