"""referensi's RPC contract: what its look-ups return."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class KodeNama(BaseModel):
    kode: str
    nama: str | None


class SubKegiatanOut(BaseModel):
    kode: str
    nama: str
    kinerja: str | None
    indikator: str | None
    satuan: str | None
    level_pemerintahan: Literal["provinsi", "kabupaten_kota"]
    kegiatan: KodeNama
    program: KodeNama
    bidang_urusan: KodeNama
    urusan: KodeNama


class RekeningOut(BaseModel):
    kode: str
    nama: str
    tingkat: Literal["akun", "kelompok", "jenis", "objek", "rincian_objek", "sub_rincian_objek"]
    akun: str
    kode_induk: str | None


class PemdaOut(BaseModel):
    kode: str
    nama: str
    jenis: Literal["provinsi", "kabupaten", "kota"]
    kode_provinsi: str
