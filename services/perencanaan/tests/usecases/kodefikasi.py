"""A small codification, in the shape referensi publishes it (change items and snapshot pages)."""
from __future__ import annotations

from contracts.referensi import NomenklaturChanged, SkpdChanged, WilayahChanged

V1, V2 = "kepmendagri-050-5889-2021", "kepmendagri-900-2026"

KOTA, PROVINSI = "32.73", "32"
DINAS_PENDIDIKAN = "1.01.0.00.0.00.01.0000"
DINAS_KESEHATAN = "1.02.0.00.0.00.01.0000"
DINAS_LAMA = "1.01.0.00.0.00.09.0000"  # retired in V2
USB = "1.01.02.2.01.0001"  # Pembangunan Unit Sekolah Baru (kabupaten/kota)
USB_PROVINSI = "1.01.02.1.01.0001"
PUSKESMAS = "1.02.02.2.01.0001"
SUB_LAMA = "1.01.02.2.01.0002"  # retired in V2, replaced by USB_BARU
USB_BARU = "1.01.02.2.01.0026"


def _validity(revisi: int, retired: bool = False, pengganti=(), valid_from: str = V1) -> dict:
    return {"valid_from": valid_from, "valid_until": V2 if retired else None, "revisi": revisi,
            "aksi": "retired" if retired else "added", "kode_pengganti": list(pengganti)}


def nomenklatur(kode: str, tingkat: str, nama: str, revisi: int, **validity) -> dict:
    induk = None if tingkat == "urusan" else kode.rsplit(".", 2 if tingkat == "kegiatan" else 1)[0]
    return {"kode": kode, "tingkat": tingkat, "nama": nama, "kode_induk": induk, "kinerja": None, "indikator": None,
            "satuan": None, **_validity(revisi, **validity)}


def skpd(kode_pemda: str, kode: str, nama: str, bidang: list[str], revisi: int, **validity) -> dict:
    return {"kode_pemda": kode_pemda, "kode": kode, "nama": nama, "bidang_urusan": bidang, **_validity(revisi, **validity)}


def wilayah(kode: str, nama: str, revisi: int, **validity) -> dict:
    tingkat = {1: "provinsi", 2: "kabupaten_kota", 3: "kecamatan", 4: "desa"}[kode.count(".") + 1]
    return {"kode": kode, "tingkat": tingkat, "nama": nama, "kode_induk": kode.rsplit(".", 1)[0] if "." in kode else None,
            **_validity(revisi, **validity)}


NOMENKLATUR = [
    nomenklatur("1", "urusan", "URUSAN WAJIB PELAYANAN DASAR", 1),
    nomenklatur("1.01", "bidang_urusan", "URUSAN PEMERINTAHAN BIDANG PENDIDIKAN", 2),
    nomenklatur("1.02", "bidang_urusan", "URUSAN PEMERINTAHAN BIDANG KESEHATAN", 3),
    nomenklatur("1.01.02", "program", "PROGRAM PENGELOLAAN PENDIDIKAN", 4),
    nomenklatur("1.01.02.2.01", "kegiatan", "Pengelolaan Pendidikan Sekolah Dasar", 5),
    nomenklatur(USB, "sub_kegiatan", "Pembangunan Unit Sekolah Baru", 6),
    nomenklatur(USB_PROVINSI, "sub_kegiatan", "Pembangunan SMA Baru", 7),
    nomenklatur(PUSKESMAS, "sub_kegiatan", "Pembangunan Puskesmas", 8),
    nomenklatur(SUB_LAMA, "sub_kegiatan", "Penambahan Ruang Kelas", 30, retired=True, pengganti=[USB_BARU]),
    nomenklatur(USB_BARU, "sub_kegiatan", "Penambahan Ruang Kelas Baru", 31, valid_from=V2),
]
SKPD = [
    skpd(KOTA, DINAS_PENDIDIKAN, "Dinas Pendidikan", ["1.01"], 10),
    skpd(KOTA, DINAS_KESEHATAN, "Dinas Kesehatan", ["1.02"], 11),
    skpd(KOTA, DINAS_LAMA, "Dinas Lama", ["1.01"], 32, retired=True),
    skpd(PROVINSI, DINAS_PENDIDIKAN, "Dinas Pendidikan", ["1.01"], 12),
]
WILAYAH = [
    wilayah(PROVINSI, "Jawa Barat", 20),
    wilayah(KOTA, "Kota Bandung", 21),
    wilayah("32.04", "Kabupaten Bandung", 22),
    wilayah("32.73.01", "Sukasari", 23),  # a district: not a pemda, where an item may be located
    wilayah("32.73.01.1001", "Sukarasa", 24),  # villages (desa/kelurahan)
    wilayah("32.73.01.1002", "Gegerkalong", 25),
    wilayah("32.73.02", "Coblong", 26),
    wilayah("32.73.02.1001", "Cipaganti", 27),
]
SNAPSHOT = {"nomenklatur": NOMENKLATUR, "skpd": SKPD, "wilayah": WILAYAH}


def changed(kind: str, items: list[dict], urutan: int | None = None, **envelope):
    cls = {"nomenklatur": NomenklaturChanged, "skpd": SkpdChanged, "wilayah": WilayahChanged}[kind]
    return cls(versi=V2, aggregate_id=kind, aggregate_version=max(i["revisi"] for i in items), perubahan=items,
               urutan=urutan, **envelope)
