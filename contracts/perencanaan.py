"""perencanaan's published language: the RKPD requests and answers of its RPCs, and its events.

Events travel on the topic exchange ``perencanaan.events``.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from sipd_common.events import Event
from sipd_common.money import Amount, Money, Quantity
from sipd_common.validation import PartialUpdate

from .referensi import Pemetaan

_TEXT = dict(min_length=1, max_length=500)


KODE_WILAYAH = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$"
KODE_SUMBER_DANA = r"^[0-9]+(\.[0-9]+)*$"


class SumberDanaItem(BaseModel):
    """One funding source of a plan item and the part of its pagu indikatif it funds."""

    model_config = ConfigDict(extra="forbid")

    kode_sumber_dana: str = Field(max_length=30, pattern=KODE_SUMBER_DANA,
                                  description="Code of the national list of sumber dana, e.g. `1.1`.")
    pagu: Money


_BULAN = dict(ge=1, le=12)


class SubKegiatanBaru(BaseModel):
    """A sub kegiatan to put in an SKPD's RKPD for the year. The output (kinerja), its indikator and satuan
    default to the codification's for that sub kegiatan."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "kode_skpd": "1.01.0.00.0.00.01.0000", "kode_sub_kegiatan": "1.01.02.2.01.0001",
        "indikator": "Jumlah Unit Sekolah Baru yang Dibangun", "target": "2", "satuan": "Unit",
        "pagu_indikatif": "3500000000.00", "pagu_indikatif_n1": "1000000000.00",
        "lokasi": ["32.73.01", "32.73.02.1001"], "bulan_mulai": 3, "bulan_selesai": 11,
        "sumber_dana": [{"kode_sumber_dana": "1.1", "pagu": "3000000000.00"},
                        {"kode_sumber_dana": "2.1", "pagu": "500000000.00"}],
        "label_prioritas": ["Prioritas Nasional 4"]}]})

    kode_skpd: str = Field(min_length=1, max_length=40, description="Organisation code of the SKPD, e.g. `1.01.0.00.0.00.01.0000`.")
    kode_sub_kegiatan: str = Field(min_length=1, max_length=30, description="Sub kegiatan code of the national codification.")
    kinerja: str | None = Field(default=None, **_TEXT, description="The output; the codification's kinerja if left out.")
    indikator: str | None = Field(default=None, **_TEXT, description="The output indicator; the codification's if left out.")
    target: Quantity
    satuan: str | None = Field(default=None, min_length=1, max_length=100,
                               description="Unit of the target; the codification's if left out.")
    pagu_indikatif: Money = Field(description="Pagu indikatif of year N, rupiah.")
    pagu_indikatif_n1: Money | None = Field(default=None, description="Pagu indikatif of year N+1 (the forward estimate).")
    lokasi: list[Annotated[str, Field(pattern=KODE_WILAYAH)]] = Field(
        default_factory=list, max_length=100, description="Where it is carried out: region codes of the pemda, down to "
        "kelurahan/desa (`32.73`, `32.73.01`, `32.73.01.1001`).")
    sumber_dana: list[SumberDanaItem] = Field(default_factory=list, max_length=20, description=(
        "Funding sources with amounts; when given, they add up to the pagu indikatif exactly."))
    bulan_mulai: int = Field(default=1, **_BULAN, description="Month execution starts (1-12).")
    bulan_selesai: int = Field(default=12, **_BULAN, description="Month execution ends (1-12), not before it starts.")
    label_prioritas: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=20, description="Priority labels (national, provincial, regional, SPM, ...).")


class PerubahanSubKegiatan(PartialUpdate):
    """Fields of a plan item to change; codes cannot change (delete the item and plan another)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"pagu_indikatif": "3000000000.00"}]})
    nullable = frozenset({"pagu_indikatif_n1"})

    kinerja: str | None = Field(default=None, **_TEXT)
    indikator: str | None = Field(default=None, **_TEXT)
    target: Quantity | None = None
    satuan: str | None = Field(default=None, min_length=1, max_length=100)
    pagu_indikatif: Money | None = None
    pagu_indikatif_n1: Money | None = None
    lokasi: list[Annotated[str, Field(pattern=KODE_WILAYAH)]] | None = Field(default=None, max_length=100)
    sumber_dana: list[SumberDanaItem] | None = Field(default=None, max_length=20)
    bulan_mulai: int | None = Field(default=None, **_BULAN)
    bulan_selesai: int | None = Field(default=None, **_BULAN)
    label_prioritas: list[Annotated[str, Field(min_length=1, max_length=200)]] | None = Field(default=None, max_length=20)


class SubKegiatanDihapusOut(BaseModel):
    """What ``delete_sub_kegiatan`` answers: the item is gone from the plan, at this version."""

    id: str
    version: int = Field(description="The item's version after the deletion (the deletion event carries it).")
    deleted: bool = True


class SubKegiatanRkpdOut(BaseModel):
    id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    kode_sub_kegiatan: str
    nama_sub_kegiatan: str
    kode_bidang_urusan: str
    nama_bidang_urusan: str
    kinerja: str | None = Field(description="The output (the codification's kinerja unless the plan says otherwise).")
    indikator: str
    target: Quantity
    satuan: str
    pagu_indikatif: Money
    pagu_indikatif_n1: Money | None = Field(description="Pagu indikatif of year N+1.")
    lokasi: list[str]
    sumber_dana: list[SumberDanaItem]
    bulan_mulai: int
    bulan_selesai: int
    label_prioritas: list[str]
    version: int = Field(description="Increases with every change; send it back as If-Match to change safely.")
    perlu_pemetaan: bool = Field(description="True when a code the item uses was retired from the codification: "
                                             "the item needs mapping to a current code (it is never rewritten silently).")
    pemetaan: list[Pemetaan] = Field(description="The retired codes the item uses, with suggested replacements.")


# -- events -----------------------------------------------------------------------------------------
class RkpdSubKegiatanSaved(Event):
    """An RKPD sub kegiatan was created or changed; carries its whole state."""

    name = "rkpd.sub_kegiatan.saved"
    version = 1
    source = "perencanaan"

    kode_skpd: str
    kode_sub_kegiatan: str
    nama_sub_kegiatan: str
    kode_bidang_urusan: str
    nama_bidang_urusan: str
    indikator: str
    target: Quantity
    satuan: str
    pagu_indikatif: Money = Field(description="Indicative ceiling (pagu indikatif), rupiah.")


class RkpdSubKegiatanDeleted(Event):
    """An RKPD sub kegiatan was deleted from the plan."""

    name = "rkpd.sub_kegiatan.deleted"
    version = 1
    source = "perencanaan"

    kode_skpd: str
    kode_sub_kegiatan: str
    kode_bidang_urusan: str
    pagu_indikatif: Money = Field(description="The item's last pagu indikatif: a consumer that sees the "
                                              "deletion before the last change still ends in the same state.")


# -- schedule windows (jadwal) ------------------------------------------------------------------------
# A planning document of a pemda and year is made in stages, each inside a window of time; locking a
# stage keeps what it held as a snapshot that never changes; enacting (penetapan) publishes it.

KODE_TAHAP = r"^[a-z][a-z0-9_]{0,39}$"
DOKUMEN = r"^[a-z][a-z0-9_]{0,19}$"


class JendelaTahap(BaseModel):
    """One stage's window: it may be written from ``waktu_mulai`` until (not including) ``waktu_selesai``."""

    model_config = ConfigDict(extra="forbid")

    kode_tahap: str = Field(pattern=KODE_TAHAP, description="A stage of the document's stage list "
                                                              "(`GET /api/v1/perencanaan/tahapan`), e.g. `rancangan_awal`.")
    waktu_mulai: AwareDatetime = Field(description="Start of the window, with its UTC offset.")
    waktu_selesai: AwareDatetime = Field(description="End of the window (exclusive), with its UTC offset.")


class JadwalBaru(BaseModel):
    """A pemda's schedule of one document for one fiscal year: a window for each stage of the decree in force."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "dokumen": "rkpd", "tahun": 2027, "tahap": [
            {"kode_tahap": "rancangan_awal", "waktu_mulai": "2026-01-05T00:00:00+07:00",
             "waktu_selesai": "2026-01-31T00:00:00+07:00"},
            {"kode_tahap": "rancangan", "waktu_mulai": "2026-02-01T00:00:00+07:00",
             "waktu_selesai": "2026-02-28T00:00:00+07:00"},
            {"kode_tahap": "musrenbang", "waktu_mulai": "2026-03-01T00:00:00+07:00",
             "waktu_selesai": "2026-04-15T00:00:00+07:00"},
            {"kode_tahap": "rancangan_akhir", "waktu_mulai": "2026-04-16T00:00:00+07:00",
             "waktu_selesai": "2026-05-31T00:00:00+07:00"},
            {"kode_tahap": "penetapan", "waktu_mulai": "2026-06-01T00:00:00+07:00",
             "waktu_selesai": "2026-06-30T00:00:00+07:00"}]}]})

    dokumen: str = Field(default="rkpd", pattern=DOKUMEN, description="The planning document; `rkpd`.")
    tahun: int = Field(ge=2000, le=2100, description="The fiscal year planned (N; its RKPD is made in N-1).")
    tahap: list[JendelaTahap] = Field(min_length=1, max_length=20)


class PerpanjanganTahap(BaseModel):
    model_config = ConfigDict(extra="forbid")

    waktu_selesai: AwareDatetime = Field(description="The new end of the window: later than the current end.")


class BukaKembaliTahap(BaseModel):
    """Reopen a locked stage: why, and until when. Audited; the stage's snapshot stays as it was."""

    model_config = ConfigDict(extra="forbid")

    alasan: str = Field(min_length=1, max_length=1000, pattern=r"\S", description="Why the stage is reopened.")
    waktu_selesai: AwareDatetime = Field(description="The end of the reopened window (in the future).")


class DefinisiTahapOut(BaseModel):
    kode: str
    nama: str
    urutan: int
    menetapkan: bool = Field(description="Locking this stage enacts the document (and publishes it).")
    perubahan: bool = Field(description="A revision: starts from the enacted snapshot and keeps it as murni.")
    opsional: bool = Field(description="Need not be scheduled with the others (added later, when needed).")
    batas_bulan: int | None = Field(description="The decree's deadline: end of this month ...")
    batas_tahun: int | None = Field(description="... of fiscal year N plus this (e.g. -1: the year before).")


class TahapanOut(BaseModel):
    """The stages of one document under one decree (a version), valid from fiscal year ``berlaku_mulai``."""

    dokumen: str
    versi: str
    dasar_hukum: str
    berlaku_mulai: int
    tahap: list[DefinisiTahapOut]


class TahapOut(BaseModel):
    kode: str
    nama: str
    urutan: int
    waktu_mulai: datetime
    waktu_selesai: datetime
    status: Literal["draft", "terbuka", "terkunci"] = Field(
        description="draft (not opened), terbuka (open: written while now is inside its window), terkunci (locked).")
    menetapkan: bool
    perubahan: bool
    batas: date | None = Field(description="The decree's deadline for the stage, if it sets one.")
    dari_snapshot_id: str | None = Field(description="The snapshot the stage started from.")
    snapshot_id: str | None = Field(description="The stage's latest snapshot (taken when it was locked).")
    jumlah_kunci: int = Field(description="How many times the stage was locked (a reopened stage locks again).")
    alasan_buka_kembali: str | None = Field(description="Why it was last reopened.")
    melewati_batas: bool = Field(description="The window ends after the decree's deadline.")


class JadwalOut(BaseModel):
    id: str
    kode_pemda: str
    dokumen: str
    tahun: int
    versi_tahapan: str = Field(description="The version of the decree's stage list the schedule was made under.")
    version: int = Field(description="Increases with every change of the schedule.")
    tahap: list[TahapOut]
    tahap_terbuka: str | None = Field(description="The stage that may be written now (open, inside its window).")


class RingkasanBaris(BaseModel):
    kode_skpd: str
    kode_program: str | None = None
    kode_kegiatan: str | None = None
    kode_sub_kegiatan: str | None = None
    pagu_indikatif: Amount
    pagu_indikatif_murni: Amount | None = Field(default=None, description="In a perubahan: the enacted figure.")


class RingkasanTotal(BaseModel):
    pagu_indikatif: Amount
    pagu_indikatif_murni: Amount | None = None


class RingkasanSnapshot(BaseModel):
    """Totals of pagu indikatif (exact sums, no rounding) per SKPD, program, kegiatan and sub kegiatan."""

    jumlah_sub_kegiatan: int
    total: RingkasanTotal
    skpd: list[RingkasanBaris]
    program: list[RingkasanBaris]
    kegiatan: list[RingkasanBaris]
    sub_kegiatan: list[RingkasanBaris]


class SnapshotInfoOut(BaseModel):
    """A snapshot: what one stage held when it was locked. It never changes."""

    id: str
    jadwal_id: str
    kode_pemda: str
    dokumen: str
    tahun: int
    kode_tahap: str
    kunci_ke: int = Field(description="1 for the stage's first lock; a reopened stage's next lock is 2, ...")
    hash: str = Field(pattern=r"^[0-9a-f]{64}$", description=(
        "SHA-256 of the canonical JSON `{\"header\": ..., \"items\": [...]}` (keys sorted, no whitespace, UTF-8; "
        "the header is kode_pemda, dokumen, tahun, kode_tahap, kunci_ke, dari_snapshot_id, murni_snapshot_id; "
        "the items as served, every item of the document)."))
    dari_snapshot_id: str | None
    murni_snapshot_id: str | None = Field(description="In a perubahan: the enacted (murni) snapshot beside it.")
    dibuat_oleh: str | None
    dibuat_at: datetime
    ringkasan: RingkasanSnapshot


class SnapshotOut(SnapshotInfoOut):
    """A snapshot with one page of its items (in SKPD, sub kegiatan order)."""

    items: list[dict[str, Any]] = Field(description="The items as they were, fields as the RKPD item has them.")
    total: int
    page: int
    per_page: int


class RkpdDitetapkanSkpd(BaseModel):
    kode_skpd: str
    pagu_indikatif: Money
    pagu_indikatif_murni: Money | None = None


class RkpdDitetapkanProgram(RkpdDitetapkanSkpd):
    kode_program: str


class RkpdDitetapkanKegiatan(RkpdDitetapkanSkpd):
    kode_kegiatan: str


class RkpdDitetapkanSubKegiatan(RkpdDitetapkanSkpd):
    kode_sub_kegiatan: str


class RkpdDitetapkan(Event):
    """A pemda's RKPD for a year was enacted (its penetapan stage locked) or revised (perubahan locked).

    ``aggregate_id`` is the jadwal; a later enactment of the same RKPD (a perubahan) has a higher
    ``aggregate_version`` and supersedes the earlier one. The snapshot is readable for ever at
    ``/api/v1/pemda/{kode_pemda}/snapshot/{snapshot_id}``; its totals travel here."""

    name = "rkpd.ditetapkan"
    version = 1
    source = "perencanaan"

    snapshot_id: str
    hash: str = Field(description="The snapshot's content hash (SHA-256, hex).")
    kode_tahap: str = Field(description="`penetapan`, or `perubahan` for a revision.")
    perubahan: bool
    murni_snapshot_id: str | None = Field(description="In a perubahan: the enacted (murni) snapshot it revises.")
    jumlah_sub_kegiatan: int
    total_pagu_indikatif: Money
    total_pagu_indikatif_murni: Money | None = None
    skpd: list[RkpdDitetapkanSkpd]
    program: list[RkpdDitetapkanProgram]
    kegiatan: list[RkpdDitetapkanKegiatan]
    sub_kegiatan: list[RkpdDitetapkanSubKegiatan]


# -- the SKPD's pagu indikatif ceiling ------------------------------------------------------------------

class PaguSkpdBaru(BaseModel):
    """The pagu indikatif ceiling of an SKPD for the year, set by Bappeda: its items may not add up to more."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"pagu": "25000000000.00"}]})

    pagu: Money


class PaguSkpdOut(BaseModel):
    kode_pemda: str
    tahun: int
    kode_skpd: str
    pagu: Money
    terpakai: Amount = Field(description="Σ pagu indikatif of the SKPD's items in the year.")
    sisa: Amount = Field(description="What is left under the ceiling (pagu − terpakai).")
    version: int = Field(description="Increases with every change; send it back as If-Match to change safely.")
