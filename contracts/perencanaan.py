"""perencanaan's published language: the RKPD requests and answers of its RPCs, and its events.

Events travel on the topic exchange ``perencanaan.events``.
"""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool

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
# the code of a node of a five-year plan (a tujuan, a sasaran ...), as an RKPD item names its Renstra sasaran
_KODE_NODE = dict(min_length=1, max_length=30, pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-]*$")


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
        "kelurahan/desa (`32.73`, `32.73.01`, `32.73.01.1001`), each one the codification holds (422 `lokasi.<i>` "
        "otherwise).")
    sumber_dana: list[SumberDanaItem] = Field(default_factory=list, max_length=20, description=(
        "Funding sources with amounts; when given, they add up to the pagu indikatif exactly."))
    bulan_mulai: int = Field(default=1, **_BULAN, description="Month execution starts (1-12).")
    bulan_selesai: int = Field(default=12, **_BULAN, description="Month execution ends (1-12), not before it starts.")
    label_prioritas: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=20, description="Priority labels (national, provincial, regional, SPM, ...).")
    catatan: str | None = Field(default=None, min_length=1, max_length=2000, description=(
        "Why the target differs from the Renstra's for the year; the RKPD consistency report does not list a "
        "difference a note explains."))
    kode_sasaran_renstra: str | None = Field(default=None, **_KODE_NODE, description=(
        "The `kode` of the sasaran of the SKPD's verified Renstra (covering the year) this item serves; that "
        "sasaran names the RPJMD sasaran it serves in turn. Optional in the early stages; required in the stages "
        "the schedule marks `wajib_sasaran` (Permendagri 86/2017: rancangan akhir, penetapan; not perubahan), whose "
        "lock also asks it of every item of the year."))


class PerubahanSubKegiatan(PartialUpdate):
    """Fields of a plan item to change; codes cannot change (delete the item and plan another)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"pagu_indikatif": "3000000000.00"}]})
    nullable = frozenset({"pagu_indikatif_n1", "catatan", "kode_sasaran_renstra"})

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
    catatan: str | None = Field(default=None, min_length=1, max_length=2000)
    kode_sasaran_renstra: str | None = Field(default=None, **_KODE_NODE, description=(
        "The Renstra sasaran the item serves (null: none, refused in a stage that requires one)."))


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
    catatan: str | None = Field(default=None, description="Why its target differs from the Renstra's for the year.")
    kode_sasaran_renstra: str | None = Field(default=None, description=(
        "The `kode` of the sasaran of its SKPD's verified Renstra it serves (null: not linked yet)."))
    usulan: "list[UsulanRingkasOut] | None" = Field(
        default=None, description="On a read or a write of one item: the accepted proposals (usulan musrenbang, pokir "
                                  "DPRD) it answers; null in lists and in the audit trail.")


# -- RPJMD and Renstra: the five-year plans (Permendagri 86/2017) ----------------------------------------
_URAIAN = dict(min_length=1, max_length=2000)


class Polaritas(StrEnum):
    """How an indicator's figures read (SIPD's ``status``)."""

    POSITIF = "positif"      # higher is better
    NEGATIF = "negatif"      # lower is better
    KUMULATIF = "kumulatif"  # the yearly figures add up to the end of the period


_TAHUN = {"propertyNames": {"pattern": "^[0-9]{4}$"}}  # keys are years
_TAHUNAN = "One figure per year of the plan's period, keyed by the year (`\"2026\"`); a year outside the period is refused."


class Indikator(BaseModel):
    """An indicator of a goal, a target, a program, a kegiatan or a sub kegiatan, with its yearly targets."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "uraian": "Angka Partisipasi Murni SD", "satuan": "%", "polaritas": "positif", "baseline": "95.2",
        "target": {"2026": "95.5", "2027": "96", "2028": "96.5", "2029": "97", "2030": "97.5"}}]})

    uraian: str = Field(**_TEXT)
    satuan: str = Field(min_length=1, max_length=100)
    polaritas: Polaritas
    baseline: Quantity | None = Field(default=None, description="The figure at the start of the period (kondisi awal).")
    target: dict[int, Quantity] = Field(default_factory=dict, json_schema_extra=_TAHUN, description=_TAHUNAN)
    target_akhir: Quantity | None = Field(default=None, description=(
        "The target at the end of the period. Left out, it is derived: the sum of the yearly targets for a "
        "`kumulatif` indicator, the last year's target otherwise."))
    catatan: str | None = Field(default=None, min_length=1, max_length=2000, description=(
        "Why the targets differ from those of the plan this one follows (a Renstra's from the RPJMD's); "
        "the consistency report does not list a difference a note explains."))


def _nama():
    return Field(default=None, description="From the codification (set by the service; ignored on input).",
                 json_schema_extra={"readOnly": True})


class ProgramRpjmd(BaseModel):
    """A priority program serving an RPJMD sasaran, with the SKPD responsible for it."""

    model_config = ConfigDict(extra="forbid")

    kode_program: str = Field(min_length=1, max_length=30, description="Program code of the codification, e.g. `1.01.02`.")
    nama_program: str | None = _nama()
    kode_skpd: str = Field(min_length=1, max_length=40, description="The SKPD responsible (perangkat daerah pengampu).")
    indikator: list[Indikator] = Field(default_factory=list, max_length=50)
    pagu: dict[int, Money] = Field(default_factory=dict, json_schema_extra=_TAHUN,
                                   description="Indicative funding per year, rupiah. " + _TAHUNAN)


class SasaranRpjmd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kode: str = Field(**_KODE_NODE, description="Unique in the RPJMD; a Renstra sasaran names it to say whom it serves.")
    uraian: str = Field(**_URAIAN)
    indikator: list[Indikator] = Field(default_factory=list, max_length=50)
    program: list[ProgramRpjmd] = Field(default_factory=list, max_length=200)


class TujuanRpjmd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kode: str = Field(**_KODE_NODE, description="Unique in the RPJMD.")
    uraian: str = Field(**_URAIAN)
    indikator: list[Indikator] = Field(default_factory=list, max_length=50)
    sasaran: list[SasaranRpjmd] = Field(default_factory=list, max_length=100)


class Misi(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kode: str = Field(**_KODE_NODE, description="Unique in the RPJMD.")
    uraian: str = Field(**_URAIAN)
    tujuan: list[TujuanRpjmd] = Field(default_factory=list, max_length=100)


class IsiRpjmd(BaseModel):
    """What an RPJMD says: the vision, the missions and under them goals, targets and priority programs."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "visi": "Bandung yang unggul, nyaman dan sejahtera",
        "misi": [{"kode": "1", "uraian": "Meningkatkan kualitas sumber daya manusia", "tujuan": [{
            "kode": "1.1", "uraian": "Meningkatnya kualitas pendidikan", "sasaran": [{
                "kode": "1.1.1", "uraian": "Meningkatnya akses pendidikan dasar",
                "indikator": [{"uraian": "Angka Partisipasi Murni SD", "satuan": "%", "polaritas": "positif",
                               "baseline": "95.2", "target": {"2026": "95.5", "2030": "97.5"}}],
                "program": [{"kode_program": "1.01.02", "kode_skpd": "1.01.0.00.0.00.01.0000",
                             "pagu": {"2026": "150000000000.00"}}]}]}]}]}]})

    visi: str = Field(**_URAIAN)
    misi: list[Misi] = Field(default_factory=list, max_length=50)


class RpjmdBaru(IsiRpjmd):
    """A pemda's RPJMD for a five-year period; its period is what it is (a new period is a new RPJMD)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "tahun_awal": 2026, "tahun_akhir": 2030, "visi": "Bandung yang unggul, nyaman dan sejahtera", "misi": []}]})

    tahun_awal: int = Field(ge=2000, le=2100)
    tahun_akhir: int = Field(ge=2000, le=2100)


class RpjmdRingkasOut(BaseModel):
    id: str
    kode_pemda: str
    tahun_awal: int
    tahun_akhir: int
    visi: str
    version: int


class StatusRpjmd(StrEnum):
    RANCANGAN = "rancangan"    # being made by Bappeda
    DITETAPKAN = "ditetapkan"  # enacted (Perda): it no longer changes
    PERUBAHAN = "perubahan"    # being revised; every enacted version stays as enacted


class RpjmdOut(IsiRpjmd):
    model_config = ConfigDict(extra="ignore")

    id: str
    kode_pemda: str
    tahun_awal: int
    tahun_akhir: int
    status: StatusRpjmd = StatusRpjmd.RANCANGAN
    revisi: int = Field(default=0, description="How many times it was enacted (0: never); the enacted versions are "
                                               "at `.../penetapan/{revisi}`.")
    version: int = Field(description="Increases with every change; send it back as If-Match to change safely.")
    pagu_indikatif: dict[int, Amount] = Field(json_schema_extra=_TAHUN,
                                              description="Indicative funding of the priority programs, per year.")


class PenetapanRpjmd(BaseModel):
    """The Perda that enacts the RPJMD as it stands."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"nomor_perda": "Perda Kota Bandung No. 3 Tahun 2026", "tanggal_perda": "2026-06-30"}]})

    nomor_perda: str = Field(min_length=1, max_length=200)
    tanggal_perda: date


class PerubahanRpjmd(BaseModel):
    """Open an enacted RPJMD for revision (perubahan RPJMD); the enacted version stays as enacted."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"alasan": "Penyesuaian dengan RPJMN 2025-2029"}]})

    alasan: str = Field(min_length=1, max_length=2000)


class RpjmdDitetapkanRingkasOut(BaseModel):
    rpjmd_id: str
    revisi: int
    nomor_perda: str
    tanggal_perda: date
    hash: str = Field(description="SHA-256 of the enacted content (canonical JSON): the same text, the same hash.")
    ditetapkan_oleh: str
    ditetapkan_pada: datetime
    alasan_perubahan: str | None = Field(description="Why the revision that led to it was opened (none for the first).")


class RpjmdDitetapkanOut(RpjmdDitetapkanRingkasOut, IsiRpjmd):
    """An RPJMD as enacted: it never changes, whatever happens to the RPJMD after."""

    model_config = ConfigDict(extra="ignore")

    kode_pemda: str
    tahun_awal: int
    tahun_akhir: int
    pagu_indikatif: dict[int, Amount] = Field(json_schema_extra=_TAHUN,
                                              description="Indicative funding of the priority programs, per year.")


class SubKegiatanRenstra(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kode_sub_kegiatan: str = Field(min_length=1, max_length=30)
    nama_sub_kegiatan: str | None = _nama()
    indikator: list[Indikator] = Field(default_factory=list, max_length=50)
    pagu: dict[int, Money] = Field(default_factory=dict, json_schema_extra=_TAHUN,
                                   description="Indicative funding per year. " + _TAHUNAN)


class KegiatanRenstra(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kode_kegiatan: str = Field(min_length=1, max_length=30, description="Under its program, e.g. `1.01.02.2.01`.")
    nama_kegiatan: str | None = _nama()
    indikator: list[Indikator] = Field(default_factory=list, max_length=50)
    pagu: dict[int, Money] = Field(default_factory=dict, json_schema_extra=_TAHUN, description=(
        "Indicative funding per year; its sub kegiatan together may not exceed it. " + _TAHUNAN))
    sub_kegiatan: list[SubKegiatanRenstra] = Field(default_factory=list, max_length=500)


class ProgramRenstra(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kode_program: str = Field(min_length=1, max_length=30, description="A program of a bidang urusan the SKPD serves.")
    nama_program: str | None = _nama()
    indikator: list[Indikator] = Field(default_factory=list, max_length=50)
    pagu: dict[int, Money] = Field(default_factory=dict, json_schema_extra=_TAHUN, description=(
        "Indicative funding per year; its kegiatan together may not exceed it. " + _TAHUNAN))
    kegiatan: list[KegiatanRenstra] = Field(default_factory=list, max_length=200)


class SasaranRenstra(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kode: str = Field(**_KODE_NODE, description="Unique in the Renstra.")
    uraian: str = Field(**_URAIAN)
    sasaran_rpjmd: str = Field(min_length=1, max_length=30, description="The `kode` of the RPJMD sasaran this serves.")
    indikator: list[Indikator] = Field(default_factory=list, max_length=50)
    program: list[ProgramRenstra] = Field(default_factory=list, max_length=100)


class TujuanRenstra(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kode: str = Field(**_KODE_NODE, description="Unique in the Renstra.")
    uraian: str = Field(**_URAIAN)
    indikator: list[Indikator] = Field(default_factory=list, max_length=50)
    sasaran: list[SasaranRenstra] = Field(default_factory=list, max_length=100)


class IsiRenstra(BaseModel):
    """What an SKPD's Renstra says: its goals and targets, each target serving an RPJMD sasaran, and the
    programs, kegiatan and sub kegiatan it plans for them."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"tujuan": [{
        "kode": "T1", "uraian": "Meningkatnya mutu layanan pendidikan dasar", "sasaran": [{
            "kode": "S1", "uraian": "Meningkatnya daya tampung SD", "sasaran_rpjmd": "1.1.1",
            "program": [{"kode_program": "1.01.02", "pagu": {"2026": "50000000000.00"}, "kegiatan": [{
                "kode_kegiatan": "1.01.02.2.01", "sub_kegiatan": [{
                    "kode_sub_kegiatan": "1.01.02.2.01.0001", "pagu": {"2026": "3500000000.00"}}]}]}]}]}]}]})

    tujuan: list[TujuanRenstra] = Field(default_factory=list, max_length=100)


class RenstraBaru(IsiRenstra):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "rpjmd_id": "5d0c4c1e-7f0a-4b8e-9a55-3f2e1d0c9b8a", "tujuan": []}]})

    rpjmd_id: str = Field(min_length=1, max_length=64, description="The pemda's RPJMD this Renstra follows (its period).")


class StatusRenstra(StrEnum):
    DRAFT = "draft"                    # made by the SKPD
    DIAJUKAN = "diajukan"              # submitted to Bappeda
    TERVERIFIKASI = "terverifikasi"    # verified by Bappeda: no longer changes
    DIKEMBALIKAN = "dikembalikan"      # returned by Bappeda with a note, to be corrected and submitted again


class VerifikasiRenstra(BaseModel):
    """Bappeda's answer to a submitted Renstra."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"setuju": True}, {"setuju": False, "catatan": "Target APM 2028 tidak sesuai RPJMD"}]})

    setuju: StrictBool = Field(description="true: verified; false: returned to the SKPD with `catatan`.")
    catatan: str | None = Field(default=None, min_length=1, max_length=2000,
                                description="Required when returning (setuju false).")


class RenstraRingkasOut(BaseModel):
    id: str
    kode_pemda: str
    kode_skpd: str
    rpjmd_id: str
    tahun_awal: int
    tahun_akhir: int
    status: StatusRenstra
    version: int


class RenstraOut(IsiRenstra):
    model_config = ConfigDict(extra="ignore")

    id: str
    kode_pemda: str
    kode_skpd: str
    rpjmd_id: str
    tahun_awal: int
    tahun_akhir: int
    status: StatusRenstra
    catatan: str | None = Field(description="Bappeda's note when it returned the Renstra.")
    version: int = Field(description="Increases with every change; send it back as If-Match to change safely.")
    pagu_indikatif: dict[int, Amount] = Field(json_schema_extra=_TAHUN,
                                              description="Indicative funding of the Renstra's programs, per year.")


class JenisTemuan(StrEnum):
    """The kinds of inconsistency the consistency report lists."""

    SASARAN_TANPA_RENSTRA = "sasaran_tanpa_renstra"              # an RPJMD sasaran no Renstra serves
    SKPD_TANPA_RENSTRA = "skpd_tanpa_renstra"                    # an SKPD responsible for a priority program has none
    PROGRAM_TANPA_RENSTRA = "program_tanpa_renstra"              # a priority program its SKPD's Renstra lacks
    PAGU_MELEBIHI_RPJMD = "pagu_melebihi_rpjmd"                  # a Renstra plans more for a program than the RPJMD
    TARGET_BERBEDA = "target_berbeda"                            # a Renstra's target differs from the RPJMD's, unexplained
    TARGET_BELUM_LENGKAP = "target_belum_lengkap"                # an indicator lacks targets for years of the period
    RENSTRA_BELUM_TERVERIFIKASI = "renstra_belum_terverifikasi"  # not verified by Bappeda yet


class Temuan(BaseModel):
    """One inconsistency, where it is, and what to look at."""

    jenis: JenisTemuan
    pesan: str = Field(description="What is inconsistent, in words.")
    kode_skpd: str | None = Field(default=None, description="The SKPD concerned, if one is.")
    renstra_id: str | None = Field(default=None, description="The Renstra concerned, if one is.")
    kode: str | None = Field(default=None, description="The sasaran or program concerned.")
    field: str | None = Field(default=None, description="Where in the RPJMD (or in the Renstra) the finding is.")
    tahun: list[int] = Field(default_factory=list, description="The years concerned.")


class KonsistensiRpjmdOut(BaseModel):
    """How an RPJMD and the Renstra that follow it agree. An SKPD operator sees the findings of its own SKPD
    and those of the RPJMD itself."""

    rpjmd_id: str
    kode_pemda: str
    tahun_awal: int
    tahun_akhir: int
    jumlah: dict[JenisTemuan, int] = Field(description="How many findings of each kind (every kind listed).")
    temuan: list[Temuan]


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
    sumber_dana: list["SumberDanaPagu"] = Field(default_factory=list, description=(
        "The funding sources with the part of the pagu each funds (empty when the plan names none); keuangan "
        "holds each as that source's ceiling for the item's budget lines."))
    kode_sasaran_renstra: str | None = Field(default=None, description=(
        "The `kode` of the sasaran of its SKPD's Renstra it serves; optional (absent from events published "
        "before it was recorded, and null while not linked): read it tolerantly."))


class SumberDanaPagu(BaseModel):
    """A funding source of an RKPD item and the part of its pagu indikatif it funds, in the item's event."""

    model_config = ConfigDict(extra="forbid")

    kode_sumber_dana: str = Field(max_length=30, pattern=KODE_SUMBER_DANA)
    pagu: Money


RkpdSubKegiatanSaved.model_rebuild()


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


class RpjmdSaved(Event):
    """An RPJMD was made or changed; carries its whole content (``tahun`` is the period's first year)."""

    name = "rpjmd.saved"
    version = 1
    source = "perencanaan"

    tahun_awal: int
    tahun_akhir: int
    status: StatusRpjmd = StatusRpjmd.RANCANGAN
    revisi: int = Field(default=0, description="How many times it was enacted.")
    visi: str
    misi: list[Misi]
    pagu_indikatif: dict[int, Amount] = Field(json_schema_extra=_TAHUN,
                                              description="Indicative funding of the priority programs, per year.")


class RenstraSaved(Event):
    """An SKPD's Renstra was made, changed, submitted, verified or returned; carries its whole content
    (``tahun`` is the period's first year)."""

    name = "renstra.saved"
    version = 1
    source = "perencanaan"

    kode_skpd: str
    rpjmd_id: str
    tahun_awal: int
    tahun_akhir: int
    status: StatusRenstra
    catatan: str | None = None
    tujuan: list[TujuanRenstra]
    pagu_indikatif: dict[int, Amount] = Field(json_schema_extra=_TAHUN,
                                              description="Indicative funding of the Renstra's programs, per year.")
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

    dokumen: str = Field(default="rkpd", pattern=DOKUMEN, description=(
        "The planning document: `rkpd`, `rpjmd` or `renstra` (each with its own stage list, `GET /tahapan`)."))
    tahun: int = Field(ge=2000, le=2100, description=(
        "The fiscal year planned (N; its RKPD is made in N-1); for an RPJMD or Renstra, its period's first year "
        "(`tahun_awal`)."))
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
    wajib_sasaran: bool = Field(default=False, description=(
        "An RKPD item written in this stage must name the Renstra sasaran it serves (`kode_sasaran_renstra`), and "
        "the stage is locked only when every item of the year names one (once a verified Renstra covers the year)."))
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
    wajib_sasaran: bool = Field(default=False, description=(
        "An RKPD item written in this stage must name the Renstra sasaran it serves (`kode_sasaran_renstra`), and "
        "the stage is locked only when every item of the year names one (once a verified Renstra covers the year)."))
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


class RingkasanSnapshotPeriode(BaseModel):
    """The summary of an RPJMD or Renstra snapshot: how many plans (of the period starting that year) it holds."""

    jumlah_dokumen: int


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
    ringkasan: RingkasanSnapshot | RingkasanSnapshotPeriode = Field(description=(
        "An RKPD snapshot: totals of pagu indikatif; an RPJMD or Renstra snapshot: how many plans it holds."))


class SnapshotOut(SnapshotInfoOut):
    """A snapshot with one page of its items (in SKPD, sub kegiatan order)."""

    items: list[dict[str, Any]] = Field(description=(
        "The items as they were: fields as the RKPD item has them; for an RPJMD or Renstra, each plan "
        "(id, kode_skpd, tahun_awal, tahun_akhir, status, version, isi)."))
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


# -- proposals: usulan musrenbang and pokir DPRD (Permendagri 86/2017 Art. 78; PP 12/2018 Art. 54) --------------
# A proposal is made by its proposer (a desa/kelurahan's musrenbang, recorded by Bappeda; a DPRD member's pokir),
# submitted, and recommended level by level along its kind's chain (``alur_usulan``, versioned data) until the
# last level accepts it; any level may reject it (final) or return it for correction (with a reason).
# An accepted proposal is answered by an RKPD item of the same pemda and year.

KODE_DESA = r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$"
KODE_SKPD = r"^[0-9A-Z]+(\.[0-9A-Z]+)*$"


class JenisUsulan(StrEnum):
    MUSRENBANG = "musrenbang"   # from the musrenbang of a desa/kelurahan, up through kecamatan and the regency/city forum
    POKIR = "pokir"             # pokok-pokok pikiran of a DPRD member


class StatusUsulan(StrEnum):
    DRAFT = "draft"                    # with its proposer
    DIAJUKAN = "diajukan"              # submitted: awaits its first level
    DIVERIFIKASI = "diverifikasi"      # recommended by a level: awaits the next (``tingkat``)
    DITERIMA = "diterima"              # accepted by the last level: final
    DITOLAK = "ditolak"                # rejected, with a reason: final
    DIKEMBALIKAN = "dikembalikan"      # returned for correction, with a reason: with its proposer again


class IsiUsulan(BaseModel):
    """What a proposal asks: the problem, the activity (as text, or a sub kegiatan of the codification), the SKPD
    concerned, where, how much."""

    model_config = ConfigDict(extra="forbid")

    masalah: str = Field(min_length=1, max_length=2000, description="The problem the proposal answers.")
    uraian: str = Field(min_length=1, max_length=2000, description="The activity asked for (kegiatan), in words.")
    kode_sub_kegiatan: str | None = Field(default=None, min_length=1, max_length=30,
                                          description="The sub kegiatan of the national codification, if known.")
    kode_skpd: str = Field(min_length=1, max_length=40, pattern=KODE_SKPD,
                           description="The SKPD concerned (it verifies the proposal last).")
    lokasi: list[Annotated[str, Field(pattern=KODE_WILAYAH)]] = Field(
        default_factory=list, max_length=50, description="Where: region codes inside the pemda, each one the "
        "codification holds.")
    volume: Quantity
    satuan: str = Field(min_length=1, max_length=100)
    anggaran: Money = Field(description="Estimated cost, rupiah.")


class UsulanBaru(IsiUsulan):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "jenis": "musrenbang", "kode_desa": "32.73.01.1001", "masalah": "Jalan lingkungan rusak",
        "uraian": "Perbaikan jalan lingkungan RW 03", "kode_skpd": "1.03.0.00.0.00.01.0000",
        "lokasi": ["32.73.01.1001"], "volume": "250", "satuan": "m", "anggaran": "150000000.00"}]})

    jenis: JenisUsulan
    kode_desa: str | None = Field(default=None, pattern=KODE_DESA, description=(
        "musrenbang: the desa/kelurahan that proposes it (a region code inside the pemda the codification holds, "
        "e.g. `32.73.01.1001`); "
        "not given for a pokir."))
    fraksi: str | None = Field(default=None, min_length=1, max_length=100, description="pokir: the member's fraksi.")
    dapil: str | None = Field(default=None, min_length=1, max_length=100, description="pokir: the member's dapil.")


class PerubahanUsulan(IsiUsulan):
    """The whole content again, while the proposal is with its proposer (draft, or returned)."""

    model_config = ConfigDict(extra="forbid")

    fraksi: str | None = Field(default=None, min_length=1, max_length=100)
    dapil: str | None = Field(default=None, min_length=1, max_length=100)


class KeputusanUsulan(StrEnum):
    SETUJU = "setuju"            # recommended to the next level (accepted at the last)
    TOLAK = "tolak"              # rejected: final
    KEMBALIKAN = "kembalikan"    # returned to the proposer for correction


class VerifikasiUsulan(BaseModel):
    """A level's decision on the proposal that awaits it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"keputusan": "setuju"}, {"keputusan": "kembalikan", "alasan": "Volume tidak sesuai RAB"}]})

    keputusan: KeputusanUsulan
    alasan: str | None = Field(default=None, min_length=1, max_length=2000,
                               description="Required to reject or return.")


class TautanUsulan(BaseModel):
    """The RKPD item (same pemda and year) that answers an accepted proposal."""

    model_config = ConfigDict(extra="forbid")

    rkpd_id: str = Field(min_length=1, max_length=64, description="Id of the RKPD sub kegiatan.")


class LangkahUsulan(BaseModel):
    """One step of a proposal's way: who did what at which level, and why."""

    aksi: str = Field(description="`ajukan`, `setuju`, `tolak`, `kembalikan`, `tautkan`, `lepaskan`.")
    tingkat: str | None = Field(description="The level that decided (for a decision).")
    oleh: str = Field(description="Username of who acted.")
    role: str
    alasan: str | None = None
    pada: datetime


class TingkatUsulanOut(BaseModel):
    kode: str
    nama: str


class UsulanRingkasOut(BaseModel):
    id: str
    jenis: JenisUsulan
    kode_skpd: str
    uraian: str
    anggaran: Money
    status: StatusUsulan


class UsulanOut(IsiUsulan):
    model_config = ConfigDict(extra="ignore")

    id: str
    kode_pemda: str
    tahun: int
    jenis: JenisUsulan
    kode_desa: str | None
    pengusul: str = Field(description="musrenbang: the desa/kelurahan code; pokir: the DPRD member's username.")
    fraksi: str | None
    dapil: str | None
    status: StatusUsulan
    versi_alur: str = Field(description="The version of the verification chain it follows.")
    alur: list[TingkatUsulanOut] = Field(description="Its verification chain, in order.")
    tingkat: str | None = Field(description="The level it awaits (submitted or verified), else null.")
    alasan: str | None = Field(description="The reason of the last return or of the rejection.")
    rkpd_id: str | None = Field(description="The RKPD item that answers it (accepted proposals).")
    riwayat: list[LangkahUsulan]
    version: int = Field(description="Increases with every change; send it back as If-Match to change safely.")


class UsulanSaved(Event):
    """A proposal was made, changed, submitted, decided at a level, linked or unlinked; carries its state."""

    name = "usulan.saved"
    version = 1
    source = "perencanaan"

    jenis: JenisUsulan
    kode_skpd: str
    kode_desa: str | None
    pengusul: str
    status: StatusUsulan
    tingkat: str | None
    alasan: str | None
    kode_sub_kegiatan: str | None
    uraian: str
    anggaran: Money
    rkpd_id: str | None


# -- code mapping: the berita acara (issue 12 part 6) ----------------------------------------------------
_KODE_SKPD = dict(min_length=1, max_length=40, pattern=r"^[0-9]+(\.[0-9]+)*$")
_KODE_SUB = dict(min_length=1, max_length=30, pattern=r"^[0-9]+(\.[0-9]+)*$")
_UUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class StatusBeritaAcara(StrEnum):
    DRAFT = "draft"                    # proposed from the flagged items; its pairs change
    DITANDATANGANI = "ditandatangani"  # signed: numbered, content-hashed, never changes


class PasanganKodeOut(BaseModel):
    """One RKPD item needing mapping: its codes now (old) and the codes it takes (new) once signed."""

    rkpd_id: str
    kode_skpd: str = Field(description="The item's SKPD code now (old).")
    kode_sub_kegiatan: str = Field(description="The item's sub kegiatan code now (old).")
    nama_sub_kegiatan: str
    kode_skpd_baru: str | None = Field(description="The SKPD code it takes (its own when that is current); null: "
                                                   "still to be decided.")
    kode_sub_kegiatan_baru: str | None = Field(description="The sub kegiatan code it takes; null: still to be "
                                                           "decided.")
    nama_sub_kegiatan_baru: str | None = None
    usulan_skpd: list[str] = Field(description="The crosswalk's replacements of a retired SKPD code (empty when "
                                               "the SKPD is current).")
    usulan_sub_kegiatan: list[str] = Field(description="The crosswalk's replacements of a retired sub kegiatan "
                                                       "code (empty when it is current).")


class PasanganKode(BaseModel):
    """The new codes of one flagged RKPD item, as Bappeda decides them."""

    model_config = ConfigDict(extra="forbid")

    rkpd_id: str = Field(pattern=_UUID)
    kode_skpd_baru: str | None = Field(default=None, **_KODE_SKPD,
                                       description="Left out: the item's SKPD when current, else the single "
                                                   "replacement the crosswalk gives.")
    kode_sub_kegiatan_baru: str | None = Field(default=None, **_KODE_SUB,
                                               description="Left out: the item's sub kegiatan when current, else "
                                                           "the single replacement the crosswalk gives.")


class BeritaAcaraBaru(BaseModel):
    """A draft berita acara of the year: every RKPD item of the year needing mapping, each with the crosswalk's
    replacement as proposal where it gives exactly one."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"tahun": 2027}]})

    tahun: int = Field(ge=2000, le=2100)
    perihal: str | None = Field(default=None, min_length=1, max_length=500,
                                description="What it maps, in words (e.g. the decree that retired the codes).")


class PerubahanBeritaAcara(BaseModel):
    """The pairs of a draft, whole: the items listed (each once) are mapped, the others left for another one."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"pasangan": [
        {"rkpd_id": "0b7c5e0e-9c1f-4b53-a0a5-1f0f7c0c8b11", "kode_sub_kegiatan_baru": "1.01.02.2.01.0026"}]}]})

    pasangan: list[PasanganKode] = Field(min_length=1, max_length=5000)
    perihal: str | None = Field(default=None, min_length=1, max_length=500)


class PihakBeritaAcara(BaseModel):
    """One who agreed to the mapping and signs the berita acara."""

    model_config = ConfigDict(extra="forbid")

    nama: str = Field(min_length=1, max_length=200, pattern=r"\S")
    jabatan: str = Field(min_length=1, max_length=200, pattern=r"\S")
    nip: str | None = Field(default=None, max_length=30, pattern=r"^[0-9 ]+$")


class PenandatangananBeritaAcara(BaseModel):
    """Sign a draft: it is numbered and dated, no longer changes, and its pairs reach the RKPD."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "tanggal": "2027-02-01", "pihak": [{"nama": "Ir. Siti Rahma", "jabatan": "Kepala Bappeda"},
                                           {"nama": "Drs. Budi", "jabatan": "Kepala Dinas Pendidikan"}]}]})

    tanggal: date | None = Field(default=None, description="The date of the berita acara; the day of signing if "
                                                           "left out.")
    pihak: list[PihakBeritaAcara] = Field(min_length=1, max_length=50, description="Who agreed, by name and position.")


class BeritaAcaraRingkasOut(BaseModel):
    id: str
    kode_pemda: str
    tahun: int
    status: StatusBeritaAcara
    nomor: int | None = Field(description="Its number in the pemda's year, given when signed (no gaps).")
    nomor_surat: str | None = Field(description="The number as written on the document.")
    tanggal: date | None
    jumlah_pasangan: int
    version: int = Field(description="Increases with every change; send it back as If-Match to change safely.")


class BeritaAcaraOut(BeritaAcaraRingkasOut):
    perihal: str | None
    pasangan: list[PasanganKodeOut]
    pihak: list[PihakBeritaAcara]
    dibuat_oleh: str
    ditandatangani_oleh: str | None
    ditandatangani_pada: datetime | None
    hash: str | None = Field(description="SHA-256 of the signed content (canonical JSON): the same text, the same "
                                         "hash.")


# -- the RKPD's consistency report per pemda and year (issue 12 part 9) ----------------------------------
class JenisTemuanRkpd(StrEnum):
    """The kinds of inconsistency the RKPD's consistency report lists."""

    TANPA_SASARAN = "tanpa_sasaran"                # an item whose sub kegiatan serves no sasaran of its SKPD's Renstra
    TARGET_BERBEDA = "target_berbeda"              # an item's target differs from the Renstra's for the year, no note
    MELEBIHI_PAGU_SKPD = "melebihi_pagu_skpd"      # an SKPD's items add up to more than its pagu indikatif ceiling
    USULAN_TIDAK_TERTAUT = "usulan_tidak_tertaut"  # a proposal accepted but answered by no RKPD item


class TemuanRkpd(BaseModel):
    jenis: JenisTemuanRkpd
    pesan: str = Field(description="What is inconsistent, in words.")
    kode_skpd: str | None = None
    rkpd_id: str | None = Field(default=None, description="The RKPD item concerned, if one is.")
    kode_sub_kegiatan: str | None = None
    renstra_id: str | None = Field(default=None, description="The Renstra compared with, if one is.")
    usulan_id: str | None = Field(default=None, description="The proposal concerned, if one is.")


class KonsistensiRkpdOut(BaseModel):
    """How a year's RKPD agrees with the Renstra, the SKPD ceilings and the accepted proposals. It refuses
    nothing; an SKPD operator sees its own SKPD's findings."""

    kode_pemda: str
    tahun: int
    jumlah: dict[JenisTemuanRkpd, int] = Field(description="How many findings of each kind (every kind listed).")
    temuan: list[TemuanRkpd]


# -- the Renja: an SKPD's part of the year's RKPD, made by the SKPD, verified by Bappeda (issue 12 part 4) ------
class StatusRenja(StrEnum):
    DRAFT = "draft"                    # the SKPD plans its items
    DIAJUKAN = "diajukan"              # submitted to Bappeda: its items no longer change
    TERVERIFIKASI = "terverifikasi"    # verified by Bappeda: its items no longer change
    DIKEMBALIKAN = "dikembalikan"      # returned by Bappeda with a note: the SKPD changes its items again


class VerifikasiRenja(VerifikasiRenstra):
    """Bappeda's answer to a submitted Renja: verified, or returned to the SKPD with a note."""


class RenjaOut(BaseModel):
    kode_pemda: str
    tahun: int
    kode_skpd: str
    status: StatusRenja
    catatan: str | None = Field(description="Bappeda's note when it returned the Renja.")
    jumlah_sub_kegiatan: int = Field(description="The SKPD's items in the year's RKPD.")
    total_pagu_indikatif: Amount = Field(description="Σ pagu indikatif of those items (exact).")
    version: int = Field(description="Increases with every step; send it back as If-Match to change safely.")


class ImporRenjaOut(BaseModel):
    """What a Renja's import did: every row became a new item of the SKPD (or, refused, none did)."""

    kode_pemda: str
    tahun: int
    kode_skpd: str
    baris: int = Field(description="Data rows read (empty rows skipped).")
    dibuat: int = Field(description="Items created.")
    total_pagu_indikatif: Amount = Field(description="Σ pagu indikatif of the items created (exact).")
    id: list[str] = Field(description="The new items, in the file's order.")
SubKegiatanRkpdOut.model_rebuild()
# -- what is published of the plan: the enacted RKPD, for everyone (the public portal) -----------------

class UrusanTerbit(BaseModel):
    """The enacted RKPD's pagu indikatif of one bidang urusan (an exact sum)."""

    kode_bidang_urusan: str
    nama_bidang_urusan: str
    jumlah_sub_kegiatan: int
    pagu_indikatif: Amount


class SubKegiatanTerbit(BaseModel):
    """One sub kegiatan of the enacted RKPD, as a citizen reads it."""

    kode_skpd: str
    nama_skpd: str | None
    kode_bidang_urusan: str
    nama_bidang_urusan: str
    kode_program: str
    nama_program: str | None
    kode_sub_kegiatan: str
    nama_sub_kegiatan: str
    kinerja: str | None
    indikator: str
    target: Quantity
    satuan: str
    lokasi: list[str]
    pagu_indikatif: Money
    pagu_indikatif_n1: Money | None
    pagu_indikatif_murni: Money | None = Field(default=None, description="In a perubahan: the enacted figure.")


class RkpdTerbitRingkasOut(BaseModel):
    """A pemda's enacted RKPD of one year, in totals: what the national page and the comparisons read."""

    kode_pemda: str
    tahun: int
    snapshot_id: str
    hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="The enacted snapshot's content hash (SHA-256).")
    kode_tahap: str = Field(description="`penetapan`, or `perubahan` once a revision is enacted.")
    ditetapkan_at: datetime
    jumlah_sub_kegiatan: int
    total_pagu_indikatif: Amount
    urusan: list[UrusanTerbit]


class RkpdTerbitOut(RkpdTerbitRingkasOut):
    """A pemda's enacted RKPD of one year, whole: only an enacted (locked, content-hashed) snapshot is
    published; drafts and the stages before penetapan never are."""

    nama_pemda: str | None
    sub_kegiatan: list[SubKegiatanTerbit]
