"""perencanaan: the RPJMD and each SKPD's Renstra; RKPD sub kegiatan, planned by each SKPD, every change
published. It checks the codes against its own replica of the codification (``replika``), fed by
referensi's events."""
from __future__ import annotations

import base64

from nameko.timer import timer

from contracts.perencanaan import (BeritaAcaraOut, ImporRenjaOut, JadwalOut, KonsistensiRkpdOut, KonsistensiRpjmdOut,
                                   PaguSkpdOut, RenjaOut, RenstraOut, RkpdTerbitOut, RpjmdOut, SnapshotOut,
                                   SubKegiatanDihapusOut, SubKegiatanRkpdOut, UsulanOut)
from contracts.referensi import NomenklaturChanged, SkpdChanged, WilayahChanged
from sipd_common.db import Storage
from sipd_common.errors import DomainError
from sipd_common import replica
from sipd_common.handlers import handles
from sipd_common.rpc import ServiceRpc, rpc
from sipd_common.service import SipdService

from .dokumen import usecases as dokumen
from .jadwal import usecases as jadwal
from .konsistensi import usecases as konsistensi
from .pagu_skpd import usecases as pagu_skpd
from .pemetaan import usecases as pemetaan
from .publikasi import usecases as publikasi
from .renstra import usecases as renstra
from .replika import usecases as replika
from .replika.domain import LISTS as REPLICA_KINDS
from .renja import usecases as renja
from .rkpd import usecases as rkpd
from .rpjmd import usecases as rpjmd
from .usulan import usecases as usulan
from .uow import PerencanaanUnitOfWork

class PerencanaanService(SipdService):
    name = "perencanaan"
    storage = Storage(PerencanaanUnitOfWork)
    referensi = ServiceRpc("referensi", timeout=replica.SNAPSHOT_TIMEOUT)

    @handles(NomenklaturChanged)
    def on_nomenklatur_changed(self, uow, event):
        replika.apply_nomenklatur_changed(uow, event)

    @handles(SkpdChanged)
    def on_skpd_changed(self, uow, event):
        replika.apply_skpd_changed(uow, event)

    @handles(WilayahChanged)
    def on_wilayah_changed(self, uow, event):
        replika.apply_wilayah_changed(uow, event)

    def readiness(self) -> str | None:
        return replica.readiness(self.storage.engine, REPLICA_KINDS)

    @timer(interval=2, eager=True)
    def fill_replika(self):
        return replika.fill_replika(self.storage, replica.snapshot_rpc(self.referensi, "referensi"))

    @rpc(expected_exceptions=DomainError)
    def create_sub_kegiatan(self, kode_pemda: str, tahun: int, data: dict,
                            idempotency_key: str | None = None) -> SubKegiatanRkpdOut:
        return rkpd.create_sub_kegiatan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data,
                                        idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def update_sub_kegiatan(self, kode_pemda: str, tahun: int, id: str, data: dict,
                            expected_version: int | None = None) -> SubKegiatanRkpdOut:
        return rkpd.update_sub_kegiatan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id, data,
                                        expected_version)

    @rpc(expected_exceptions=DomainError)
    def delete_sub_kegiatan(self, kode_pemda: str, tahun: int, id: str,
                            expected_version: int | None = None) -> SubKegiatanDihapusOut:
        return rkpd.delete_sub_kegiatan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id,
                                        expected_version)

    @rpc(expected_exceptions=DomainError)
    def get_sub_kegiatan(self, kode_pemda: str, tahun: int, id: str) -> SubKegiatanRkpdOut:
        return rkpd.get_sub_kegiatan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id)

    @rpc(expected_exceptions=DomainError)
    def get_sub_kegiatan_audit(self, kode_pemda: str, tahun: int, id: str, offset: int = 0, limit: int = 50) -> dict:
        return rkpd.get_sub_kegiatan_audit(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id, offset,
                                           limit)

    @rpc(expected_exceptions=DomainError)
    def list_sub_kegiatan(self, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50,
                          kode_skpd: str | None = None, perlu_pemetaan: bool | None = None) -> dict:
        return rkpd.list_sub_kegiatan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, offset, limit,
                                      kode_skpd, perlu_pemetaan)

    # -- RPJMD (Bappeda) and Renstra (each SKPD, verified by Bappeda) ----------------------------------
    @rpc(expected_exceptions=DomainError)
    def create_rpjmd(self, kode_pemda: str, data: dict, idempotency_key: str | None = None) -> RpjmdOut:
        return rpjmd.create_rpjmd(self.storage.unit_of_work(), self.caller, kode_pemda, data, idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def update_rpjmd(self, kode_pemda: str, id: str, data: dict, expected_version: int | None = None) -> RpjmdOut:
        return rpjmd.update_rpjmd(self.storage.unit_of_work(), self.caller, kode_pemda, id, data, expected_version)

    @rpc(expected_exceptions=DomainError)
    def get_rpjmd(self, kode_pemda: str, id: str) -> RpjmdOut:
        return rpjmd.get_rpjmd(self.storage.unit_of_work(), self.caller, kode_pemda, id)

    @rpc(expected_exceptions=DomainError)
    def list_rpjmd(self, kode_pemda: str, offset: int = 0, limit: int = 50) -> dict:
        return rpjmd.list_rpjmd(self.storage.unit_of_work(), self.caller, kode_pemda, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def get_rpjmd_audit(self, kode_pemda: str, id: str, offset: int = 0, limit: int = 50) -> dict:
        return rpjmd.get_rpjmd_audit(self.storage.unit_of_work(), self.caller, kode_pemda, id, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def enact_rpjmd(self, kode_pemda: str, id: str, data: dict, expected_version: int | None = None) -> RpjmdOut:
        return rpjmd.enact_rpjmd(self.storage.unit_of_work(), self.caller, kode_pemda, id, data, expected_version)

    @rpc(expected_exceptions=DomainError)
    def revise_rpjmd(self, kode_pemda: str, id: str, data: dict, expected_version: int | None = None) -> RpjmdOut:
        return rpjmd.revise_rpjmd(self.storage.unit_of_work(), self.caller, kode_pemda, id, data, expected_version)

    @rpc(expected_exceptions=DomainError)
    def list_rpjmd_ditetapkan(self, kode_pemda: str, id: str) -> dict:
        return rpjmd.list_rpjmd_ditetapkan(self.storage.unit_of_work(), self.caller, kode_pemda, id)

    @rpc(expected_exceptions=DomainError)
    def get_rpjmd_ditetapkan(self, kode_pemda: str, id: str, revisi: int) -> RpjmdDitetapkanOut:
        return rpjmd.get_rpjmd_ditetapkan(self.storage.unit_of_work(), self.caller, kode_pemda, id, revisi)

    @rpc(expected_exceptions=DomainError)
    def get_konsistensi_rpjmd(self, kode_pemda: str, id: str) -> KonsistensiRpjmdOut:
        return konsistensi.get_konsistensi_rpjmd(self.storage.unit_of_work(), self.caller, kode_pemda, id)

    @rpc(expected_exceptions=DomainError)
    def create_renstra(self, kode_pemda: str, kode_skpd: str, data: dict,
                       idempotency_key: str | None = None) -> RenstraOut:
        return renstra.create_renstra(self.storage.unit_of_work(), self.caller, kode_pemda, kode_skpd, data,
                                      idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def update_renstra(self, kode_pemda: str, kode_skpd: str, id: str, data: dict,
                       expected_version: int | None = None) -> RenstraOut:
        return renstra.update_renstra(self.storage.unit_of_work(), self.caller, kode_pemda, kode_skpd, id, data,
                                      expected_version)

    @rpc(expected_exceptions=DomainError)
    def submit_renstra(self, kode_pemda: str, kode_skpd: str, id: str,
                       expected_version: int | None = None) -> RenstraOut:
        return renstra.submit_renstra(self.storage.unit_of_work(), self.caller, kode_pemda, kode_skpd, id,
                                      expected_version)

    @rpc(expected_exceptions=DomainError)
    def verify_renstra(self, kode_pemda: str, kode_skpd: str, id: str, data: dict,
                       expected_version: int | None = None) -> RenstraOut:
        return renstra.verify_renstra(self.storage.unit_of_work(), self.caller, kode_pemda, kode_skpd, id, data,
                                      expected_version)

    @rpc(expected_exceptions=DomainError)
    def get_renstra(self, kode_pemda: str, kode_skpd: str, id: str) -> RenstraOut:
        return renstra.get_renstra(self.storage.unit_of_work(), self.caller, kode_pemda, kode_skpd, id)

    @rpc(expected_exceptions=DomainError)
    def get_renstra_audit(self, kode_pemda: str, kode_skpd: str, id: str, offset: int = 0, limit: int = 50) -> dict:
        return renstra.get_renstra_audit(self.storage.unit_of_work(), self.caller, kode_pemda, kode_skpd, id, offset,
                                         limit)

    @rpc(expected_exceptions=DomainError)
    def list_renstra(self, kode_pemda: str, offset: int = 0, limit: int = 50, kode_skpd: str | None = None,
                     rpjmd_id: str | None = None) -> dict:
        return renstra.list_renstra(self.storage.unit_of_work(), self.caller, kode_pemda, offset, limit, kode_skpd,
                                    rpjmd_id)
    # -- schedule windows (jadwal) ------------------------------------------------------------------------
    @rpc(expected_exceptions=DomainError)
    def list_tahapan(self, dokumen: str | None = None) -> list:
        return jadwal.list_tahapan(self.storage.unit_of_work(), dokumen)

    @rpc(expected_exceptions=DomainError)
    def create_jadwal(self, kode_pemda: str, data: dict, idempotency_key: str | None = None) -> JadwalOut:
        return jadwal.create_jadwal(self.storage.unit_of_work(), self.caller, kode_pemda, data,
                                    idempotency_key=idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def add_tahap(self, kode_pemda: str, dokumen: str, tahun: int, data: dict) -> JadwalOut:
        return jadwal.add_tahap(self.storage.unit_of_work(), self.caller, kode_pemda, dokumen, tahun, data)

    @rpc(expected_exceptions=DomainError)
    def open_tahap(self, kode_pemda: str, dokumen: str, tahun: int, kode_tahap: str) -> JadwalOut:
        return jadwal.open_tahap(self.storage.unit_of_work(), self.caller, kode_pemda, dokumen, tahun, kode_tahap)

    @rpc(expected_exceptions=DomainError)
    def extend_tahap(self, kode_pemda: str, dokumen: str, tahun: int, kode_tahap: str, data: dict) -> JadwalOut:
        return jadwal.extend_tahap(self.storage.unit_of_work(), self.caller, kode_pemda, dokumen, tahun, kode_tahap,
                                   data)

    @rpc(expected_exceptions=DomainError)
    def lock_tahap(self, kode_pemda: str, dokumen: str, tahun: int, kode_tahap: str) -> JadwalOut:
        return jadwal.lock_tahap(self.storage.unit_of_work(), self.caller, kode_pemda, dokumen, tahun, kode_tahap)

    @rpc(expected_exceptions=DomainError)
    def reopen_tahap(self, kode_pemda: str, dokumen: str, tahun: int, kode_tahap: str, data: dict) -> JadwalOut:
        return jadwal.reopen_tahap(self.storage.unit_of_work(), self.caller, kode_pemda, dokumen, tahun, kode_tahap,
                                   data)

    @rpc(expected_exceptions=DomainError)
    def get_jadwal(self, kode_pemda: str, dokumen: str, tahun: int) -> JadwalOut:
        return jadwal.get_jadwal(self.storage.unit_of_work(), self.caller, kode_pemda, dokumen, tahun)

    @rpc(expected_exceptions=DomainError)
    def list_jadwal(self, kode_pemda: str, tahun: int | None = None, dokumen: str | None = None) -> dict:
        return jadwal.list_jadwal(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, dokumen)

    @rpc(expected_exceptions=DomainError)
    def get_jadwal_audit(self, kode_pemda: str, dokumen: str, tahun: int, offset: int = 0, limit: int = 50) -> dict:
        return jadwal.get_jadwal_audit(self.storage.unit_of_work(), self.caller, kode_pemda, dokumen, tahun, offset,
                                       limit)

    @rpc(expected_exceptions=DomainError)
    def list_snapshot(self, kode_pemda: str, dokumen: str, tahun: int) -> dict:
        return jadwal.list_snapshot(self.storage.unit_of_work(), self.caller, kode_pemda, dokumen, tahun)

    @rpc(expected_exceptions=DomainError)
    def get_snapshot(self, kode_pemda: str, id: str, offset: int = 0, limit: int = 200,
                     kode_skpd: str | None = None) -> SnapshotOut:
        return jadwal.get_snapshot(self.storage.unit_of_work(), self.caller, kode_pemda, id, offset, limit, kode_skpd)

    # -- the SKPD's pagu indikatif ceiling -------------------------------------------------------------
    @rpc(expected_exceptions=DomainError)
    def set_pagu_skpd(self, kode_pemda: str, tahun: int, kode_skpd: str, data: dict,
                      expected_version: int | None = None) -> PaguSkpdOut:
        return pagu_skpd.set_pagu_skpd(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, kode_skpd, data,
                                       expected_version)

    @rpc(expected_exceptions=DomainError)
    def list_pagu_skpd(self, kode_pemda: str, tahun: int, kode_skpd: str | None = None) -> dict:
        return pagu_skpd.list_pagu_skpd(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, kode_skpd)

    # -- printed documents ----------------------------------------------------------------------------
    @rpc(expected_exceptions=DomainError)
    def dokumen_rkpd(self, kode_pemda: str, tahun: int, format: str, kode_skpd: str | None = None,
                     snapshot_id: str | None = None) -> dict:
        return dokumen.dokumen_rkpd(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, format, kode_skpd,
                                    snapshot_id)

    # -- code mapping: the berita acara (Bappeda) --------------------------------------------------------
    @rpc(expected_exceptions=DomainError)
    def list_perlu_pemetaan(self, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50) -> dict:
        return pemetaan.list_perlu_pemetaan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def create_berita_acara(self, kode_pemda: str, data: dict, idempotency_key: str | None = None) -> BeritaAcaraOut:
        return pemetaan.create_berita_acara(self.storage.unit_of_work(), self.caller, kode_pemda, data,
                                            idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def update_berita_acara(self, kode_pemda: str, id: str, data: dict,
                            expected_version: int | None = None) -> BeritaAcaraOut:
        return pemetaan.update_berita_acara(self.storage.unit_of_work(), self.caller, kode_pemda, id, data,
                                            expected_version)

    @rpc(expected_exceptions=DomainError)
    def sign_berita_acara(self, kode_pemda: str, id: str, data: dict,
                          expected_version: int | None = None) -> BeritaAcaraOut:
        return pemetaan.sign_berita_acara(self.storage.unit_of_work(), self.caller, kode_pemda, id, data,
                                          expected_version)

    @rpc(expected_exceptions=DomainError)
    def get_berita_acara(self, kode_pemda: str, id: str) -> BeritaAcaraOut:
        return pemetaan.get_berita_acara(self.storage.unit_of_work(), self.caller, kode_pemda, id)

    @rpc(expected_exceptions=DomainError)
    def list_berita_acara(self, kode_pemda: str, tahun: int | None = None, offset: int = 0, limit: int = 50) -> dict:
        return pemetaan.list_berita_acara(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, offset, limit)

    # -- the year's RKPD consistency report ------------------------------------------------------------
    @rpc(expected_exceptions=DomainError)
    def get_konsistensi_rkpd(self, kode_pemda: str, tahun: int) -> KonsistensiRkpdOut:
        return konsistensi.get_konsistensi_rkpd(self.storage.unit_of_work(), self.caller, kode_pemda, tahun)

    # -- the Renja: each SKPD's part of the year's RKPD, verified by Bappeda -----------------------------
    @rpc(expected_exceptions=DomainError)
    def submit_renja(self, kode_pemda: str, tahun: int, kode_skpd: str,
                     expected_version: int | None = None) -> RenjaOut:
        return renja.submit_renja(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, kode_skpd,
                                  expected_version)

    @rpc(expected_exceptions=DomainError)
    def verify_renja(self, kode_pemda: str, tahun: int, kode_skpd: str, data: dict,
                     expected_version: int | None = None) -> RenjaOut:
        return renja.verify_renja(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, kode_skpd, data,
                                  expected_version)

    @rpc(expected_exceptions=DomainError)
    def get_renja(self, kode_pemda: str, tahun: int, kode_skpd: str) -> RenjaOut:
        return renja.get_renja(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, kode_skpd)

    @rpc(expected_exceptions=DomainError)
    def list_renja(self, kode_pemda: str, tahun: int) -> dict:
        return renja.list_renja(self.storage.unit_of_work(), self.caller, kode_pemda, tahun)

    @rpc(expected_exceptions=DomainError)
    def import_renja(self, kode_pemda: str, tahun: int, kode_skpd: str, content_base64: str,
                     file_name: str = "", idempotency_key: str | None = None) -> ImporRenjaOut:
        return rkpd.import_renja(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, kode_skpd,
                                 base64.b64decode(content_base64), file_name, idempotency_key=idempotency_key)
    # -- proposals: usulan musrenbang and pokir DPRD --------------------------------------------------------
    @rpc(expected_exceptions=DomainError)
    def create_usulan(self, kode_pemda: str, tahun: int, data: dict, idempotency_key: str | None = None) -> UsulanOut:
        return usulan.create_usulan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data, idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def update_usulan(self, kode_pemda: str, tahun: int, id: str, data: dict,
                      expected_version: int | None = None) -> UsulanOut:
        return usulan.update_usulan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id, data,
                                    expected_version)

    @rpc(expected_exceptions=DomainError)
    def submit_usulan(self, kode_pemda: str, tahun: int, id: str, expected_version: int | None = None) -> UsulanOut:
        return usulan.submit_usulan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id, expected_version)

    @rpc(expected_exceptions=DomainError)
    def verify_usulan(self, kode_pemda: str, tahun: int, id: str, data: dict,
                      expected_version: int | None = None) -> UsulanOut:
        return usulan.verify_usulan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id, data,
                                    expected_version)

    @rpc(expected_exceptions=DomainError)
    def link_usulan(self, kode_pemda: str, tahun: int, id: str, data: dict,
                    expected_version: int | None = None) -> UsulanOut:
        return usulan.link_usulan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id, data,
                                  expected_version)

    @rpc(expected_exceptions=DomainError)
    def unlink_usulan(self, kode_pemda: str, tahun: int, id: str, expected_version: int | None = None) -> UsulanOut:
        return usulan.unlink_usulan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id, expected_version)

    @rpc(expected_exceptions=DomainError)
    def get_usulan(self, kode_pemda: str, tahun: int, id: str) -> UsulanOut:
        return usulan.get_usulan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id)

    @rpc(expected_exceptions=DomainError)
    def get_usulan_audit(self, kode_pemda: str, tahun: int, id: str, offset: int = 0, limit: int = 50) -> dict:
        return usulan.get_usulan_audit(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def list_usulan(self, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50, jenis: str | None = None,
                    status: str | None = None, kode_skpd: str | None = None, tingkat: str | None = None,
                    rkpd_id: str | None = None) -> dict:
        return usulan.list_usulan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, offset, limit, jenis,
                                  status, kode_skpd, tingkat, rkpd_id)

    # -- what is published: the enacted RKPD (public: no caller needed) -------------------------------
    @rpc(expected_exceptions=DomainError)
    def get_rkpd_terbit(self, kode_pemda: str, tahun: int) -> RkpdTerbitOut:
        return publikasi.get_rkpd_terbit(self.storage.unit_of_work(), kode_pemda, tahun)

    @rpc(expected_exceptions=DomainError)
    def list_rkpd_terbit(self, tahun: int) -> list:
        return publikasi.list_rkpd_terbit(self.storage.unit_of_work(), tahun)

    @rpc(expected_exceptions=DomainError)
    def list_tahun_terbit(self, kode_pemda: str) -> list:
        return publikasi.list_tahun_terbit(self.storage.unit_of_work(), kode_pemda)
