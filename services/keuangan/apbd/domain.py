"""The APBD: its structure and identities, its summaries, its legal ratios, and the states of its evaluation.

Where is ...
- the identities (surplus/defisit, pembiayaan netto, SiLPA)? ``identitas``;
- the rule that refuses a change to an enacted (or submitted) budget? ``periksa_terbuka`` — the one place:
  every write to lines, revenue and financing asks it (``apbd/usecases.require_terbuka``);
- who evaluates? ``sipd_common.access.evaluator_of``; the states: ``Dievaluasi`` (the APBD's, and the
  APBD-P's: ``perubahan.domain.Perubahan``);
- the legal ratios? ``nilai_rasio`` over the rules of ``rasio_wajib`` (a table: a decree's change is a row); their
  selectors name account prefixes or the flags of ``tanda_rekening`` (``tanda/domain.py``).

Pure: the amounts arrive summed per account from the database (``repository.py``); every sum here is exact
(Decimal), and the only rounding is the ratio's percent for display (2 decimals, ROUND_HALF_UP).
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Callable, ClassVar, Iterable

from ..plafon.domain import Pelanggaran

NOL = Decimal(0)

# -- the amounts, as the database sums them -------------------------------------------------------------


@dataclass(frozen=True)
class JumlahBelanja:
    """Σ of the budget lines of one account (or of one kelompok, e.g. ``5.1``, where a summary needs no more), per
    whichever of SKPD, sub kegiatan, program and bidang urusan the summary needs (those it does not: empty)."""

    kode_rekening: str
    jumlah: Decimal
    kode_skpd: str = ""
    kode_sub_kegiatan: str = ""
    kode_bidang_urusan: str = ""
    kode_program: str = ""

    @property
    def program(self) -> str:
        return self.kode_program or kode_program(self.kode_sub_kegiatan)


@dataclass(frozen=True)
class JumlahAnggaran:
    """Σ of the revenue targets or financing lines of one account of one SKPD (the PPKD's for financing)."""

    kode_skpd: str
    kode_rekening: str
    jumlah: Decimal


def induk(kode: str, tingkat: int) -> str:
    """The account (or nomenclature) code at ``tingkat`` above ``kode``: ``induk("5.1.02.01", 2) == "5.1"``."""
    return ".".join(kode.split(".")[:tingkat])


def kode_program(kode_sub_kegiatan: str) -> str:
    """``1.01.02.2.01.0001`` → program ``1.01.02``."""
    return induk(kode_sub_kegiatan, 3)


def bidang_urusan_skpd(kode_skpd: str) -> str:
    """An SKPD's primary bidang urusan: the first two parts of its code (``5.02.0.00.0.00.01.0000`` → ``5.02``)."""
    return induk(kode_skpd, 2)


def di_bawah(kode: str, prefix: str) -> bool:
    """``kode`` is ``prefix`` or below it (``5.2.03.01`` is under ``5.2.03``; ``5.2.031`` would not be)."""
    return kode == prefix or kode.startswith(prefix + ".")


KELOMPOK_BELANJA = {"5.1": "operasi", "5.2": "modal", "5.3": "tidak_terduga", "5.4": "transfer"}


def _kelompok_belanja() -> dict[str, Decimal]:
    return {k: NOL for k in KELOMPOK_BELANJA.values()}


# -- the identities ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Identitas:
    pendapatan: Decimal
    belanja: Decimal
    belanja_kelompok: dict[str, Decimal]
    penerimaan_pembiayaan: Decimal
    pengeluaran_pembiayaan: Decimal

    @property
    def surplus_defisit(self) -> Decimal:
        return self.pendapatan - self.belanja

    @property
    def pembiayaan_netto(self) -> Decimal:
        return self.penerimaan_pembiayaan - self.pengeluaran_pembiayaan

    @property
    def silpa(self) -> Decimal:
        """SiLPA tahun berkenaan = surplus/defisit + pembiayaan netto (planned at 0 in an adopted APBD, not enforced)."""
        return self.surplus_defisit + self.pembiayaan_netto


def identitas(belanja: Iterable[JumlahBelanja], anggaran: Iterable[JumlahAnggaran]) -> Identitas:
    kelompok = _kelompok_belanja()
    total_belanja = NOL
    for b in belanja:
        total_belanja += b.jumlah
        name = KELOMPOK_BELANJA.get(induk(b.kode_rekening, 2))
        if name:
            kelompok[name] += b.jumlah
    sums = {"4": NOL, "6.1": NOL, "6.2": NOL}
    for a in anggaran:
        for prefix in sums:
            if di_bawah(a.kode_rekening, prefix):
                sums[prefix] += a.jumlah
    return Identitas(pendapatan=sums["4"], belanja=total_belanja, belanja_kelompok=kelompok,
                     penerimaan_pembiayaan=sums["6.1"], pengeluaran_pembiayaan=sums["6.2"])


# -- the summaries (the shapes of the Perda's lampiran) ------------------------------------------------------

def per_akun(belanja: Iterable[JumlahBelanja], anggaran: Iterable[JumlahAnggaran],
             tingkat: int = 6) -> list[tuple[str, int, Decimal]]:
    """(kode, tingkat, jumlah) of every account from level 1 to ``tingkat`` that has an amount, in the chart's
    order (Lampiran I is levels 1–3: akun, kelompok, jenis)."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for row in [*belanja, *anggaran]:
        parts = row.kode_rekening.split(".")
        for level in range(1, min(tingkat, len(parts)) + 1):
            sums[".".join(parts[:level])] += row.jumlah
    return [(kode, kode.count(".") + 1, sums[kode]) for kode in sorted(sums, key=urutan_kode)]


def urutan_kode(kode: str) -> tuple:
    """Codes in their natural order: ``5.1.2`` before ``5.1.10``; ``X.XX`` after the numbers."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in kode.split("."))


@dataclass
class Baris:
    kode: str
    tingkat: str  # urusan | bidang_urusan | skpd | program
    pendapatan: Decimal = NOL
    belanja_kelompok: dict[str, Decimal] = field(default_factory=_kelompok_belanja)

    @property
    def belanja(self) -> Decimal:
        return sum(self.belanja_kelompok.values(), NOL)

    def tambah_belanja(self, b: JumlahBelanja) -> None:
        name = KELOMPOK_BELANJA.get(induk(b.kode_rekening, 2))
        if name:
            self.belanja_kelompok[name] += b.jumlah


MENURUT = ("urusan", "skpd", "program")
# what each summary sums the lines per (``repository.JUMLAH_PER``): never more than it shows
# (``kelompok_rekening``: the account's kelompok, 5.1 … 5.4, comes as ``JumlahBelanja.kode_rekening``)
KUNCI_MENURUT = {"akun": ("kode_rekening",), "rasio": ("kode_bidang_urusan", "kode_rekening"),
                 "urusan": ("kode_bidang_urusan", "kelompok_rekening"), "skpd": ("kode_skpd", "kelompok_rekening"),
                 "program": ("kode_program", "kelompok_rekening")}


def menurut(belanja: Iterable[JumlahBelanja], anggaran: Iterable[JumlahAnggaran], by: str) -> list[Baris]:
    """Revenue and spending by ``urusan`` (each urusan, then its bidang urusan), by ``skpd`` or by ``program``.

    Spending belongs to its sub kegiatan's bidang urusan and program and its SKPD; revenue to its SKPD, and to
    the SKPD's primary bidang urusan; a program carries no revenue. Financing is the PPKD's: in no row."""
    if by not in MENURUT:
        raise ValueError(f"by is one of {MENURUT}")
    rows: dict[str, Baris] = {}

    def row(kode: str, tingkat: str) -> Baris:
        return rows.setdefault(kode, Baris(kode, tingkat))

    for b in belanja:
        if by == "urusan":
            keys = [(induk(b.kode_bidang_urusan, 1), "urusan"), (b.kode_bidang_urusan, "bidang_urusan")]
        elif by == "skpd":
            keys = [(b.kode_skpd, "skpd")]
        else:
            keys = [(b.program, "program")]
        for kode, tingkat in keys:
            row(kode, tingkat).tambah_belanja(b)
    if by != "program":
        for a in anggaran:
            if not di_bawah(a.kode_rekening, "4"):
                continue
            bidang = bidang_urusan_skpd(a.kode_skpd)
            keys = ([(induk(bidang, 1), "urusan"), (bidang, "bidang_urusan")] if by == "urusan"
                    else [(a.kode_skpd, "skpd")])
            for kode, tingkat in keys:
                row(kode, tingkat).pendapatan += a.jumlah
    return [rows[k] for k in sorted(rows, key=urutan_kode)]


# -- the legal ratios --------------------------------------------------------------------------------------

TandaOf = Callable[[str], frozenset[str]]  # an account's flags in the year (``tanda/domain.TandaRekening.of``)


def _tanpa_tanda(kode_rekening: str) -> frozenset[str]:
    return frozenset()


@dataclass(frozen=True)
class Selektor:
    """Which spending a ratio counts: accounts under any of ``akun`` (prefixes), not under any of
    ``kecuali_akun``, of a sub kegiatan of one of ``bidang_urusan`` (empty: any); flagged (``tanda_rekening``) with
    one of ``tanda`` (empty: any) and with none of ``kecuali_tanda``."""

    akun: tuple[str, ...] = ("5",)
    kecuali_akun: tuple[str, ...] = ()
    bidang_urusan: tuple[str, ...] = ()
    tanda: tuple[str, ...] = ()
    kecuali_tanda: tuple[str, ...] = ()

    @classmethod
    def dari(cls, data: dict) -> "Selektor":
        return cls(akun=tuple(data.get("akun", ("5",))), kecuali_akun=tuple(data.get("kecuali_akun", ())),
                   bidang_urusan=tuple(data.get("bidang_urusan", ())), tanda=tuple(data.get("tanda", ())),
                   kecuali_tanda=tuple(data.get("kecuali_tanda", ())))

    def cocok(self, b: JumlahBelanja, tanda_of: TandaOf = _tanpa_tanda) -> bool:
        if not (any(di_bawah(b.kode_rekening, p) for p in self.akun)
                and not any(di_bawah(b.kode_rekening, p) for p in self.kecuali_akun)
                and (not self.bidang_urusan or b.kode_bidang_urusan in self.bidang_urusan)):
            return False
        if not self.tanda and not self.kecuali_tanda:
            return True
        flags = tanda_of(b.kode_rekening)
        return (not self.tanda or bool(flags.intersection(self.tanda))) and not flags.intersection(self.kecuali_tanda)

    def jumlah(self, belanja: Iterable[JumlahBelanja], tanda_of: TandaOf = _tanpa_tanda) -> Decimal:
        return sum((b.jumlah for b in belanja if self.cocok(b, tanda_of)), NOL)


@dataclass(frozen=True)
class AturanRasio:
    """One version of a legal ratio's rule (a row of ``rasio_wajib``). ``op``/``ambang`` None: informational.
    ``ambang`` in percent. ``wajib_mulai``: the first year it is enforced (reported, not enforced, before)."""

    kode: str
    tahun_dari: int  # the first fiscal year this version applies to
    nama: str
    pembilang: Selektor
    penyebut: Selektor
    op: str | None
    ambang: Decimal | None
    wajib_mulai: int | None
    dasar_hukum: str
    urutan: int = 0


def aturan_berlaku(aturan: Iterable[AturanRasio], tahun: int) -> list[AturanRasio]:
    """Per ratio (or any rule row with ``kode``, ``tahun_dari`` and ``urutan``: a flag of ``tanda_rekening``), the
    version in force for ``tahun``: the latest ``tahun_dari`` not after it."""
    latest: dict[str, AturanRasio] = {}
    for a in aturan:
        if a.tahun_dari <= tahun and (a.kode not in latest or a.tahun_dari > latest[a.kode].tahun_dari):
            latest[a.kode] = a
    return sorted(latest.values(), key=lambda a: (a.urutan, a.kode))


@dataclass(frozen=True)
class HasilRasio:
    kode: str
    nama: str
    pembilang: Decimal
    penyebut: Decimal
    persen: Decimal | None
    op: str | None
    ambang: Decimal | None
    lulus: bool | None
    wajib: bool
    wajib_mulai: int | None
    dasar_hukum: str
    keterangan: str | None = None


def persen(pembilang: Decimal, penyebut: Decimal) -> Decimal:
    """pembilang / penyebut × 100 to 2 decimals, ROUND_HALF_UP, from the exact fraction (never rounded twice)."""
    return _half_up(Fraction(pembilang) * 100 / Fraction(penyebut))


def _half_up(value: Fraction) -> Decimal:
    scaled = value * 100  # in hundredths of a percent
    sign = -1 if scaled < 0 else 1
    whole = (abs(scaled) * 2 + 1) // 2  # floor(|x| + 1/2): halves go away from zero
    return (Decimal(sign * whole) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def nilai_rasio(aturan: AturanRasio, belanja: list[JumlahBelanja], tahun: int,
                tanda_of: TandaOf = _tanpa_tanda) -> HasilRasio:
    """The ratio for ``tahun``: numerator, denominator, percent, pass/fail (compared exactly), enforced or not;
    ``tanda_of`` gives an account's flags in ``tahun`` (for the selectors that name flags)."""
    pembilang, penyebut = aturan.pembilang.jumlah(belanja, tanda_of), aturan.penyebut.jumlah(belanja, tanda_of)
    wajib = aturan.op is not None and aturan.wajib_mulai is not None and tahun >= aturan.wajib_mulai
    hasil = HasilRasio(kode=aturan.kode, nama=aturan.nama, pembilang=pembilang, penyebut=penyebut, persen=None,
                       op=aturan.op, ambang=aturan.ambang, lulus=None, wajib=wajib, wajib_mulai=aturan.wajib_mulai,
                       dasar_hukum=aturan.dasar_hukum)
    if penyebut == 0:
        return replace(hasil, keterangan="the denominator is 0: no spending it counts yet")
    hasil = replace(hasil, persen=persen(pembilang, penyebut))
    if aturan.op is None or aturan.ambang is None:
        return replace(hasil, keterangan="reported for information only")
    # exact: pembilang / penyebut ≤ ambang / 100  ⇔  pembilang × 100 ≤ ambang × penyebut (penyebut > 0)
    left, right = pembilang * 100, aturan.ambang * penyebut
    lulus = left <= right if aturan.op == "<=" else left >= right
    if not wajib:
        return replace(hasil, lulus=lulus, keterangan=(
            f"enforced from {aturan.wajib_mulai}; reported before" if aturan.wajib_mulai else None))
    return replace(hasil, lulus=lulus)


def semua_rasio(aturan: Iterable[AturanRasio], belanja: Iterable[JumlahBelanja], tahun: int,
                tanda_of: TandaOf = _tanpa_tanda) -> list[HasilRasio]:
    belanja = list(belanja)
    return [nilai_rasio(a, belanja, tahun, tanda_of) for a in aturan_berlaku(aturan, tahun)]


# -- the states of the APBD: submission, evaluation, enactment --------------------------------------------

DRAFT, DIAJUKAN, DIEVALUASI, DITETAPKAN = "draft", "diajukan", "dievaluasi", "ditetapkan"
SESUAI, TIDAK_SESUAI = "sesuai", "tidak_sesuai"


class Ditolak(ValueError):
    """A step the budget's state does not allow (a 409): ``pelanggaran`` names the field (``status``)."""

    def __init__(self, *pelanggaran: Pelanggaran):
        self.pelanggaran = list(pelanggaran)
        super().__init__("; ".join(p.message for p in pelanggaran))


def terbuka(status: str, hasil_evaluasi: str | None, buka: str = DRAFT) -> bool:
    """Lines, revenue and financing may change: in the open state ``buka`` (a draft; an APBD-P ``dibuka``), or
    after the evaluator found it ``tidak_sesuai`` (its corrections). Not while the evaluator holds it, not once
    found ``sesuai``, never once enacted (a change then is the APBD-P's)."""
    return status == buka or (status == DIEVALUASI and hasil_evaluasi == TIDAK_SESUAI)


def periksa_terbuka(kode_pemda: str, tahun: int, status: str, hasil_evaluasi: str | None) -> None:
    """The one rule every write to a pemda-year's lines, revenue and financing asks: ``Ditolak`` when closed."""
    if terbuka(status, hasil_evaluasi):
        return
    why = {DIAJUKAN: "it is with its evaluator",
           DIEVALUASI: "the evaluator found it sesuai: it is to be enacted as evaluated",
           DITETAPKAN: "it is enacted; a change is made in the APBD-P (perubahan)"}[status]
    raise Ditolak(Pelanggaran("status", f"the APBD {kode_pemda}/{tahun} is {status}: {why}"))


@dataclass
class Dievaluasi:
    """A budget the level above evaluates before it is enacted: the APBD, and its APBD-P
    (``perubahan.domain.Perubahan``). Open in ``BUKA``; submitted to its evaluator (``ajukan``), found ``sesuai``
    or ``tidak_sesuai`` (the latter reopens it for its corrections, then submitted again), enacted after a
    ``sesuai`` only. Every step a version; a step its state does not allow is ``Ditolak`` naming ``status``."""

    NAMA: ClassVar[str] = "APBD"
    BUKA: ClassVar[str] = DRAFT

    kode_pemda: str
    tahun: int
    status: str = DRAFT
    hasil_evaluasi: str | None = None
    evaluasi: list[dict] = field(default_factory=list)
    version: int = 0

    @property
    def terbuka(self) -> bool:
        return terbuka(self.status, self.hasil_evaluasi, self.BUKA)

    def _langkah(self, allowed: bool, what: str) -> None:
        if not allowed:
            raise Ditolak(Pelanggaran("status", f"the {self.NAMA} {self.kode_pemda}/{self.tahun} is {self.status}"
                                                f"{' (' + self.hasil_evaluasi + ')' if self.hasil_evaluasi else ''}"
                                                f": it cannot be {what}"))
        self.version += 1

    def ajukan(self) -> None:
        """To its evaluator: open, or corrected after ``tidak_sesuai``."""
        self._langkah(self.terbuka, "submitted")
        self.status, self.hasil_evaluasi = DIAJUKAN, None

    def evaluasi_dicatat(self, hasil: str, catatan: dict) -> None:
        self._langkah(self.status == DIAJUKAN, "evaluated (only a submitted one is)")
        self.status, self.hasil_evaluasi = DIEVALUASI, hasil
        self.evaluasi = [*self.evaluasi, catatan]

    def tetapkan(self) -> None:
        self._langkah(self.status == DIEVALUASI and self.hasil_evaluasi == SESUAI,
                      "enacted (only one its evaluator found sesuai is)")
        self.status = DITETAPKAN


@dataclass
class Apbd(Dievaluasi):
    """The APBD of a pemda-year: a draft until enacted."""


def periksa_evaluasi(hasil: str, temuan: list) -> list[Pelanggaran]:
    if hasil == TIDAK_SESUAI and not temuan:
        return [Pelanggaran("temuan", "a tidak_sesuai result names at least one finding")]
    return []


def hash_isi(isi: dict) -> str:
    """SHA-256 of the enacted content as canonical JSON (sorted keys, decimal strings): the same budget, the
    same hash."""
    text = json.dumps(isi, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
