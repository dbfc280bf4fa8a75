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
What every schedule shares (the stage list's version, windows, locks, the snapshot's hash) is ``sipd_common.jadwal``;
here the budget's stages and rules. Pure: time arrives as a value (``now``).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Iterable

import sipd_common.jadwal as common
from sipd_common.errors import Pelanggaran
from sipd_common.jadwal import TERBUKA, TERKUNCI, as_json, content_hash  # noqa: F401 (asked of this module)

PPAS, RKA, RAPBD, APBD_P = "ppas", "rka", "rapbd", "apbd_p"


# -- the decree's stages: data with a version ------------------------------------------------------------------

@dataclass(frozen=True)
class DefinisiTahap:
    kode: str
    nama: str
    urutan: int
    opsional: bool = False  # need not be scheduled when the jadwal is made (the APBD-P)


@dataclass(frozen=True)
class Tahapan(common.DaftarTahap):
    """The budget's stages under one version (a decree), valid from fiscal year ``berlaku_mulai``."""

    versi: str
    dasar_hukum: str
    berlaku_mulai: int
    tahap: tuple[DefinisiTahap, ...]


def tahapan_berlaku(versions: Iterable[Tahapan], tahun: int) -> Tahapan | None:
    return common.berlaku(versions, tahun)


# -- one pemda-year's schedule -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Tahap(common.Tahap):
    """A budget stage: open while now is inside its window and it is not locked (no draft: it needs no opening)."""

    dikunci_oleh: str | None = None
    # every reopening, oldest first: {"oleh", "pada" (ISO), "alasan", "snapshot_id" (the lock it reopened)}
    buka_kembali: tuple[dict, ...] = ()

    def terbuka_pada(self, now: datetime) -> bool:
        return self.status != TERKUNCI and self.waktu_mulai <= now < self.waktu_selesai


@dataclass(frozen=True)
class JadwalAnggaran(common.JadwalTahap):
    id: str
    kode_pemda: str
    tahun: int
    versi_tahapan: str
    tahap: tuple[Tahap, ...]
    version: int = 1

    def terbuka(self, now: datetime) -> list[str]:
        return [t.kode for t in self.tahap if t.terbuka_pada(now)]


def susun_jadwal(id: str, kode_pemda: str, tahun: int, tahapan: Tahapan,
                 windows: list[tuple[str, datetime, datetime]]) -> tuple[JadwalAnggaran | None, list[Pelanggaran]]:
    """A new schedule from the decree's stages and the windows ``(kode, mulai, selesai)`` (``common.susun_tahap``)."""
    stages, errors = common.susun_tahap(tahapan, "the budget", windows, lambda definisi, mulai, selesai: Tahap(
        definisi.kode, definisi.nama, definisi.urutan, mulai, selesai))
    if errors:
        return None, errors
    return JadwalAnggaran(id, kode_pemda, tahun, tahapan.versi, tuple(stages)), []


def perpanjang(j: JadwalAnggaran, kode: str, waktu_selesai: datetime, now: datetime
               ) -> tuple[JadwalAnggaran | None, list[Pelanggaran]]:
    """Extend a stage's window (not a locked one): 409 naming ``tahap`` when it is locked."""
    return common.perpanjang(j, kode, waktu_selesai, now, state_field="tahap")


def kunci(j: JadwalAnggaran, kode: str, snapshot_id: str, by: str | None = None
          ) -> tuple[JadwalAnggaran | None, list[Pelanggaran]]:
    """Lock a stage: what it holds is kept as ``snapshot_id`` and it is written no more."""
    return common.kunci(j, kode, snapshot_id, state_field="tahap", dikunci_oleh=by)


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
    stage, errors = common.terkunci(j, kode, state_field="tahap")
    if errors:
        return None, errors
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
    return j.with_tahap(replace(stage, status=TERBUKA, waktu_selesai=waktu_selesai, dikunci_oleh=None,
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


# -- snapshots (``as_json``, ``content_hash``: the common ones) ---------------------------------------------------

def total(items: Iterable[dict], key: str) -> Decimal:
    return sum((Decimal(str(i[key])) for i in items), Decimal(0))
