"""keuangan's realisation as pemerintahan keeps it: each ``realisasi.berubah`` stored at its account's newest total."""
from __future__ import annotations

from contracts.keuangan import RealisasiBerubah
from sipd_common.events import check_version_step

from .domain import kode_bidang_urusan


def apply_realisasi_berubah(uow, event: RealisasiBerubah) -> None:
    """The account's total as the event says, unless a newer one is held (``perubahan`` is not added: a repeated
    or reordered event would count twice)."""
    check_version_step(event.aggregate_version, lambda: uow.realisasi.versi(event.aggregate_id))
    uow.realisasi.simpan(dict(
        id=event.aggregate_id, kode_pemda=event.kode_pemda, tahun=event.tahun, jenis=event.jenis,
        kode_skpd=event.kode_skpd, kode_sub_kegiatan=event.kode_sub_kegiatan,
        kode_bidang_urusan=kode_bidang_urusan(event.kode_sub_kegiatan) if event.jenis == "belanja" else None,
        kode_rekening=event.kode_rekening, jumlah=event.jumlah, source_version=event.aggregate_version))
