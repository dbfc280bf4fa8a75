"""LPPD, the annual report on how a pemda governed (PP 13/2019; Permendagri 19/2024; DOMAIN-DETAIL D).

Built by itself from what pemerintahan holds of the other services' events: per urusan and bidang
urusan the planned sub kegiatan with their targets (perencanaan), the budget under each (keuangan), its
realisation (keuangan's ``realisasi.berubah``: disbursed SP2D) and the capaian where both a budget and a
realisation exist. Beside it the pemda enters the key performance indicators (IKK, per urusan)
and the macro indicators (IPM, poverty, unemployment, growth, income per capita, inequality), each with
target, realisation and a note; the indicator list is versioned data (``lppd_indikator``).

Flow: ``draft`` (the pemda; rebuilt while a draft when a source changed: ``basi`` says what changed) →
``diverifikasi`` by its inspektur (or sent back to draft with a note) → ``diajukan`` (submitted: the
report is frozen as a snapshot, content-hashed, and never changes) → a regency/city's is ``diteruskan``
by its province → ``diterima`` by the ministry. Due three months after the year ends (a rule with a
version, ``lppd_aturan``); a submission after the due date, or none by it, is late.

Capaian (achievement, percent, rounded half-up to two decimals): realisation ÷ target × 100 for an
indicator whose higher value is better; (2 × target − realisation) ÷ target × 100 for one whose lower
value is better (poverty, unemployment, inequality); none when either is missing or the target is 0. The
spending's capaian is the same rule with the budget as target: realisation ÷ budget × 100, half-up to two
decimals, per sub kegiatan, bidang urusan, urusan and in total.
Pure: no I/O.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sipd_common.access import Role, Scope, is_province, province_of

NOL = Decimal(0)
# what the public sees: a report once submitted (frozen, hashed); a draft or a verified one is the pemda's own
TERBIT = ("diajukan", "diteruskan", "diterima")
PERSEN = Decimal("0.01")


def capaian(target: Decimal | None, realisasi: Decimal | None, polaritas: str = "positif") -> Decimal | None:
    if target is None or realisasi is None or target == 0:
        return None
    value = (2 * target - realisasi) / target if polaritas == "negatif" else realisasi / target
    return (value * 100).quantize(PERSEN, rounding=ROUND_HALF_UP)


def batas_waktu(tahun: int, bulan_setelah: int) -> date:
    """The due date: the last day of the ``bulan_setelah``-th month after year ``tahun`` ends."""
    year, month = tahun + (bulan_setelah - 1) // 12 + 1, (bulan_setelah - 1) % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def terlambat(batas: date, diajukan: date | None, hari_ini: date) -> bool:
    return (diajukan or hari_ini) > batas


def _plus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    """A sum of realisations where null is "none held": null only while both are."""
    return a if b is None else b if a is None else a + b


def bangun(rencana: list, anggaran: list, realisasi: list) -> dict:
    """The report's figures: rencana rows (rkpd_id, kode_bidang_urusan, nama_bidang_urusan, kode_skpd,
    kode_sub_kegiatan, nama_sub_kegiatan, indikator, target, satuan, pagu, dihapus), anggaran rows (rkpd_id,
    kode_bidang_urusan, kode_sub_kegiatan, total_rincian), realisasi rows (kode_skpd, kode_sub_kegiatan,
    kode_bidang_urusan, jumlah: the spending per SKPD and sub kegiatan). Every amount an exact sum; ordered by
    code, so equal sources build equal reports (what ``basi`` compares).

    A plan item shows the realisation of its SKPD's sub kegiatan; every realisation counts in the bidang urusan
    its sub kegiatan's code names, shown on a live plan item or not (as budget without a plan item counts).
    Realisation is null where none is held (nothing disbursed yet), and so is its capaian: realisation ÷ budget
    × 100 (``capaian``), also null without a budget."""
    budget = {a.rkpd_id: a for a in anggaran}
    spent = {(s.kode_skpd, s.kode_sub_kegiatan): s.jumlah for s in realisasi}
    bidang: dict[str, dict] = {}

    def of(kode: str, nama: str | None) -> dict:
        b = bidang.setdefault(kode, {"kode_bidang_urusan": kode, "nama_bidang_urusan": nama, "jumlah_sub_kegiatan": 0,
                                     "total_pagu": NOL, "total_anggaran": NOL, "total_realisasi": None,
                                     "sub_kegiatan": []})
        b["nama_bidang_urusan"] = b["nama_bidang_urusan"] or nama
        return b

    shown: set[tuple] = set()
    for r in sorted(rencana, key=lambda r: (r.kode_sub_kegiatan, r.rkpd_id)):
        if r.dihapus:
            continue
        b = of(r.kode_bidang_urusan, r.nama_bidang_urusan)
        a = budget.get(r.rkpd_id)
        anggaran_item = a.total_rincian if a is not None else NOL
        target = Decimal(r.target) if r.target is not None else None
        key = (r.kode_skpd, r.kode_sub_kegiatan)
        realisasi_item = spent.get(key) if key not in shown else None  # on one item only, should two share it
        shown.add(key)
        b["jumlah_sub_kegiatan"] += 1
        b["total_pagu"] += r.pagu
        b["total_anggaran"] += anggaran_item
        b["sub_kegiatan"].append({"rkpd_id": r.rkpd_id, "kode_sub_kegiatan": r.kode_sub_kegiatan,
                                  "nama_sub_kegiatan": r.nama_sub_kegiatan, "indikator": r.indikator,
                                  "target": target, "satuan": r.satuan, "pagu": r.pagu, "anggaran": anggaran_item,
                                  "realisasi": realisasi_item, "capaian": capaian(anggaran_item, realisasi_item)})
    planned = {r.rkpd_id for r in rencana if not r.dihapus}
    for a in anggaran:  # budgeted without a live plan item (tanpa_rencana): counted in its bidang's budget
        if a.rkpd_id not in planned:
            of(a.kode_bidang_urusan, None)["total_anggaran"] += a.total_rincian
    for s in realisasi:
        b = of(s.kode_bidang_urusan, None)
        b["total_realisasi"] = _plus(b["total_realisasi"], s.jumlah)
    urusan: dict[str, dict] = {}
    for kode in sorted(bidang):
        b = bidang[kode]
        b["capaian"] = capaian(b["total_anggaran"], b["total_realisasi"])
        u = urusan.setdefault(kode.split(".")[0], {"kode_urusan": kode.split(".")[0], "total_pagu": NOL,
                                                   "total_anggaran": NOL, "total_realisasi": None, "bidang_urusan": []})
        u["total_pagu"] += b["total_pagu"]
        u["total_anggaran"] += b["total_anggaran"]
        u["total_realisasi"] = _plus(u["total_realisasi"], b["total_realisasi"])
        u["bidang_urusan"].append(b)
    rows = [urusan[k] for k in sorted(urusan)]
    total_realisasi = None
    for u in rows:
        u["capaian"] = capaian(u["total_anggaran"], u["total_realisasi"])
        total_realisasi = _plus(total_realisasi, u["total_realisasi"])
    total_anggaran = sum((u["total_anggaran"] for u in rows), NOL)
    return {"urusan": rows, "total_pagu": sum((u["total_pagu"] for u in rows), NOL), "total_anggaran": total_anggaran,
            "total_realisasi": total_realisasi, "capaian": capaian(total_anggaran, total_realisasi)}


def berubah(lama: dict, baru: dict) -> list[str]:
    """The bidang urusan whose figures differ between two builds (the report is stale in these). A bidang's
    capaian follows from its figures and is not compared: a build from before it was kept has none."""
    def index(isi: dict) -> dict:
        return {b["kode_bidang_urusan"]: {k: v for k, v in b.items() if k != "capaian"}
                for u in isi["urusan"] for b in u["bidang_urusan"]}

    old, new = index(lama), index(baru)
    return sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))


# -- the flow ------------------------------------------------------------------------------------------------
class Ditolak(Exception):
    def __init__(self, field: str, message: str, terlarang: bool = False):
        super().__init__(message)
        self.field, self.message, self.terlarang = field, message, terlarang


@dataclass(frozen=True)
class Langkah:
    dari: str
    ke: str
    pelaku: str  # pemda | inspektur | provinsi | pusat


def langkah(aksi: str, kode_pemda: str) -> Langkah:
    province = is_province(kode_pemda)
    return {
        "verifikasi": Langkah("draft", "diverifikasi", "inspektur"),
        "kembalikan": Langkah("draft", "draft", "inspektur"),
        "ajukan": Langkah("diverifikasi", "diajukan", "pemda"),
        "teruskan": Langkah("diajukan", "diteruskan", "provinsi"),
        "terima": Langkah("diajukan" if province else "diteruskan", "diterima", "pusat"),
    }[aksi]


def boleh(caller: Scope, pelaku: str, kode_pemda: str) -> bool:
    if pelaku == "inspektur":
        return caller.role is Role.INSPEKTUR and caller.kode_pemda == kode_pemda
    if pelaku == "provinsi":
        return (not is_province(kode_pemda) and caller.role is Role.PROVINSI_ADMIN
                and caller.kode_pemda == province_of(kode_pemda))
    if pelaku == "pusat":
        return caller.is_national
    return caller.role in (Role.PEMDA_ADMIN, Role.PROVINSI_ADMIN, Role.BAPPEDA, Role.PUSAT_ADMIN) and \
        caller.acts_in(kode_pemda)


def periksa(aksi: str, status: str, caller: Scope, kode_pemda: str) -> str:
    """The state ``aksi`` leads to from ``status``, if ``caller`` takes it; a refusal naming the field else."""
    if aksi == "teruskan" and is_province(kode_pemda):
        raise Ditolak("status", "a province's LPPD goes to the ministry directly: it is not forwarded")
    step = langkah(aksi, kode_pemda)
    if status != step.dari:
        raise Ditolak("status", f"the LPPD is {status}: {aksi} needs it {step.dari}")
    if not boleh(caller, step.pelaku, kode_pemda):
        raise Ditolak("status", f"{aksi} is the {step.pelaku}'s, not a {caller.role} of {caller.kode_pemda or 'pusat'}",
                      terlarang=True)
    return step.ke
