"""keuangan's published language: the requests and answers of its RPCs (ceilings, budget lines), and its events.

Events travel on the topic exchange ``keuangan.events``.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sipd_common.events import Event
from sipd_common.money import Amount, Money, Quantity

from .referensi import Pemetaan

StatusPlafon = Literal["sesuai", "melebihi_plafon", "tanpa_rencana"]


class RincianBaru(BaseModel):
    """A budget line (rincian belanja) under an RKPD item's ceiling."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "rkpd_id": "6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d90", "kode_rekening": "5.2.03.01.01.0002",
        "uraian": "Pembangunan gedung SD Negeri 1", "volume": "1", "satuan": "Paket",
        "harga_satuan": "1750000000.00"}]})

    rkpd_id: str = Field(description="Id of the RKPD sub kegiatan whose ceiling this line falls under.",
                         pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
    kode_rekening: str = Field(min_length=1, max_length=30, description="A belanja sub rincian objek account, e.g. `5.1.02.01.01.0024`.")
    uraian: str = Field(min_length=1, max_length=500)
    volume: Quantity
    satuan: str = Field(min_length=1, max_length=100)
    harga_satuan: Money


class RincianOut(BaseModel):
    id: str
    kode_pemda: str
    tahun: int
    rkpd_id: str
    kode_rekening: str
    nama_rekening: str
    uraian: str
    volume: Quantity
    satuan: str
    harga_satuan: Money
    jumlah: Amount = Field(description="volume × harga_satuan, exact.")
    status: StatusPlafon = Field(description="The state of the ceiling the line falls under.")
    perlu_pemetaan: bool = Field(description="True when the line's account was retired from the chart of accounts: "
                                             "the line needs mapping to a current account (it is never rewritten silently).")
    pemetaan: list[Pemetaan] = Field(description="The retired codes the line uses, with suggested replacements.")


class PlafonOut(BaseModel):
    rkpd_id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    kode_sub_kegiatan: str
    kode_bidang_urusan: str
    pagu: Money
    total_rincian: Amount
    sisa: Amount = Field(description="pagu − total_rincian; negative when over the ceiling.")
    status: StatusPlafon
    version: int
    perlu_pemetaan: bool = Field(description="True when the sub kegiatan or SKPD of the ceiling was retired from the "
                                             "codification: it needs mapping to a current code.")
    pemetaan: list[Pemetaan] = Field(description="The retired codes the ceiling uses, with suggested replacements.")


# -- events -----------------------------------------------------------------------------------------
class PlafonChanged(Event):
    """The ceiling of an RKPD item, or the budget lines under it, changed; carries the whole state."""

    name = "apbd.plafon.changed"
    version = 1
    source = "keuangan"

    kode_skpd: str
    kode_sub_kegiatan: str
    kode_bidang_urusan: str
    pagu: Money = Field(description="The ceiling (plafon), from the RKPD item's pagu indikatif.")
    total_rincian: Amount = Field(description="Sum of the budget lines under this ceiling.")
    status: StatusPlafon = Field(description="`melebihi_plafon`: lines above the ceiling; `tanpa_rencana`: the plan item was deleted.")


# == the APBD: revenue and financing, the summary and its ratios, evaluation and enactment ==================
# (services/keuangan/pendapatan/ and apbd/)
JenisAnggaran = Literal["pendapatan", "penerimaan_pembiayaan", "pengeluaran_pembiayaan"]
StatusApbd = Literal["draft", "diajukan", "dievaluasi", "ditetapkan"]
HasilEvaluasi = Literal["sesuai", "tidak_sesuai"]
SumberRingkasan = Literal["draft", "ditetapkan"]
KODE_SKPD_PATTERN = r"^[0-9A-Z]+(\.[0-9A-Z]+)*$"


class AnggaranBaru(BaseModel):
    """A revenue target (account 4.x, per SKPD for PAD, the PPKD's for transfers) or a financing line (6.1
    receipts, 6.2 payments, the PPKD's): an amount on a sub rincian objek account."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "kode_skpd": "5.02.0.00.0.00.02.0000", "kode_rekening": "4.1.01.06.01.0001",
        "uraian": "Target pajak hotel bintang lima", "jumlah": "2500000000.00"}]})

    kode_skpd: str = Field(min_length=1, max_length=40, pattern=KODE_SKPD_PATTERN,
                           description="The SKPD whose target it is (for transfers and financing: the PPKD, an SKPD of "
                                       "bidang urusan 5.02 keuangan).")
    kode_rekening: str = Field(min_length=1, max_length=30,
                               description="A sub rincian objek account under 4 (pendapatan), or 6.1 / 6.2 (pembiayaan).")
    uraian: str = Field(min_length=1, max_length=500)
    jumlah: Money


class AnggaranOut(BaseModel):
    id: str
    kode_pemda: str
    tahun: int
    jenis: JenisAnggaran
    kode_skpd: str
    kode_rekening: str
    nama_rekening: str
    uraian: str
    jumlah: Money


class BelanjaKelompok(BaseModel):
    operasi: Amount = Field(description="5.1")
    modal: Amount = Field(description="5.2")
    tidak_terduga: Amount = Field(description="5.3")
    transfer: Amount = Field(description="5.4")


class BarisAkun(BaseModel):
    kode: str
    nama: str | None = Field(description="The account's name in keuangan's replica of the chart of accounts.")
    tingkat: int = Field(description="1 akun, 2 kelompok, 3 jenis, 4 objek, 5 rincian objek, 6 sub rincian objek.")
    jumlah: Amount


class RingkasanApbdOut(BaseModel):
    """The APBD's structure and its identities (exact: every amount is the sum of its lines):
    surplus_defisit = pendapatan − belanja; pembiayaan_netto = penerimaan − pengeluaran pembiayaan;
    silpa = surplus_defisit + pembiayaan_netto. ``akun``: the amounts per account, to ``tingkat`` (Lampiran I
    shows levels 1–3)."""

    kode_pemda: str
    tahun: int
    sumber: SumberRingkasan = Field(description="`draft`: from the lines as they stand; `ditetapkan`: as enacted.")
    pendapatan: Amount
    belanja: Amount
    belanja_kelompok: BelanjaKelompok
    surplus_defisit: Amount
    penerimaan_pembiayaan: Amount
    pengeluaran_pembiayaan: Amount
    pembiayaan_netto: Amount
    silpa: Amount = Field(description="Sisa lebih pembiayaan anggaran tahun berkenaan.")
    akun: list[BarisAkun]


class BarisRingkasan(BaseModel):
    kode: str
    nama: str | None
    tingkat: str = Field(description="urusan, bidang_urusan, skpd or program.")
    pendapatan: Amount
    belanja_kelompok: BelanjaKelompok
    belanja: Amount


class RingkasanMenurutOut(BaseModel):
    """Lampiran II–IV's shapes: revenue and spending by urusan / bidang urusan, by organisation (SKPD), or by
    program. Spending belongs to its sub kegiatan's bidang urusan and program; revenue to its SKPD's primary
    bidang urusan (the first two parts of the SKPD code); programs carry no revenue."""

    kode_pemda: str
    tahun: int
    sumber: SumberRingkasan
    menurut: Literal["urusan", "skpd", "program"]
    baris: list[BarisRingkasan]


class RasioOut(BaseModel):
    kode: str
    nama: str
    pembilang: Amount = Field(description="The numerator: the spending the rule's selector picks.")
    penyebut: Amount = Field(description="The denominator.")
    persen: Amount | None = Field(description="pembilang / penyebut × 100, rounded for display to 2 decimals "
                                              "(ROUND_HALF_UP); null when the denominator is 0.")
    op: Literal["<=", ">="] | None = Field(description="null: reported for information only.")
    ambang: Amount | None = Field(description="The threshold, in percent.")
    lulus: bool | None = Field(description="Whether the rule holds, compared exactly (pembilang × 100 against "
                                           "ambang × penyebut, no rounding); null when informational or the "
                                           "denominator is 0.")
    wajib: bool = Field(description="Enforced for this year (from ``wajib_mulai``); before, reported only.")
    wajib_mulai: int | None
    dasar_hukum: str
    keterangan: str | None = None


class RasioApbdOut(BaseModel):
    """The legal ratios (mandatory spending), from keuangan's rule table (``rasio_wajib``: a decree's change is a
    row, not code), evaluated on the draft or on the budget as enacted."""

    kode_pemda: str
    tahun: int
    sumber: SumberRingkasan
    rasio: list[RasioOut]


class Temuan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    uraian: str = Field(min_length=1, max_length=1000, description="What the evaluator found.")
    rekomendasi: str | None = Field(default=None, max_length=1000, description="What is to be corrected.")


class EvaluasiApbd(BaseModel):
    """The evaluator's result on the submitted draft: ``sesuai`` (it may be enacted) or ``tidak_sesuai`` with its
    findings (the pemda corrects and submits again)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"hasil": "tidak_sesuai", "nomor_keputusan": "Kepgub 903/Kep.100-BPKAD/2026",
         "temuan": [{"uraian": "Belanja pegawai 33%", "rekomendasi": "Turunkan ke ≤ 30%"}]}]})

    hasil: HasilEvaluasi
    nomor_keputusan: str | None = Field(default=None, max_length=200, description="The evaluation decision's number.")
    # at most 20 (of 2,000 characters): the largest body stays within the gateway's 64 KiB
    temuan: list[Temuan] = Field(default_factory=list, max_length=20,
                                 description="Findings; at least one when the result is `tidak_sesuai`.")


class EvaluasiOut(EvaluasiApbd):
    model_config = ConfigDict(extra="ignore")

    evaluator: str = Field(description="The evaluating level: the province code, or `pusat`.")
    oleh: str = Field(description="The user who recorded it.")
    pada: datetime


class PenetapanApbd(BaseModel):
    """The Perda APBD and the Perkada penjabaran that enact the evaluated budget."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "nomor_perda": "Perda Kota Bandung No. 12 Tahun 2026", "tanggal_perda": "2026-12-20",
        "nomor_perkada": "Perwal Bandung No. 88 Tahun 2026", "tanggal_perkada": "2026-12-21"}]})

    nomor_perda: str = Field(min_length=1, max_length=200)
    tanggal_perda: date
    nomor_perkada: str = Field(min_length=1, max_length=200, description="The Perkada penjabaran APBD.")
    tanggal_perkada: date


class PenetapanApbdOut(PenetapanApbd):
    model_config = ConfigDict(extra="ignore")

    hash: str = Field(description="SHA-256 of the enacted content (canonical JSON): the same budget, the same hash.")
    ditetapkan_oleh: str
    ditetapkan_pada: datetime


class ApbdOut(BaseModel):
    kode_pemda: str
    tahun: int
    status: StatusApbd = Field(description="draft → diajukan (to its evaluator) → dievaluasi → ditetapkan; lines, "
                                           "revenue and financing change only in `draft` or after a `tidak_sesuai`.")
    evaluator: str = Field(description="Who evaluates it: the province code for a regency/city, `pusat` for a province.")
    hasil_evaluasi: HasilEvaluasi | None
    terbuka: bool = Field(description="Whether lines, revenue and financing may change now.")
    evaluasi: list[EvaluasiOut] = Field(description="Every evaluation recorded, oldest first.")
    penetapan: PenetapanApbdOut | None
    version: int


class ApbdDitetapkanOut(PenetapanApbdOut):
    """The APBD as enacted: content-hashed, never changed."""

    kode_pemda: str
    tahun: int
    ringkasan: RingkasanApbdOut
    urusan: RingkasanMenurutOut
    skpd: RingkasanMenurutOut
    program: RingkasanMenurutOut
    rasio: RasioApbdOut


class ApbdDitetapkan(Event):
    """A pemda's APBD for a year was enacted (Perda APBD and Perkada penjabaran). ``aggregate_id`` is
    ``<kode_pemda>:<tahun>``; the enacted content is readable for ever at keuangan (its hash here)."""

    name = "apbd.ditetapkan"
    version = 1
    source = "keuangan"

    nomor_perda: str
    tanggal_perda: date
    nomor_perkada: str
    tanggal_perkada: date
    pendapatan: Amount
    belanja: Amount
    pembiayaan_netto: Amount
    silpa: Amount
    hash: str = Field(description="SHA-256 of the enacted content.")
