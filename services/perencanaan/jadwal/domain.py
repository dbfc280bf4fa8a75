"""Schedule windows (jadwal): a planning document of one pemda and year is made in stages (tahap), each
inside a window of time; a stage is written only while it is open, and locking it takes a snapshot
that never changes.

The stages of each document are data with a version (``Tahapan``: the decree's list, in order), not
code: a new decree is a new version, and a jadwal keeps the version it was made under.

State of a stage (DOMAIN-DETAIL A, "Stage state machine")::

    draft ──buka──▶ terbuka ──kunci (snapshot)──▶ terkunci
                      ▲                              │
                      └──── buka_kembali (alasan) ───┘   (not once enacted: a revision is perubahan)

A stage opens only after the one before it is locked (it starts from that stage's snapshot);
perubahan starts from the enacted (penetapan) snapshot and keeps its figures beside the revised ones
("murni"). What every schedule shares (the stage list's version, windows, locks, the snapshot's hash) is
``sipd_common.jadwal``; here the planning documents' stages and rules. Pure: time arrives as a value (``now``).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Iterable

import sipd_common.jadwal as common
from sipd_common.errors import Pelanggaran
from sipd_common.jadwal import TERBUKA, TERKUNCI, as_json, content_hash  # noqa: F401 (asked of this module)

DRAFT = "draft"  # scheduled, not yet opened (``buka``)


# -- the decree's stages: data with a version ---------------------------------------------------------

@dataclass(frozen=True)
class DefinisiTahap:
    """One stage of a document as a decree lists it."""

    kode: str
    nama: str
    urutan: int
    menetapkan: bool = False     # locking it enacts the document (publishes it; it can no longer reopen)
    perubahan: bool = False      # a revision: starts from the enacted snapshot and keeps it as murni
    opsional: bool = False       # need not be scheduled when the jadwal is made
    # an RKPD item written in this stage must name the Renstra sasaran it serves, and the stage locks only when
    # every item does (Permendagri 86/2017: rancangan akhir, penetapan; not perubahan); data of the decree
    wajib_sasaran: bool = False
    # the deadline, where the decree sets one: the last day of ``batas_bulan`` of year N + ``batas_tahun``
    batas_bulan: int | None = None
    batas_tahun: int | None = None

    def batas(self, tahun: int) -> date | None:
        if self.batas_bulan is None:
            return None
        year = tahun + (self.batas_tahun or 0)
        nxt = date(year + (self.batas_bulan == 12), self.batas_bulan % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)


@dataclass(frozen=True)
class Tahapan(common.DaftarTahap):
    """The stages of one document under one version (a decree), valid from fiscal year ``berlaku_mulai``."""

    versi: str
    dokumen: str
    dasar_hukum: str
    berlaku_mulai: int
    tahap: tuple[DefinisiTahap, ...]


# the documents scheduled per period (five years) rather than per fiscal year: their schedule is keyed by
# the period's first year (``tahun_awal``)
PER_PERIODE = frozenset({"rpjmd", "renstra"})


def tahapan_berlaku(versions: Iterable[Tahapan], dokumen: str, tahun: int) -> Tahapan | None:
    """The version of a document's stages in force for fiscal year ``tahun``: the newest valid from it or before."""
    return common.berlaku((v for v in versions if v.dokumen == dokumen), tahun)


# -- one pemda's schedule ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Tahap(common.Tahap):
    """A stage of a planning document: a draft until it is opened (a reopened stage locks again: a new snapshot)."""

    status: str = DRAFT
    menetapkan: bool = False
    perubahan: bool = False
    batas: date | None = None
    wajib_sasaran: bool = False  # copied from the decree's stage (``DefinisiTahap``)
    # the snapshot this stage started from (the one before it, or the enacted one for a perubahan)
    dari_snapshot_id: str | None = None
    alasan_buka_kembali: str | None = None

    def terbuka_pada(self, now: datetime) -> bool:
        return self.status == TERBUKA and self.waktu_mulai <= now < self.waktu_selesai


@dataclass(frozen=True)
class Jadwal(common.JadwalTahap):
    """The schedule of one document (``rkpd``; ``rpjmd``/``renstra``, keyed by the period's first year) of one
    pemda for one year: its stages, in order."""

    id: str
    kode_pemda: str
    dokumen: str
    tahun: int
    versi_tahapan: str
    tahap: tuple[Tahap, ...]
    version: int = 1

    def terbuka(self) -> Tahap | None:
        """The stage open (by status; its window may not have begun or may be over)."""
        return next((t for t in self.tahap if t.status == TERBUKA), None)

    def sebelum(self, tahap: Tahap) -> Tahap | None:
        earlier = [t for t in self.tahap if t.urutan < tahap.urutan and not t.perubahan]
        return max(earlier, key=lambda t: t.urutan, default=None)

    def sesudah(self, tahap: Tahap) -> list[Tahap]:
        return [t for t in self.tahap if t.urutan > tahap.urutan]

    def penetapan(self) -> Tahap | None:
        return next((t for t in self.tahap if t.menetapkan and not t.perubahan), None)


def _stage_of(definisi: DefinisiTahap, tahun: int, mulai: datetime, selesai: datetime) -> Tahap:
    return Tahap(kode=definisi.kode, nama=definisi.nama, urutan=definisi.urutan, waktu_mulai=mulai,
                 waktu_selesai=selesai, menetapkan=definisi.menetapkan, perubahan=definisi.perubahan,
                 batas=definisi.batas(tahun), wajib_sasaran=definisi.wajib_sasaran)


def susun_jadwal(id: str, kode_pemda: str, tahun: int, tahapan: Tahapan,
                 windows: list[tuple[str, datetime, datetime]]) -> tuple[Jadwal | None, list[Pelanggaran]]:
    """A new schedule from the decree's stages and the windows given as ``(kode, mulai, selesai)``.

    Every stage the decree does not mark optional must be given; windows follow the stages' order
    (a stage does not start before the one before it starts): ``common.susun_tahap``."""
    stages, errors = common.susun_tahap(tahapan, tahapan.dokumen, windows,
                                        lambda definisi, mulai, selesai: _stage_of(definisi, tahun, mulai, selesai))
    if errors:
        return None, errors
    return Jadwal(id=id, kode_pemda=kode_pemda, dokumen=tahapan.dokumen, tahun=tahun,
                  versi_tahapan=tahapan.versi, tahap=tuple(stages)), []


def tambah_tahap(jadwal: Jadwal, tahapan: Tahapan, kode: str, mulai: datetime,
                 selesai: datetime) -> tuple[Jadwal | None, list[Pelanggaran]]:
    """A stage scheduled later (an optional one, such as perubahan)."""
    definisi = tahapan.definisi(kode)
    if definisi is None:
        return None, [Pelanggaran("kode_tahap", f"no stage {kode!r} in {tahapan.dokumen} version {tahapan.versi}")]
    if jadwal.get(kode) is not None:
        return None, [Pelanggaran("kode_tahap", f"stage {kode} is scheduled already; extend its window instead")]
    errors = common.periksa_jendela("tahap", mulai, selesai)
    if errors:
        return None, [Pelanggaran(e.field.removeprefix("tahap."), e.message) for e in errors]
    stage = _stage_of(definisi, jadwal.tahun, mulai, selesai)
    return replace(jadwal, version=jadwal.version + 1,
                   tahap=tuple(sorted((*jadwal.tahap, stage), key=lambda t: t.urutan))), []


# -- the transitions: each answers the new schedule, or why not -----------------------------------------

def buka(jadwal: Jadwal, kode: str, now: datetime, dari_snapshot_id: str | None = None
         ) -> tuple[Jadwal | None, list[Pelanggaran]]:
    """Open a stage: it starts from the snapshot of the stage before it (locked), or for a perubahan
    from the enacted one. One stage is open at a time."""
    stage = jadwal.get(kode)
    if stage is None:
        return None, common.tidak_dijadwalkan(kode)
    if stage.status != DRAFT:
        what = "open already" if stage.status == TERBUKA else "locked; reopening it needs a reason (buka-kembali)"
        return None, [Pelanggaran("kode_tahap", f"stage {kode} is {what}")]
    other = jadwal.terbuka()
    if other is not None:
        return None, [Pelanggaran("kode_tahap", f"stage {other.kode} is open; lock it before opening {kode}")]
    if stage.perubahan:
        enacted = jadwal.penetapan()
        if enacted is None or enacted.status != TERKUNCI:
            return None, [Pelanggaran("kode_tahap", "a perubahan starts from the enacted document: lock "
                                      f"{enacted.kode if enacted else 'the penetapan stage'} first")]
        start = enacted.snapshot_id
    else:
        before = jadwal.sebelum(stage)
        if before is not None and before.status != TERKUNCI:
            return None, [Pelanggaran("kode_tahap", f"stage {before.kode} comes before {kode}: lock it first")]
        start = before.snapshot_id if before else None
    if now >= stage.waktu_selesai:
        return None, [Pelanggaran("waktu_selesai", f"the window of {kode} ended at {stage.waktu_selesai.isoformat()}; "
                                  "extend it first")]
    return jadwal.with_tahap(replace(stage, status=TERBUKA, dari_snapshot_id=dari_snapshot_id or start)), []


def perpanjang(jadwal: Jadwal, kode: str, waktu_selesai: datetime, now: datetime
               ) -> tuple[Jadwal | None, list[Pelanggaran]]:
    """Extend a stage's window (a stage not yet locked): the new end is later than the old one and than now."""
    return common.perpanjang(jadwal, kode, waktu_selesai, now, state_field="kode_tahap")


def kunci(jadwal: Jadwal, kode: str, snapshot_id: str) -> tuple[Jadwal | None, list[Pelanggaran]]:
    """Lock the open stage: what it holds is kept as ``snapshot_id``, and it is written no more."""
    return common.kunci(jadwal, kode, snapshot_id, state_field="kode_tahap")


def buka_kembali(jadwal: Jadwal, kode: str, alasan: str, waktu_selesai: datetime, now: datetime
                 ) -> tuple[Jadwal | None, list[Pelanggaran]]:
    """Reopen a locked stage, for a reason, with a new end of its window. Only the latest locked stage,
    while no later one has begun; never an enacted one (a revision is the perubahan stage). Its
    snapshot stays as it was; locking it again takes a new one."""
    stage, errors = common.terkunci(jadwal, kode, state_field="kode_tahap")
    if errors:
        return None, errors
    if stage.menetapkan:
        return None, [Pelanggaran("kode_tahap", f"stage {kode} enacted the document, which never changes; "
                                  "revise it in a perubahan stage")]
    begun = [t.kode for t in jadwal.sesudah(stage) if t.status != DRAFT]
    if begun:
        return None, [Pelanggaran("kode_tahap", f"a later stage has begun ({', '.join(begun)}); "
                                  f"{kode} can no longer reopen")]
    if not alasan.strip():
        return None, [Pelanggaran("alasan", "reopening a locked stage needs a reason")]
    if waktu_selesai <= now:
        return None, [Pelanggaran("waktu_selesai", "the reopened window must end in the future")]
    return jadwal.with_tahap(replace(stage, status=TERBUKA, waktu_selesai=waktu_selesai,
                                alasan_buka_kembali=alasan.strip())), []


def boleh_menulis(jadwal: Jadwal | None, now: datetime) -> tuple[Tahap | None, list[Pelanggaran]]:
    """May the document be written now: the stage open and inside its window (the stage written), or why not.

    A year without a jadwal is not yet under a schedule and is written freely (``None``, no refusal)."""
    if jadwal is None:
        return None, []
    stage = jadwal.terbuka()
    if stage is not None and stage.terbuka_pada(now):
        return stage, []
    where = f"the {jadwal.dokumen.upper()} {jadwal.tahun} of pemda {jadwal.kode_pemda}"
    if stage is None:
        locked = [t for t in jadwal.tahap if t.status == TERKUNCI]
        state = f"its stage {locked[-1].kode} is locked" if locked else "no stage is open yet"
        return None, [Pelanggaran("tahun", f"{where} is not open for changes: {state}")]
    if now < stage.waktu_mulai:
        return None, [Pelanggaran("tahun", f"{where}: stage {stage.kode} opens at {stage.waktu_mulai.isoformat()}")]
    return None, [Pelanggaran("tahun", f"{where}: the window of stage {stage.kode} closed at "
                              f"{stage.waktu_selesai.isoformat()}")]


# -- snapshots (``as_json``, ``content_hash``: the common ones) -----------------------------------------

@dataclass(frozen=True)
class Snapshot:
    """What a stage held when it was locked, for ever."""

    id: str
    jadwal_id: str
    kode_pemda: str
    dokumen: str
    tahun: int
    kode_tahap: str
    kunci_ke: int
    hash: str
    items: list[dict]
    ringkasan: dict
    dari_snapshot_id: str | None = None
    murni_snapshot_id: str | None = None
    dibuat_oleh: str | None = None
    dibuat_at: datetime | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def header(self) -> dict:
        return snapshot_header(self.kode_pemda, self.dokumen, self.tahun, self.kode_tahap, self.kunci_ke,
                               self.dari_snapshot_id, self.murni_snapshot_id)


def snapshot_header(kode_pemda, dokumen, tahun, kode_tahap, kunci_ke, dari_snapshot_id, murni_snapshot_id) -> dict:
    return {"kode_pemda": kode_pemda, "dokumen": dokumen, "tahun": tahun, "kode_tahap": kode_tahap,
            "kunci_ke": kunci_ke, "dari_snapshot_id": dari_snapshot_id, "murni_snapshot_id": murni_snapshot_id}


def kode_program(kode_sub_kegiatan: str) -> str:
    """``1.01.02.2.01.0001`` → program ``1.01.02``."""
    return ".".join(kode_sub_kegiatan.split(".")[:3])


def kode_kegiatan(kode_sub_kegiatan: str) -> str:
    """``1.01.02.2.01.0001`` → kegiatan ``1.01.02.2.01``."""
    return ".".join(kode_sub_kegiatan.split(".")[:5])


def dengan_murni(items: list[dict], murni: list[dict]) -> list[dict]:
    """A perubahan's items beside the enacted (murni) figures: each item carries ``pagu_indikatif_murni``
    (0 for an item new in the perubahan); an enacted item gone from the perubahan stays, at 0, marked
    ``dihapus``, so that murni | perubahan | ± add up."""
    by_id = {m["id"]: m for m in murni}
    out = [{**i, "pagu_indikatif_murni": by_id[i["id"]]["pagu_indikatif"] if i["id"] in by_id else Decimal(0)}
           for i in items]
    live = {i["id"] for i in items}
    out += [{**m, "pagu_indikatif": Decimal(0), "pagu_indikatif_murni": m["pagu_indikatif"], "dihapus": True}
            for m in murni if m["id"] not in live]
    return sorted(out, key=_order)


def _order(item: dict) -> tuple:
    return item["kode_skpd"], item["kode_sub_kegiatan"], item["id"]


def urutkan(items: list[dict]) -> list[dict]:
    return sorted(items, key=_order)


def ringkasan(items: list[dict]) -> dict:
    """Totals of pagu indikatif per SKPD, program, kegiatan and sub kegiatan (with murni beside them when
    the items carry it). Sums of exact decimals: no rounding anywhere."""
    with_murni = any("pagu_indikatif_murni" in i for i in items)

    def add(bucket: dict, key: tuple, item: dict) -> None:
        row = bucket.setdefault(key, {"pagu_indikatif": Decimal(0), **({"pagu_indikatif_murni": Decimal(0)}
                                                                     if with_murni else {})})
        row["pagu_indikatif"] += item["pagu_indikatif"]
        if with_murni:
            row["pagu_indikatif_murni"] += item.get("pagu_indikatif_murni", Decimal(0))

    skpd, program, kegiatan, sub = {}, {}, {}, {}
    total = {"pagu_indikatif": Decimal(0), **({"pagu_indikatif_murni": Decimal(0)} if with_murni else {})}
    for item in items:
        s, k = item["kode_skpd"], item["kode_sub_kegiatan"]
        add(skpd, (s,), item)
        add(program, (s, kode_program(k)), item)
        add(kegiatan, (s, kode_kegiatan(k)), item)
        add(sub, (s, k), item)
        total["pagu_indikatif"] += item["pagu_indikatif"]
        if with_murni:
            total["pagu_indikatif_murni"] += item.get("pagu_indikatif_murni", Decimal(0))
    return {
        "jumlah_sub_kegiatan": sum(1 for i in items if not i.get("dihapus")),
        "total": total,
        "skpd": [{"kode_skpd": key[0], **v} for key, v in sorted(skpd.items())],
        "program": [{"kode_skpd": key[0], "kode_program": key[1], **v} for key, v in sorted(program.items())],
        "kegiatan": [{"kode_skpd": key[0], "kode_kegiatan": key[1], **v} for key, v in sorted(kegiatan.items())],
        "sub_kegiatan": [{"kode_skpd": key[0], "kode_sub_kegiatan": key[1], **v} for key, v in sorted(sub.items())],
    }
