"""The budget's schedule windows (jadwal anggaran): a pemda-year's budget is made in stages (tahap), each written
only inside its window of time, as the plan is (perencanaan's ``jadwal``; this is keuangan's own, smaller).

Where is ...
- the stages? ``PPAS`` (KUA-PPAS adjusted by TAPD until the nota kesepakatan), ``RKA`` (RKA-SKPD lines, their
  import, revenue and financing), ``RAPBD`` (the draft APBD: submission, evaluation, enactment), ``APBD_P`` (the
  APBD-P, optional: scheduled when the year has one). The list and its names are data with a version
  (table ``tahapan_anggaran``: a decree's change is a row), the codes are what each write asks for;
- the rule that refuses a write outside its stage's window? ``periksa_tahap`` — the one place, asked by every write
  of a scheduled stage (``jadwal/usecases.require_tahap``): 409 naming ``tahap``;
- what a lock keeps? ``kunci`` marks the stage locked; the use case keeps what the stage holds as a snapshot,
  content-hashed (``content_hash``), which the database never lets change: each lock a new one (``versi``);
- who may reopen a locked stage, and when not? ``buka_kembali``: for a reason, recorded (who, when, why, the
  snapshot it leaves), the snapshot kept; never once the budget the stage makes is enacted (a change is then the
  APBD-P's), nor while a later stage is locked on top of it.

A stage is open while now is inside its window and it is not locked::

    (window not begun) ──waktu_mulai──▶ terbuka ──waktu_selesai──▶ closed (extend: perpanjang)
                                           │   ▲
          kunci (TAPD; snapshot versi n)   ▼   │   buka_kembali (TAPD, alasan; never once enacted)
                                          terkunci

A pemda-year without a budget schedule is not under one: every stage is open (as before schedules existed).
Pure: time arrives as a value (``now``).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable

from sipd_common.money import to_text

from ..plafon.domain import Pelanggaran

PPAS, RKA, RAPBD, APBD_P = "ppas", "rka", "rapbd", "apbd_p"
TERBUKA, TERKUNCI = "terbuka", "terkunci"


# -- the decree's stages: data with a version ------------------------------------------------------------------

@dataclass(frozen=True)
class DefinisiTahap:
    kode: str
    nama: str
    urutan: int
    opsional: bool = False  # need not be scheduled when the jadwal is made (the APBD-P)


@dataclass(frozen=True)
class Tahapan:
    """The budget's stages under one version (a decree), valid from fiscal year ``berlaku_mulai``."""

    versi: str
    dasar_hukum: str
    berlaku_mulai: int
    tahap: tuple[DefinisiTahap, ...]

    def definisi(self, kode: str) -> DefinisiTahap | None:
        return next((t for t in self.tahap if t.kode == kode), None)


def tahapan_berlaku(versions: Iterable[Tahapan], tahun: int) -> Tahapan | None:
    """The version in force for fiscal year ``tahun``: the newest valid from it or before."""
    valid = [v for v in versions if v.berlaku_mulai <= tahun]
    return max(valid, key=lambda v: (v.berlaku_mulai, v.versi), default=None)


# -- one pemda-year's schedule -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Tahap:
    kode: str
    nama: str
    urutan: int
    waktu_mulai: datetime
    waktu_selesai: datetime
    status: str = TERBUKA
    snapshot_id: str | None = None  # the latest lock's snapshot
    dikunci_oleh: str | None = None
    jumlah_kunci: int = 0  # how many times it was locked: the version of its latest snapshot
    # every reopening, oldest first: {"oleh", "pada" (ISO), "alasan", "snapshot_id" (the lock it reopened)}
    buka_kembali: tuple[dict, ...] = ()

    def terbuka_pada(self, now: datetime) -> bool:
        return self.status != TERKUNCI and self.waktu_mulai <= now < self.waktu_selesai


@dataclass(frozen=True)
class JadwalAnggaran:
    id: str
    kode_pemda: str
    tahun: int
    versi_tahapan: str
    tahap: tuple[Tahap, ...]
    version: int = 1

    def get(self, kode: str) -> Tahap | None:
        return next((t for t in self.tahap if t.kode == kode), None)

    def terbuka(self, now: datetime) -> list[str]:
        return [t.kode for t in self.tahap if t.terbuka_pada(now)]

    def _with(self, tahap: Tahap) -> "JadwalAnggaran":
        return replace(self, version=self.version + 1,
                       tahap=tuple(tahap if t.kode == tahap.kode else t for t in self.tahap))


def _jendela(prefix: str, mulai: datetime, selesai: datetime) -> list[Pelanggaran]:
    errors = [Pelanggaran(f"{prefix}.{k}", "give a time with its zone (e.g. 2026-08-01T00:00:00+07:00)")
              for k, v in (("waktu_mulai", mulai), ("waktu_selesai", selesai)) if v.tzinfo is None]
    if not errors and selesai <= mulai:
        errors.append(Pelanggaran(f"{prefix}.waktu_selesai", "the window must end after it starts (waktu_mulai)"))
    return errors


def susun_jadwal(id: str, kode_pemda: str, tahun: int, tahapan: Tahapan,
                 windows: list[tuple[str, datetime, datetime]]) -> tuple[JadwalAnggaran | None, list[Pelanggaran]]:
    """A new schedule from the decree's stages and the windows ``(kode, mulai, selesai)``: every stage not optional
    given once; a stage does not start before the one before it starts."""
    errors: list[Pelanggaran] = []
    seen: dict[str, int] = {}
    stages: list[Tahap] = []
    for i, (kode, mulai, selesai) in enumerate(windows):
        prefix = f"tahap.{i}"
        definisi = tahapan.definisi(kode)
        if definisi is None:
            errors.append(Pelanggaran(f"{prefix}.kode_tahap", f"no budget stage {kode!r} in version {tahapan.versi} "
                                      f"(stages: {', '.join(t.kode for t in tahapan.tahap)})"))
            continue
        if kode in seen:
            errors.append(Pelanggaran(f"{prefix}.kode_tahap", f"stage {kode!r} is given twice"))
            continue
        seen[kode] = i
        bad = _jendela(prefix, mulai, selesai)
        errors += bad
        if not bad:
            stages.append(Tahap(definisi.kode, definisi.nama, definisi.urutan, mulai, selesai))
    missing = [t.kode for t in tahapan.tahap if not t.opsional and t.kode not in seen]
    if missing:
        errors.append(Pelanggaran("tahap", f"every budget stage must be scheduled; missing: {', '.join(missing)}"))
    stages.sort(key=lambda t: t.urutan)
    for before, after in zip(stages, stages[1:]):
        if after.waktu_mulai < before.waktu_mulai:
            errors.append(Pelanggaran(f"tahap.{seen[after.kode]}.waktu_mulai",
                                      f"stage {after.kode} cannot start before {before.kode} starts"))
    if errors:
        return None, errors
    return JadwalAnggaran(id, kode_pemda, tahun, tahapan.versi, tuple(stages)), []


def perpanjang(j: JadwalAnggaran, kode: str, waktu_selesai: datetime, now: datetime
               ) -> tuple[JadwalAnggaran | None, list[Pelanggaran]]:
    """Extend a stage's window (not a locked one): the new end later than the old one and than now."""
    stage = j.get(kode)
    if stage is None:
        return None, [Pelanggaran("kode_tahap", f"stage {kode} is not scheduled in this jadwal")]
    if stage.status == TERKUNCI:
        return None, [Pelanggaran("tahap", f"stage {kode} is locked (snapshot {stage.snapshot_id}): it never "
                                  "changes")]
    if waktu_selesai.tzinfo is None:
        return None, [Pelanggaran("waktu_selesai", "give a time with its zone")]
    if waktu_selesai <= stage.waktu_selesai:
        return None, [Pelanggaran("waktu_selesai", "an extension ends after the window's current end "
                                  f"({stage.waktu_selesai.isoformat()})")]
    if waktu_selesai <= now:
        return None, [Pelanggaran("waktu_selesai", "an extension ends in the future")]
    return j._with(replace(stage, waktu_selesai=waktu_selesai)), []


def kunci(j: JadwalAnggaran, kode: str, snapshot_id: str, by: str | None = None
          ) -> tuple[JadwalAnggaran | None, list[Pelanggaran]]:
    """Lock a stage (its window begun): what it holds is kept as ``snapshot_id`` and it is written no more."""
    stage = j.get(kode)
    if stage is None:
        return None, [Pelanggaran("kode_tahap", f"stage {kode} is not scheduled in this jadwal")]
    if stage.status == TERKUNCI:
        return None, [Pelanggaran("tahap", f"stage {kode} is locked already (snapshot {stage.snapshot_id})")]
    return j._with(replace(stage, status=TERKUNCI, snapshot_id=snapshot_id, dikunci_oleh=by,
                           jumlah_kunci=stage.jumlah_kunci + 1)), []


# what makes a stage's document enacted, so that it never reopens: the APBD (ppas, rka and rapbd make it) and the
# APBD-P; a change to an enacted APBD is the APBD-P's
DITETAPKAN = "ditetapkan"


def buka_kembali(j: JadwalAnggaran, kode: str, alasan: str, waktu_selesai: datetime, now: datetime, oleh: str,
                 status_apbd: str | None, status_perubahan: str | None
                 ) -> tuple[JadwalAnggaran | None, list[Pelanggaran]]:
    """Reopen a locked stage, for a reason, until ``waktu_selesai``: written again inside its window. Its snapshot
    stays (a lock after this one takes a new version); the reopening is kept on the stage (who, when, why, which
    snapshot it left). Refused (naming ``tahap``) when the stage is not locked, when a later stage is locked on
    top of it, or when its document is enacted: the APBD (``status_apbd``) for ppas, rka and rapbd — a change is
    then the APBD-P's — and the APBD-P (``status_perubahan``) for apbd_p."""
    stage = j.get(kode)
    if stage is None:
        return None, [Pelanggaran("kode_tahap", f"stage {kode} is not scheduled in this jadwal")]
    if stage.status != TERKUNCI:
        return None, [Pelanggaran("tahap", f"stage {kode} is not locked: it is open (extend its window instead)")]
    if kode == APBD_P and status_perubahan == DITETAPKAN:
        return None, [Pelanggaran("tahap", f"the APBD-P {j.kode_pemda}/{j.tahun} is enacted: it never changes")]
    if kode != APBD_P and status_apbd == DITETAPKAN:
        return None, [Pelanggaran("tahap", f"the APBD {j.kode_pemda}/{j.tahun} is enacted: stage {kode} never "
                                           "reopens; a change is made in the APBD-P (perubahan)")]
    later = [t.kode for t in j.tahap if t.urutan > stage.urutan and t.status == TERKUNCI]
    if later:
        return None, [Pelanggaran("tahap", f"a later stage is locked ({', '.join(later)}): stage {kode} no longer "
                                           "reopens")]
    errors = []
    if not alasan or not alasan.strip():
        errors.append(Pelanggaran("alasan", "reopening a locked stage needs a reason"))
    if waktu_selesai.tzinfo is None:
        errors.append(Pelanggaran("waktu_selesai", "give a time with its zone"))
    elif waktu_selesai <= now or waktu_selesai <= stage.waktu_mulai:
        errors.append(Pelanggaran("waktu_selesai", "the reopened window ends in the future, after it starts "
                                                   f"({stage.waktu_mulai.isoformat()})"))
    if errors:
        return None, errors
    catatan = {"oleh": oleh, "pada": now.isoformat(), "alasan": alasan.strip(), "snapshot_id": stage.snapshot_id}
    return j._with(replace(stage, status=TERBUKA, waktu_selesai=waktu_selesai, dikunci_oleh=None,
                           buka_kembali=(*stage.buka_kembali, catatan))), []


def periksa_tahap(j: JadwalAnggaran | None, kode: str, now: datetime) -> list[Pelanggaran]:
    """May stage ``kode`` of the budget be written now: [] when it may, else why not (naming ``tahap``).
    A pemda-year without a schedule is not under one: [] (every stage open, as before schedules)."""
    if j is None:
        return []
    stage = j.get(kode)
    where = f"the budget {j.kode_pemda}/{j.tahun}"
    if stage is None:
        return [Pelanggaran("tahap", f"{where}: stage {kode} is not scheduled (schedule it to write it)")]
    if stage.status == TERKUNCI:
        return [Pelanggaran("tahap", f"{where}: stage {kode} is locked (snapshot {stage.snapshot_id})")]
    if now < stage.waktu_mulai:
        return [Pelanggaran("tahap", f"{where}: stage {kode} opens at {stage.waktu_mulai.isoformat()}")]
    if now >= stage.waktu_selesai:
        return [Pelanggaran("tahap", f"{where}: the window of stage {kode} closed at "
                            f"{stage.waktu_selesai.isoformat()} (TAPD may extend it: perpanjang)")]
    return []


# -- snapshots ------------------------------------------------------------------------------------------------------

def as_json(value: Any) -> Any:
    """A snapshot's content as stored and served: decimals as plain text, times ISO."""
    if isinstance(value, Decimal):
        return to_text(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_json(v) for v in value]
    return value


def content_hash(header: dict, items: list[dict]) -> str:
    """SHA-256 of the snapshot's canonical JSON (``as_json``, keys sorted, no whitespace, UTF-8)."""
    body = json.dumps(as_json({"header": header, "items": items}), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def total(items: Iterable[dict], key: str) -> Decimal:
    return sum((Decimal(str(i[key])) for i in items), Decimal(0))
