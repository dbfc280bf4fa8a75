"""The organisation units (SKPD) of a pemda: what an organisation code says. Pure.

An organisation code has eight segments: three (urusan, bidang) pairs, the first required and the
others ``0.00`` when unused, then the unit (two digits) and the sub unit (four digits). The bidang
urusan an SKPD serves are those its code names, and they must be current in the nomenclature.
"""
from __future__ import annotations

import re

from ..kodefikasi.domain import KodeTidakSah, segments

_DIGITS = re.compile(r"^[0-9]+$")


def bidang_urusan_skpd(kode: str) -> list[str]:
    """The bidang urusan an organisation code names: ``1.01.0.00.0.00.01.0000`` serves 1.01 only."""
    parts = segments(kode)
    if len(parts) != 8:
        raise KodeTidakSah(f"{kode!r} has {len(parts)} segments; an organisation code has 8 "
                           "(three urusan.bidang pairs, unit, sub unit)")
    pairs = [(parts[i], parts[i + 1]) for i in (0, 2, 4)]
    for urusan, bidang in pairs:
        if not (len(urusan) == 1 and len(bidang) == 2 and _DIGITS.fullmatch(urusan + bidang)):
            raise KodeTidakSah(f"{kode!r}: each affair is one digit and two digits, e.g. 1.01 (or 0.00 when unused)")
    if pairs[0] == ("0", "00"):
        raise KodeTidakSah(f"{kode!r}: the first bidang urusan is required")
    unit, sub_unit = parts[6], parts[7]
    if not (len(unit) == 2 and len(sub_unit) == 4 and _DIGITS.fullmatch(unit + sub_unit)):
        raise KodeTidakSah(f"{kode!r}: the unit has two digits and the sub unit four")
    bidang = [f"{u}.{b}" for u, b in pairs if (u, b) != ("0", "00")]
    if len(set(bidang)) != len(bidang):
        raise KodeTidakSah(f"{kode!r} names the same bidang urusan twice")
    return bidang


def bidang_urusan_berbeda(kode: str, disebut: list[str]) -> str | None:
    """Why the bidang urusan a file names for an SKPD are wrong (they are not those of its code), or None."""
    bidang = bidang_urusan_skpd(kode)
    if disebut and sorted(disebut) != sorted(bidang):
        return f"the code {kode} names {' '.join(bidang)}, not {' '.join(disebut)}"
    return None


def bidang_urusan_tidak_berlaku(bidang_urusan: list[str], berlaku: set[str]) -> list[str]:
    """An SKPD serves current bidang urusan only: why each of its others is refused."""
    return [f"bidang urusan {b} is not in the current nomenclature" for b in bidang_urusan if b not in berlaku]
