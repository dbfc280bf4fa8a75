"""keuangan's published language: the requests and answers of its RPCs (ceilings, budget lines), and its events.

Events travel on the topic exchange ``keuangan.events``.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from sipd_common.events import Event
from sipd_common.money import Amount, ExactMoney, Money, Percent, Quantity

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
    penerima: "Penerima | None" = Field(default=None, description=(
        "Required on an account whose flag asks for it (`tanda_rekening`: hibah 5.1.05, bansos 5.1.06), as on an "
        "RKA line."))
    lokasi: "Lokasi | None" = Field(default=None, description=(
        "Required on an account whose flag asks for it (`tanda_rekening`: belanja modal tanah 5.2.01)."))


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
    # -- the RKA-SKPD line (empty on a line made through the legacy path without a component) -----------------
    kelompok: str = Field(default="", description="The group or paket (SIPD's subs_sub_bl) the line is under.")
    keterangan: str = Field(default="", description="The keterangan (SIPD's ket_sub_bl) the line is under.")
    kode_standar_harga: str | None = Field(default=None, description="The standard-price component priced.")
    spesifikasi: str | None = None
    koefisien: list["Koefisien"] = Field(default_factory=list, description="The factors of the volume.")
    koefisien_teks: str = Field(default="", description="The coefficient as SIPD prints it, e.g. `2 Orang x 12 Bulan`.")
    pajak: Percent = Field(default=Decimal(0), description="Tax rate (PPN), percent.")
    kode_sumber_dana: str | None = None
    penerima: "Penerima | None" = None
    lokasi: "Lokasi | None" = None


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
    # -- KUA-PPAS: after the nota kesepakatan the ceiling is the agreed one; the plan's figure is shown beside it
    pagu_rencana: Amount | None = Field(default=None, description="What the plan (RKPD) says now.")
    disepakati: bool = Field(default=False, description="The ceiling is fixed by the nota kesepakatan KUA-PPAS: the "
                                                         "plan no longer moves it (a difference is a pergeseran).")
    pergeseran: StatusPergeseran | None = Field(default=None, description=(
        "`menunggu`: the plan differs from the agreed ceiling and TAPD has not decided; `ditolak`: TAPD kept the "
        "agreed ceiling against the plan's current figure; absent: no difference."))
    sumber_dana: list["PlafonSumberDanaOut"] = Field(default_factory=list, description=(
        "The ceiling of each funding source (from the plan's sumber dana) and what the lines use of it."))


# == RKA-SKPD (issue 13, part 2) ==========================================================================
# The lines of an SKPD's sub kegiatan, priced from the pemda's standard prices, grouped as SIPD groups them
# (sub kegiatan → kelompok/paket → keterangan → line). ``rincian/domain.py`` holds the rules.

StatusPergeseran = Literal["menunggu", "ditolak"]
KODE_SUMBER_DANA = r"^[0-9]+(\.[0-9]+)*$"
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class Koefisien(BaseModel):
    """One factor of a line's volume (SIPD's vol_i and sat_i): e.g. 2 Orang."""

    model_config = ConfigDict(extra="forbid")

    volume: Quantity
    satuan: str = Field(min_length=1, max_length=50)


KODE_WILAYAH_PATTERN = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$"


class Penerima(BaseModel):
    """The recipient of a hibah (5.1.05) or bansos (5.1.06) line."""

    model_config = ConfigDict(extra="forbid")

    nama: str = Field(min_length=1, max_length=500, pattern=r"\S")
    alamat: str | None = Field(default=None, max_length=1000)
    kode_wilayah: str | None = Field(default=None, max_length=13, pattern=KODE_WILAYAH_PATTERN)


class Lokasi(BaseModel):
    """Where the line's object lies (SIPD's lokus of the account): a land purchase (belanja modal tanah, 5.2.01)
    names its plot."""

    model_config = ConfigDict(extra="forbid")

    kode_wilayah: str = Field(max_length=13, pattern=KODE_WILAYAH_PATTERN, description=(
        "The region the plot lies in (province, regency/city, kecamatan or desa code)."))
    uraian: str | None = Field(default=None, max_length=1000, description="The plot: address, area, certificate.")


class RkaRincianBaru(BaseModel):
    """An RKA-SKPD line: a standard-price component on an account, a coefficient of up to four factors, a unit
    price not above the standard price, a tax rate and a funding source; under a kelompok and a keterangan.

    jumlah = volume × harga_satuan × (1 + pajak/100), rounded to the whole rupiah, half up."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "rkpd_id": "6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d90", "kelompok": "Honorarium", "keterangan": "Tenaga kebersihan",
        "kode_rekening": "5.1.02.02.01.0026", "kode_standar_harga": "1.1.12.01.01.0001",
        "koefisien": [{"volume": "2", "satuan": "Orang"}, {"volume": "12", "satuan": "Bulan"}],
        "harga_satuan": "2500000.00", "pajak": "0", "kode_sumber_dana": "1.1"}]})

    rkpd_id: str = Field(pattern=UUID_PATTERN, description="The RKPD sub kegiatan whose ceiling the line falls under.")
    kelompok: str = Field(min_length=1, max_length=500, description="The group or paket.")
    keterangan: str = Field(min_length=1, max_length=500)
    kode_rekening: str = Field(min_length=1, max_length=30, description="A belanja sub rincian objek the component allows.")
    kode_standar_harga: str = Field(min_length=1, max_length=60, description=(
        "A component of the pemda's standard prices (SSH, HSPK, ASB, SBU) for the year."))
    uraian: str | None = Field(default=None, min_length=1, max_length=500, description="Defaults to the component's name.")
    koefisien: list[Koefisien] = Field(min_length=1, max_length=4, description="volume = the product of the factors.")
    harga_satuan: Money = Field(description="Not above the component's standard price.")
    pajak: Percent = Field(default=Decimal(0), description="Tax rate (PPN), percent.")
    kode_sumber_dana: str = Field(max_length=30, pattern=KODE_SUMBER_DANA, description="The funding source.")
    penerima: Penerima | None = Field(default=None, description=(
        "Required on an account whose flag asks for it (`tanda_rekening`: hibah 5.1.05, bansos 5.1.06)."))
    lokasi: Lokasi | None = Field(default=None, description=(
        "Required on an account whose flag asks for it (`tanda_rekening`: belanja modal tanah 5.2.01)."))


class PlafonSumberDanaOut(BaseModel):
    kode_sumber_dana: str
    pagu: Money
    total_rincian: Amount
    sisa: Amount
    pagu_rencana: Amount | None = Field(default=None, description="What the plan says now, when it differs.")


class RkaKeteranganOut(BaseModel):
    keterangan: str
    jumlah: Amount
    rincian: list[RincianOut]


class RkaKelompokOut(BaseModel):
    kelompok: str
    jumlah: Amount
    keterangan: list[RkaKeteranganOut]


class RkaSubKegiatanOut(BaseModel):
    """An RKA-SKPD sub kegiatan as SIPD groups it, with its ceilings (total and per funding source)."""

    plafon: PlafonOut
    kelompok: list[RkaKelompokOut]


class VerifikasiBaru(BaseModel):
    """A TAPD verification note on an RKA sub kegiatan."""

    model_config = ConfigDict(extra="forbid")

    fokus_uraian: str = Field(min_length=1, max_length=500, pattern=r"\S", description="What the note is about.")
    catatan: str = Field(min_length=1, max_length=4000, pattern=r"\S")


class TanggapanBaru(BaseModel):
    """The SKPD's answer to a verification note."""

    model_config = ConfigDict(extra="forbid")

    tanggapan: str = Field(min_length=1, max_length=4000, pattern=r"\S")


class VerifikasiOut(BaseModel):
    id: str
    kode_pemda: str
    tahun: int
    rkpd_id: str
    kode_skpd: str
    fokus_uraian: str
    catatan: str
    dibuat_oleh: str | None
    tanggapan: str | None
    ditanggapi_oleh: str | None


class ImporRkaBaris(BaseModel):
    """One bad cell of an import: its row (the header is row 1), its column, why."""

    baris: int
    kolom: str
    pesan: str


class ImporRkaOut(BaseModel):
    kode_skpd: str
    jumlah_baris: int = Field(description="Data rows read.")
    jumlah_sub_kegiatan: int = Field(description="Sub kegiatan whose lines the file replaced.")
    jumlah_rincian: int
    total: Amount
    errors: list[ImporRkaBaris] = Field(description="Every bad row (then nothing was applied).")


# == KUA-PPAS (issue 13, part 1) ==========================================================================
# Provisional ceilings from the enacted RKPD, adjusted by TAPD, fixed by the nota kesepakatan with the DPRD.

TingkatPpas = Literal["skpd", "program", "kegiatan", "sub_kegiatan"]
StatusPpas = Literal["sementara", "disepakati"]


class PpasOut(BaseModel):
    kode_pemda: str
    tahun: int
    status: StatusPpas
    snapshot_id: str = Field(description="The enacted RKPD snapshot the ceilings come from.")
    rkpd_versi: int = Field(description="The enactment (a perubahan is a later one).")
    nomor_kesepakatan: str | None
    tanggal_kesepakatan: date | None
    total: Amount = Field(description="Σ of the SKPD ceilings.")
    total_rkpd: Amount = Field(description="Σ of the enacted RKPD's SKPD totals.")
    version: int


class PpasPerubahanOut(BaseModel):
    """The KUA-PPAS perubahan of the APBD-P: started from what the plan says when the APBD-P opens, adjusted by TAPD,
    fixed by the nota kesepakatan perubahan; the APBD-P's belanja per sub kegiatan stays within its ceilings."""

    kode_pemda: str
    tahun: int
    status: StatusPpas
    nomor_kesepakatan: str | None = Field(description="The nota kesepakatan perubahan's number.")
    tanggal_kesepakatan: date | None
    total: Amount = Field(description="Σ of the SKPD ceilings.")
    total_rkpd: Amount = Field(description="Σ of what the plan said per SKPD when the APBD-P opened.")
    version: int


class PaguPpasOut(BaseModel):
    tingkat: TingkatPpas
    kode_skpd: str
    kode: str = Field(description="The code at its level (the SKPD's own code for `skpd`).")
    pagu: Money = Field(description="The PPAS ceiling (provisional, or agreed).")
    pagu_rkpd: Money = Field(description="What the enacted RKPD says.")
    disesuaikan: bool = Field(description="TAPD changed it from the RKPD's figure.")


class PenyesuaianPpas(BaseModel):
    """TAPD sets one provisional ceiling (before the nota kesepakatan); audited."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "tingkat": "sub_kegiatan", "kode_skpd": "1.01.0.00.0.00.01.0000", "kode": "1.01.02.2.01.0001",
        "pagu": "3000000000.00", "alasan": "Kemampuan keuangan daerah"}]})

    tingkat: TingkatPpas
    kode_skpd: str = Field(max_length=40, pattern=r"^[0-9]+(\.[0-9]+)*$")
    kode: str = Field(max_length=40, pattern=r"^[0-9]+(\.[0-9]+)*$")
    pagu: Money
    alasan: str = Field(min_length=1, max_length=1000, pattern=r"\S")


class NotaKesepakatan(BaseModel):
    """The agreement of the KDH and the DPRD on the KUA-PPAS: it fixes the ceilings."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "nomor": "900/123/DPRD/2026", "tanggal": "2026-08-10"}]})

    nomor: str = Field(min_length=1, max_length=200, pattern=r"\S")
    tanggal: date


class KeputusanPergeseran(BaseModel):
    """TAPD's decision on a plan change against an agreed ceiling."""

    model_config = ConfigDict(extra="forbid")

    alasan: str | None = Field(default=None, max_length=1000)


RincianBaru.model_rebuild()
RincianOut.model_rebuild()
PlafonOut.model_rebuild()


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


# -- DPA-SKPD and its cash plan (issue 13, part 6) ---------------------------------------------------------------

StatusDpa = Literal["draft", "disahkan", "diganti"]


class BarisDpaOut(BaseModel):
    kode_sub_kegiatan: str
    kode_rekening: str
    nama_rekening: str
    jumlah: Amount = Field(description="Σ of the enacted budget lines of this sub kegiatan and account, exact.")
    kas: list[Amount] = Field(min_length=12, max_length=12,
                              description="The cash plan (anggaran kas), January to December; adds up to `jumlah` "
                                          "exactly.")


class DpaRingkasOut(BaseModel):
    kode_pemda: str
    tahun: int
    kode_skpd: str
    versi: int = Field(description="1 from the enacted APBD; a later one when the budget is amended (APBD-P, "
                                   "pergeseran). Every version is kept as it was.")
    status: StatusDpa = Field(description="`draft` (its cash plan is edited) → `disahkan` (authorised by PPKD, never "
                                          "changed) → `diganti` once a later version is authorised.")
    sebab: str = Field(description="Why this version: the enacted APBD, or the amendment that made it.")
    jumlah: Amount
    jumlah_baris: int
    dibuat_oleh: str | None
    dibuat_pada: datetime
    disahkan_oleh: str | None
    disahkan_pada: datetime | None
    nomor: str | None = Field(description="The DPA's number as authorised.")
    hash: str | None = Field(description="SHA-256 of the authorised content (lines and months).")
    diganti_pada: datetime | None


class DpaOut(DpaRingkasOut):
    baris: list[BarisDpaOut]


class GenerasiDpaOut(BaseModel):
    kode_pemda: str
    tahun: int
    dibuat: list[DpaRingkasOut] = Field(description="The DPA made now (versi 1 of each SKPD that had none).")
    sudah_ada: list[str] = Field(description="SKPD whose DPA existed already: left as they are.")


class KasBaris(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kode_sub_kegiatan: str = Field(min_length=1, max_length=30)
    kode_rekening: str = Field(min_length=1, max_length=30)
    kas: list[ExactMoney] = Field(max_length=12, description="12 months, January to December, adding up to the "
                                                              "line's `jumlah` exactly.")


class KasBaru(BaseModel):
    """The cash plan of some lines of a draft DPA: each line's months replaced; the rest unchanged."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"baris": [{
        "kode_sub_kegiatan": "1.01.02.2.01.0001", "kode_rekening": "5.1.02.02.01.0026",
        "kas": ["0", "0", "10000000", "10000000", "10000000", "10000000", "10000000", "0", "0", "0", "0", "10000000"]}]}]})

    baris: list[KasBaris] = Field(min_length=1, max_length=2000)
    versi: int | None = Field(default=None, ge=1, description="The draft version edited (a check: 409 naming `versi` "
                                                             "if the latest version is another).")


class PengesahanDpa(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"versi": 1, "nomor": "DPA/1.01/2027/1"}]})

    versi: int = Field(ge=1, description="The draft version authorised (409 naming `versi` if it is not the latest).")
    nomor: str | None = Field(default=None, max_length=200, description="The DPA's number.")


class DpaDisahkan(Event):
    """A version of an SKPD's DPA was authorised by PPKD: what the SKPD may spend per sub kegiatan × account and
    month is now this version's (the one before it, if any, is superseded). ``aggregate_id`` is
    ``<kode_pemda>:<tahun>:<kode_skpd>``, ``aggregate_version`` the DPA's ``versi``."""

    name = "dpa.disahkan"
    version = 1
    source = "keuangan"

    kode_skpd: str
    versi: int
    sebab: str
    jumlah: Amount = Field(description="Σ of the version's lines.")
    jumlah_baris: int
    nomor: str | None = None
    hash: str = Field(description="SHA-256 of the authorised content (lines and months).")
# == the APBD-P (perubahan) and the pergeseran (services/keuangan/perubahan/), issue 13 part 7 ================
StatusPerubahan = Literal["dibuka", "diajukan", "dievaluasi", "ditetapkan"]
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class NilaiPerubahan(BaseModel):
    murni: Amount = Field(description="As the APBD was enacted: never changes.")
    perubahan: Amount = Field(description="Now: after the pergeseran and the APBD-P.")
    selisih: Amount = Field(description="perubahan − murni, exact.")


class PosOut(BaseModel):
    """One budget position: belanja per SKPD × sub kegiatan (RKPD item) × account; revenue and financing per SKPD
    × account (no sub kegiatan)."""

    id: str
    kode_skpd: str
    rkpd_id: str | None
    kode_sub_kegiatan: str | None
    kode_rekening: str
    nama_rekening: str | None = Field(description="From keuangan's replica of the chart of accounts.")
    murni: Amount = Field(description="As the APBD was enacted: never changes (0 for a position new in the APBD-P).")
    perubahan: Amount = Field(description="Now: after the pergeseran and the APBD-P.")
    selisih: Amount = Field(description="perubahan − murni, exact.")


class PosPerubahan(BaseModel):
    """A position's amount in the open APBD-P (it replaces the amount now; the murni is kept beside it). A belanja
    account names its sub kegiatan (``rkpd_id``); a revenue or financing account its SKPD (``kode_skpd``)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "rkpd_id": "6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d90", "kode_rekening": "5.1.02.02.01.0026",
        "jumlah": "72000000.00", "alasan": "Tambahan tenaga kebersihan semester II"}]})

    rkpd_id: str | None = Field(default=None, pattern=UUID_PATTERN)
    kode_skpd: str | None = Field(default=None, min_length=1, max_length=40, pattern=KODE_SKPD_PATTERN)
    kode_rekening: str = Field(min_length=1, max_length=30)
    jumlah: Money
    alasan: str = Field(min_length=1, max_length=1000)
    penerima: Penerima | None = Field(default=None, description=(
        "Required when the change raises a position on an account whose flag asks a line for it (`tanda_rekening`: "
        "hibah 5.1.05, bansos 5.1.06): the recipient of what is added. Kept in the position's audit trail."))
    lokasi: Lokasi | None = Field(default=None, description=(
        "Required when the change raises a position on belanja modal tanah (5.2.01): where the plot lies."))


class PenetapanApbdPerubahanOut(PenetapanApbdOut):
    pass


class ApbdPerubahanOut(BaseModel):
    """The APBD-P of a pemda-year: its state, and murni / perubahan / selisih of every identity (from the positions
    now; as enacted once enacted)."""

    kode_pemda: str
    tahun: int
    status: StatusPerubahan | None = Field(description=(
        "null: no APBD-P opened (the positions move by pergeseran only); dibuka → diajukan (to its evaluator) → "
        "dievaluasi → ditetapkan (its Perda: never changes); positions change only while `dibuka` or after a "
        "`tidak_sesuai`."))
    evaluator: str = Field(description="Who evaluates it: the province code for a regency/city, `pusat` for a "
                                        "province.")
    hasil_evaluasi: HasilEvaluasi | None = None
    terbuka: bool = Field(False, description="Whether its positions may change now.")
    evaluasi: list[EvaluasiOut] = Field(default_factory=list, description="Every evaluation recorded, oldest first.")
    ringkasan: dict[str, NilaiPerubahan] = Field(description=(
        "pendapatan, belanja, penerimaan_pembiayaan, pengeluaran_pembiayaan, surplus_defisit, pembiayaan_netto, "
        "silpa."))
    penetapan: PenetapanApbdPerubahanOut | None
    version: int


class PosBelanja(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rkpd_id: str = Field(pattern=UUID_PATTERN, description="The sub kegiatan (its RKPD item).")
    kode_rekening: str = Field(min_length=1, max_length=30, description="A belanja sub rincian objek account.")


class PosTujuan(PosBelanja):
    """The position a shift puts money on: what its account's flags ask of a line there (`tanda_rekening`) comes
    with it."""

    penerima: Penerima | None = Field(default=None, description=(
        "Required on an account whose flag asks for it (hibah 5.1.05, bansos 5.1.06): the recipient of what is "
        "shifted in."))
    lokasi: Lokasi | None = Field(default=None, description=(
        "Required on belanja modal tanah (5.2.01): where the plot lies."))


class PergeseranBaru(BaseModel):
    """A shift of ``jumlah`` from one belanja position to another; the total stays. Who may approve it follows the
    rule table ``kewenangan_pergeseran``: within one rincian objek the PPKD, within one jenis the Sekda; any other
    is made only in the APBD-P."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "dari": {"rkpd_id": "6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d90", "kode_rekening": "5.1.02.02.01.0026"},
        "ke": {"rkpd_id": "6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d90", "kode_rekening": "5.1.02.02.01.0027"},
        "jumlah": "5000000.00", "alasan": "Kebutuhan honorarium narasumber"}]})

    dari: PosBelanja
    ke: PosTujuan
    jumlah: Money
    alasan: str = Field(min_length=1, max_length=1000)


class PergeseranOut(BaseModel):
    id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    dari: PosBelanja
    ke: PosTujuan
    jumlah: Amount
    alasan: str
    kewenangan: str = Field(description="The rule of `kewenangan_pergeseran` it was approved under.")
    oleh: str
    peran: str
    pada: datetime


class ApbdPerubahanDitetapkan(Event):
    """A pemda's APBD-P (perubahan) for a year was enacted (its Perda and Perkada penjabaran). ``aggregate_id`` is
    ``<kode_pemda>:<tahun>``; the murni figures are the enacted APBD's, kept."""

    name = "apbd.perubahan.ditetapkan"
    version = 1
    source = "keuangan"

    nomor_perda: str
    tanggal_perda: date
    nomor_perkada: str
    tanggal_perkada: date
    pendapatan_murni: Amount
    pendapatan: Amount
    belanja_murni: Amount
    belanja: Amount
    pembiayaan_netto_murni: Amount
    pembiayaan_netto: Amount
    silpa_murni: Amount
    silpa: Amount
    hash: str = Field(description="SHA-256 of the enacted APBD-P's content.")


# -- the budget's schedule windows (jadwal anggaran, issue 13) ----------------------------------------------------

KODE_TAHAP_ANGGARAN = r"^(ppas|rka|rapbd|apbd_p)$"


class JendelaTahapAnggaran(BaseModel):
    """One budget stage's window: it may be written from ``waktu_mulai`` until (not including) ``waktu_selesai``."""

    model_config = ConfigDict(extra="forbid")

    kode_tahap: str = Field(pattern=KODE_TAHAP_ANGGARAN, description=(
        "`ppas` (KUA-PPAS adjusted until the nota kesepakatan), `rka` (RKA-SKPD lines and their import, revenue, "
        "financing), `rapbd` (the draft APBD: submission, evaluation, enactment), `apbd_p` (the APBD-P; optional)."))
    waktu_mulai: AwareDatetime = Field(description="Start of the window, with its UTC offset.")
    waktu_selesai: AwareDatetime = Field(description="End of the window (exclusive), with its UTC offset.")


class JadwalAnggaranBaru(BaseModel):
    """A pemda-year's budget schedule: a window for each stage (``apbd_p`` may be left out)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"tahap": [
        {"kode_tahap": "ppas", "waktu_mulai": "2026-06-01T00:00:00+07:00", "waktu_selesai": "2026-08-01T00:00:00+07:00"},
        {"kode_tahap": "rka", "waktu_mulai": "2026-08-01T00:00:00+07:00", "waktu_selesai": "2026-10-01T00:00:00+07:00"},
        {"kode_tahap": "rapbd", "waktu_mulai": "2026-10-01T00:00:00+07:00",
         "waktu_selesai": "2027-01-01T00:00:00+07:00"}]}]})

    tahap: list[JendelaTahapAnggaran] = Field(min_length=1, max_length=10)


class PerpanjanganTahapAnggaran(BaseModel):
    model_config = ConfigDict(extra="forbid")

    waktu_selesai: AwareDatetime = Field(description="The new end of the window: later than the current end and now.")


class BukaKembaliTahapAnggaran(BaseModel):
    """Reopen a locked budget stage: why, and until when. Recorded on the stage and audited; the snapshot of its lock
    stays as it was (locking it again takes a new one)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "alasan": "Koreksi hasil evaluasi TAPD atas RKA Dinas Pendidikan",
        "waktu_selesai": "2026-09-15T00:00:00+07:00"}]})

    alasan: str = Field(min_length=1, max_length=1000, pattern=r"\S", description="Why the stage is reopened.")
    waktu_selesai: AwareDatetime = Field(description="The end of the reopened window (in the future).")


class BukaKembaliOut(BaseModel):
    oleh: str = Field(description="Who reopened the stage.")
    pada: datetime
    alasan: str
    snapshot_id: str | None = Field(description="The snapshot of the lock it reopened (kept unchanged).")


class TahapAnggaranOut(BaseModel):
    kode: str
    nama: str
    urutan: int
    waktu_mulai: datetime
    waktu_selesai: datetime
    status: Literal["terbuka", "terkunci"] = Field(
        description="terbuka: written while now is inside its window; terkunci: locked (TAPD may reopen it until the "
                    "budget it makes is enacted).")
    snapshot_id: str | None = Field(description="The snapshot taken when the stage was last locked.")
    dikunci_oleh: str | None = None
    jumlah_kunci: int = Field(default=0, description="How many times the stage was locked: its latest snapshot's "
                                                     "`versi`.")
    buka_kembali: list[BukaKembaliOut] = Field(default_factory=list, description="Every reopening, oldest first.")
    terbuka_sekarang: bool = Field(description="Whether the stage may be written now.")


class JadwalAnggaranOut(BaseModel):
    id: str
    kode_pemda: str
    tahun: int
    versi_tahapan: str = Field(description="The version of the decree's stage list the schedule was made under.")
    version: int = Field(description="Increases with every change of the schedule.")
    tahap: list[TahapAnggaranOut]


class SnapshotAnggaranOut(BaseModel):
    """What a budget stage held when it was locked (never changes)."""

    id: str
    jadwal_id: str
    kode_pemda: str
    tahun: int
    kode_tahap: str
    versi: int = Field(default=1, description="The stage's n-th lock (a reopened stage locks again: a new version).")
    hash: str = Field(pattern=r"^[0-9a-f]{64}$", description=(
        "SHA-256 of the canonical JSON `{\"header\": {kode_pemda, tahun, kode_tahap}, \"items\": isi}` (keys sorted, "
        "no whitespace, UTF-8; decimals as text)."))
    isi: dict[str, Any] = Field(description="The stage's content: `ppas` the ceilings; other stages the budget "
                                            "lines summed per SKPD × sub kegiatan × account, and revenue and "
                                            "financing per account.")
    dibuat_oleh: str | None
    dibuat_at: datetime
# == penatausahaan (issue 14): spending documents, revenue received, realisation =============================
# (services/keuangan/penatausahaan/, penerimaan/, penomoran/)
KODE_REKENING_PATTERN = r"^[0-9]+(\.[0-9]+)*$"
KODE_SUB_KEGIATAN_PATTERN = r"^[0-9A-Z]+(\.[0-9A-Z]+)*$"
JenisSpp = Literal["UP", "GU", "TU", "LS"]
JenisLs = Literal["gaji", "barang_jasa", "pihak_ketiga"]


class BarisDokumen(BaseModel):
    """A line of an SPD or an SPP: an amount on one sub kegiatan × belanja account."""

    model_config = ConfigDict(extra="forbid")

    kode_sub_kegiatan: str = Field(min_length=1, max_length=40, pattern=KODE_SUB_KEGIATAN_PATTERN)
    kode_rekening: str = Field(min_length=1, max_length=30, pattern=KODE_REKENING_PATTERN)
    nilai: Money


class BarisDokumenOut(BaseModel):
    kode_sub_kegiatan: str
    kode_rekening: str
    nilai: Amount


class SpdBaru(BaseModel):
    """An SPD (surat penyediaan dana) of one SKPD for a period of months, per sub kegiatan × account."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "kode_skpd": "1.01.0.00.0.00.01.0000", "bulan_mulai": 1, "bulan_sampai": 3, "baris": [
            {"kode_sub_kegiatan": "1.01.02.2.01.0001", "kode_rekening": "5.2.03.01.01.0002", "nilai": "250000000.00"}]}]})

    kode_skpd: str = Field(min_length=1, max_length=40, pattern=KODE_SKPD_PATTERN)
    bulan_mulai: int = Field(ge=1, le=12, description="The period's first month (1 = January).")
    bulan_sampai: int = Field(ge=1, le=12, description="The period's last month.")
    baris: list[BarisDokumen] = Field(min_length=1, max_length=2000)


class SpdOut(BaseModel):
    id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    nomor: str
    bulan_mulai: int
    bulan_sampai: int
    status: Literal["draft", "otorisasi", "arsip"]
    nilai: Amount
    baris: list[BarisDokumenOut]
    dibuat_oleh: str
    diotorisasi_oleh: str | None = None
    version: int


class Dokumen(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nomor: str = Field(min_length=1, max_length=200)
    tanggal: date


class Kontrak(Dokumen):
    nilai: Money


class SppBaru(BaseModel):
    """An SPP: UP (the SKPD's advance, no lines), GU (replenishment, on an approved SPJ), TU (on an approved TU
    request) or LS (salary; goods and services, with contract and handover record; other third parties)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "kode_skpd": "1.01.0.00.0.00.01.0000", "jenis": "LS", "jenis_ls": "barang_jasa",
        "spd_id": "6f1c2b9e-8d7a-4c55-9d0e-2b1f6a7c8d90",
        "kontrak": {"nomor": "027/PPK/2026", "tanggal": "2026-02-01", "nilai": "100000000.00"},
        "bast": {"nomor": "027/BAST/2026", "tanggal": "2026-03-01"},
        "baris": [{"kode_sub_kegiatan": "1.01.02.2.01.0001", "kode_rekening": "5.2.03.01.01.0002",
                   "nilai": "100000000.00"}]}]})

    kode_skpd: str = Field(min_length=1, max_length=40, pattern=KODE_SKPD_PATTERN)
    jenis: JenisSpp
    jenis_ls: JenisLs | None = None
    spd_id: str | None = Field(default=None, pattern=UUID_PATTERN, description="The authorised SPD it draws on (not UP).")
    pengesahan_id: str | None = Field(default=None, pattern=UUID_PATTERN,
                                      description="GU: the approved SPJ; TU: the approved TU request.")
    nilai: Money | None = Field(default=None, description="UP only: the amount (others: the sum of their lines).")
    kontrak: Kontrak | None = None
    bast: Dokumen | None = Field(default=None, description="The handover record (berita acara serah terima).")
    baris: list[BarisDokumen] = Field(default_factory=list, max_length=2000)


class SppOut(BaseModel):
    id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    nomor: str
    jenis: JenisSpp
    jenis_ls: JenisLs | None = None
    spd_id: str | None = None
    pengesahan_id: str | None = None
    nilai: Amount
    status: Literal["draft", "diajukan", "diverifikasi"]
    alasan_tolak: str | None = Field(default=None, description="Why the PPK-SKPD sent it back to draft, if it did.")
    kontrak: dict | None = None
    bast: dict | None = None
    baris: list[BarisDokumenOut]
    dibuat_oleh: str
    diverifikasi_oleh: str | None = None
    dikembalikan: Amount = Field(description="TU: the unused part returned.")
    version: int


class Keputusan(BaseModel):
    """A checker's decision: approve, or reject with a reason."""

    model_config = ConfigDict(extra="forbid")

    setuju: bool
    alasan: str | None = Field(default=None, max_length=2000, description="Required when `setuju` is false.")


class SpmBaru(BaseModel):
    model_config = ConfigDict(extra="forbid")

    spp_id: str = Field(pattern=UUID_PATTERN, description="The verified SPP.")


class SpmOut(BaseModel):
    id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    nomor: str
    spp_id: str
    jenis: JenisSpp
    nilai: Amount
    status: Literal["draft", "otorisasi", "diterima", "ditolak"]
    dibuat_oleh: str
    ditandatangani_oleh: str | None = None
    diputus_oleh: str | None = None
    alasan_tolak: str | None = None
    version: int


class PengembalianTu(BaseModel):
    """The unused part of a disbursed TU, returned by the bendahara pengeluaran."""

    model_config = ConfigDict(extra="forbid")

    nilai: Money


class PencairanSp2d(BaseModel):
    """The SP2D's disbursement: the bank's day (in the budget year), which dates its realisation in the LRA."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"tanggal": "2027-03-15"}]})

    tanggal: date | None = Field(default=None, description="The day the bank paid; today (WIB) when left out. "
                                                         "422 naming `tanggal` outside the budget year.")


class Sp2dBaru(BaseModel):
    model_config = ConfigDict(extra="forbid")

    spm_id: str = Field(pattern=UUID_PATTERN, description="The accepted SPM.")
    nilai: Money = Field(description="Exactly the SPM's amount.")


class Sp2dOut(BaseModel):
    id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    nomor: str
    spm_id: str
    jenis: JenisSpp
    nilai: Amount
    status: Literal["draft", "terbit", "cair"]
    baris: list[BarisDokumenOut]
    dibuat_oleh: str
    diterbitkan_oleh: str | None = None
    dicairkan_oleh: str | None = None
    tanggal_cair: date | None = Field(default=None, description="The day the bank paid (the realisation's date).")
    version: int


class PengesahanBaru(BaseModel):
    """An SPJ to approve (for a GU) or a TU request (tambahan uang)."""

    model_config = ConfigDict(extra="forbid")

    kode_skpd: str = Field(min_length=1, max_length=40, pattern=KODE_SKPD_PATTERN)
    jenis: Literal["spj", "tu"]
    nilai: Money
    uraian: str = Field(min_length=1, max_length=2000)


class PengesahanOut(BaseModel):
    id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    jenis: Literal["spj", "tu"]
    nilai: Amount
    uraian: str
    status: Literal["diajukan", "disetujui"]
    dibuat_oleh: str
    disetujui_oleh: str | None = None
    version: int


class BesaranUp(BaseModel):
    """The UP size of an SKPD for a year, as the Perkada sets it (data, not code)."""

    model_config = ConfigDict(extra="forbid")

    kode_skpd: str = Field(min_length=1, max_length=40, pattern=KODE_SKPD_PATTERN)
    besaran: Money
    dasar: str = Field(min_length=1, max_length=500, description="The Perkada (or decision) that sets it.")


class TbpBaru(BaseModel):
    """A receipt (tanda bukti penerimaan) by the SKPD's bendahara penerimaan, on a 4.x sub rincian objek."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "kode_skpd": "1.01.0.00.0.00.01.0000", "kode_rekening": "4.1.02.01.01.0001", "tanggal": "2026-03-02",
        "uraian": "Retribusi pelayanan", "penyetor": "CV Maju", "nilai": "1500000.00"}]})

    kode_skpd: str = Field(min_length=1, max_length=40, pattern=KODE_SKPD_PATTERN)
    kode_rekening: str = Field(min_length=1, max_length=30, pattern=KODE_REKENING_PATTERN)
    tanggal: date
    uraian: str = Field(min_length=1, max_length=500)
    penyetor: str = Field(min_length=1, max_length=200, description="Who paid.")
    nilai: Money


class TbpOut(BaseModel):
    id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    nomor: str
    kode_rekening: str
    nama_rekening: str
    tanggal: date
    uraian: str
    penyetor: str
    nilai: Amount
    sts_id: str | None = Field(default=None, description="The deposit that holds it, once deposited.")
    dibuat_oleh: str


class StsBaru(BaseModel):
    """A deposit (surat tanda setoran) of the SKPD's receipts into the regional cash account (RKUD)."""

    model_config = ConfigDict(extra="forbid")

    kode_skpd: str = Field(min_length=1, max_length=40, pattern=KODE_SKPD_PATTERN)
    tanggal: date
    tbp_ids: list[Annotated[str, Field(pattern=UUID_PATTERN)]] = Field(
        min_length=1, max_length=1000, description="The receipts deposited (ids).")


class StsOut(BaseModel):
    id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    nomor: str
    tanggal: date
    tbp_ids: list[str]
    nilai: Amount
    status: Literal["diajukan", "divalidasi"]
    dibuat_oleh: str
    divalidasi_oleh: str | None = None
    version: int


class RealisasiOut(BaseModel):
    """Realisation so far of one account (of one sub kegiatan, for spending) of one SKPD."""

    kode_skpd: str
    kode_sub_kegiatan: str | None = None
    kode_rekening: str
    jumlah: Amount
    version: int


class RealisasiBerubah(Event):
    """The realisation of an SKPD's account changed: revenue when a deposit (STS) is validated, spending when an
    SP2D is disbursed. Carries the new total (``aggregate_id``: ``<kode_pemda>:<tahun>:<jenis>:<kode_skpd>:
    <kode_sub_kegiatan or ->:<kode_rekening>``; its version grows by one per change)."""

    name = "realisasi.berubah"
    version = 1
    source = "keuangan"

    jenis: Literal["pendapatan", "belanja"]
    kode_skpd: str
    kode_sub_kegiatan: str | None = Field(default=None, description="Spending only: the sub kegiatan.")
    kode_rekening: str
    jumlah: Amount = Field(description="The realisation so far (the new total).")
    perubahan: Amount = Field(description="What this change added (negative for a return).")


# -- the LRA (laporan realisasi anggaran), issue 14 -------------------------------------------------------------

PERIODE_LRA_PATTERN = r"^(tahun|semester-[12]|bulan-([1-9]|1[0-2]))$"
PersenLra = Annotated[Decimal, PlainSerializer(lambda v: format(v, "f"), return_type=str, when_used="json"),
                      WithJsonSchema({"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$", "examples": ["87.35"],
                                      "description": "realisasi / anggaran × 100, rounded half-up to 2 decimals."})]


class NilaiLra(BaseModel):
    anggaran: Amount = Field(description="The budget after perubahan (the positions now; the enacted APBD before "
                                         "any pergeseran or APBD-P).")
    realisasi: Amount = Field(description="Realised in the period: disbursed SP2D (belanja), validated STS "
                                          "(pendapatan), by their date.")
    persen: PersenLra | None = Field(description="realisasi / anggaran × 100, rounded half-up to 2 decimals; null "
                                                 "when the budget is 0.")
    realisasi_lalu: Amount = Field(description="The same period of the year before (0 when none).")


class BarisLraOut(NilaiLra):
    kode_rekening: str
    nama_rekening: str | None = Field(description="From keuangan's replica of the chart of accounts.")
    tingkat: int = Field(ge=1, le=6, description="1 akun … 6 sub rincian objek.")


class BagianLraOut(BaseModel):
    baris: list[BarisLraOut]
    jumlah: NilaiLra


class LraOut(BaseModel):
    """The LRA of a pemda (or one SKPD) for a period, as the SAP lays it out: pendapatan, belanja, surplus/(defisit),
    pembiayaan (penerimaan, pengeluaran, netto) and SiLPA, each with its budget, realisation, percentage and the
    previous year's realisation of the same period."""

    kode_pemda: str
    tahun: int
    kode_skpd: str | None = Field(description="null: the whole pemda.")
    periode: str = Field(pattern=PERIODE_LRA_PATTERN)
    dari: date
    sampai: date
    tingkat: int = Field(ge=1, le=6)
    pendapatan: BagianLraOut
    belanja: BagianLraOut
    surplus_defisit: NilaiLra
    penerimaan_pembiayaan: BagianLraOut
    pengeluaran_pembiayaan: BagianLraOut
    pembiayaan_netto: NilaiLra
    silpa: NilaiLra


class BulanLraOut(BaseModel):
    bulan: int = Field(ge=1, le=12)
    pendapatan: Amount = Field(description="Revenue realised in the month (validated STS, by their date).")
    belanja: Amount = Field(description="Spending realised in the month (disbursed SP2D, by their date).")
    pendapatan_kumulatif: Amount = Field(description="From 1 January to the month's end.")
    belanja_kumulatif: Amount = Field(description="From 1 January to the month's end.")


class LraPublikOut(LraOut):
    """The LRA of a pemda's year for everyone (the public portal, open data): the whole pemda, the year so far.
    Answered only once the APBD is enacted; its budget is what was enacted — the APBD, or the APBD-P once enacted,
    with the pergeseran decided since — and never an open APBD-P's figures (a draft until enacted: meanwhile the
    budget is as it stood when the APBD-P opened). Nothing of who did what is in it."""

    dasar_anggaran: Literal["apbd", "apbd_perubahan"] = Field(description="The enacted budget the figures are of.")
    nomor_perda: str = Field(description="That budget's Perda.")
    tanggal_perda: date
    realisasi_terakhir: date | None = Field(description="The latest day with realisation (the date of the data); "
                                                        "null before any.")
    bulanan: list[BulanLraOut] = Field(description="Months 1 to 12: realised in each and cumulative (financing is "
                                                   "in the year's sections only).")
