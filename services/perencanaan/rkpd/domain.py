"""RKPD rules: what a plan item (a sub kegiatan of one SKPD in one year) may be, and what becomes of
it when the codification changes under it.

Pure: the codes of the national codification arrive as plain dicts (from perencanaan's replica,
``replika``), its changes as values.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any


TAHUN_MIN, TAHUN_MAX = 2000, 2100


@dataclass(frozen=True)
class Pelanggaran:
    """One broken rule, naming the field the caller must fix."""

    field: str
    message: str


@dataclass(frozen=True)
class SubKegiatanRkpd:
    id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    kode_sub_kegiatan: str
    nama_sub_kegiatan: str
    kode_bidang_urusan: str
    nama_bidang_urusan: str
    indikator: str
    target: Decimal
    satuan: str
    pagu_indikatif: Decimal
    version: int = 1
    kinerja: str | None = None
    pagu_indikatif_n1: Decimal | None = None
    lokasi: list[str] = field(default_factory=list)
    # [{"kode_sumber_dana": "1.1", "pagu": Decimal}], adding up to pagu_indikatif when given
    sumber_dana: list[dict] = field(default_factory=list)
    bulan_mulai: int = 1
    bulan_selesai: int = 12
    label_prioritas: list[str] = field(default_factory=list)
    # a code the item uses was retired: the item needs mapping to a current code (never rewritten silently)
    perlu_pemetaan: bool = False
    pemetaan: list[dict] = field(default_factory=list)
    # the referensi revisi of the names held, so that an older rename arriving late changes nothing
    revisi_sub_kegiatan: int = 0
    revisi_bidang_urusan: int = 0
    # why its target differs from the Renstra's for the year (the RKPD consistency report then does not list it)
    catatan: str | None = None
    # the ``kode`` of the sasaran of its SKPD's verified Renstra (covering the year) it serves; that sasaran
    # names the RPJMD sasaran served in turn. Required in the stages the decree marks ``wajib_sasaran``
    kode_sasaran_renstra: str | None = None
    changes: dict[str, Any] = field(default_factory=dict, compare=False)

    EDITABLE = ("kinerja", "indikator", "target", "satuan", "pagu_indikatif", "pagu_indikatif_n1", "lokasi",
                "sumber_dana", "bulan_mulai", "bulan_selesai", "label_prioritas", "catatan", "kode_sasaran_renstra")
    NAMES = {"sub_kegiatan": ("kode_sub_kegiatan", "nama_sub_kegiatan", "revisi_sub_kegiatan"),
             "bidang_urusan": ("kode_bidang_urusan", "nama_bidang_urusan", "revisi_bidang_urusan")}

    # what a stage's snapshot keeps of an item (everything a reader of the plan needs; not its bookkeeping)
    SNAPSHOT = ("id", "kode_skpd", "kode_sub_kegiatan", "nama_sub_kegiatan", "kode_bidang_urusan",
                "nama_bidang_urusan", "kinerja", "indikator", "target", "satuan", "pagu_indikatif",
                "pagu_indikatif_n1", "lokasi", "sumber_dana", "bulan_mulai", "bulan_selesai", "label_prioritas",
                "version", "perlu_pemetaan", "kode_sasaran_renstra")

    def isi_snapshot(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.SNAPSHOT}

    def ubah(self, **changes: Any) -> "SubKegiatanRkpd":
        """A new version with the given fields changed; codes are not editable (delete and re-plan)."""
        unknown = set(changes) - set(self.EDITABLE)
        if unknown:
            raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
        effective = {k: v for k, v in changes.items() if getattr(self, k) != v}
        if not effective:
            return self
        return replace(self, version=self.version + 1, changes=effective, **effective)

    def ganti_nama(self, tingkat: str, kode: str, nama: str, revisi: int) -> "SubKegiatanRkpd":
        """The codification renamed the item's sub kegiatan or bidang urusan (``tingkat``).

        A new version when the name changes; the same item when the rename is not newer than the
        name held, or concerns another code. A newer rename to the same name only records its revisi."""
        column_kode, column_nama, column_revisi = self.NAMES[tingkat]
        if getattr(self, column_kode) != kode or revisi <= getattr(self, column_revisi):
            return self
        if getattr(self, column_nama) == nama:
            return replace(self, **{column_revisi: revisi})
        return replace(self, version=self.version + 1, changes={column_nama: nama},
                       **{column_nama: nama, column_revisi: revisi})

    def tandai_pemetaan(self, pemetaan: dict) -> "SubKegiatanRkpd":
        """A code the item uses was retired: flag it as needing mapping (once per code and version)."""
        return replace(self, perlu_pemetaan=True, pemetaan=tambah_pemetaan(self.pemetaan, pemetaan))

    def petakan(self, kode_skpd: str, sub_kegiatan: dict) -> "SubKegiatanRkpd":
        """Mapped by a signed berita acara (``..pemetaan``) to a current SKPD and sub kegiatan: a new version
        with the new codes and their names; the flags of the codes it no longer uses are cleared."""
        bidang = sub_kegiatan["bidang_urusan"]
        codes = {"kode_skpd": kode_skpd, "kode_sub_kegiatan": sub_kegiatan["kode"],
                 "nama_sub_kegiatan": sub_kegiatan["nama"], "kode_bidang_urusan": bidang["kode"],
                 "nama_bidang_urusan": bidang["nama"]}
        effective = {k: v for k, v in codes.items() if getattr(self, k) != v}
        used = {"nomenklatur": sub_kegiatan["kode"], "skpd": kode_skpd}
        left = [p for p in self.pemetaan if used.get(p["kind"]) == p["kode"]]
        return replace(self, version=self.version + 1, changes=effective, **effective,
                       revisi_sub_kegiatan=sub_kegiatan.get("revisi", 0), revisi_bidang_urusan=bidang.get("revisi", 0),
                       pemetaan=left, perlu_pemetaan=bool(left))


def periksa_tahun(tahun: int) -> list[Pelanggaran]:
    if not TAHUN_MIN <= tahun <= TAHUN_MAX:
        return [Pelanggaran("tahun", f"fiscal year must be between {TAHUN_MIN} and {TAHUN_MAX}")]
    return []


def periksa_kode(pemda: dict, skpd: dict | None, sub_kegiatan: dict | None) -> list[Pelanggaran]:
    """The codes of a plan item against the codification and against each other."""
    errors = []
    if skpd is None:
        errors.append(Pelanggaran("kode_skpd", f"no such SKPD in pemda {pemda['kode']}"))
    if sub_kegiatan is None:
        errors.append(Pelanggaran("kode_sub_kegiatan", "no such sub kegiatan in the national codification"))
    if errors:
        return errors
    if not skpd.get("berlaku", True):
        errors.append(Pelanggaran("kode_skpd", dipensiunkan("SKPD", skpd)))
    if not sub_kegiatan.get("berlaku", True):
        errors.append(Pelanggaran("kode_sub_kegiatan", dipensiunkan("sub kegiatan", sub_kegiatan)))
    if errors:
        return errors
    level = "provinsi" if pemda["jenis"] == "provinsi" else "kabupaten_kota"
    if sub_kegiatan["level_pemerintahan"] != level:
        errors.append(Pelanggaran(
            "kode_sub_kegiatan",
            f"sub kegiatan {sub_kegiatan['kode']} is for {sub_kegiatan['level_pemerintahan']} government, "
            f"pemda {pemda['kode']} is {pemda['jenis']}"))
    bidang = sub_kegiatan["bidang_urusan"]["kode"]
    if bidang not in skpd["bidang_urusan"]:
        errors.append(Pelanggaran(
            "kode_sub_kegiatan",
            f"SKPD {skpd['kode']} does not serve bidang urusan {bidang} "
            f"(it serves {', '.join(skpd['bidang_urusan'])})"))
    return errors


def keluaran(baru: dict, sub_kegiatan: dict) -> tuple[dict, list[Pelanggaran]]:
    """The output fields of a new item: what the plan says, else the codification's kinerja, indikator and
    satuan for the sub kegiatan; a field neither gives is refused."""
    fields = {"kinerja": baru.get("kinerja") or sub_kegiatan.get("kinerja"),
              "indikator": baru.get("indikator") or sub_kegiatan.get("indikator"),
              "satuan": baru.get("satuan") or sub_kegiatan.get("satuan")}
    errors = [Pelanggaran(name, f"the codification gives no {name} for sub kegiatan {sub_kegiatan['kode']}: "
                                "give one") for name in ("indikator", "satuan") if not fields[name]]
    return fields, errors


def periksa_rincian(item: SubKegiatanRkpd) -> list[Pelanggaran]:
    """An item's own consistency: where (inside its pemda), when (months in order), and its funding
    sources (each once, together exactly its pagu indikatif: no rounding, rupiah and sen)."""
    errors = []
    for i, kode in enumerate(item.lokasi):
        if kode != item.kode_pemda and not kode.startswith(item.kode_pemda + "."):
            errors.append(Pelanggaran(f"lokasi.{i}", f"region {kode} is not in pemda {item.kode_pemda}"))
    if len(set(item.lokasi)) != len(item.lokasi):
        errors.append(Pelanggaran("lokasi", "each region is named once"))
    if item.bulan_selesai < item.bulan_mulai:
        errors.append(Pelanggaran("bulan_selesai", f"execution cannot end (month {item.bulan_selesai}) before it "
                                                   f"starts (month {item.bulan_mulai})"))
    kodes = [d["kode_sumber_dana"] for d in item.sumber_dana]
    if len(set(kodes)) != len(kodes):
        errors.append(Pelanggaran("sumber_dana", "each sumber dana is named once"))
    if item.sumber_dana:
        total = sum((d["pagu"] for d in item.sumber_dana), Decimal(0))
        if total != item.pagu_indikatif:
            errors.append(Pelanggaran("sumber_dana", f"the sumber dana add up to {total}, the pagu indikatif is "
                                                     f"{item.pagu_indikatif}: they must be equal"))
    if len(set(item.label_prioritas)) != len(item.label_prioritas):
        errors.append(Pelanggaran("label_prioritas", "each label is named once"))
    return errors


SASARAN = "kode_sasaran_renstra"


def periksa_sasaran_wajib(item: SubKegiatanRkpd, tahap: str | None, wajib: bool) -> list[Pelanggaran]:
    """In the stages the decree marks ``wajib_sasaran`` (Permendagri 86/2017: rancangan akhir, penetapan), an item
    written names the Renstra sasaran it serves: a write leaving it without one is refused, whatever it
    changes (the stage's snapshot then traces every item to its sasaran)."""
    if wajib and not item.kode_sasaran_renstra:
        return [Pelanggaran(SASARAN, f"stage {tahap} of the RKPD {item.tahun} requires the sasaran of the "
                                     f"Renstra of SKPD {item.kode_skpd} this item serves: give its kode")]
    return []


# how many items a refused lock names one by one (the rest are counted in one more error)
KUNCI_TERSEBUT = 100


def periksa_kunci_sasaran(items: list[SubKegiatanRkpd], tahap: str, wajib: bool,
                          dapat_ditautkan: Callable[[], bool]) -> list[Pelanggaran]:
    """Locking a stage the decree marks ``wajib_sasaran`` (rancangan akhir, penetapan): every item of the year
    names the Renstra sasaran it serves, so the snapshot (the enacted plan) traces every item to the RPJMD.
    An item planned earlier and never written since the stage began has none: the lock is refused, naming each
    such item (link it, or delete it), and nothing is locked.

    ``dapat_ditautkan``: does a verified Renstra of the pemda cover the year (asked only when an item has no
    link). When none does, no item of the year can
    name a sasaran (there is none to name): the lock is not refused, and the consistency report lists the items
    (``tanpa_sasaran``). A perubahan is not marked ``wajib_sasaran`` in Permendagri 86/2017's list (a revision
    revises what was enacted), so its lock checks nothing."""
    unlinked = [i for i in items if not i.kode_sasaran_renstra] if wajib else []
    if not unlinked or not dapat_ditautkan():
        return []
    errors = [Pelanggaran(SASARAN, f"RKPD item {i.id} (SKPD {i.kode_skpd}, sub kegiatan {i.kode_sub_kegiatan}) "
                                   f"names no Renstra sasaran; stage {tahap} requires one of every item of the "
                                   f"RKPD {i.tahun}: link it (or delete it) before locking")
              for i in sorted(unlinked, key=lambda i: (i.kode_skpd, i.kode_sub_kegiatan, i.id))[:KUNCI_TERSEBUT]]
    if len(unlinked) > KUNCI_TERSEBUT:
        errors.append(Pelanggaran(SASARAN, f"and {len(unlinked) - KUNCI_TERSEBUT} more items without a Renstra "
                                           "sasaran (the consistency report lists them all: tanpa_sasaran)"))
    return errors


# -- codes the codification retired -------------------------------------------------------------------

def pemetaan(kind: str, kode: str, versi: str, kode_pengganti: list[str]) -> dict:
    """A retired code a plan item uses: which list, the code, the version that retired it, what replaces it."""
    return {"kind": kind, "kode": kode, "versi": versi, "kode_pengganti": list(kode_pengganti)}


def tambah_pemetaan(existing: list[dict], pemetaan: dict) -> list[dict]:
    """The retired codes a record uses, with one more unless it is there already (same code and version)."""
    same = ("kind", "kode", "versi")
    if any(all(e.get(k) == pemetaan.get(k) for k in same) for e in existing):
        return list(existing)
    return [*existing, pemetaan]


def dipensiunkan(what: str, record: dict) -> str:
    """Why a retired code (``berlaku`` false) cannot be used, and what replaces it."""
    message = f"{what} {record['kode']} was retired in version {record.get('valid_until')}"
    if record.get("kode_pengganti"):
        message += f"; use {' or '.join(record['kode_pengganti'])}"
    return message
