"""referensi: the national codification, read by the other services and the public over RPC.

Each entrypoint is one line into a use case: the look-ups and lists (public, reads that are never
committed) in ``kodefikasi/``, ``wilayah/``, ``skpd/``, ``standar_harga/``; the import in ``impor/``;
the snapshot consumers fill their replicas from in ``replikasi/``.
"""
from __future__ import annotations

import time

from contracts.referensi import (
    ImportReport, NomenklaturOut, PemdaOut, RekeningOut, SkpdOut, SnapshotPage, SubKegiatanOut, SumberDanaOut,
    WilayahOut,
)
from sipd_common.db import Storage
from sipd_common.errors import DomainError
from sipd_common.rpc import rpc
from sipd_common.service import SipdService

from .impor import usecases as impor
from .kodefikasi import usecases as kodefikasi
from .replikasi import usecases as replikasi
from .skpd import usecases as skpd
from .standar_harga import usecases as standar_harga
from .uow import ReferensiUnitOfWork
from .wilayah import usecases as wilayah


def _yield(stage: str, done: int, total: int | None = None) -> None:
    time.sleep(0)  # green under eventlet: a long import lets the look-ups of others run


class ReferensiService(SipdService):
    name = "referensi"
    storage = Storage(ReferensiUnitOfWork)

    # -- look-ups by code (the other services depend on these) -----------------------------------------
    @rpc(expected_exceptions=DomainError)
    def get_sub_kegiatan(self, kode: str, versi: str | None = None, lingkup: str | None = None) -> SubKegiatanOut:
        return kodefikasi.get_sub_kegiatan(self.storage.unit_of_work(), kode, versi, lingkup)

    @rpc(expected_exceptions=DomainError)
    def get_rekening(self, kode: str, versi: str | None = None) -> RekeningOut:
        return kodefikasi.get_record(self.storage.unit_of_work(), "rekening", kode, versi)

    @rpc(expected_exceptions=DomainError)
    def get_pemda(self, kode: str, versi: str | None = None) -> PemdaOut:
        return wilayah.get_pemda(self.storage.unit_of_work(), kode, versi)

    @rpc(expected_exceptions=DomainError)
    def get_skpd(self, kode_pemda: str, kode: str, versi: str | None = None) -> SkpdOut:
        return skpd.get_skpd(self.storage.unit_of_work(), kode_pemda, kode, versi)

    @rpc(expected_exceptions=DomainError)
    def get_nomenklatur(self, kode: str, versi: str | None = None, lingkup: str | None = None) -> NomenklaturOut:
        return kodefikasi.get_record(self.storage.unit_of_work(), "nomenklatur", kode, versi, lingkup)

    @rpc(expected_exceptions=DomainError)
    def get_sumber_dana(self, kode: str, versi: str | None = None) -> SumberDanaOut:
        return kodefikasi.get_record(self.storage.unit_of_work(), "sumber_dana", kode, versi)

    @rpc(expected_exceptions=DomainError)
    def get_wilayah(self, kode: str, versi: str | None = None) -> WilayahOut:
        return wilayah.get_wilayah(self.storage.unit_of_work(), kode, versi)

    # -- lists ----------------------------------------------------------------------------------------
    @rpc(expected_exceptions=DomainError)
    def search(self, kind: str, q: str | None = None, prefix: str | None = None, tingkat=None,
               versi: str | None = None, offset: int = 0, limit: int = 50, lingkup: str | None = None) -> dict:
        return kodefikasi.search(self.storage.unit_of_work(), kind, q, prefix, tingkat, versi, offset, limit, lingkup)

    @rpc(expected_exceptions=DomainError)
    def children(self, kind: str, kode: str, versi: str | None = None, offset: int = 0, limit: int = 50,
                 lingkup: str | None = None) -> dict:
        return kodefikasi.list_children(self.storage.unit_of_work(), kind, kode, versi, offset, limit, lingkup)

    @rpc(expected_exceptions=DomainError)
    def list_pemda(self, kode_provinsi: str | None = None, jenis: str | None = None, q: str | None = None,
                   versi: str | None = None, offset: int = 0, limit: int = 50) -> dict:
        return wilayah.list_pemda(self.storage.unit_of_work(), kode_provinsi, jenis, q, versi, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def list_skpd(self, kode_pemda: str, q: str | None = None, bidang_urusan: str | None = None,
                  versi: str | None = None, offset: int = 0, limit: int = 50) -> dict:
        return skpd.list_skpd(self.storage.unit_of_work(), kode_pemda, q, bidang_urusan, versi, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def list_standar_harga(self, kode_pemda: str, tahun: int, kode_rekening: str | None = None,
                           jenis: str | None = None, q: str | None = None, versi: str | None = None,
                           offset: int = 0, limit: int = 50) -> dict:
        return standar_harga.list_standar_harga(self.storage.unit_of_work(), kode_pemda, tahun, kode_rekening, jenis,
                                                q, versi, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def list_versi(self, offset: int = 0, limit: int = 50) -> dict:
        return kodefikasi.list_versi(self.storage.unit_of_work(), offset, limit)

    @rpc(expected_exceptions=DomainError)
    def list_crosswalk(self, kind: str | None = None, kode_lama: str | None = None, kode_baru: str | None = None,
                       versi: str | None = None, offset: int = 0, limit: int = 50) -> dict:
        return kodefikasi.list_crosswalk(self.storage.unit_of_work(), kind, kode_lama, kode_baru, versi, offset, limit)

    # -- replicas -------------------------------------------------------------------------------------
    @rpc(expected_exceptions=DomainError)
    def snapshot(self, request: dict) -> SnapshotPage:
        return replikasi.get_snapshot_page(self.storage.unit_of_work(), request)

    # -- administration -------------------------------------------------------------------------------
    @rpc(expected_exceptions=DomainError)
    def import_file(self, request: dict, content_base64: str, file_name: str) -> ImportReport:
        """Import a CSV or XLSX file (its bytes in base64); the report, for a refused file too."""
        return impor.import_file(self.storage.unit_of_work(), self.caller, request, content_base64, file_name, _yield)
