"""keuangan: ceilings from the plan's events, budget lines priced under them, checked against its own
replica of referensi's codification."""
from __future__ import annotations

from nameko.timer import timer

from contracts.keuangan import (
    AnggaranOut, ApbdDitetapkanOut, ApbdOut, ApbdPerubahanOut, DpaOut, GenerasiDpaOut, JadwalAnggaranOut, LraOut,
    LraPublikOut, PengesahanOut, PergeseranOut, PosOut, RasioApbdOut, RincianOut, RingkasanApbdOut,
    RingkasanMenurutOut, SnapshotAnggaranOut, Sp2dOut, SpdOut, SpmOut, SppOut,
)
from contracts.perencanaan import RkpdDitetapkan, RkpdSubKegiatanDeleted, RkpdSubKegiatanSaved
from contracts.referensi import (
    NomenklaturChanged, RekeningChanged, SkpdChanged, StandarHargaChanged, SumberDanaChanged,
)
from sipd_common.db import Storage
from sipd_common.errors import DomainError
from sipd_common import replica
from sipd_common.handlers import handles
from sipd_common.rpc import ServiceRpc, rpc
from sipd_common.service import SipdService

from .apbd import usecases as apbd
from .dpa import usecases as dpa
from .jadwal import usecases as jadwal
from .lra import usecases as lra
from .pendapatan import usecases as pendapatan
from .perubahan import usecases as perubahan
from .penatausahaan import usecases as belanja
from .penerimaan import usecases as penerimaan
from .plafon import usecases as plafon
from .ppas import usecases as ppas
from .replika import usecases as replika
from .replika.domain import KINDS as REPLICA_KINDS
from .rincian import usecases as rincian
from .rka import usecases as rka
from .uow import KeuanganUnitOfWork


class KeuanganService(SipdService):
    name = "keuangan"
    storage = Storage(KeuanganUnitOfWork)

    referensi = ServiceRpc("referensi", timeout=replica.SNAPSHOT_TIMEOUT)

    # -- from the plan ------------------------------------------------------------------------------------
    # the ceiling keeps the plan item's version and ignores one not newer: no inbox record needed
    @handles(RkpdSubKegiatanSaved, inbox=False)
    def on_rkpd_saved(self, uow, event):
        return plafon.apply_rkpd_saved(uow, event)

    @handles(RkpdSubKegiatanDeleted, inbox=False)
    def on_rkpd_deleted(self, uow, event):
        return plafon.apply_rkpd_deleted(uow, event)

    # -- from the codification (the replica) ----------------------------------------------------------------
    @handles(RekeningChanged)
    def on_rekening_changed(self, uow, event):
        replika.apply_changed(uow, "rekening", event)

    @handles(SkpdChanged)
    def on_skpd_changed(self, uow, event):
        replika.apply_changed(uow, "skpd", event)

    @handles(NomenklaturChanged)
    def on_nomenklatur_changed(self, uow, event):
        replika.apply_changed(uow, "nomenklatur", event)

    @handles(SumberDanaChanged)
    def on_sumber_dana_changed(self, uow, event):
        replika.apply_changed(uow, "sumber_dana", event)

    @handles(StandarHargaChanged)
    def on_standar_harga_changed(self, uow, event):
        replika.apply_changed(uow, "standar_harga", event)

    def readiness(self) -> str | None:
        return replica.readiness(self.storage.engine, REPLICA_KINDS)

    @timer(interval=2, eager=True)
    def fill_replika(self):
        return replika.fill_replika(self.storage, replica.snapshot_rpc(self.referensi, "referensi"))

    # -- budget lines and ceilings ------------------------------------------------------------------------
    @rpc(expected_exceptions=DomainError)
    def create_rincian(self, kode_pemda: str, tahun: int, data: dict, idempotency_key: str | None = None) -> RincianOut:
        return rincian.create_rincian(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data,
                                      idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def get_rincian(self, kode_pemda: str, tahun: int, id: str) -> RincianOut:
        return rincian.get_rincian(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id)

    @rpc(expected_exceptions=DomainError)
    def get_rincian_audit(self, kode_pemda: str, tahun: int, id: str, offset: int = 0, limit: int = 50) -> dict:
        return rincian.rincian_audit(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def list_rincian(self, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50,
                     rkpd_id: str | None = None) -> dict:
        return rincian.list_rincian(self.storage.unit_of_work(autocommit=True), self.caller, kode_pemda, tahun, offset,
                                    limit, rkpd_id)

    @rpc(expected_exceptions=DomainError)
    def list_plafon(self, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50) -> dict:
        return plafon.list_plafon(self.storage.unit_of_work(autocommit=True), self.caller, kode_pemda, tahun, offset,
                                  limit)

    # -- KUA-PPAS (issue 13, part 1) ----------------------------------------------------------------------
    @handles(RkpdDitetapkan)
    def on_rkpd_ditetapkan(self, uow, event):
        ppas.apply_rkpd_ditetapkan(uow, event)

    # ``perubahan``: the APBD-P's KUA-PPAS perubahan (the same steps, its own ceilings)
    @rpc(expected_exceptions=DomainError)
    def get_ppas(self, kode_pemda: str, tahun: int, perubahan: bool = False) -> dict:
        return ppas.get_ppas(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, perubahan)

    @rpc(expected_exceptions=DomainError)
    def list_pagu_ppas(self, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50, tingkat: str | None = None,
                       kode_skpd: str | None = None, perubahan: bool = False) -> dict:
        return ppas.list_pagu_ppas(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, offset, limit, tingkat,
                                   kode_skpd, perubahan)

    @rpc(expected_exceptions=DomainError)
    def adjust_ppas(self, kode_pemda: str, tahun: int, data: dict, perubahan: bool = False) -> dict:
        return ppas.adjust_ppas(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data, perubahan)

    @rpc(expected_exceptions=DomainError)
    def agree_ppas(self, kode_pemda: str, tahun: int, data: dict, perubahan: bool = False) -> dict:
        return ppas.agree_ppas(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data, perubahan)

    @rpc(expected_exceptions=DomainError)
    def get_ppas_audit(self, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50) -> dict:
        return ppas.ppas_audit(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def list_pergeseran(self, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50) -> dict:
        return ppas.list_pergeseran(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def decide_pergeseran(self, kode_pemda: str, tahun: int, rkpd_id: str, terima: bool, data: dict | None = None) -> dict:
        return ppas.decide_pergeseran(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, rkpd_id, terima, data)

    # -- RKA-SKPD (issue 13, part 2) ----------------------------------------------------------------------
    @rpc(expected_exceptions=DomainError)
    def create_rka_rincian(self, kode_pemda: str, tahun: int, data: dict, idempotency_key: str | None = None) -> dict:
        return rincian.create_rka_rincian(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data,
                                          idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def update_rka_rincian(self, kode_pemda: str, tahun: int, id: str, data: dict) -> RincianOut:
        return rincian.update_rka_rincian(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id, data)

    @rpc(expected_exceptions=DomainError)
    def delete_rincian(self, kode_pemda: str, tahun: int, id: str) -> None:
        return rincian.delete_rincian(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id)

    @rpc(expected_exceptions=DomainError)
    def get_rka_sub_kegiatan(self, kode_pemda: str, tahun: int, rkpd_id: str) -> dict:
        return rka.get_rka_sub_kegiatan(self.storage.unit_of_work(autocommit=True), self.caller, kode_pemda, tahun,
                                        rkpd_id)

    @rpc(expected_exceptions=DomainError)
    def create_verifikasi(self, kode_pemda: str, tahun: int, rkpd_id: str, data: dict,
                          idempotency_key: str | None = None) -> dict:
        return rka.create_verifikasi(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, rkpd_id, data,
                                     idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def list_verifikasi(self, kode_pemda: str, tahun: int, rkpd_id: str) -> dict:
        return rka.list_verifikasi(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, rkpd_id)

    @rpc(expected_exceptions=DomainError)
    def answer_verifikasi(self, kode_pemda: str, tahun: int, id: str, data: dict) -> dict:
        return rka.answer_verifikasi(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id, data)

    @rpc(expected_exceptions=DomainError)
    def import_rka(self, kode_pemda: str, tahun: int, kode_skpd: str, content_b64: str, file_name: str = "rka.xlsx") -> dict:
        return rka.import_rka(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, kode_skpd, content_b64,
                              file_name)
    # -- the APBD: revenue and financing, its summary and ratios, evaluation and enactment -----------------
    @rpc(expected_exceptions=DomainError)
    def create_pendapatan(self, kode_pemda: str, tahun: int, data: dict, idempotency_key: str | None = None) -> AnggaranOut:
        return pendapatan.create_pendapatan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data,
                                            idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def create_pembiayaan(self, kode_pemda: str, tahun: int, data: dict, idempotency_key: str | None = None) -> AnggaranOut:
        return pendapatan.create_pembiayaan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data,
                                            idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def list_pendapatan(self, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50) -> dict:
        return pendapatan.list_pendapatan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def list_pembiayaan(self, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50) -> dict:
        return pendapatan.list_pembiayaan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def ringkasan_apbd(self, kode_pemda: str, tahun: int, tingkat: int = 3, sumber: str = "draft") -> RingkasanApbdOut:
        return apbd.ringkasan(self.storage.unit_of_work(autocommit=True), self.caller, kode_pemda, tahun, tingkat,
                              sumber)

    @rpc(expected_exceptions=DomainError)
    def ringkasan_apbd_menurut(self, kode_pemda: str, tahun: int, menurut: str,
                               sumber: str = "draft") -> RingkasanMenurutOut:
        return apbd.ringkasan_menurut(self.storage.unit_of_work(autocommit=True), self.caller, kode_pemda, tahun,
                                      menurut, sumber)

    @rpc(expected_exceptions=DomainError)
    def rasio_apbd(self, kode_pemda: str, tahun: int, sumber: str = "draft") -> RasioApbdOut:
        return apbd.rasio(self.storage.unit_of_work(autocommit=True), self.caller, kode_pemda, tahun, sumber)

    @rpc(expected_exceptions=DomainError)
    def get_apbd(self, kode_pemda: str, tahun: int) -> ApbdOut:
        return apbd.get_apbd(self.storage.unit_of_work(), self.caller, kode_pemda, tahun)

    @rpc(expected_exceptions=DomainError)
    def ajukan_apbd(self, kode_pemda: str, tahun: int) -> ApbdOut:
        return apbd.ajukan_apbd(self.storage.unit_of_work(), self.caller, kode_pemda, tahun)

    @rpc(expected_exceptions=DomainError)
    def evaluasi_apbd(self, kode_pemda: str, tahun: int, data: dict) -> ApbdOut:
        return apbd.evaluasi_apbd(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data)

    @rpc(expected_exceptions=DomainError)
    def tetapkan_apbd(self, kode_pemda: str, tahun: int, data: dict) -> ApbdOut:
        return apbd.tetapkan_apbd(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data)

    @rpc(expected_exceptions=DomainError)
    def get_penetapan_apbd(self, kode_pemda: str, tahun: int) -> ApbdDitetapkanOut:
        return apbd.get_penetapan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun)

    @rpc(expected_exceptions=DomainError)
    def get_apbd_terbit(self, kode_pemda: str, tahun: int) -> ApbdDitetapkanOut:
        return apbd.get_apbd_terbit(self.storage.unit_of_work(), kode_pemda, tahun)

    @rpc(expected_exceptions=DomainError)
    def dokumen_apbd(self, kode_pemda: str, tahun: int, format: str) -> dict:
        return apbd.dokumen_lampiran(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, format)

    # -- the budget's schedule windows (jadwal anggaran): TAPD schedules, extends, locks and reopens the stages -------
    @rpc(expected_exceptions=DomainError)
    def create_jadwal_anggaran(self, kode_pemda: str, tahun: int, data: dict,
                               idempotency_key: str | None = None) -> JadwalAnggaranOut:
        return jadwal.create_jadwal_anggaran(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data,
                                             idempotency_key=idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def get_jadwal_anggaran(self, kode_pemda: str, tahun: int) -> JadwalAnggaranOut:
        return jadwal.get_jadwal_anggaran(self.storage.unit_of_work(), self.caller, kode_pemda, tahun)

    @rpc(expected_exceptions=DomainError)
    def extend_tahap_anggaran(self, kode_pemda: str, tahun: int, kode_tahap: str, data: dict) -> JadwalAnggaranOut:
        return jadwal.extend_tahap_anggaran(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, kode_tahap,
                                            data)

    @rpc(expected_exceptions=DomainError)
    def lock_tahap_anggaran(self, kode_pemda: str, tahun: int, kode_tahap: str) -> JadwalAnggaranOut:
        return jadwal.lock_tahap_anggaran(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, kode_tahap)

    @rpc(expected_exceptions=DomainError)
    def reopen_tahap_anggaran(self, kode_pemda: str, tahun: int, kode_tahap: str, data: dict) -> JadwalAnggaranOut:
        return jadwal.reopen_tahap_anggaran(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, kode_tahap,
                                            data)

    @rpc(expected_exceptions=DomainError)
    def get_snapshot_anggaran(self, kode_pemda: str, tahun: int, id: str) -> SnapshotAnggaranOut:
        return jadwal.get_snapshot_anggaran(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id)

    # -- DPA-SKPD and its cash plan (issue 13, part 6); the printed RKA-SKPD and DPA-SKPD (part 8) ---------------
    @rpc(expected_exceptions=DomainError)
    def generate_dpa(self, kode_pemda: str, tahun: int, kode_skpd: str | None = None,
                     idempotency_key: str | None = None) -> GenerasiDpaOut:
        return dpa.generate_dpa(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, kode_skpd,
                                idempotency_key=idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def list_dpa(self, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50,
                 kode_skpd: str | None = None) -> dict:
        return dpa.list_dpa(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, offset, limit, kode_skpd)

    @rpc(expected_exceptions=DomainError)
    def get_dpa(self, kode_pemda: str, tahun: int, kode_skpd: str, versi: int | None = None) -> DpaOut:
        return dpa.get_dpa(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, kode_skpd, versi)

    @rpc(expected_exceptions=DomainError)
    def list_versi_dpa(self, kode_pemda: str, tahun: int, kode_skpd: str) -> dict:
        return dpa.list_versi(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, kode_skpd)

    @rpc(expected_exceptions=DomainError)
    def ubah_kas_dpa(self, kode_pemda: str, tahun: int, kode_skpd: str, data: dict) -> DpaOut:
        return dpa.ubah_kas(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, kode_skpd, data)

    @rpc(expected_exceptions=DomainError)
    def sahkan_dpa(self, kode_pemda: str, tahun: int, kode_skpd: str, data: dict) -> DpaOut:
        return dpa.sahkan_dpa(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, kode_skpd, data)

    @rpc(expected_exceptions=DomainError)
    def dokumen_dpa(self, kode_pemda: str, tahun: int, kode_skpd: str, format: str, versi: int | None = None) -> dict:
        return dpa.dokumen_dpa(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, kode_skpd, format, versi)

    @rpc(expected_exceptions=DomainError)
    def dokumen_rka(self, kode_pemda: str, tahun: int, kode_skpd: str, format: str) -> dict:
        return rka.dokumen_rka(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, kode_skpd, format)

    # -- the LRA (issue 14) ------------------------------------------------------------------------------------
    @rpc(expected_exceptions=DomainError)
    def get_lra(self, kode_pemda: str, tahun: int, periode: str = "tahun", tingkat: int = 6,
                kode_skpd: str | None = None) -> LraOut:
        return lra.get_lra(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, periode, tingkat, kode_skpd)

    @rpc(expected_exceptions=DomainError)
    def dokumen_lra(self, kode_pemda: str, tahun: int, format: str, periode: str = "tahun", tingkat: int = 6,
                    kode_skpd: str | None = None) -> dict:
        return lra.dokumen_lra(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, format, periode, tingkat,
                               kode_skpd)

    @rpc(expected_exceptions=DomainError)
    def get_lra_publik(self, kode_pemda: str, tahun: int, tingkat: int = 2) -> LraPublikOut:
        return lra.get_lra_publik(self.storage.unit_of_work(), kode_pemda, tahun, tingkat)

    # -- the APBD-P (perubahan) and the pergeseran of the enacted APBD --------------------------------------
    @rpc(expected_exceptions=DomainError)
    def get_apbd_perubahan(self, kode_pemda: str, tahun: int) -> ApbdPerubahanOut:
        return perubahan.get_perubahan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun)

    @rpc(expected_exceptions=DomainError)
    def list_pos_anggaran(self, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50) -> dict:
        return perubahan.list_pos(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, offset, limit)

    @rpc(expected_exceptions=DomainError)
    def buka_apbd_perubahan(self, kode_pemda: str, tahun: int, idempotency_key: str | None = None) -> ApbdPerubahanOut:
        return perubahan.buka_perubahan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def ubah_pos_anggaran(self, kode_pemda: str, tahun: int, data: dict) -> PosOut:
        return perubahan.ubah_pos(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data)

    @rpc(expected_exceptions=DomainError)
    def ajukan_apbd_perubahan(self, kode_pemda: str, tahun: int) -> ApbdPerubahanOut:
        return perubahan.ajukan_perubahan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun)

    @rpc(expected_exceptions=DomainError)
    def evaluasi_apbd_perubahan(self, kode_pemda: str, tahun: int, data: dict) -> ApbdPerubahanOut:
        return perubahan.evaluasi_perubahan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data)

    @rpc(expected_exceptions=DomainError)
    def tetapkan_apbd_perubahan(self, kode_pemda: str, tahun: int, data: dict) -> ApbdPerubahanOut:
        return perubahan.tetapkan_perubahan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data)

    @rpc(expected_exceptions=DomainError)
    def dokumen_apbd_perubahan(self, kode_pemda: str, tahun: int, format: str) -> dict:
        return perubahan.dokumen_lampiran(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, format)

    @rpc(expected_exceptions=DomainError)
    def geser_anggaran(self, kode_pemda: str, tahun: int, data: dict,
                       idempotency_key: str | None = None) -> PergeseranOut:
        return perubahan.geser(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data, idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def list_pergeseran_anggaran(self, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50) -> dict:
        return perubahan.list_pergeseran(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, offset, limit)
    # -- penatausahaan (issue 14): revenue received (TBP → STS → realised revenue) ------------------------
    @rpc(expected_exceptions=DomainError)
    def buat_tbp(self, kode_pemda: str, tahun: int, data: dict, idempotency_key: str | None = None) -> dict:
        return penerimaan.buat_tbp(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data, idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def list_tbp(self, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50, kode_skpd: str | None = None,
                 belum_disetor: bool = False) -> dict:
        return penerimaan.list_tbp(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, offset, limit,
                                   kode_skpd, belum_disetor)

    @rpc(expected_exceptions=DomainError)
    def get_tbp(self, kode_pemda: str, tahun: int, id: str) -> dict:
        return penerimaan.get_tbp(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id)

    @rpc(expected_exceptions=DomainError)
    def buat_sts(self, kode_pemda: str, tahun: int, data: dict, idempotency_key: str | None = None) -> dict:
        return penerimaan.buat_sts(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data, idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def validasi_sts(self, kode_pemda: str, tahun: int, id: str) -> dict:
        return penerimaan.validasi_sts(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id)

    @rpc(expected_exceptions=DomainError)
    def get_sts(self, kode_pemda: str, tahun: int, id: str) -> dict:
        return penerimaan.get_sts(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id)

    @rpc(expected_exceptions=DomainError)
    def list_sts(self, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50,
                 kode_skpd: str | None = None) -> dict:
        return penerimaan.list_sts(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, offset, limit,
                                   kode_skpd)

    @rpc(expected_exceptions=DomainError)
    def list_realisasi_pendapatan(self, kode_pemda: str, tahun: int, offset: int = 0, limit: int = 50,
                                  kode_skpd: str | None = None) -> dict:
        return penerimaan.list_realisasi_pendapatan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun,
                                                    offset, limit, kode_skpd)

    # -- penatausahaan (issue 14): spending, SPD → SPP → SPM → SP2D → realisation ------------------------------
    @rpc(expected_exceptions=DomainError)
    def buat_spd(self, kode_pemda: str, tahun: int, data: dict, idempotency_key: str | None = None) -> SpdOut:
        return belanja.buat_spd(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data, idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def otorisasi_spd(self, kode_pemda: str, tahun: int, id: str) -> SpdOut:
        return belanja.otorisasi_spd(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id)

    @rpc(expected_exceptions=DomainError)
    def get_spd(self, kode_pemda: str, tahun: int, id: str) -> SpdOut:
        return belanja.get_spd(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id)

    @rpc(expected_exceptions=DomainError)
    def list_spd(self, kode_pemda: str, tahun: int,
                 offset: int = 0, limit: int = 50, kode_skpd: str | None = None) -> dict:
        return belanja.list_spd(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, offset, limit, kode_skpd)

    @rpc(expected_exceptions=DomainError)
    def ajukan_pengesahan(self, kode_pemda: str, tahun: int, data: dict,
                          idempotency_key: str | None = None) -> PengesahanOut:
        return belanja.ajukan_pengesahan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data,
                                         idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def setujui_pengesahan(self, kode_pemda: str, tahun: int, id: str) -> PengesahanOut:
        return belanja.setujui_pengesahan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id)

    @rpc(expected_exceptions=DomainError)
    def get_pengesahan(self, kode_pemda: str, tahun: int, id: str) -> PengesahanOut:
        return belanja.get_pengesahan(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id)

    @rpc(expected_exceptions=DomainError)
    def tetapkan_besaran_up(self, kode_pemda: str, tahun: int, data: dict) -> dict:
        return belanja.tetapkan_besaran_up(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data)

    @rpc(expected_exceptions=DomainError)
    def buat_spp(self, kode_pemda: str, tahun: int, data: dict, idempotency_key: str | None = None) -> SppOut:
        return belanja.buat_spp(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data, idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def ajukan_spp(self, kode_pemda: str, tahun: int, id: str) -> SppOut:
        return belanja.ajukan_spp(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id)

    @rpc(expected_exceptions=DomainError)
    def verifikasi_spp(self, kode_pemda: str, tahun: int, id: str, data: dict) -> SppOut:
        return belanja.verifikasi_spp(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id, data)

    @rpc(expected_exceptions=DomainError)
    def kembalikan_tu(self, kode_pemda: str, tahun: int, id: str, nilai: str,
                      idempotency_key: str | None = None) -> SppOut:
        return belanja.kembalikan_tu(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id, nilai,
                                     idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def get_spp(self, kode_pemda: str, tahun: int, id: str) -> SppOut:
        return belanja.get_spp(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id)

    @rpc(expected_exceptions=DomainError)
    def list_spp(self, kode_pemda: str, tahun: int,
                 offset: int = 0, limit: int = 50, kode_skpd: str | None = None) -> dict:
        return belanja.list_spp(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, offset, limit, kode_skpd)

    @rpc(expected_exceptions=DomainError)
    def buat_spm(self, kode_pemda: str, tahun: int, data: dict, idempotency_key: str | None = None) -> SpmOut:
        return belanja.buat_spm(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data, idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def tandatangani_spm(self, kode_pemda: str, tahun: int, id: str) -> SpmOut:
        return belanja.tandatangani_spm(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id)

    @rpc(expected_exceptions=DomainError)
    def putuskan_spm(self, kode_pemda: str, tahun: int, id: str, data: dict) -> SpmOut:
        return belanja.putuskan_spm(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id, data)

    @rpc(expected_exceptions=DomainError)
    def get_spm(self, kode_pemda: str, tahun: int, id: str) -> SpmOut:
        return belanja.get_spm(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id)

    @rpc(expected_exceptions=DomainError)
    def list_spm(self, kode_pemda: str, tahun: int,
                 offset: int = 0, limit: int = 50, kode_skpd: str | None = None) -> dict:
        return belanja.list_spm(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, offset, limit, kode_skpd)

    @rpc(expected_exceptions=DomainError)
    def buat_sp2d(self, kode_pemda: str, tahun: int, data: dict, idempotency_key: str | None = None) -> Sp2dOut:
        return belanja.buat_sp2d(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, data, idempotency_key)

    @rpc(expected_exceptions=DomainError)
    def terbitkan_sp2d(self, kode_pemda: str, tahun: int, id: str) -> Sp2dOut:
        return belanja.terbitkan_sp2d(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id)

    @rpc(expected_exceptions=DomainError)
    def cairkan_sp2d(self, kode_pemda: str, tahun: int, id: str, tanggal: str | None = None) -> Sp2dOut:
        return belanja.cairkan_sp2d(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id, tanggal)

    @rpc(expected_exceptions=DomainError)
    def get_sp2d(self, kode_pemda: str, tahun: int, id: str) -> Sp2dOut:
        return belanja.get_sp2d(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, id)

    @rpc(expected_exceptions=DomainError)
    def list_sp2d(self, kode_pemda: str, tahun: int,
                  offset: int = 0, limit: int = 50, kode_skpd: str | None = None) -> dict:
        return belanja.list_sp2d(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, offset, limit, kode_skpd)

    @rpc(expected_exceptions=DomainError)
    def list_realisasi_belanja(self, kode_pemda: str, tahun: int,
                               offset: int = 0, limit: int = 50, kode_skpd: str | None = None) -> dict:
        return belanja.list_realisasi_belanja(self.storage.unit_of_work(), self.caller, kode_pemda, tahun,
                                              offset, limit, kode_skpd)

    @rpc(expected_exceptions=DomainError)
    def dokumen_belanja(self, kode_pemda: str, tahun: int, jenis: str, id: str, format: str) -> dict:
        """An SPD, SPP, SPM or SP2D as printed (XLSX or PDF)."""
        return belanja.dokumen_belanja(self.storage.unit_of_work(), self.caller, kode_pemda, tahun, jenis, id, format)
