"""pemerintahan: governance — reports, the Perda register, EPPD, binwas, the national view, the LPPD — from the
plan's, the budget's and the realisation's events and its own records."""
from __future__ import annotations

from contracts.keuangan import ApbdDitetapkan, ApbdPerubahanDitetapkan, PlafonChanged, RealisasiBerubah
from contracts.pemerintahan import (
    HasilRondeOut, LampiranIsiOut, LppdOut, LppdPublikOut, NasionalOut, PenilaianPemdaOut, PerdaOut, RingkasanOut,
    RondeOut, TemuanOut,
)
from contracts.perencanaan import RkpdSubKegiatanDeleted, RkpdSubKegiatanSaved
from sipd_common.db import Storage
from sipd_common.errors import DomainError
from sipd_common.handlers import handles
from sipd_common.rpc import rpc
from sipd_common.service import SipdService

from .binwas import usecases as binwas
from .eppd import usecases as eppd
from .lppd import usecases as lppd
from .nasional import usecases as nasional
from .perda import usecases as perda
from .realisasi import usecases as realisasi
from .ringkasan import usecases as ringkasan
from .uow import PemerintahanUnitOfWork


class PemerintahanService(SipdService):
    name = "pemerintahan"
    storage = Storage(PemerintahanUnitOfWork)

    # one upsert that ignores a version not newer than the one held: no inbox, no transaction
    @handles(RkpdSubKegiatanSaved, inbox=False, autocommit=True)
    def on_rkpd_saved(self, uow, event):
        return ringkasan.apply_rkpd_saved(uow, event)

    @handles(RkpdSubKegiatanDeleted, inbox=False, autocommit=True)
    def on_rkpd_deleted(self, uow, event):
        return ringkasan.apply_rkpd_deleted(uow, event)

    @handles(PlafonChanged)
    def on_plafon_changed(self, uow, event):
        ringkasan.apply_plafon_changed(uow, event)

    @handles(ApbdDitetapkan)
    def on_apbd_ditetapkan(self, uow, event):
        perda.apply_apbd_ditetapkan(uow, event)

    @handles(RealisasiBerubah)
    def on_realisasi_berubah(self, uow, event):
        realisasi.apply_realisasi_berubah(uow, event)

    @handles(ApbdPerubahanDitetapkan)
    def on_apbd_perubahan_ditetapkan(self, uow, event):
        perda.apply_apbd_ditetapkan(uow, event)

    @rpc(expected_exceptions=DomainError)
    def get_ringkasan(self, kode_pemda: str, tahun: int) -> RingkasanOut:
        return ringkasan.get_ringkasan(self.storage.unit_of_work(autocommit=True), self.caller, kode_pemda, tahun)

    # -- the register of regulations ------------------------------------------------------------------
    @rpc(expected_exceptions=DomainError)
    def create_perda(self, kode_pemda: str, data: dict, idempotency_key: str | None = None) -> PerdaOut:
        return perda.create_perda(self.storage.unit_of_work(), self.caller, kode_pemda, data, idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def step_perda(self, kode_pemda: str, id: str, data: dict, expected_version: int | None = None) -> PerdaOut:
        return perda.step_perda(self.storage.unit_of_work(), self.caller, kode_pemda, id, data, expected_version)

    @rpc(expected_exceptions=DomainError)
    def attach_perda(self, kode_pemda: str, id: str, nama_file: str, isi_base64: str,
                     idempotency_key: str | None = None) -> PerdaOut:
        return perda.attach_perda(self.storage.unit_of_work(), self.caller, kode_pemda, id, nama_file, isi_base64,
                                  idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def get_perda(self, kode_pemda: str, id: str) -> PerdaOut:
        return perda.get_perda(self.storage.unit_of_work(), self.caller, kode_pemda, id)

    @rpc(expected_exceptions=DomainError)
    def get_perda_audit(self, kode_pemda: str, id: str, offset: int = 0, limit: int = 50) -> dict:
        return perda.perda_audit(self.storage.unit_of_work(), self.caller, kode_pemda, id, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def get_perda_lampiran(self, kode_pemda: str, id: str, lampiran_id: str) -> LampiranIsiOut:
        return perda.get_lampiran(self.storage.unit_of_work(), self.caller, kode_pemda, id, lampiran_id)

    @rpc(expected_exceptions=DomainError)
    def list_perda(self, kode_pemda: str, offset: int = 0, limit: int = 50, tahun: int | None = None,
                   status: str | None = None) -> dict:
        return perda.list_perda(self.storage.unit_of_work(), self.caller, kode_pemda, offset, limit, tahun, status)

    @rpc(expected_exceptions=DomainError)
    def list_perda_publik(self, offset: int = 0, limit: int = 50, kode_pemda: str | None = None,
                          tahun: int | None = None) -> dict:
        return perda.list_perda_publik(self.storage.unit_of_work(), offset, limit, kode_pemda, tahun)

    @rpc(expected_exceptions=DomainError)
    def get_perda_publik(self, id: str) -> PerdaOut:
        return perda.get_perda_publik(self.storage.unit_of_work(), id)

    @rpc(expected_exceptions=DomainError)
    def get_perda_lampiran_publik(self, id: str, lampiran_id: str) -> LampiranIsiOut:
        return perda.get_lampiran_publik(self.storage.unit_of_work(), id, lampiran_id)

    # -- EPPD -------------------------------------------------------------------------------------------
    @rpc(expected_exceptions=DomainError)
    def open_eppd(self, tahun: int, data: dict, idempotency_key: str | None = None) -> RondeOut:
        return eppd.open_ronde(self.storage.unit_of_work(), self.caller, tahun, data, idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def advance_eppd(self, tahun: int, ke: str) -> RondeOut:
        return eppd.advance_ronde(self.storage.unit_of_work(), self.caller, tahun, ke)

    @rpc(expected_exceptions=DomainError)
    def score_eppd(self, tahun: int, kode_pemda: str, data: dict) -> PenilaianPemdaOut:
        return eppd.score_pemda(self.storage.unit_of_work(), self.caller, tahun, kode_pemda, data)

    @rpc(expected_exceptions=DomainError)
    def flag_eppd(self, tahun: int, kode_pemda: str, data: dict) -> PenilaianPemdaOut:
        return eppd.flag_pemda(self.storage.unit_of_work(), self.caller, tahun, kode_pemda, data)

    @rpc(expected_exceptions=DomainError)
    def get_eppd_pemda(self, tahun: int, kode_pemda: str) -> PenilaianPemdaOut:
        return eppd.get_penilaian(self.storage.unit_of_work(), self.caller, tahun, kode_pemda)

    @rpc(expected_exceptions=DomainError)
    def get_eppd(self, tahun: int) -> HasilRondeOut:
        return eppd.get_ronde(self.storage.unit_of_work(), self.caller, tahun)

    @rpc(expected_exceptions=DomainError)
    def get_eppd_publik(self, tahun: int) -> HasilRondeOut:
        return eppd.get_ronde_publik(self.storage.unit_of_work(), tahun)

    # -- binwas -----------------------------------------------------------------------------------------
    @rpc(expected_exceptions=DomainError)
    def create_temuan(self, kode_pemda: str, data: dict, idempotency_key: str | None = None) -> TemuanOut:
        return binwas.create_temuan(self.storage.unit_of_work(), self.caller, kode_pemda, data, idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def answer_temuan(self, kode_pemda: str, id: str, data: dict) -> TemuanOut:
        return binwas.answer_temuan(self.storage.unit_of_work(), self.caller, kode_pemda, id, data)

    @rpc(expected_exceptions=DomainError)
    def decide_temuan(self, kode_pemda: str, id: str, data: dict) -> TemuanOut:
        return binwas.decide_temuan(self.storage.unit_of_work(), self.caller, kode_pemda, id, data)

    @rpc(expected_exceptions=DomainError)
    def get_temuan(self, kode_pemda: str, id: str) -> TemuanOut:
        return binwas.get_temuan(self.storage.unit_of_work(), self.caller, kode_pemda, id)

    @rpc(expected_exceptions=DomainError)
    def list_temuan(self, kode_pemda: str, offset: int = 0, limit: int = 50, tahun: int | None = None,
                    status: str | None = None) -> dict:
        return binwas.list_temuan(self.storage.unit_of_work(), self.caller, kode_pemda, offset, limit, tahun, status)

    # -- the national view ------------------------------------------------------------------------------
    @rpc(expected_exceptions=DomainError)
    def get_nasional(self, tahun: int, provinsi: str | None = None, jenis: str | None = None,
                     sort: str = "kode_pemda", descending: bool = False, offset: int = 0, limit: int = 50) -> NasionalOut:
        return nasional.get_nasional(self.storage.unit_of_work(), self.caller, tahun, provinsi, jenis, sort, descending,
                                     offset, limit)

    # -- LPPD -------------------------------------------------------------------------------------------
    @rpc(expected_exceptions=DomainError)
    def draft_lppd(self, kode_pemda: str, tahun: int, idempotency_key: str | None = None) -> LppdOut:
        return lppd.draft_lppd(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def rebuild_lppd(self, kode_pemda: str, tahun: int) -> LppdOut:
        return lppd.rebuild_lppd(self.storage.unit_of_work(), self.caller, kode_pemda, tahun)

    @rpc(expected_exceptions=DomainError)
    def enter_lppd_indikator(self, kode_pemda: str, tahun: int, data: dict) -> LppdOut:
        return lppd.enter_indikator(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data)

    @rpc(expected_exceptions=DomainError)
    def step_lppd(self, kode_pemda: str, tahun: int, data: dict) -> LppdOut:
        return lppd.step_lppd(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data)

    @rpc(expected_exceptions=DomainError)
    def get_lppd(self, kode_pemda: str, tahun: int) -> LppdOut:
        return lppd.get_lppd(self.storage.unit_of_work(), self.caller, kode_pemda, tahun)

    @rpc(expected_exceptions=DomainError)
    def get_lppd_publik(self, kode_pemda: str, tahun: int) -> LppdPublikOut:
        return lppd.get_lppd_publik(self.storage.unit_of_work(), kode_pemda, tahun)

    @rpc(expected_exceptions=DomainError)
    def get_lppd_audit(self, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50) -> dict:
        return lppd.lppd_audit(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, offset, limit)
