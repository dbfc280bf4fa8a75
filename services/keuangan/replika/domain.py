"""The codification keuangan checks its writes against: its own copy of the lists of referensi it uses.

keuangan keeps, per record, the latest state referensi published (the one with the highest
``revisi``), fed by referensi's change events and, on first start or after a missed event, by its
paged snapshot (``sipd_common.replica``). So a budget line is checked without asking referensi.

The lists kept, and what of each:

- ``rekening``: the accounts of the budget (pendapatan, belanja, pembiayaan), every level (a line sits on a
  belanja sub rincian objek);
- ``skpd``: the SKPD of every pemda (a ceiling belongs to one);
- ``nomenklatur``: the sub kegiatan, with their bidang urusan (a ceiling is one sub kegiatan); and the urusan,
  bidang urusan and program, for the names the APBD's summaries show (``tingkat`` says which);
- ``sumber_dana`` and ``standar_harga``: for the budgeting issue (funding and prices of a line).

A retired record stays, with ``berlaku`` false, the version that retired it (``valid_until``) and its
replacements (``kode_pengganti``): a write on it is refused naming them, and the ceilings and lines
that already use it are flagged (``perlu_pemetaan``), never rewritten.

Pure: the change items arrive as the contracts' models.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable

from sipd_common.varian import UMUM, berlaku_untuk

# the lists keuangan keeps, each with the fields of its key
KUNCI: dict[str, tuple[str, ...]] = {
    "rekening": ("kode",),
    "skpd": ("kode_pemda", "kode"),
    "nomenklatur": ("kode", "varian"),  # a code's record (umum) and its provincial variant (provinsi)
    "sumber_dana": ("kode",),
    "standar_harga": ("kode_pemda", "tahun", "kode"),
}
KINDS = tuple(KUNCI)
PENSIUN = "retired"  # the ``aksi`` of a retired item


# -- the records, as keuangan keeps them --------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Berlaku:
    """Every record's validity: the version of its state, the one that retired it, its replacements."""

    valid_from: str = ""
    valid_until: str | None = None
    revisi: int = 0
    kode_pengganti: tuple[str, ...] = ()
    berlaku: bool = True


@dataclass(frozen=True)
class Rekening(Berlaku):
    kode: str
    tingkat: str
    akun: str
    peruntukan: str
    nama: str
    kode_induk: str | None = None


@dataclass(frozen=True)
class Skpd(Berlaku):
    kode_pemda: str
    kode: str
    nama: str
    bidang_urusan: tuple[str, ...] = ()


@dataclass(frozen=True)
class SubKegiatan(Berlaku):
    kode: str
    nama: str
    kode_bidang_urusan: str
    tingkat: str = "sub_kegiatan"  # or urusan, bidang_urusan, program (kept for their names)
    varian: str = UMUM  # the code's record, or its provincial variant (the provinces')


@dataclass(frozen=True)
class SumberDana(Berlaku):
    kode: str
    tingkat: int
    nama: str
    kode_induk: str | None = None


@dataclass(frozen=True)
class StandarHarga(Berlaku):
    kode_pemda: str
    tahun: int
    kode: str
    jenis: str
    uraian: str
    satuan: str
    harga: Decimal
    spesifikasi: str | None = None
    kode_rekening: tuple[str, ...] = ()


RECORDS: dict[str, type] = {"rekening": Rekening, "skpd": Skpd, "nomenklatur": SubKegiatan,
                            "sumber_dana": SumberDana, "standar_harga": StandarHarga}
_LISTS = {"bidang_urusan", "kode_pengganti", "kode_rekening"}  # kept as arrays, read back as tuples


def record(kind: str, row: dict[str, Any]) -> Any:
    """A stored row as the record of its list."""
    cls = RECORDS[kind]
    names = cls.__dataclass_fields__
    return cls(**{k: (tuple(v) if k in _LISTS else v) for k, v in row.items() if k in names})


# -- from a change item (an event's or a snapshot page's) to what keuangan keeps ------------------------

def kode_bidang_urusan(kode_sub_kegiatan: str) -> str:
    """The bidang urusan of a sub kegiatan: its code's first two segments (``1.01.02.2.01.0001`` → ``1.01``)."""
    return ".".join(kode_sub_kegiatan.split(".")[:2])


# Of the chart of accounts keuangan keeps the budget's (LRA) roots: a line sits on a belanja account, and one on a
# pendapatan or pembiayaan account is refused as such. The balance-sheet and operational roots (1-3, 7, 8) are nine
# tenths of the chart, and nothing of keuangan names them yet.
AKUN_DISIMPAN = ("pendapatan", "belanja", "pembiayaan")
# Of the nomenclature: the sub kegiatan, and the levels whose names the APBD's summaries show (kegiatan: none yet).
NOMENKLATUR_DISIMPAN = ("urusan", "bidang_urusan", "program", "sub_kegiatan")


def baris(kind: str, item: Any) -> dict[str, Any] | None:
    """The row keuangan keeps for one change item; None for what it does not keep (nomenklatur above
    the sub kegiatan, the accounts outside the budget)."""
    validity = {"valid_from": item.valid_from, "valid_until": item.valid_until, "revisi": item.revisi,
                "kode_pengganti": list(item.kode_pengganti), "berlaku": item.aksi != PENSIUN}
    if kind == "rekening":
        if item.akun not in AKUN_DISIMPAN:
            return None
        fields = dict(kode=item.kode, tingkat=item.tingkat, akun=item.akun, peruntukan=item.peruntukan,
                      nama=item.nama, kode_induk=item.kode_induk)
    elif kind == "skpd":
        fields = dict(kode_pemda=item.kode_pemda, kode=item.kode, nama=item.nama, bidang_urusan=list(item.bidang_urusan))
    elif kind == "nomenklatur":
        if item.tingkat not in NOMENKLATUR_DISIMPAN:
            return None
        fields = dict(kode=item.kode, varian=getattr(item, "varian", UMUM), nama=item.nama,
                      kode_bidang_urusan=kode_bidang_urusan(item.kode), tingkat=item.tingkat)
    elif kind == "sumber_dana":
        fields = dict(kode=item.kode, tingkat=item.tingkat, nama=item.nama, kode_induk=item.kode_induk)
    elif kind == "standar_harga":
        fields = dict(kode_pemda=item.kode_pemda, tahun=item.tahun, kode=item.kode, jenis=item.jenis,
                      uraian=item.uraian, spesifikasi=item.spesifikasi, satuan=item.satuan, harga=Decimal(item.harga),
                      kode_rekening=list(item.kode_rekening))
    else:
        raise ValueError(f"keuangan keeps no list {kind!r}")
    return {**fields, **validity}


def kunci(kind: str, row: dict[str, Any]) -> tuple:
    return tuple(row[k] for k in KUNCI[kind])


def terbaru(kind: str, items: Iterable[Any]) -> list[dict[str, Any]]:
    """The rows to keep from a batch of items: one per record (its highest ``revisi``), in key order
    (so that two transactions writing overlapping batches take their row locks in the same order)."""
    rows: dict[tuple, dict[str, Any]] = {}
    for item in items:
        row = baris(kind, item)
        if row is None:
            continue
        key = kunci(kind, row)
        if key not in rows or rows[key]["revisi"] < row["revisi"]:
            rows[key] = row
    return [rows[k] for k in sorted(rows)]


def lebih_baru(held_revisi: int | None, revisi: int) -> bool:
    """A state replaces the one held only when it is newer: events and snapshot pages may come in any
    order, and twice."""
    return held_revisi is None or held_revisi < revisi


# -- renamed accounts: the lines on them carry the new name -----------------------------------------------

@dataclass(frozen=True)
class NamaRekening:
    kode: str
    nama: str
    revisi: int


def nama_rekening(items: Iterable[Any]) -> list[NamaRekening]:
    """The current names of the accounts a line can sit on (sub rincian objek), with their ``revisi``:
    a line holding an older one takes it (a rename seen in an event, or in a snapshot after a missed one)."""
    latest: dict[str, NamaRekening] = {}
    for item in items:
        if item.aksi == PENSIUN or item.tingkat != "sub_rincian_objek":
            continue
        if item.kode not in latest or latest[item.kode].revisi < item.revisi:
            latest[item.kode] = NamaRekening(item.kode, item.nama, item.revisi)
    return [latest[k] for k in sorted(latest)]


# -- retired codes: the records that use them are flagged, nothing is rewritten ----------------------------

# what a record of keuangan holds a retired code of each list as: a line's account (a sub rincian objek),
# a ceiling's sub kegiatan, a ceiling's SKPD (in its pemda). Funding sources and prices: no record yet.
RINCIAN_REKENING, PLAFON_SUB_KEGIATAN, PLAFON_SKPD = "rincian.kode_rekening", "plafon.kode_sub_kegiatan", "plafon.kode_skpd"


@dataclass(frozen=True)
class KodePensiun:
    """A retired code some record may hold: where (``dipakai_sebagai``), and what the record then keeps."""

    dipakai_sebagai: str
    kode: str
    kode_pemda: str | None
    pemetaan: dict = field(hash=False)
    # the levels of pemda that read the retired record (a sub kegiatan's provincial variant: the provinces');
    # empty: every pemda
    untuk: frozenset[str] = frozenset()


def pemetaan(kind: str, item: Any) -> dict:
    """What a record using a retired code keeps until it is mapped (``contracts.referensi.Pemetaan``)."""
    return {"kind": kind, "kode": item.kode, "versi": item.valid_until, "kode_pengganti": list(item.kode_pengganti)}


def kode_pensiun(kind: str, items: Iterable[Any], varian_provinsi: Iterable[str] = ()) -> list[KodePensiun]:
    """The retired items of a batch that a ceiling or a line of keuangan may hold (a sub kegiatan's, by the pemda
    that read it: ``varian_provinsi``, the codes with a current provincial variant)."""
    varian_provinsi = set(varian_provinsi)
    found = []
    for item in items:
        if item.aksi != PENSIUN:
            continue
        if kind == "rekening" and item.tingkat == "sub_rincian_objek":
            found.append(KodePensiun(RINCIAN_REKENING, item.kode, None, pemetaan(kind, item)))
        elif kind == "nomenklatur" and item.tingkat == "sub_kegiatan":
            found.append(KodePensiun(PLAFON_SUB_KEGIATAN, item.kode, None, pemetaan(kind, item), berlaku_untuk(
                getattr(item, "varian", UMUM), item.kode, varian_provinsi)))
        elif kind == "skpd":
            found.append(KodePensiun(PLAFON_SKPD, item.kode, item.kode_pemda, pemetaan(kind, item)))
    return found


def tambah_pemetaan(existing: list[dict], entry: dict) -> list[dict]:
    """The retired codes a record uses, with one more unless it is there already (same list, code and
    version): a retirement seen twice (an event redelivered, a snapshot after the event) flags once."""
    same = ("kind", "kode", "versi")
    if any(all(e.get(k) == entry.get(k) for k in same) for e in existing):
        return list(existing)
    return [*existing, entry]


def dipensiunkan(what: str, record: Any) -> str:
    """Why a retired code cannot be used in a write, and what replaces it."""
    message = f"{what} {record.kode} was retired in version {record.valid_until}"
    if record.kode_pengganti:
        message += f"; use {' or '.join(record.kode_pengganti)}"
    return message
