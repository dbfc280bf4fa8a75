"""KUA-PPAS: the provisional ceilings (Prioritas dan Plafon Anggaran Sementara) of a pemda's year, per SKPD,
program, kegiatan and sub kegiatan, taken from the enacted RKPD; TAPD adjusts them; the nota kesepakatan
with the DPRD (number, date) fixes them. Then the budget lines' ceilings are the agreed figures, and a change
in the plan is kept beside them as a pergeseran (``plafon/domain.py``, ``Plafon.pergeseran``).

The APBD-P starts from a KUA-PPAS perubahan: the same aggregate, its ceilings taken from what the plan says now
(``bertingkat``: the sub kegiatan's summed up to each level) when the APBD-P opens, adjusted by TAPD, agreed by a
nota kesepakatan perubahan; the APBD-P's positions then respect them (``perubahan/domain.py``).

Why was a PPAS adjustment refused? ``Ppas.sesuaikan``: agreed already (a conflict), no such ceiling, or the
ceilings under a parent would add up to more than the parent (``periksa_hierarki``).

Pure: no broker, no database.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Iterable

from sipd_common.events import check_version_step

from ..plafon.domain import Ditolak, Pelanggaran

SEMENTARA, DISEPAKATI = "sementara", "disepakati"
TINGKAT = ("skpd", "program", "kegiatan", "sub_kegiatan")

Kunci = tuple[str, str, str]  # (tingkat, kode_skpd, kode)


def induk(kunci: Kunci) -> Kunci | None:
    """The ceiling a ceiling falls under: a sub kegiatan (U.BB.PP.K.KK.SSSS) under its kegiatan (U.BB.PP.K.KK),
    a kegiatan under its program (U.BB.PP), a program under its SKPD; an SKPD under none."""
    tingkat, kode_skpd, kode = kunci
    if tingkat == "sub_kegiatan":
        return "kegiatan", kode_skpd, ".".join(kode.split(".")[:5])
    if tingkat == "kegiatan":
        return "program", kode_skpd, ".".join(kode.split(".")[:3])
    if tingkat == "program":
        return "skpd", kode_skpd, kode_skpd
    return None


@dataclass
class PaguPpas:
    tingkat: str
    kode_skpd: str
    kode: str
    pagu_rkpd: Decimal
    pagu: Decimal
    disesuaikan: bool = False

    @property
    def kunci(self) -> Kunci:
        return self.tingkat, self.kode_skpd, self.kode


class SudahDisepakati(ValueError):
    """The PPAS is agreed: its ceilings no longer change (a conflict)."""


@dataclass
class Ppas:
    kode_pemda: str
    tahun: int
    snapshot_id: str = ""
    rkpd_versi: int = 0
    status: str = SEMENTARA
    nomor_kesepakatan: str | None = None
    tanggal_kesepakatan: date | None = None
    version: int = 0
    pagu: dict[Kunci, PaguPpas] = field(default_factory=dict)

    @property
    def disepakati(self) -> bool:
        return self.status == DISEPAKATI

    def terapkan_rkpd(self, rkpd_versi: int, snapshot_id: str, rows: list[PaguPpas]) -> tuple[bool, list[PaguPpas]]:
        """The enacted RKPD's totals at ``rkpd_versi`` (a perubahan is a later one). Returns whether it was newer,
        and the rows changed. Every ceiling keeps the RKPD's figure beside it; before the agreement a ceiling
        TAPD has not adjusted follows it, one TAPD adjusted keeps TAPD's figure; after the agreement none moves.
        A ceiling the new RKPD no longer has stays, with an RKPD figure of 0 (nothing is dropped)."""
        check_version_step(rkpd_versi, self.rkpd_versi)
        if rkpd_versi <= self.rkpd_versi:
            return False, []
        self.rkpd_versi, self.snapshot_id = rkpd_versi, snapshot_id
        fresh = {r.kunci: r for r in rows}
        changed = []
        for kunci in sorted(set(fresh) | set(self.pagu)):
            held, new = self.pagu.get(kunci), fresh.get(kunci)
            rkpd = new.pagu_rkpd if new else Decimal(0)
            if held is None:
                held = PaguPpas(*kunci, pagu_rkpd=rkpd, pagu=Decimal(0) if self.disepakati else rkpd)
                self.pagu[kunci] = held
                changed.append(held)
                continue
            before = (held.pagu_rkpd, held.pagu)
            held.pagu_rkpd = rkpd
            if not self.disepakati and not held.disesuaikan:
                held.pagu = rkpd
            if (held.pagu_rkpd, held.pagu) != before:
                changed.append(held)
        self.version += 1
        return True, changed

    def sesuaikan(self, tingkat: str, kode_skpd: str, kode: str, pagu: Decimal) -> PaguPpas:
        """TAPD sets one provisional ceiling; ``SudahDisepakati`` once agreed, ``Ditolak`` naming ``pagu`` when the
        ceilings under its parent would add up to more than the parent, or its own children to more than it."""
        if self.disepakati:
            raise SudahDisepakati(f"the KUA-PPAS {self.kode_pemda}/{self.tahun} is agreed "
                                  f"({self.nomor_kesepakatan}); its ceilings no longer change")
        held = self.pagu.get((tingkat, kode_skpd, kode))
        if held is None:
            raise Ditolak(Pelanggaran("kode", f"no {tingkat} ceiling {kode} of SKPD {kode_skpd} in the PPAS "
                                              f"{self.kode_pemda}/{self.tahun}"))
        before = held.pagu
        held.pagu = pagu
        found = periksa_hierarki(self.pagu, held.kunci)
        if found:
            held.pagu = before
            raise Ditolak(*found)
        held.disesuaikan = held.pagu != held.pagu_rkpd
        self.version += 1
        return held

    def sepakati(self, nomor: str, tanggal: date) -> None:
        if self.disepakati:
            raise SudahDisepakati(f"the KUA-PPAS {self.kode_pemda}/{self.tahun} is agreed already "
                                  f"({self.nomor_kesepakatan} of {self.tanggal_kesepakatan})")
        self.status, self.nomor_kesepakatan, self.tanggal_kesepakatan = DISEPAKATI, nomor, tanggal
        self.version += 1

    def pagu_sub_kegiatan(self, kode_skpd: str, kode_sub_kegiatan: str) -> Decimal:
        """The agreed ceiling of a sub kegiatan; 0 for one the PPAS does not hold (new to the plan)."""
        held = self.pagu.get(("sub_kegiatan", kode_skpd, kode_sub_kegiatan))
        return held.pagu if held else Decimal(0)

    @property
    def total(self) -> Decimal:
        return sum((p.pagu for p in self.pagu.values() if p.tingkat == "skpd"), Decimal(0))

    @property
    def total_rkpd(self) -> Decimal:
        return sum((p.pagu_rkpd for p in self.pagu.values() if p.tingkat == "skpd"), Decimal(0))


def periksa_hierarki(pagu: dict[Kunci, PaguPpas], kunci: Kunci) -> list[Pelanggaran]:
    """The ceilings under the parent of ``kunci`` add up to no more than the parent, and those under ``kunci``
    to no more than it."""
    found = []
    parent = induk(kunci)
    for top in (parent, kunci):
        if top is None or top not in pagu:
            continue
        children = [p for k, p in pagu.items() if induk(k) == top]
        total = sum((c.pagu for c in children), Decimal(0))
        if total > pagu[top].pagu:
            found.append(Pelanggaran("pagu", f"the {top[0]} ceiling {top[2]} is {pagu[top].pagu}, and the ceilings "
                                             f"under it would add up to {total}"))
    return found


def bertingkat(sub_kegiatan: Iterable[tuple[str, str, Decimal]]) -> list[PaguPpas]:
    """The ceilings of every level from the sub kegiatan's (kode_skpd, kode_sub_kegiatan, pagu): each a ceiling
    whose figure is the plan's (``pagu_rkpd``, not yet adjusted), summed up to its kegiatan, program and SKPD."""
    sums: dict[Kunci, Decimal] = {}
    for kode_skpd, kode, pagu in sub_kegiatan:
        kunci: Kunci | None = ("sub_kegiatan", kode_skpd, kode)
        while kunci is not None:
            sums[kunci] = sums.get(kunci, Decimal(0)) + pagu
            kunci = induk(kunci)
    return [PaguPpas(*kunci, pagu_rkpd=pagu, pagu=pagu) for kunci, pagu in sorted(sums.items())]
