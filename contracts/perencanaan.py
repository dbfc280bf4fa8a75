"""perencanaan's published language: the RKPD requests and answers of its RPCs, and its events.

Events travel on the topic exchange ``perencanaan.events``.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from sipd_common.events import Event
from sipd_common.money import Amount, Money, Quantity
from sipd_common.validation import PartialUpdate

from .referensi import Pemetaan

_TEXT = dict(min_length=1, max_length=500)


class SubKegiatanBaru(BaseModel):
    """A sub kegiatan to put in an SKPD's RKPD for the year."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "kode_skpd": "1.01.0.00.0.00.01.0000", "kode_sub_kegiatan": "1.01.02.2.01.0001",
        "indikator": "Jumlah Unit Sekolah Baru yang Dibangun", "target": "2", "satuan": "Unit",
        "pagu_indikatif": "3500000000.00"}]})

    kode_skpd: str = Field(min_length=1, max_length=40, description="Organisation code of the SKPD, e.g. `1.01.0.00.0.00.01.0000`.")
    kode_sub_kegiatan: str = Field(min_length=1, max_length=30, description="Sub kegiatan code of the national codification.")
    indikator: str = Field(**_TEXT)
    target: Quantity
    satuan: str = Field(min_length=1, max_length=100)
    pagu_indikatif: Money


class PerubahanSubKegiatan(PartialUpdate):
    """Fields of a plan item to change; codes cannot change (delete the item and plan another)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"pagu_indikatif": "3000000000.00"}]})

    indikator: str | None = Field(default=None, **_TEXT)
    target: Quantity | None = None
    satuan: str | None = Field(default=None, min_length=1, max_length=100)
    pagu_indikatif: Money | None = None


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
    indikator: str
    target: Quantity
    satuan: str
    pagu_indikatif: Money
    version: int = Field(description="Increases with every change; send it back as If-Match to change safely.")
    perlu_pemetaan: bool = Field(description="True when a code the item uses was retired from the codification: "
                                             "the item needs mapping to a current code (it is never rewritten silently).")
    pemetaan: list[Pemetaan] = Field(description="The retired codes the item uses, with suggested replacements.")


# -- RPJMD and Renstra: the five-year plans (Permendagri 86/2017) ----------------------------------------
_KODE_NODE = dict(min_length=1, max_length=30, pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-]*$")
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


class RpjmdOut(IsiRpjmd):
    model_config = ConfigDict(extra="ignore")

    id: str
    kode_pemda: str
    tahun_awal: int
    tahun_akhir: int
    version: int = Field(description="Increases with every change; send it back as If-Match to change safely.")
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

    setuju: bool = Field(description="true: verified; false: returned to the SKPD with `catatan`.")
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
