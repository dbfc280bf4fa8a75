"""The APBD-P (perubahan) and the pergeseran (budget shifts) of an enacted APBD.

Where is ...
- the budget a revision starts from? ``Pos``: one budget position (an SKPD's sub kegiatan × belanja account, or an
  SKPD's revenue / financing account) with its ``murni`` (as the APBD was enacted: never changes) and its
  ``jumlah`` now (after the shifts and the APBD-P); ``selisih`` = jumlah − murni;
- the rule that refuses a shift above its actor's authority? ``periksa_pergeseran`` over the rows of
  ``kewenangan_pergeseran`` (a table: a decree's change is a row with a later ``tahun_dari``, not code);
- the states of the APBD-P? ``Perubahan`` (dibuka → diajukan → dievaluasi → ditetapkan: the APBD's evaluation,
  ``apbd.domain.Dievaluasi``), and ``periksa_pos`` for a change in it; the budget as decided while it is under way?
  ``jumlah_diputuskan``;
- the KUA-PPAS perubahan's ceilings the APBD-P respects? ``periksa_pagu`` (a change) and ``melebihi_pagu`` (the
  whole, on submission); the ceilings themselves are a KUA-PPAS (``ppas/``).

Pure: no broker, no database. Amounts are exact Decimals; nothing here rounds.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar, Iterable

from ..apbd.domain import DIAJUKAN, DIEVALUASI, DITETAPKAN, Dievaluasi, JumlahAnggaran
from ..apbd.domain import per_akun as akun_apbd
from ..plafon.domain import Pelanggaran

NOL = Decimal(0)
DIBUKA = "dibuka"


class Ditolak(ValueError):
    """A write refused by a rule, nothing changed: ``pelanggaran`` names each field. ``konflik``: a state that
    does not allow it (409) rather than a value (422)."""

    def __init__(self, *pelanggaran: Pelanggaran, konflik: bool = False):
        self.pelanggaran, self.konflik = list(pelanggaran), konflik
        super().__init__("; ".join(p.message for p in pelanggaran))


def induk(kode: str, tingkat: int) -> str:
    return ".".join(kode.split(".")[:tingkat])


def tingkat_sama(a: str, b: str) -> int:
    """How many leading parts two account codes share: 5 = the same rincian objek, 4 = objek, 3 = jenis."""
    n = 0
    for x, y in zip(a.split("."), b.split(".")):
        if x != y:
            break
        n += 1
    return n


# -- the budget positions ------------------------------------------------------------------------------------

@dataclass
class Pos:
    """One budget position: belanja per (SKPD, sub kegiatan, account); revenue and financing per (SKPD, account),
    ``rkpd_id`` empty."""

    id: str
    kode_pemda: str
    tahun: int
    kode_skpd: str
    rkpd_id: str
    kode_sub_kegiatan: str
    kode_rekening: str
    murni: Decimal
    jumlah: Decimal
    version: int = 0

    @property
    def selisih(self) -> Decimal:
        return self.jumlah - self.murni

    @property
    def kunci(self) -> tuple[str, str, str]:
        return (self.kode_skpd, self.rkpd_id, self.kode_rekening)


def pos_murni(belanja: Iterable[dict], anggaran: Iterable[dict]) -> dict[tuple[str, str, str], dict]:
    """The enacted lines summed per position: ``belanja`` rows of (kode_skpd, rkpd_id, kode_sub_kegiatan,
    kode_rekening, jumlah), ``anggaran`` rows of (kode_skpd, kode_rekening, jumlah)."""
    out: dict[tuple[str, str, str], dict] = {}
    for row in [*belanja, *({**a, "rkpd_id": "", "kode_sub_kegiatan": ""} for a in anggaran)]:
        key = (row["kode_skpd"], row["rkpd_id"], row["kode_rekening"])
        held = out.setdefault(key, {"kode_skpd": row["kode_skpd"], "rkpd_id": row["rkpd_id"],
                                    "kode_sub_kegiatan": row["kode_sub_kegiatan"],
                                    "kode_rekening": row["kode_rekening"], "jumlah": NOL})
        held["jumlah"] += Decimal(row["jumlah"])
    return out


@dataclass(frozen=True)
class Total:
    pendapatan: Decimal
    belanja: Decimal
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
        return self.surplus_defisit + self.pembiayaan_netto

    def as_dict(self) -> dict[str, Decimal]:
        return {"pendapatan": self.pendapatan, "belanja": self.belanja,
                "penerimaan_pembiayaan": self.penerimaan_pembiayaan,
                "pengeluaran_pembiayaan": self.pengeluaran_pembiayaan, "surplus_defisit": self.surplus_defisit,
                "pembiayaan_netto": self.pembiayaan_netto, "silpa": self.silpa}


def total(rows: Iterable[tuple[str, Decimal]]) -> Total:
    """The identities' totals of (kode_rekening, jumlah) rows."""
    sums = {"4": NOL, "5": NOL, "6.1": NOL, "6.2": NOL}
    for kode, jumlah in rows:
        for prefix in sums:
            if kode == prefix or kode.startswith(prefix + "."):
                sums[prefix] += jumlah
    return Total(sums["4"], sums["5"], sums["6.1"], sums["6.2"])


def ringkasan(pos: Iterable[Pos]) -> dict[str, dict[str, Decimal]]:
    """murni, perubahan and selisih of every identity (pendapatan, belanja, pembiayaan netto, SiLPA …)."""
    pos = list(pos)
    murni = total((p.kode_rekening, p.murni) for p in pos).as_dict()
    sekarang = total((p.kode_rekening, p.jumlah) for p in pos).as_dict()
    return {k: {"murni": murni[k], "perubahan": sekarang[k], "selisih": sekarang[k] - murni[k]} for k in murni}


def per_akun(rows: Iterable[tuple[str, Decimal, Decimal]], tingkat: int = 3) -> list[tuple[str, int, Decimal, Decimal]]:
    """(kode, tingkat, murni, perubahan) of every account from level 1 to ``tingkat`` under the (kode_rekening,
    murni, perubahan) rows, in the chart's order: the APBD's summary per account (``apbd.domain.per_akun``) of
    both (Lampiran I is levels 1–3: akun, kelompok, jenis)."""
    rows = list(rows)
    murni, sekarang = ({kode: jumlah for kode, _, jumlah in akun_apbd(
        [], [JumlahAnggaran("", r[0], r[col]) for r in rows], tingkat)} for col in (1, 2))
    return [(kode, kode.count(".") + 1, murni[kode], sekarang[kode]) for kode in murni]


def jumlah_diputuskan(p: Pos, geser_bersih: dict[str, Decimal]) -> Decimal:
    """A position's amount as decided while an APBD-P is under way (``Perubahan.berjalan``: its changes are a draft
    until enacted): its murni and what the shifts made before it opened moved in and out (``geser_bersih``, per
    position id; none is made while it is under way)."""
    return p.murni + geser_bersih.get(p.id, NOL)


# -- the pergeseran and its authority (a rule table) ----------------------------------------------------------

@dataclass(frozen=True)
class Kewenangan:
    """One version of a shift's authority (a row of ``kewenangan_pergeseran``): a shift between two accounts that
    share at least ``tingkat_sama`` leading parts (5: within one rincian objek; 3: within one jenis) of one sub
    kegiatan of one SKPD (``sub_kegiatan_sama``) may be approved by ``peran``."""

    kode: str
    tahun_dari: int
    nama: str
    tingkat_sama: int
    sub_kegiatan_sama: bool
    peran: tuple[str, ...]
    dasar_hukum: str = ""
    urutan: int = 0


def kewenangan_berlaku(aturan: Iterable[Kewenangan], tahun: int) -> list[Kewenangan]:
    """Per rule, the version in force for ``tahun`` (the latest ``tahun_dari`` not after it), narrowest first."""
    latest: dict[str, Kewenangan] = {}
    for a in aturan:
        if a.tahun_dari <= tahun and (a.kode not in latest or a.tahun_dari > latest[a.kode].tahun_dari):
            latest[a.kode] = a
    return sorted(latest.values(), key=lambda a: (-a.tingkat_sama, a.urutan, a.kode))


def periksa_pergeseran(aturan: Iterable[Kewenangan], tahun: int, dari: Pos, ke_rkpd_id: str, ke_kode_skpd: str,
                       ke_rekening: str, jumlah: Decimal, peran: str, semua_wewenang: bool = False) -> Kewenangan:
    """The rule under which ``peran`` may shift ``jumlah`` from ``dari`` to the position (``ke_…``), or ``Ditolak``
    naming the field: the amount (not above what the source holds, above 0), the destination's sub kegiatan or
    account when no rule covers the shift (only the APBD-P may make it), or when the rules that cover it are
    above the actor's authority. ``semua_wewenang``: an actor with every authority the table gives (the pusat
    administrator), never more."""
    errors = []
    if jumlah <= 0:
        errors.append(Pelanggaran("jumlah", "a shift moves an amount above 0"))
    elif jumlah > dari.jumlah:
        errors.append(Pelanggaran("jumlah", f"the source position holds {dari.jumlah}: {jumlah} cannot be shifted"))
    if not ke_rekening.startswith("5.") or not dari.kode_rekening.startswith("5."):
        errors.append(Pelanggaran("ke.kode_rekening", "only belanja (5.x) is shifted; revenue and financing change "
                                                      "in the APBD-P"))
    if (ke_rkpd_id, ke_rekening) == (dari.rkpd_id, dari.kode_rekening):
        errors.append(Pelanggaran("ke.kode_rekening", "a shift goes to another position than its source"))
    if errors:
        raise Ditolak(*errors)
    sama = tingkat_sama(dari.kode_rekening, ke_rekening)
    sub_kegiatan_sama = ke_rkpd_id == dari.rkpd_id and ke_kode_skpd == dari.kode_skpd
    berlaku = [a for a in kewenangan_berlaku(aturan, tahun)
               if sama >= a.tingkat_sama and (sub_kegiatan_sama or not a.sub_kegiatan_sama)]
    if not berlaku:
        field = "ke.rkpd_id" if not sub_kegiatan_sama else "ke.kode_rekening"
        where = ("to another sub kegiatan or SKPD" if not sub_kegiatan_sama
                 else f"from {dari.kode_rekening} to {ke_rekening} (they share {sama} levels)")
        raise Ditolak(Pelanggaran(field, f"no authority may shift {where}: only the APBD-P (perubahan) can"))
    for a in berlaku:
        if semua_wewenang or peran in a.peran:
            return a
    needed = " or ".join(sorted({r for a in berlaku for r in a.peran}))
    raise Ditolak(Pelanggaran("ke.kode_rekening", (
        f"a shift from {dari.kode_rekening} to {ke_rekening} ({berlaku[0].nama}) is above the authority of "
        f"{peran}: it needs {needed}")))


# -- the APBD-P --------------------------------------------------------------------------------------------

@dataclass
class Perubahan(Dievaluasi):
    """The APBD-P of a pemda-year: evaluated by the level above as the APBD is (``apbd.domain.Dievaluasi``), open
    (``dibuka``) until submitted, and again after a ``tidak_sesuai``."""

    NAMA: ClassVar[str] = "APBD-P"
    BUKA: ClassVar[str] = DIBUKA

    status: str = DIBUKA

    @property
    def berjalan(self) -> bool:
        """Under way (open, submitted, evaluated): its changes to the positions are a draft until it is enacted."""
        return self.status != DITETAPKAN

    def periksa_ubah(self) -> None:
        """A position changes in the APBD-P only while it is open (or reopened for its corrections)."""
        if not self.terbuka:
            why = {DIAJUKAN: "it is with its evaluator", DIEVALUASI: "its evaluator found it sesuai",
                   DITETAPKAN: "it is enacted (a shift is a pergeseran)"}.get(self.status, self.status)
            raise Ditolak(Pelanggaran("status", f"the APBD-P {self.kode_pemda}/{self.tahun} is {self.status}: {why}; "
                                                "its positions no longer change"), konflik=True)


def periksa_pergeseran_boleh(apbd_status: str, perubahan: Perubahan | None, kode_pemda: str, tahun: int) -> None:
    """A pergeseran is made in an enacted APBD, not while its APBD-P is under way (a change then is the APBD-P's)."""
    if apbd_status != DITETAPKAN:
        raise Ditolak(Pelanggaran("status", f"the APBD {kode_pemda}/{tahun} is {apbd_status}: a shift is made in an "
                                            "enacted APBD (before it, the lines change)"), konflik=True)
    if perubahan is not None and perubahan.status != DITETAPKAN:
        raise Ditolak(Pelanggaran("status", f"the APBD-P {kode_pemda}/{tahun} is {perubahan.status}: the change is "
                                            "made in it"), konflik=True)


def periksa_buka(apbd_status: str, perubahan: Perubahan | None, kode_pemda: str, tahun: int) -> None:
    """An APBD-P opens from an enacted APBD, once a year."""
    if apbd_status != DITETAPKAN:
        raise Ditolak(Pelanggaran("status", f"the APBD {kode_pemda}/{tahun} is {apbd_status}: an APBD-P starts from "
                                            "the enacted APBD"), konflik=True)
    if perubahan is not None:
        raise Ditolak(Pelanggaran("status", f"the APBD-P {kode_pemda}/{tahun} is {perubahan.status} already"),
                      konflik=True)


def periksa_pos(kode_rekening: str, rkpd_id: str | None, kode_skpd: str | None, jumlah: Decimal,
                rekening) -> list[Pelanggaran]:
    """A position changed in the APBD-P: a current leaf account (sub rincian objek) of the budget; belanja
    under a sub kegiatan (``rkpd_id``), revenue and financing under an SKPD (``kode_skpd``); an amount ≥ 0."""
    errors = []
    if rekening is None or not rekening.berlaku or rekening.tingkat != "sub_rincian_objek":
        errors.append(Pelanggaran("kode_rekening", f"{kode_rekening} is not a current sub rincian objek account"))
    belanja = kode_rekening.startswith("5.")
    if belanja and not rkpd_id:
        errors.append(Pelanggaran("rkpd_id", "a belanja position belongs to a sub kegiatan (its RKPD item)"))
    if not belanja and not kode_skpd:
        errors.append(Pelanggaran("kode_skpd", "a revenue or financing position belongs to an SKPD"))
    if not belanja and not (kode_rekening.startswith("4.") or kode_rekening.startswith("6.")):
        errors.append(Pelanggaran("kode_rekening", "a position is on a pendapatan, belanja or pembiayaan account"))
    if jumlah < 0:
        errors.append(Pelanggaran("jumlah", "an amount is not below 0"))
    return errors


# -- the KUA-PPAS perubahan's ceilings ---------------------------------------------------------------------------

def periksa_pagu(kode_sub_kegiatan: str, sebelum: Decimal, sesudah: Decimal, pagu: Decimal) -> list[Pelanggaran]:
    """A change in the APBD-P that raises a sub kegiatan's belanja (Σ of its positions) above its KUA-PPAS perubahan
    ceiling is refused naming ``jumlah``; one that lowers it never is (it moves toward its ceiling)."""
    if sesudah > sebelum and sesudah > pagu:
        return [Pelanggaran("jumlah", f"the belanja of sub kegiatan {kode_sub_kegiatan} would be {sesudah}: above its "
                                      f"KUA-PPAS perubahan ceiling {pagu}")]
    return []


def melebihi_pagu(belanja: dict[tuple[str, str], Decimal],
                  pagu: dict[tuple[str, str], Decimal]) -> list[Pelanggaran]:
    """Each sub kegiatan (kode_skpd, kode_sub_kegiatan) whose belanja is above its KUA-PPAS perubahan ceiling (0 for
    one the KUA-PPAS perubahan lacks), naming ``pagu``: the APBD-P goes to its evaluator only without any."""
    return [Pelanggaran("pagu", f"the belanja of sub kegiatan {sub} of SKPD {skpd} is {jumlah}: above its KUA-PPAS "
                                f"perubahan ceiling {pagu.get((skpd, sub), NOL)}")
            for (skpd, sub), jumlah in sorted(belanja.items()) if jumlah > pagu.get((skpd, sub), NOL)]


def hash_isi(isi: dict) -> str:
    """SHA-256 of the enacted APBD-P as canonical JSON (sorted keys, decimal strings)."""
    text = json.dumps(isi, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
