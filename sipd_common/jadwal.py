"""Schedule windows (jadwal), the part every schedule shares: a document of a pemda and year is made in stages
(tahap), each written inside a window of time; locking a stage keeps what it holds as a snapshot, content-hashed,
that never changes (each lock a new one).

Two schedules stand on this: perencanaan's (the planning documents, their stages opened one after another) and
keuangan's (the budget, a stage open while now is inside its window). What is theirs stays with them: their
stages' states and data, when a document may be written, when a locked stage may reopen, what a snapshot holds.
Here only what is the same in both:

- the decree's stage list, with a version (``DaftarTahap``, ``berlaku``);
- a schedule's stages, in order (``Tahap``, ``JadwalTahap``), made from the windows given (``susun_tahap``);
- a window extended (``perpanjang``), a stage locked (``kunci``), the locked stage a reopening starts from
  (``terkunci``);
- a stage as its schedule's row keeps it (``tahap_json``, ``tahap_dari_json``);
- a snapshot's canonical JSON and its hash (``as_json``, ``content_hash``).

A refusal is a list of ``Pelanggaran``, each naming its field; a refusal by the stage's state names
``state_field``, the field each service's API has always named for it. Pure: time arrives as a value (``now``).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Iterable, TypeVar

from .errors import Pelanggaran
from .money import to_text

TERBUKA, TERKUNCI = "terbuka", "terkunci"

Refused = list[Pelanggaran]


# -- the decree's stages: data with a version --------------------------------------------------------------------

class DaftarTahap:
    """A decree's list of stages (mixed into a frozen dataclass with ``versi``, ``berlaku_mulai`` and ``tahap``,
    the stages' definitions in order)."""

    def definisi(self, kode: str):
        return next((t for t in self.tahap if t.kode == kode), None)


Versi = TypeVar("Versi")


def berlaku(versions: Iterable[Versi], tahun: int) -> Versi | None:
    """The version in force for fiscal year ``tahun``: the newest valid from it or before."""
    valid = [v for v in versions if v.berlaku_mulai <= tahun]
    return max(valid, key=lambda v: (v.berlaku_mulai, v.versi), default=None)


# -- a schedule's stages ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Tahap:
    """One stage of a schedule: its window, its state, its latest lock. A service's stage adds its own fields (and
    may start in another state)."""

    kode: str
    nama: str
    urutan: int
    waktu_mulai: datetime
    waktu_selesai: datetime
    status: str = TERBUKA
    snapshot_id: str | None = None  # the latest lock's snapshot
    jumlah_kunci: int = 0  # how many times it was locked: the version of its latest snapshot


class JadwalTahap:
    """A schedule (mixed into a frozen dataclass with ``tahap``, its stages in order, and ``version``)."""

    def get(self, kode: str):
        return next((t for t in self.tahap if t.kode == kode), None)

    def with_tahap(self, tahap: Tahap):
        """The schedule with ``tahap`` in place of its stage of that code: the next version."""
        return replace(self, version=self.version + 1,
                       tahap=tuple(sorted((tahap if t.kode == tahap.kode else t for t in self.tahap),
                                          key=lambda t: t.urutan)))


def tidak_dijadwalkan(kode: str) -> Refused:
    return [Pelanggaran("kode_tahap", f"stage {kode} is not scheduled in this jadwal")]


def periksa_jendela(prefix: str, mulai: datetime, selesai: datetime) -> Refused:
    """A window's times (fields under ``prefix``): each with its zone, the end after the start."""
    errors = [Pelanggaran(f"{prefix}.{k}", "give a time with its zone (e.g. 2026-08-01T00:00:00+07:00)")
              for k, v in (("waktu_mulai", mulai), ("waktu_selesai", selesai)) if v.tzinfo is None]
    if not errors and selesai <= mulai:
        errors.append(Pelanggaran(f"{prefix}.waktu_selesai", "the window must end after it starts (waktu_mulai)"))
    return errors


Stage = TypeVar("Stage", bound=Tahap)


def susun_tahap(tahapan: DaftarTahap, dokumen: str, windows: list[tuple[str, datetime, datetime]],
                stage_of: Callable[[Any, datetime, datetime], Stage]) -> tuple[list[Stage], Refused]:
    """A new schedule's stages, in order, from the decree's list and the windows ``(kode, mulai, selesai)`` given
    (fields ``tahap.<i>.…``): each a stage of the list, given once, with a sound window; every stage the decree
    does not mark optional given; a stage does not start before the one before it starts. ``stage_of`` makes the
    service's stage of a definition and its window; ``dokumen`` names the document in the refusals."""
    errors: Refused = []
    seen: dict[str, int] = {}
    stages: list[Stage] = []
    for i, (kode, mulai, selesai) in enumerate(windows):
        prefix = f"tahap.{i}"
        definisi = tahapan.definisi(kode)
        if definisi is None:
            errors.append(Pelanggaran(f"{prefix}.kode_tahap", f"no stage {kode!r} in {dokumen} version "
                                      f"{tahapan.versi} (stages: {', '.join(t.kode for t in tahapan.tahap)})"))
            continue
        if kode in seen:
            errors.append(Pelanggaran(f"{prefix}.kode_tahap", f"stage {kode!r} is given twice"))
            continue
        seen[kode] = i
        bad = periksa_jendela(prefix, mulai, selesai)
        errors += bad
        if not bad:
            stages.append(stage_of(definisi, mulai, selesai))
    missing = [t.kode for t in tahapan.tahap if not t.opsional and t.kode not in seen]
    if missing:
        errors.append(Pelanggaran("tahap", f"every stage of {dokumen} must be scheduled; missing: "
                                  f"{', '.join(missing)}"))
    stages.sort(key=lambda t: t.urutan)
    for before, after in zip(stages, stages[1:]):
        if after.waktu_mulai < before.waktu_mulai:
            errors.append(Pelanggaran(f"tahap.{seen[after.kode]}.waktu_mulai",
                                      f"stage {after.kode} cannot start before {before.kode} starts"))
    return stages, errors


# -- the transitions every schedule has: each answers the new schedule, or why not -------------------------------

J = TypeVar("J", bound=JadwalTahap)


def perpanjang(j: J, kode: str, waktu_selesai: datetime, now: datetime, state_field: str
               ) -> tuple[J | None, Refused]:
    """Extend a stage's window (not a locked one): the new end later than the old one and than now."""
    stage = j.get(kode)
    if stage is None:
        return None, tidak_dijadwalkan(kode)
    if stage.status == TERKUNCI:
        return None, [Pelanggaran(state_field, f"stage {kode} is locked (snapshot {stage.snapshot_id}); reopening "
                                  "it needs a reason (buka-kembali)")]
    if waktu_selesai.tzinfo is None:
        return None, [Pelanggaran("waktu_selesai", "give a time with its zone")]
    if waktu_selesai <= stage.waktu_selesai:
        return None, [Pelanggaran("waktu_selesai", "an extension ends after the window's current end "
                                  f"({stage.waktu_selesai.isoformat()})")]
    if waktu_selesai <= now:
        return None, [Pelanggaran("waktu_selesai", "an extension ends in the future")]
    return j.with_tahap(replace(stage, waktu_selesai=waktu_selesai)), []


def kunci(j: J, kode: str, snapshot_id: str, state_field: str, **record) -> tuple[J | None, Refused]:
    """Lock the open stage: what it holds is kept as ``snapshot_id`` (the lock counted: the snapshot's version),
    and it is written no more. ``record``: what else the service's stage keeps of the lock."""
    stage = j.get(kode)
    if stage is None:
        return None, tidak_dijadwalkan(kode)
    if stage.status != TERBUKA:
        what = f"locked already (snapshot {stage.snapshot_id})" if stage.status == TERKUNCI else "not open"
        return None, [Pelanggaran(state_field, f"stage {kode} is {what}")]
    return j.with_tahap(replace(stage, status=TERKUNCI, snapshot_id=snapshot_id,
                                jumlah_kunci=stage.jumlah_kunci + 1, **record)), []


def terkunci(j: JadwalTahap, kode: str, state_field: str) -> tuple[Tahap | None, Refused]:
    """The stage a reopening (buka kembali) starts from: scheduled and locked; the service's rules follow."""
    stage = j.get(kode)
    if stage is None:
        return None, tidak_dijadwalkan(kode)
    if stage.status != TERKUNCI:
        why = ": it is open (extend its window instead)" if stage.status == TERBUKA else ""
        return None, [Pelanggaran(state_field, f"stage {kode} is not locked{why}")]
    return stage, []


# -- a stage as its schedule's row keeps it (JSON) ----------------------------------------------------------------

def tahap_json(t: Tahap) -> dict:
    """A stage as its schedule's row keeps it: each field as JSON (``as_json``: times and dates ISO)."""
    return {k: as_json(getattr(t, k)) for k in t.__dataclass_fields__}


def tahap_dari_json(cls: type[Stage], row: dict, **fields) -> Stage:
    """A stage kept by ``tahap_json``, as ``cls``; ``fields``: those the service reads itself (a date of its own,
    a field added since)."""
    return cls(**{**row, **{k: datetime.fromisoformat(row[k]) for k in ("waktu_mulai", "waktu_selesai")}, **fields})


# -- snapshots -----------------------------------------------------------------------------------------------------

def as_json(value: Any) -> Any:
    """A snapshot's content as it is stored and served: decimals as canonical text (``to_text``), times ISO."""
    if isinstance(value, Decimal):
        return to_text(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_json(v) for v in value]
    return value


def content_hash(header: dict, items: Any) -> str:
    """SHA-256 of the snapshot's canonical JSON (``as_json``; keys sorted, no whitespace, UTF-8): anyone holding
    the content as served can recompute it."""
    body = json.dumps(as_json({"header": header, "items": items}), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
