"""keuangan's published language: the requests and answers of its RPCs (ceilings, budget lines), and its events.

Events travel on the topic exchange ``keuangan.events``.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sipd_common.events import Event
from sipd_common.money import Amount, Money, Percent, Quantity

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


class Penerima(BaseModel):
    """The recipient of a hibah (5.1.05) or bansos (5.1.06) line."""

    model_config = ConfigDict(extra="forbid")

    nama: str = Field(min_length=1, max_length=500, pattern=r"\S")
    alamat: str | None = Field(default=None, max_length=1000)
    kode_wilayah: str | None = Field(default=None, max_length=13, pattern=r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$")


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
    penerima: Penerima | None = Field(default=None, description="Required on hibah (5.1.05) and bansos (5.1.06) lines.")


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
