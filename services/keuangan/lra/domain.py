"""The LRA (Laporan Realisasi Anggaran): budget against realisation per account, laid out as the SAP lays it out.

Where is ...
- the period a report covers? ``rentang``: ``bulan-m`` from 1 January to the end of month m (cumulative, as an LRA
  for a month is), ``semester-1`` 1 January to 30 June, ``semester-2`` 1 July to 31 December (that half only),
  ``tahun`` the whole year;
- the level the rows stop at? ``tingkat`` 1..6: akun, kelompok, jenis, objek, rincian objek, sub rincian objek
  (the number of parts of the account code); every amount held lower is summed into its parent at that level;
- the percentage? ``persen``: realisation / budget × 100, rounded half-up to 2 decimals (the only rounding here);
  a budget of 0 has none (None);
- the sections? ``susun``: pendapatan (4), belanja (5), surplus/(defisit) = pendapatan − belanja, penerimaan (6.1)
  and pengeluaran (6.2) pembiayaan, pembiayaan netto = penerimaan − pengeluaran, SiLPA = surplus/(defisit) +
  pembiayaan netto — each with its budget, realisation, realisation of the year before and percentage;
- the months of the public LRA's chart? ``bulanan``: revenue and spending realised per month and cumulative.

Pure: no broker, no database. Amounts are exact Decimals.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping

NOL = Decimal(0)
SEN = Decimal("0.01")
PERIODE_POLA = r"^(tahun|semester-[12]|bulan-([1-9]|1[0-2]))$"
TINGKAT = ("akun", "kelompok", "jenis", "objek", "rincian_objek", "sub_rincian_objek")
# the sections that list accounts: (key, the account prefix, the heading of its total)
BAGIAN = (("pendapatan", "4", "JUMLAH PENDAPATAN"), ("belanja", "5", "JUMLAH BELANJA"),
          ("penerimaan_pembiayaan", "6.1", "JUMLAH PENERIMAAN PEMBIAYAAN"),
          ("pengeluaran_pembiayaan", "6.2", "JUMLAH PENGELUARAN PEMBIAYAAN"))


def rentang(tahun: int, periode: str) -> tuple[date, date]:
    """The first and last day (both included) a period of ``tahun`` covers; ValueError for another period."""
    if not re.match(PERIODE_POLA, periode or ""):
        raise ValueError(f"periode is tahun, semester-1, semester-2 or bulan-1 .. bulan-12, not {periode!r}")
    if periode == "tahun":
        return date(tahun, 1, 1), date(tahun, 12, 31)
    if periode == "semester-1":
        return date(tahun, 1, 1), date(tahun, 6, 30)
    if periode == "semester-2":
        return date(tahun, 7, 1), date(tahun, 12, 31)
    bulan = int(periode.split("-")[1])
    return date(tahun, 1, 1), date(tahun, bulan, calendar.monthrange(tahun, bulan)[1])


def persen(realisasi: Decimal, anggaran: Decimal) -> Decimal | None:
    """realisasi / anggaran × 100, rounded half-up to 2 decimals; None when the budget is 0."""
    if anggaran == 0:
        return None
    return (realisasi * 100 / anggaran).quantize(SEN, rounding=ROUND_HALF_UP)


def induk(kode: str, tingkat: int) -> str:
    return ".".join(kode.split(".")[:tingkat])


def tingkat_kode(kode: str) -> int:
    return len(kode.split("."))


@dataclass(frozen=True)
class Nilai:
    anggaran: Decimal = NOL
    realisasi: Decimal = NOL
    realisasi_lalu: Decimal = NOL

    @property
    def persen(self) -> Decimal | None:
        return persen(self.realisasi, self.anggaran)

    def __add__(self, other: "Nilai") -> "Nilai":
        return Nilai(self.anggaran + other.anggaran, self.realisasi + other.realisasi,
                     self.realisasi_lalu + other.realisasi_lalu)

    def __sub__(self, other: "Nilai") -> "Nilai":
        return Nilai(self.anggaran - other.anggaran, self.realisasi - other.realisasi,
                     self.realisasi_lalu - other.realisasi_lalu)


@dataclass(frozen=True)
class Baris:
    kode: str
    nama: str | None
    tingkat: int
    nilai: Nilai


@dataclass
class Bagian:
    baris: list[Baris] = field(default_factory=list)
    jumlah: Nilai = field(default_factory=Nilai)


@dataclass
class Lra:
    pendapatan: Bagian
    belanja: Bagian
    penerimaan_pembiayaan: Bagian
    pengeluaran_pembiayaan: Bagian

    @property
    def surplus_defisit(self) -> Nilai:
        return self.pendapatan.jumlah - self.belanja.jumlah

    @property
    def pembiayaan_netto(self) -> Nilai:
        return self.penerimaan_pembiayaan.jumlah - self.pengeluaran_pembiayaan.jumlah

    @property
    def silpa(self) -> Nilai:
        return self.surplus_defisit + self.pembiayaan_netto


def _di_bawah(kode: str, prefix: str) -> bool:
    return kode == prefix or kode.startswith(prefix + ".")


def susun(anggaran: Mapping[str, Decimal], realisasi: Mapping[str, Decimal], realisasi_lalu: Mapping[str, Decimal],
          tingkat: int, nama: Mapping[str, str] | None = None) -> Lra:
    """The report from amounts per account code (any level, normally sub rincian objek): each section's rows to
    ``tingkat`` (an account's row sums every amount held under it) and its total. Pembiayaan lists 6.1 and 6.2
    apart (the root 6 is not a sum: receipts and payments are not added together)."""
    if not 1 <= tingkat <= len(TINGKAT):
        raise ValueError(f"tingkat is 1 .. {len(TINGKAT)}, not {tingkat}")
    nama = nama or {}
    bagian: dict[str, Bagian] = {}
    for key, prefix, _ in BAGIAN:
        rows: dict[str, Nilai] = {}
        total = Nilai()
        for source, make in ((anggaran, lambda v: Nilai(anggaran=v)), (realisasi, lambda v: Nilai(realisasi=v)),
                             (realisasi_lalu, lambda v: Nilai(realisasi_lalu=v))):
            for kode, v in source.items():
                if not _di_bawah(kode, prefix) or v == 0:
                    continue
                n = make(Decimal(v))
                total = total + n
                for level in range(tingkat_kode(prefix), min(tingkat, tingkat_kode(kode)) + 1):
                    k = induk(kode, level)
                    rows[k] = rows.get(k, Nilai()) + n
        bagian[key] = Bagian([Baris(k, nama.get(k), tingkat_kode(k), v) for k, v in sorted(rows.items(), key=lambda
                                                                                              kv: _urut(kv[0]))],
                             total)
    return Lra(**bagian)


def _urut(kode: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in kode.split("."))


def induk_semua(kodes, tingkat: int) -> set[str]:
    """Every code a report to ``tingkat`` shows for these accounts (for their names)."""
    return {induk(k, level) for k in kodes for level in range(1, min(tingkat, tingkat_kode(k)) + 1)}


def bulanan(per_bulan: Mapping[tuple[int, str], Decimal]) -> list[dict]:
    """Months 1..12 from amounts per (month, account code): revenue (4) and spending (5) realised in each month
    and cumulative from 1 January (financing stays in the year's sections)."""
    bulan = {b: {"pendapatan": NOL, "belanja": NOL} for b in range(1, 13)}
    for (b, kode), v in per_bulan.items():
        for key, prefix in (("pendapatan", "4"), ("belanja", "5")):
            if _di_bawah(kode, prefix):
                bulan[b][key] += v
    out, kumulatif = [], {"pendapatan": NOL, "belanja": NOL}
    for b in range(1, 13):
        for key in kumulatif:
            kumulatif[key] += bulan[b][key]
        out.append({"bulan": b, **bulan[b], **{f"{k}_kumulatif": v for k, v in kumulatif.items()}})
    return out
