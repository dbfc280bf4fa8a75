"""The pagu indikatif ceiling of each SKPD in a year's RKPD, set by Bappeda: the items of an SKPD may not
add up to more. Pure; amounts are exact rupiah (Decimal), compared without rounding."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..rkpd.domain import Pelanggaran


@dataclass(frozen=True)
class PaguSkpd:
    kode_pemda: str
    tahun: int
    kode_skpd: str
    pagu: Decimal
    version: int = 1


def periksa_item(ceiling: PaguSkpd | None, others: Decimal, pagu_indikatif: Decimal) -> list[Pelanggaran]:
    """An item of ``pagu_indikatif`` beside the SKPD's other items (``others``), under its ceiling (none: free)."""
    if ceiling is None or others + pagu_indikatif <= ceiling.pagu:
        return []
    room = max(ceiling.pagu - others, Decimal(0))
    return [Pelanggaran("pagu_indikatif", f"SKPD {ceiling.kode_skpd} would plan {others + pagu_indikatif} against "
                                          f"its pagu indikatif ceiling of {ceiling.pagu} for {ceiling.tahun}; "
                                          f"at most {room} is left for this item")]


def periksa_pagu(kode_skpd: str, pagu: Decimal, planned: Decimal) -> list[Pelanggaran]:
    """A ceiling is not set below what the SKPD already plans (its items would exceed it)."""
    if pagu >= planned:
        return []
    return [Pelanggaran("pagu", f"SKPD {kode_skpd} already plans {planned}; lower its items before setting a "
                                f"ceiling of {pagu}")]
