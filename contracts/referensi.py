"""referensi's published language: what its look-ups return, what an import is asked and what it
reports, the paged snapshot its consumers fill their replicas from, and its events.

Every record carries its validity: the version that introduced this state of it
(``valid_from``), the version that changed or retired it (``valid_until``, null while
current), ``berlaku`` (true while current) and, once retired, the codes that replace it
(``kode_pengganti``, from the crosswalk).

Events travel on the topic exchange ``referensi.events``:

- ``referensi.<list>.changed.v1``: records of one list added, changed or retired by an import, each
  with its whole state, in batches of at most ``BATCH``. Each event has its place in its list's stream
  (``urutan``: 1, 2, 3, … without gaps, in commit order), so a consumer that keeps a replica of a list
  can tell a missed event and repair from ``Snapshot``. A retired item carries its replacements.
- ``referensi.kode.retired.v1`` (deprecated): one event per retired code. The change events carry
  the same (``aksi: retired`` with ``kode_pengganti``) in batches; it is published beside them until
  the consumers outside SIPD have moved.
"""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sipd_common.events import Event
from sipd_common.money import Money

Kind = Literal["nomenklatur", "rekening", "sumber_dana", "wilayah", "skpd", "standar_harga"]
Mode = Literal["full", "diff"]
Aksi = Literal["added", "changed", "retired"]
TingkatNomenklatur = Literal["urusan", "bidang_urusan", "program", "kegiatan", "sub_kegiatan"]
TingkatRekening = Literal["akun", "kelompok", "jenis", "objek", "rincian_objek", "sub_rincian_objek"]
TingkatWilayah = Literal["provinsi", "kabupaten_kota", "kecamatan", "desa"]
JenisStandarHarga = Literal["SSH", "SBU", "HSPK", "ASB"]
LevelPemerintahan = Literal["provinsi", "kabupaten_kota"]
Varian = Literal["umum", "provinsi"]
VARIAN = Field(default="umum", description=(
    "Which of a code's records this is. `umum`: the record every pemda reads, unless its level has a variant of its "
    "own; `provinsi`: the provincial lampiran's content of a code to which the regency/city lampiran gives other "
    "content (the 2027 list: the two lampiran number some records independently), read by provinces. A code has "
    "at most one record of each."))
JenisVersi = Literal["keputusan", "pemutakhiran", "ekspor_sipd"]
SUMBER = Field(default=None, max_length=60, description=(
    "Where the row comes from: a source of `services/referensi/data/sumber/PROVENANCE.md` (e.g. `sesendok:subkeg900`, "
    "`aklap:saldoawal`), `tulisan-tangan` for a row written by hand to fill a gap of the sources, `contoh` for "
    "sample data."))


class Berlaku(BaseModel):
    valid_from: str = Field(description="The version that introduced this state of the record, e.g. `kepmendagri-050-5889-2021`.")
    valid_until: str | None = Field(description="The version that changed or retired it; null while current.")
    revisi: int = Field(description="Grows with every change of any record of the codification; orders the change events.")


class Status(BaseModel):
    berlaku: bool = Field(description="True while the record is part of the current codification.")
    kode_pengganti: list[str] = Field(description="Once retired: the codes that replace it (crosswalk); empty otherwise.")
    dari_daftar_resmi: bool = Field(default=True, description=(
        "False for a row written by hand to fill a gap of the published lists, and for sample data (`sumber`)."))


# -- records (as stored; the change events carry these) -----------------------------------------------

class _Nomenklatur(BaseModel):
    kode: str
    varian: Varian = VARIAN
    tingkat: TingkatNomenklatur
    nama: str
    kode_induk: str | None = Field(description="The parent: bidang urusan of a program, program of a kegiatan, …")
    kinerja: str | None = Field(description="Output of a sub kegiatan (kinerja).")
    indikator: str | None
    satuan: str | None
    sumber: str | None = SUMBER
    lingkup: list[LevelPemerintahan] | None = Field(default=None, description=(
        "The lampiran that list the record: `provinsi`, `kabupaten_kota` (the 2023 list is of regencies and cities)."))
    spm: bool | None = Field(default=None, description="Serves a minimum service standard (SPM), as the 2027 list says.")
    tag: list[str] | None = Field(default=None, description="Themes the 2027 list tags the sub kegiatan with.")
    jenis: str | None = Field(default=None, description="`Layanan` or `Aktifitas`, as the 2027 list says.")
    pelaksana: str | None = Field(default=None, description="Who carries it out, as the 2027 list says.")
    definisi_operasional: str | None = Field(default=None, description="Its operational definition (2027 list).")


class NomenklaturData(Berlaku, _Nomenklatur):
    pass


class _Rekening(BaseModel):
    kode: str
    tingkat: TingkatRekening
    akun: str = Field(description="The root: aset, kewajiban, ekuitas, pendapatan, belanja, pembiayaan, pendapatan_lo, beban.")
    peruntukan: str = Field(description="What the account is for, e.g. `belanja_pegawai`, `belanja_modal`, `pendapatan_asli_daerah`.")
    nama: str
    kode_induk: str | None
    sumber: str | None = SUMBER
    keterangan: str | None = Field(default=None, description=(
        "What the account records (\"Digunakan untuk mencatat …\"), as the lampiran describes belanja accounts."))


class RekeningData(Berlaku, _Rekening):
    pass


class _SumberDana(BaseModel):
    kode: str
    tingkat: int = Field(ge=1, le=6)
    nama: str
    kode_induk: str | None
    sumber: str | None = SUMBER
    keterangan: str | None = Field(default=None, description="Its description in the lampiran.")
    set_input: bool | None = Field(default=None, description="SIPD-RI's flag: may a budget line name it (TA 2025 list).")


class SumberDanaData(Berlaku, _SumberDana):
    pass


class _Wilayah(BaseModel):
    kode: str
    tingkat: TingkatWilayah
    nama: str
    kode_induk: str | None


class WilayahData(Berlaku, _Wilayah):
    pass


class _Skpd(BaseModel):
    kode_pemda: str
    kode: str = Field(description="Organisation code, e.g. `1.01.0.00.0.00.01.0000`.")
    nama: str
    bidang_urusan: list[str] = Field(description=(
        "The one to three bidang urusan the SKPD serves: from its code, or as its list names them "
        "(`sumber_bidang_urusan`)."))
    sumber: str | None = SUMBER
    sumber_bidang_urusan: str | None = Field(default=None, max_length=60, description=(
        "Where `bidang_urusan` comes from when not from the SKPD's code: `tulisan-tangan` when it was named by hand "
        "in this project (Kabupaten Pasangkayu's units are numbered before Permendagri 90/2019), else the source "
        "of `sumber`; null when read from the code."))


class SkpdData(Berlaku, _Skpd):
    pass


class _StandarHarga(BaseModel):
    kode_pemda: str
    tahun: int
    kode: str
    jenis: JenisStandarHarga = Field(description="SSH (goods), SBU (costs), HSPK (unit works), ASB (cost norms).")
    uraian: str
    spesifikasi: str | None
    satuan: str
    harga: Money
    kode_rekening: list[str] = Field(description="The belanja accounts (sub rincian objek) on which the item may be spent.")
    sumber: str | None = SUMBER
    kode_kelompok: str | None = Field(default=None, description="The goods group (kelompok barang) of the item.")
    nama_kelompok: str | None = Field(default=None, description="The goods group's name.")


class StandarHargaData(Berlaku, _StandarHarga):
    pass


# -- what the look-ups answer ---------------------------------------------------------------------------

class KodeNama(BaseModel):
    kode: str
    nama: str | None


class SubKegiatanOut(Status, Berlaku):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "kode": "1.01.02.2.01.0001", "nama": "Pembangunan Unit Sekolah Baru", "kinerja": "Unit Sekolah Baru yang Dibangun",
        "indikator": "Jumlah Unit Sekolah Baru yang Dibangun", "satuan": "Unit", "level_pemerintahan": "kabupaten_kota",
        "kegiatan": {"kode": "1.01.02.2.01", "nama": "Pengelolaan Pendidikan Sekolah Dasar"},
        "program": {"kode": "1.01.02", "nama": "PROGRAM PENGELOLAAN PENDIDIKAN"},
        "bidang_urusan": {"kode": "1.01", "nama": "URUSAN PEMERINTAHAN BIDANG PENDIDIKAN"},
        "urusan": {"kode": "1", "nama": "URUSAN PEMERINTAHAN WAJIB YANG BERKAITAN DENGAN PELAYANAN DASAR"},
        "valid_from": "pemutakhiran-2027", "valid_until": None, "revisi": 4211, "berlaku": True,
        "kode_pengganti": [], "sumber": "sesendok:pemutakhiran2027", "lingkup": ["kabupaten_kota"], "spm": True,
        "jenis": "Layanan", "dari_daftar_resmi": True}]})

    kode: str
    varian: Varian = VARIAN
    nama: str
    kinerja: str | None
    indikator: str | None
    satuan: str | None
    sumber: str | None = SUMBER
    lingkup: list[LevelPemerintahan] | None = None
    spm: bool | None = None
    tag: list[str] | None = None
    jenis: str | None = None
    pelaksana: str | None = None
    definisi_operasional: str | None = None
    level_pemerintahan: LevelPemerintahan | None = Field(description=(
        "From the kegiatan level digit (1 province, 2 regency/city); for the digits of regions with special status, "
        "the one lampiran that lists it (null when both do)."))
    kegiatan: KodeNama
    program: KodeNama
    bidang_urusan: KodeNama
    urusan: KodeNama


class NomenklaturOut(Status, NomenklaturData):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "kode": "1.02.02.2.02.0021", "tingkat": "sub_kegiatan",
        "nama": "Pengelolaan Pelayanan Kesehatan Orang dengan Masalah Kesehatan Jiwa (ODMK)",
        "kode_induk": "1.02.02.2.02",
        "kinerja": "Terlaksananya Pengelolaan Pelayanan Kesehatan Orang dengan Masalah Kejiwaan (ODMK)",
        "indikator": "Jumlah Orang dengan Masalah Kejiwaan (ODMK) yang Mendapatkan Pelayanan Kesehatan",
        "satuan": "Orang", "sumber": "sesendok:subkeg900", "lingkup": ["kabupaten_kota"],
        "valid_from": "kepmendagri-900.1.15.5-1317-2023", "valid_until": "pemutakhiran-2027", "revisi": 4118,
        "berlaku": False, "kode_pengganti": ["1.02.02.2.02.0055"], "dari_daftar_resmi": True,
        "level_pemerintahan": "kabupaten_kota"}]})

    level_pemerintahan: LevelPemerintahan | None = Field(description=(
        "For a kegiatan or sub kegiatan: its level digit (1 province, 2 regency/city); for the digits of regions with "
        "special status, the one lampiran that lists it (null when both do)."))


class RekeningOut(Status, RekeningData):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "kode": "5.1.02.01.01.0024", "tingkat": "sub_rincian_objek", "akun": "belanja",
        "peruntukan": "belanja_barang_dan_jasa", "nama": "Belanja Alat/Bahan untuk Kegiatan Kantor-Alat Tulis Kantor",
        "kode_induk": "5.1.02.01.01", "sumber": "sesendok:belanja6a", "dari_daftar_resmi": True,
        "keterangan": ("Digunakan untuk mencatat seluruh pengeluaran anggaran untuk perolehan/pengadaan sub-sub rincian "
                       "objek pada belanja alat/bahan untuk kegiatan kantor-alat tulis kantor."),
        "valid_from": "kepmendagri-050-5889-2021", "valid_until": None, "revisi": 7702,
        "berlaku": True, "kode_pengganti": [], "laporan": "lra"}]})

    laporan: Literal["neraca", "lra", "lo", "lainnya"] = Field(
        description="`neraca` (balance sheet), `lra` (budget: pendapatan, belanja, pembiayaan) or `lo` (operational report).")


class SumberDanaOut(Status, SumberDanaData):
    pass


class WilayahOut(Status, WilayahData):
    pass


class PemdaOut(Status, Berlaku):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "kode": "32.73", "nama": "Kota Bandung", "jenis": "kota", "kode_provinsi": "32",
        "valid_from": "kepmendagri-300.2.2-2138-2025", "valid_until": None, "revisi": 43081, "berlaku": True,
        "kode_pengganti": []}]})

    kode: str
    nama: str
    jenis: Literal["provinsi", "kabupaten", "kota"]
    kode_provinsi: str


class SkpdOut(Status, SkpdData):
    bidang_urusan_dari_daftar_resmi: bool = Field(default=True, description=(
        "False when `bidang_urusan` was named by hand (`sumber_bidang_urusan` `tulisan-tangan`), though the SKPD's "
        "code and name come from a published list (`dari_daftar_resmi`)."))


class StandarHargaOut(Status, StandarHargaData):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "kode_pemda": "32.73", "tahun": 2026, "kode": "1.1.7.01.01.01.001", "jenis": "SSH", "uraian": "Pensil",
        "spesifikasi": "2B, kayu", "satuan": "Buah", "harga": "3500.00", "kode_rekening": ["5.1.02.01.01.0024"],
        "valid_from": "kepmendagri-050-5889-2021", "valid_until": None, "revisi": 100220, "berlaku": True,
        "kode_pengganti": []}]})


class VersiOut(BaseModel):
    kode: str = Field(examples=["kepmendagri-050-5889-2021"])
    judul: str = Field(description="Title of the decree.")
    tanggal: date = Field(description="Date of the decree.")
    urutan: int = Field(description="Order of the versions; the highest is the latest.")
    jenis: JenisVersi = Field(default="keputusan", description=(
        "`keputusan`: a numbered regulation or decree; `pemutakhiran`: an update list published without a decree "
        "number; `ekspor_sipd`: a list as SIPD-RI exports it."))
    terbaru: bool = Field(description="True for the latest version.")


class CrosswalkOut(BaseModel):
    kind: Kind
    kode_lama: str
    kode_baru: str
    versi: str = Field(description="The version in which the old code gave way to the new one.")


class Pemetaan(BaseModel):
    """A code a record uses was retired: the record needs mapping to a current code."""

    kind: Kind
    kode: str = Field(description="The retired code the record uses.")
    versi: str = Field(description="The version that retired it.")
    kode_pengganti: list[str] = Field(description="Suggested replacements, from the crosswalk (may be empty).")


# -- imports ----------------------------------------------------------------------------------------------

class ImportRequest(BaseModel):
    """What to import: which list, into which version, as a whole list or as a diff."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind
    mode: Mode = Field(description="`full`: the file is the whole list, what is absent is retired; "
                                   "`diff`: each row's `aksi` says tambah (add), ubah (change) or hapus (retire).")
    versi: str | None = Field(default=None, max_length=60, description=(
        "The version the file belongs to. Required for the national lists; for SKPD and standard prices the "
        "latest version when left out. A new version needs `versi_judul` and `versi_tanggal`."))
    versi_judul: str | None = Field(default=None, max_length=500, description="Title of the decree, to add a new version.")
    versi_tanggal: date | None = Field(default=None, description="Date of the decree, to add a new version.")
    versi_jenis: JenisVersi = Field(default="keputusan", description="What the new version is (see `VersiOut.jenis`).")
    kode_pemda: str | None = Field(default=None, max_length=10, description="For SKPD and standard prices: the pemda.")
    tahun: int | None = Field(default=None, ge=2000, le=2100, description="For standard prices: the year.")
    dry_run: bool = Field(default=False, description="Report what would change and change nothing.")


class RowError(BaseModel):
    row: int = Field(description="Row of the file, as a spreadsheet numbers it: the header is row 1 (0: the request itself).")
    field: str = Field(description="The column (or request field) at fault.")
    path: str = Field(description="Where, as problem details name fields: `rows.12.kode` for a cell of the file, "
                                  "the request field itself (`versi`) for the request.")
    message: str


class ImportExamples(BaseModel):
    added: list[str]
    changed: list[str]
    retired: list[str]


class ImportReport(BaseModel):
    """What an import found and did. Nothing of a file is applied unless every row is good."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "kind": "nomenklatur", "mode": "diff", "versi": "kepmendagri-900.1.15.5-1317-2023", "versi_baru": False,
        "kode_pemda": None, "tahun": None, "file_name": "perubahan-2023.xlsx",
        "sha256": "9f2c0d7b6a0e4b1f8c3d5e7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5b7c", "dry_run": True,
        "applied": False, "impor_id": None, "rows": 3, "added": 1, "changed": 1, "retired": 1, "unchanged": 0,
        "crosswalk_added": 1, "examples": {"added": ["1.01.02.2.01.0026"], "changed": ["1.01.02.2.01.0005"],
                                           "retired": ["1.01.02.2.01.0006"]},
        "errors": [], "summary": "dry run: 1 added, 1 changed, 1 retired if applied; nothing was changed",
        "seconds": 0.041}]})

    kind: Kind
    mode: Mode
    versi: str | None
    versi_baru: bool = Field(description="The import adds this version to the registry.")
    kode_pemda: str | None
    tahun: int | None
    file_name: str
    sha256: str = Field(description="SHA-256 of the file as received.")
    dry_run: bool
    applied: bool = Field(description="True when the import changed something; false for a dry run, a refused "
                                      "file, or a file that matches what is current already.")
    impor_id: int | None = Field(description="Id of the recorded import, when applied.")
    rows: int = Field(description="Rows read (the header and empty rows not counted).")
    added: int
    changed: int
    retired: int
    unchanged: int
    crosswalk_added: int = Field(description="Old-code → new-code pairs added to the crosswalk.")
    examples: ImportExamples = Field(description="The first codes of each kind of change (up to 20 each).")
    errors: list[RowError] = Field(description="Why the file was refused, row by row (at most 1000).")
    summary: str = Field(description="What happened, in one sentence.")
    seconds: float


# -- replicas: the paged snapshot ------------------------------------------------------------------------

SnapshotKind = Literal["nomenklatur", "rekening", "sumber_dana", "wilayah", "skpd", "standar_harga"]


class SnapshotRequest(BaseModel):
    """A page of a list's latest states, for a consumer filling or repairing its replica."""

    model_config = ConfigDict(extra="forbid")

    kind: SnapshotKind
    after: list[str | int] | None = Field(default=None, description="The key of the last record of the previous page "
                                                                     "(`next` of that page); none for the first page.")
    limit: int = Field(default=1000, ge=1, le=5000)
    tingkat: list[str] | None = Field(default=None, description="Only these levels (e.g. the pemda of `wilayah`: "
                                                                "`provinsi`, `kabupaten_kota`).")
    akun: list[str] | None = Field(default=None, description=(
        "Of `rekening`: only the accounts under these roots (e.g. `belanja`: a budget line sits on a belanja account)."))


class SnapshotPage(BaseModel):
    """Every record of the list in its latest state (current, or the last state of a retired one), in key order.

    A consumer that applies every page, keeping per record the state with the highest ``revisi``, and
    then the change events after ``urutan``, holds what referensi holds."""

    kind: SnapshotKind
    urutan: int = Field(description="The list's stream position when the first page was read: every change up "
                                    "to it is in the pages; later ones come as events (and may be in the pages too).")
    items: list[dict] = Field(description="Records in the shape of the list's change items, with `aksi` "
                                          "`added` (current) or `retired`.")
    next: list[str | int] | None = Field(description="`after` for the next page; null on the last page.")


# -- events ------------------------------------------------------------------------------------------------

BATCH = 500  # records per change event


class PerubahanReferensi(Event):
    """Base of referensi's events: national lists have no pemda and no year."""

    kode_pemda: str | None = Field(default=None, description=(
        "The pemda, for the lists kept per pemda (SKPD, standard prices); null for the national codification."))
    tahun: int | None = Field(default=None, description="The year, for standard prices; null otherwise.")
    versi: str = Field(description="The version the import was made into, e.g. `kepmendagri-050-5889-2021`.")


class _Perubahan(BaseModel):
    aksi: Aksi = Field(description="added, changed (this is the new state) or retired (this is the last state, "
                                   "`valid_until` set).")
    kode_pengganti: list[str] = Field(default_factory=list, description=(
        "For a retired record: the codes that replace it, from the crosswalk (may be empty)."))


# an item of a change event: the record's whole state and what happened to it
class NomenklaturItem(NomenklaturData, _Perubahan):
    pass


class RekeningItem(RekeningData, _Perubahan):
    pass


class SumberDanaItem(SumberDanaData, _Perubahan):
    pass


class WilayahItem(WilayahData, _Perubahan):
    pass


class SkpdItem(SkpdData, _Perubahan):
    pass


class StandarHargaItem(StandarHargaData, _Perubahan):
    pass


class _ListChanged(PerubahanReferensi):
    urutan: int | None = Field(default=None, ge=1, description=(
        "This event's place in its list's stream (1, 2, 3, … without gaps, in commit order). A consumer "
        "that sees a gap missed an event and repairs its replica from the snapshot."))


class NomenklaturChanged(_ListChanged):
    """Records of the nomenclature (urusan to sub kegiatan) were added, changed or retired."""

    name = "referensi.nomenklatur.changed"
    version = 1
    source = "referensi"
    perubahan: list[NomenklaturItem]


class RekeningChanged(_ListChanged):
    """Accounts of the chart of accounts were added, changed or retired."""

    name = "referensi.rekening.changed"
    version = 1
    source = "referensi"
    perubahan: list[RekeningItem]


class SumberDanaChanged(_ListChanged):
    """Funding sources were added, changed or retired."""

    name = "referensi.sumber_dana.changed"
    version = 1
    source = "referensi"
    perubahan: list[SumberDanaItem]


class WilayahChanged(_ListChanged):
    """Regions were added, changed or retired."""

    name = "referensi.wilayah.changed"
    version = 1
    source = "referensi"
    perubahan: list[WilayahItem]


class SkpdChanged(_ListChanged):
    """Organisation units (SKPD) of a pemda were added, changed or retired."""

    name = "referensi.skpd.changed"
    version = 1
    source = "referensi"
    perubahan: list[SkpdItem]


class StandarHargaChanged(_ListChanged):
    """Standard prices of a pemda and year were added, changed or retired."""

    name = "referensi.standar_harga.changed"
    version = 1
    source = "referensi"
    perubahan: list[StandarHargaItem]


CHANGED: dict[str, type[_ListChanged]] = {
    "nomenklatur": NomenklaturChanged, "rekening": RekeningChanged, "sumber_dana": SumberDanaChanged,
    "wilayah": WilayahChanged, "skpd": SkpdChanged, "standar_harga": StandarHargaChanged}


class KodeRetired(PerubahanReferensi):
    """Deprecated (read the retired items of the change events): a code was retired; records that use it
    need mapping to a current code (nothing is rewritten)."""

    name = "referensi.kode.retired"
    version = 1
    source = "referensi"

    kind: Kind = Field(description="The list the code belongs to.")
    kode: str
    tingkat: str | None = Field(description="Its level, e.g. `sub_kegiatan` or `sub_rincian_objek`.")
    nama: str = Field(description="Its last name.")
    kode_pengganti: list[str] = Field(description="Its replacements from the crosswalk; empty when none is known.")
