"""pemerintahan's published language: the requests and answers of its RPCs (reports, Perda, EPPD, binwas, the
national view, LPPD), and its events — what it makes public: regulations enacted and promulgated (and their signed
PDFs), EPPD results announced.

Events travel on the topic exchange ``pemerintahan.events``.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from sipd_common.events import Event
from sipd_common.money import Amount


class ItemBermasalah(BaseModel):
    rkpd_id: str
    kode_sub_kegiatan: str
    status: Literal["melebihi_plafon", "tanpa_rencana"]


class BarisRingkasanOut(BaseModel):
    kode_bidang_urusan: str
    nama_bidang_urusan: str | None
    jumlah_sub_kegiatan: int = Field(description="Sub kegiatan planned in the RKPD (deleted ones not counted).")
    total_pagu_indikatif: Amount
    total_anggaran: Amount = Field(description="Sum of the budget lines (rincian) in keuangan.")
    jumlah_bermasalah: int = Field(description="Ceilings flagged: lines above the ceiling, or lines without plan.")
    bermasalah: list[ItemBermasalah]


class RingkasanOut(BaseModel):
    kode_pemda: str
    tahun: int
    bidang_urusan: list[BarisRingkasanOut]
    total_pagu_indikatif: Amount
    total_anggaran: Amount


# -- the register of regional regulations (Perda, Perkada) ------------------------------------------------
TEKS = r"^[^\x00]*$"  # free text: anything but NUL, which PostgreSQL's text cannot hold

JenisPerda = Literal["perda", "perkada"]
KategoriPerda = Literal["umum", "apbd", "perubahan_apbd", "pertanggungjawaban_apbd", "pajak", "retribusi", "rtrw",
                        "rpjpd", "rpjmd"]
StatusPerda = Literal["draft", "pembahasan_dprd", "fasilitasi", "harmonisasi", "persetujuan_bersama", "evaluasi",
                      "noreg", "ditetapkan", "diundangkan"]


class PerdaBaru(BaseModel):
    """A regulation entered in the register as a draft."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "jenis": "perda", "kategori": "pajak", "tahun": 2027,
        "judul": "Rancangan Peraturan Daerah tentang Pajak Daerah dan Retribusi Daerah"}]})

    jenis: JenisPerda
    kategori: KategoriPerda = Field("umum", description="What it regulates; the kinds the level above evaluates "
                                                        "(APBD, pajak, retribusi, RTRW, RPJPD, RPJMD) take an evaluasi step.")
    tahun: int = Field(ge=2000, le=2100)
    judul: str = Field(min_length=1, max_length=1000, pattern=TEKS)


class PerdaLangkah(BaseModel):
    """The next step of a regulation's lifecycle, by the level that takes it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"tahap": "pembahasan_dprd", "catatan": "Disampaikan ke DPRD"},
        {"tahap": "ditetapkan", "nomor": "Peraturan Daerah Nomor 3 Tahun 2027", "tanggal": "2027-03-01"},
        {"tahap": "diundangkan", "nomor": "Lembaran Daerah Tahun 2027 Nomor 3", "tanggal": "2027-03-02"}]})

    tahap: StatusPerda = Field(description="The state to move to: the next one of its path.")
    catatan: str | None = Field(None, max_length=2000, pattern=TEKS)
    nomor: str | None = Field(None, min_length=1, max_length=100, pattern=TEKS,
                              description="ditetapkan: the regulation's number; diundangkan: the Lembaran / Berita "
                                          "Daerah number.")
    tanggal: date | None = Field(None, description="ditetapkan / diundangkan: the date of that act.")


class RiwayatPerdaOut(BaseModel):
    tahap: str
    pada: str
    oleh: str
    peran: str | None
    catatan: str | None


class LampiranOut(BaseModel):
    id: str
    nama_file: str
    ukuran: int = Field(description="Bytes.")
    sha256: str = Field(description="SHA-256 of the file as stored, hex.")
    diunggah_oleh: str


class PerdaOut(BaseModel):
    id: str
    kode_pemda: str
    tahun: int
    jenis: JenisPerda
    kategori: KategoriPerda
    judul: str
    status: StatusPerda
    tahap_berikut: StatusPerda | None = Field(description="The next step of its path; null once promulgated.")
    pelaku_berikut: Literal["pemda", "atasan"] | None = Field(
        description="Who takes the next step: the pemda, or the level above (province / ministry).")
    noreg: str | None
    nomor: str | None
    tanggal_penetapan: date | None
    nomor_pengundangan: str | None
    tanggal_pengundangan: date | None
    sumber: str = Field(description="`register` (entered here), or keuangan's enactment that registered it: "
                                    "`keuangan.apbd` (the APBD's), `keuangan.apbd_p` (the APBD-P's).")
    version: int
    riwayat: list[RiwayatPerdaOut]
    lampiran: list[LampiranOut]


class PerdaApbd(BaseModel):
    """The APBD's (or APBD-P's) Perda or Perkada as keuangan's enactment reports it (``register_perda_apbd``)."""

    kode_pemda: str
    tahun: int
    jenis: JenisPerda
    kategori: KategoriPerda = "apbd"
    judul: str
    nomor: str
    tanggal_penetapan: date
    noreg: str | None = None
    sumber_id: str = Field(description="The enactment event's id and the regulation: registered once.")


class LampiranIsiOut(LampiranOut):
    isi: str = Field(description="The file, base64.")


class _PerdaTerbit(Event):
    """A regulation of the register as the public reads it (``aggregate_id``: its id; ``tahun``: its year)."""

    source = "pemerintahan"

    jenis: JenisPerda
    kategori: KategoriPerda
    judul: str
    noreg: str | None
    nomor: str | None = Field(description="The regulation's number.")
    tanggal_penetapan: date | None


class PerdaDitetapkan(_PerdaTerbit):
    """A regulation was enacted: stepped to ``ditetapkan`` in the register, or entered there enacted (the APBD's
    Perda and Perkada, from keuangan's enactment). Public from now on (``list_perda_publik``); published once."""

    name = "perda.ditetapkan"
    version = 1

    sumber: str = Field(description="`register` (entered here) or the event that registered it (the APBD's).")


class PerdaDiundangkan(_PerdaTerbit):
    """An enacted regulation was promulgated (Lembaran / Berita Daerah): its path is complete. Published once."""

    name = "perda.diundangkan"
    version = 1

    nomor_pengundangan: str
    tanggal_pengundangan: date


class LampiranPerdaDitambahkan(Event):
    """A signed PDF was attached to an enacted regulation (public at
    ``/api/v1/publik/perda/{id}/lampiran/{lampiran_id}``). One attached before the enactment is not published by
    itself: the regulation's ``perda.ditetapkan`` makes it public with the rest."""

    name = "perda.lampiran.ditambahkan"
    version = 1
    source = "pemerintahan"

    lampiran_id: str
    nama_file: str
    ukuran: int = Field(description="Bytes.")
    sha256: str = Field(description="SHA-256 of the file as stored, hex.")


# -- EPPD: the evaluation of the pemda's governance -----------------------------------------------------------
SKOR_PATTERN = r"^(0|[0-3])(\.[0-9]{1,2})?$|^4(\.0{1,2})?$"
Skor = Annotated[str, Field(pattern=SKOR_PATTERN, description="0 to 4, up to two decimals, as text.",
                            examples=["3.25"])]
StatusEppd = Literal["sangat_tinggi", "tinggi", "sedang", "rendah", "sangat_rendah", "tidak_dinilai", "nihil"]
Klaster = Literal["provinsi", "kabupaten", "kota"]


class RondeBaru(BaseModel):
    """Open the evaluation round of a year (a pusat administrator's)."""

    model_config = ConfigDict(extra="forbid")

    versi_indikator: str | None = Field(None, max_length=60, pattern=TEKS, description="The indicator set; the latest if left out.")
    versi_band: str | None = Field(None, max_length=60, pattern=TEKS, description="The status bands; the latest if left out.")


class IndikatorEppdOut(BaseModel):
    kode: str
    nama: str
    bobot: Amount


class BandOut(BaseModel):
    status: str
    batas_bawah: Amount = Field(description="The lowest index of the band (inclusive).")


class RondeOut(BaseModel):
    tahun: int
    versi_indikator: str
    versi_band: str
    status: Literal["dibuka", "ditutup", "diumumkan"]
    version: int
    indikator: list[IndikatorEppdOut]
    bands: list[BandOut]


class SkorIndikator(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kode_indikator: str = Field(min_length=1, max_length=30, pattern=TEKS)
    skor: Skor


class NilaiEppd(BaseModel):
    """The team's scores of one pemda (indicators not named keep theirs)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"nilai": [
        {"kode_indikator": "MAKRO", "skor": "3.25"}, {"kode_indikator": "WAJIB_DASAR", "skor": "3.50"}]}]})

    nilai: list[SkorIndikator] = Field(min_length=1, max_length=500)


class StatusKhususEppd(BaseModel):
    """Set (or with ``status`` null, lift) tidak dinilai / nihil for one pemda."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["tidak_dinilai", "nihil"] | None
    alasan: str | None = Field(None, min_length=1, max_length=2000, pattern=TEKS)


class HasilEppdOut(BaseModel):
    kode_pemda: str
    klaster: Klaster
    indeks: Amount | None = Field(description="0–4, rounded half-up to four decimals; null when not scored.")
    status: StatusEppd
    peringkat: int | None = Field(description="Rank in its cluster (equal indices share one); null when not ranked.")


class HasilEppdDiumumkan(Event):
    """The EPPD result of one pemda, announced with its year's round: one event per pemda in the round's results,
    all in the announcement's transaction (``aggregate_id``: ``<tahun>:<kode_pemda>``; ``aggregate_version``: the
    round's version). An announced round never changes."""

    name = "eppd.hasil.diumumkan"
    version = 1
    source = "pemerintahan"

    klaster: Klaster
    indeks: Amount | None = Field(description="0–4, rounded half-up to four decimals; null when not scored.")
    status: StatusEppd
    peringkat: int | None = Field(description="Rank in its cluster (equal indices share one); null when not ranked.")
    versi_indikator: str
    versi_band: str


class HasilRondeOut(BaseModel):
    ronde: RondeOut
    hasil: list[HasilEppdOut]


class PenilaianPemdaOut(BaseModel):
    tahun: int
    kode_pemda: str
    nilai: dict[str, str] = Field(description="Score per indicator code.")
    hasil: HasilEppdOut | None


# -- binwas: findings of the level above, and their follow-up -----------------------------------------------
class TemuanBaru(BaseModel):
    """A finding the ministry or the province records against a pemda."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "tahun": 2027, "objek": "rasio_anggaran", "uraian": "Belanja pegawai 34% dari total belanja",
        "rekomendasi": "Turunkan belanja pegawai ke paling tinggi 30% (UU 1/2022 pasal 146)"}]})

    tahun: int = Field(ge=2000, le=2100)
    objek: Literal["lppd", "rasio_anggaran", "perda", "lainnya"] = Field(description="What the finding is on.")
    objek_id: str | None = Field(None, max_length=100, pattern=TEKS, description="The record it is on (a Perda's id, an LPPD's year).")
    uraian: str = Field(min_length=1, max_length=4000, pattern=TEKS)
    rekomendasi: str = Field(min_length=1, max_length=4000, pattern=TEKS)


class TanggapanTemuan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    isi: str = Field(min_length=1, max_length=4000, pattern=TEKS, description="What the pemda did about the recommendation.")


class PutusanTemuan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    diterima: StrictBool = Field(description="true: the follow-up is accepted and the finding closed; false: sent back.")
    catatan: str | None = Field(None, max_length=4000, pattern=TEKS)


class TindakLanjutOut(BaseModel):
    jenis: Literal["tanggapan", "diterima", "dikembalikan"]
    isi: str | None
    oleh: str
    peran: str
    pada: str


class TemuanOut(BaseModel):
    id: str
    kode_pemda: str
    tahun: int
    objek: str
    objek_id: str | None
    uraian: str
    rekomendasi: str
    dicatat_oleh: str
    status: Literal["terbuka", "ditanggapi", "selesai"]
    tindak_lanjut: list[TindakLanjutOut]
    version: int


# -- the national view --------------------------------------------------------------------------------------
class UrusanNasionalOut(BaseModel):
    kode_bidang_urusan: str
    jumlah_sub_kegiatan: int
    total_rencana: Amount = Field(description="Σ pagu indikatif of the RKPD's live sub kegiatan.")
    total_anggaran: Amount = Field(description="Σ budget lines under their ceilings.")
    total_realisasi: Amount | None = Field(description="Σ spending realised (disbursed SP2D) on the bidang urusan's "
                                                       "sub kegiatan; null while none is held.")


class PemdaNasionalOut(BaseModel):
    kode_pemda: str
    jenis: Klaster
    kode_provinsi: str
    total_rencana: Amount
    total_anggaran: Amount
    total_realisasi: Amount | None = Field(description="Σ spending realised (disbursed SP2D); null while none is held.")
    urusan: list[UrusanNasionalOut]
    lppd_status: str | None = Field(description="The year's LPPD state; null when none is drafted.")
    lppd_terlambat: bool = Field(description="Submitted after its due date, or not submitted and past it.")
    eppd_indeks: Amount | None
    eppd_status: StatusEppd | None
    eppd_peringkat: int | None
    perda: dict[str, int] = Field(description="The year's regulations per state.")
    temuan_terbuka: int = Field(description="Binwas findings of the year not closed.")


class NasionalOut(BaseModel):
    tahun: int
    total: int = Field(description="Pemda in the view (after the filters).")
    items: list[PemdaNasionalOut]


# -- LPPD: the annual report on how a pemda governed -----------------------------------------------------------
NILAI_PATTERN = r"^-?(0|[1-9][0-9]{0,11})(\.[0-9]{1,4})?$"
Nilai = Annotated[str, Field(pattern=NILAI_PATTERN, description="A decimal as text (may be negative: growth).",
                             examples=["72.5"])]
CAPAIAN = ("Percent: realisation ÷ budget × 100, rounded half-up to two decimals; null without a realisation or "
           "a budget.")


class SubKegiatanLppdOut(BaseModel):
    rkpd_id: str
    kode_sub_kegiatan: str
    nama_sub_kegiatan: str | None
    indikator: str | None
    target: Amount | None
    satuan: str | None
    pagu: Amount
    anggaran: Amount
    realisasi: Amount | None = Field(description="Spending realised (disbursed SP2D) on the sub kegiatan by its SKPD; "
                                                 "null while none is held.")
    capaian: Amount | None = Field(description=CAPAIAN)


class BidangLppdPublikOut(BaseModel):
    kode_bidang_urusan: str
    nama_bidang_urusan: str | None
    jumlah_sub_kegiatan: int
    total_pagu: Amount
    total_anggaran: Amount
    total_realisasi: Amount | None = Field(description="Σ spending realised on the bidang urusan's sub kegiatan "
                                                       "(planned or not); null while none is held.")
    # a report built before the realisation was kept has none
    capaian: Amount | None = Field(default=None, description=CAPAIAN)


class UrusanLppdPublikOut(BaseModel):
    kode_urusan: str
    total_pagu: Amount
    total_anggaran: Amount
    total_realisasi: Amount | None
    capaian: Amount | None = Field(default=None, description=CAPAIAN)
    bidang_urusan: list[BidangLppdPublikOut]


class BidangLppdOut(BidangLppdPublikOut):
    sub_kegiatan: list[SubKegiatanLppdOut]


class UrusanLppdOut(UrusanLppdPublikOut):
    bidang_urusan: list[BidangLppdOut]


class IsiLppdOut(BaseModel):
    urusan: list[UrusanLppdOut]
    total_pagu: Amount
    total_anggaran: Amount
    total_realisasi: Amount | None
    capaian: Amount | None = Field(default=None, description=CAPAIAN)


class IndikatorLppdOut(BaseModel):
    kode: str
    nama: str
    jenis: Literal["makro", "ikk"]
    kode_urusan: str | None
    satuan: str
    polaritas: Literal["positif", "negatif"]
    target: str | None
    realisasi: str | None
    capaian: Amount | None = Field(description="Percent, rounded half-up to two decimals: R/T×100, or (2T−R)/T×100 "
                                               "when lower is better.")
    catatan: str | None


class LppdOut(BaseModel):
    kode_pemda: str
    tahun: int
    status: Literal["draft", "diverifikasi", "diajukan", "diteruskan", "diterima"]
    versi_aturan: str
    batas_waktu: date = Field(description="Due date (from the rules' version).")
    terlambat: bool = Field(description="Submitted after the due date, or not submitted and past it.")
    diajukan_pada: date | None
    hash: str | None = Field(description="SHA-256 of the submitted snapshot.")
    basi: bool = Field(description="A source (plan, budget, realisation) changed since the report was built (a "
                                   "submitted one stays as submitted; a draft can be rebuilt).")
    berubah: list[str] = Field(description="The bidang urusan whose figures changed since.")
    isi: IsiLppdOut
    indikator: list[IndikatorLppdOut]
    riwayat: list[dict]
    version: int


class LppdPublikOut(BaseModel):
    """A pemda's LPPD of a year as submitted, for everyone (the public portal): its summary per urusan and bidang
    urusan and its indicators, from the frozen snapshot. Only a submitted report is published (a draft, or one
    verified but not submitted, never is); nothing of who did what (the trail) is in it."""

    kode_pemda: str
    tahun: int
    status: Literal["diajukan", "diteruskan", "diterima"]
    diajukan_pada: date
    batas_waktu: date
    terlambat: bool
    hash: str = Field(description="SHA-256 of the submitted snapshot.")
    urusan: list[UrusanLppdPublikOut]
    total_pagu: Amount
    total_anggaran: Amount
    total_realisasi: Amount | None
    capaian: Amount | None = Field(default=None, description=CAPAIAN)
    indikator: list[IndikatorLppdOut]


class IndikatorLppdIsi(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kode: str = Field(min_length=1, max_length=30, pattern=TEKS)
    target: Nilai | None = None
    realisasi: Nilai | None = None
    catatan: str | None = Field(None, max_length=2000, pattern=TEKS)


class IndikatorLppdBaru(BaseModel):
    """The pemda's entries of IKK and macro indicators (those not named keep theirs)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"indikator": [
        {"kode": "IPM", "target": "75.1", "realisasi": "75.6", "catatan": "BPS"}]}]})

    indikator: list[IndikatorLppdIsi] = Field(min_length=1, max_length=500)


class LangkahLppd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    aksi: Literal["verifikasi", "kembalikan", "ajukan", "teruskan", "terima"] = Field(
        description="verifikasi / kembalikan: the inspektur; ajukan: the pemda; teruskan: a regency/city's "
                    "province; terima: the ministry.")
    catatan: str | None = Field(None, max_length=2000, pattern=TEKS)
