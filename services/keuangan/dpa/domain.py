"""DPA-SKPD: the enacted APBD per SKPD as the document each SKPD spends from, in versions, with its cash plan.

Where is ...
- the cash plan's rule (12 months that add up to the line exactly)? ``periksa_kas`` — the one place;
- the default spread? ``sebaran_rata``: months 1–11 get the line's total divided by 12, rounded DOWN to the whole
  rupiah; month 12 gets the rest (so the months add up exactly, the last one carrying the remainder rupiah and any
  sen);
- what may change when? ``Dpa``: a ``draft`` version's cash plan changes until PPKD authorises it (``disahkan``);
  an authorised version never changes again; authorising a later version marks the one before ``diganti``
  (superseded, kept unchanged otherwise);
- a new version's cash plan? ``kas_versi_baru``: a line whose total did not change keeps its months, another gets
  the default spread;
- what a version's lines are? ``anggaran_per_skpd``: the SKPD's budget now per sub kegiatan × account (after the
  pergeseran and the APBD-P), with its murni beside it; ``baris_versi``: those not at 0;
- which SKPD get a DPA from an enacted APBD-P without having one? ``pertama_di_perubahan``.

Pure: no database, no broker. Amounts are Decimal rupiah, exact; the only rounding is ``sebaran_rata``'s, stated.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Iterable, Sequence

from ..apbd.domain import Ditolak
from ..plafon.domain import Pelanggaran

BULAN = 12
NOL = Decimal(0)
DRAFT, DISAHKAN, DIGANTI = "draft", "disahkan", "diganti"
STATUS = (DRAFT, DISAHKAN, DIGANTI)


def sebaran_rata(jumlah: Decimal) -> list[Decimal]:
    """The default cash plan of a line: months 1–11 ``floor(jumlah / 12)`` in whole rupiah, month 12 the rest."""
    if jumlah < 0:
        raise ValueError("a line's total is not negative")
    bulanan = (jumlah / BULAN).quantize(Decimal(1), rounding=ROUND_FLOOR)
    return [bulanan] * (BULAN - 1) + [jumlah - bulanan * (BULAN - 1)]


def periksa_kas(jumlah: Decimal, kas: Sequence[Decimal], field_name: str = "kas") -> list[Pelanggaran]:
    """A line's cash plan: 12 months, none negative, whose sum is the line's total exactly. Each finding names its
    field (``<field_name>``, or ``<field_name>.<month 1–12>``)."""
    if len(kas) != BULAN:
        return [Pelanggaran(field_name, f"a cash plan has {BULAN} months (January to December), not {len(kas)}")]
    errors = [Pelanggaran(f"{field_name}.{i}", f"month {i} is negative ({v})") for i, v in enumerate(kas, 1) if v < 0]
    total = sum(kas, NOL)
    if not errors and total != jumlah:
        errors.append(Pelanggaran(field_name, f"the months add up to {total}, not to the line's total {jumlah} "
                                              f"(difference {jumlah - total})"))
    return errors


@dataclass(frozen=True)
class BarisDpa:
    """One line of a DPA: a sub kegiatan × account, its total (Σ of the enacted budget lines) and cash plan."""

    kode_sub_kegiatan: str
    kode_rekening: str
    jumlah: Decimal
    kas: tuple[Decimal, ...]
    nama_rekening: str = ""

    @property
    def kunci(self) -> tuple[str, str]:
        return (self.kode_sub_kegiatan, self.kode_rekening)


@dataclass(frozen=True)
class BarisAnggaran:
    """An SKPD's budget on one sub kegiatan × account: as enacted (``murni``) and now (``jumlah``)."""

    kode_sub_kegiatan: str
    kode_rekening: str
    murni: Decimal
    jumlah: Decimal


def anggaran_per_skpd(rows: Iterable[tuple[str, str, str, Decimal, Decimal]]) -> dict[str, list[BarisAnggaran]]:
    """(kode_skpd, kode_sub_kegiatan, kode_rekening, murni, jumlah) rows — budget positions, or lines — summed per
    SKPD and sub kegiatan × account (two RKPD items of one sub kegiatan are one DPA line), in code order."""
    sums: dict[tuple[str, str, str], tuple[Decimal, Decimal]] = {}
    for skpd, sub, rek, murni, jumlah in rows:
        held = sums.get((skpd, sub, rek), (NOL, NOL))
        sums[(skpd, sub, rek)] = (held[0] + murni, held[1] + jumlah)
    out: dict[str, list[BarisAnggaran]] = {}
    for (skpd, sub, rek), (murni, jumlah) in sorted(sums.items()):
        out.setdefault(skpd, []).append(BarisAnggaran(sub, rek, murni, jumlah))
    return out


def punya_anggaran(baris: Iterable[BarisAnggaran]) -> bool:
    """An SKPD's budget is in the enacted APBD or in the budget as decided since (one budgeted only by an APBD-P not yet
    enacted has none: its DPA comes with that APBD-P's enactment, ``pertama_di_perubahan``)."""
    return any(b.murni or b.jumlah for b in baris)


def baris_versi(baris: Iterable[BarisAnggaran]) -> list[tuple[str, str, Decimal]]:
    """The lines a version holds of an SKPD's budget: (sub kegiatan, account, amount) of each not at 0. A position the
    APBD-P or a shift emptied is no line of the DPA, so an SKPD whose whole budget the APBD-P removed gets a version
    without lines (its total 0), not the one before left standing."""
    return [(b.kode_sub_kegiatan, b.kode_rekening, b.jumlah) for b in baris if b.jumlah]


def pertama_di_perubahan(per_skpd: dict[str, list[BarisAnggaran]], ada: Iterable[str]) -> list[str]:
    """The SKPD an enacted APBD-P budgets first: belanja now, none as the APBD was enacted (murni 0 throughout), no DPA
    (``ada``: the SKPD that have one). Their versi 1 comes with the APBD-P's enactment."""
    ada = set(ada)
    return sorted(s for s, baris in per_skpd.items()
                  if s not in ada and not any(b.murni for b in baris) and any(b.jumlah for b in baris))


def baris_baru(jumlah_per: Iterable[tuple[str, str, Decimal, str]]) -> list[BarisDpa]:
    """The lines of a first version from (sub kegiatan, account, total, account name), each spread by default;
    in code order."""
    return sorted((BarisDpa(s, r, j, tuple(sebaran_rata(j)), n) for s, r, j, n in jumlah_per),
                  key=lambda b: b.kunci)


def kas_versi_baru(lama: Iterable[BarisDpa], jumlah_per: Iterable[tuple[str, str, Decimal, str]]) -> list[BarisDpa]:
    """A new version's lines: a line whose total is as in the version before keeps its cash plan (what the SKPD
    planned is not lost); a new or changed line gets the default spread (the SKPD edits it before authorisation)."""
    before = {b.kunci: b for b in lama}
    out = []
    for s, r, j, n in jumlah_per:
        prev = before.get((s, r))
        kas = prev.kas if prev is not None and prev.jumlah == j else tuple(sebaran_rata(j))
        out.append(BarisDpa(s, r, j, kas, n))
    return sorted(out, key=lambda b: b.kunci)


@dataclass
class Dpa:
    """One version of an SKPD's DPA for a pemda-year."""

    kode_pemda: str
    tahun: int
    kode_skpd: str
    versi: int
    status: str = DRAFT
    sebab: str = ""
    id: str = ""
    jumlah: Decimal = NOL
    version: int = 1  # the record's own changes (optimistic concurrency of a version's edits)
    dibuat_oleh: str | None = None
    disahkan_oleh: str | None = None
    nomor: str | None = None
    hash: str | None = None
    meta: dict = field(default_factory=dict)

    def periksa_draft(self, what: str) -> None:
        """``Ditolak`` (409 naming ``status``) unless this version is a draft."""
        if self.status != DRAFT:
            raise Ditolak(Pelanggaran("status", f"DPA {self.kode_skpd} versi {self.versi} is {self.status}: "
                                                f"it cannot be {what}; a change is a new version"))

    def sahkan(self, by: str, nomor: str | None, hash: str) -> None:
        self.periksa_draft("authorised again")
        self.status, self.disahkan_oleh, self.nomor, self.hash = DISAHKAN, by, nomor, hash
        self.version += 1


def periksa_versi_baru(terakhir: Dpa | None, kode_skpd: str) -> None:
    """A new version follows an authorised one: none yet is the first generation's (``kode_skpd``); a draft still
    open is edited and authorised first (``versi``). Both 409."""
    if terakhir is None:
        raise Ditolak(Pelanggaran("kode_skpd", f"SKPD {kode_skpd} has no DPA yet: generate it from the enacted APBD"))
    if terakhir.status == DRAFT:
        raise Ditolak(Pelanggaran("versi", f"DPA {kode_skpd} versi {terakhir.versi} is still a draft: authorise it "
                                           "(or edit it) before a new version"))


def periksa_semua_kas(baris: Iterable[BarisDpa]) -> list[Pelanggaran]:
    """Every line's cash plan holds (asked again on authorisation)."""
    errors = []
    for b in baris:
        errors += periksa_kas(b.jumlah, b.kas, f"baris.{b.kode_sub_kegiatan}.{b.kode_rekening}.kas")
    return errors


def isi_hash(d: Dpa, baris: Iterable[BarisDpa]) -> dict:
    """What the authorised version's hash covers: its identity and every line with its months (decimal strings)."""
    return {"kode_pemda": d.kode_pemda, "tahun": d.tahun, "kode_skpd": d.kode_skpd, "versi": d.versi,
            "baris": [[b.kode_sub_kegiatan, b.kode_rekening, str(b.jumlah), [str(k) for k in b.kas]] for b in baris]}


def periksa_ditetapkan(kode_pemda: str, tahun: int, status: str | None) -> None:
    """A DPA is made from the enacted APBD only: ``Ditolak`` (409 naming ``status``) before the enactment."""
    if status != "ditetapkan":
        raise Ditolak(Pelanggaran("status", f"the APBD {kode_pemda}/{tahun} is {status or 'draft'}: a DPA is "
                                            "generated from the enacted APBD"))


def periksa_sesuai_penetapan(kode_skpd: str, jumlah: Decimal, ditetapkan: Decimal) -> None:
    """Versi 1 is the enacted budget: the SKPD's lines still add up to its spending as enacted (they differ only
    once an amendment has changed them, and then a DPA's change is a new version). ``Ditolak`` naming
    ``kode_skpd``."""
    if jumlah != ditetapkan:
        raise Ditolak(Pelanggaran("kode_skpd", f"the lines of SKPD {kode_skpd} add up to {jumlah}, the APBD as "
                                               f"enacted to {ditetapkan}: versi 1 is the enacted budget's; an "
                                               "amended budget makes a new version"))
