"""The organisation units (SKPD) of a pemda: what an organisation code says. Pure.

An organisation code has eight segments: three (urusan, bidang) pairs, the first required and the
others ``0.00`` when unused, then the unit (two digits) and the sub unit (four digits). A pair whose
bidang is ``00`` names no bidang urusan whatever its urusan digit: pemda number their units so
(Kabupaten Pasangkayu's ``4.01.3.00.0.00.01.0000``, Sekretariat Daerah, serves 4.01 only). The bidang
urusan an SKPD serves are those its code names (or, for a pemda numbering its units otherwise, those its
list names), and they must be current in the nomenclature.
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
    if pairs[0][1] == "00":
        raise KodeTidakSah(f"{kode!r}: the first bidang urusan is required")
    unit, sub_unit = parts[6], parts[7]
    if not (len(unit) == 2 and len(sub_unit) == 4 and _DIGITS.fullmatch(unit + sub_unit)):
        raise KodeTidakSah(f"{kode!r}: the unit has two digits and the sub unit four")
    bidang = [f"{u}.{b}" for u, b in pairs if b != "00"]
    if len(set(bidang)) != len(bidang):
        raise KodeTidakSah(f"{kode!r} names the same bidang urusan twice")
    return bidang


def bidang_urusan_dilayani(kode: str, disebut: list[str]) -> list[str]:
    """The bidang urusan an SKPD serves: those its list names, else those its code names. A pemda whose unit
    codes follow another numbering than Permendagri 90/2019's (Kabupaten Pasangkayu's follow the earlier one:
    its ``2.11.1.00…`` is the Dinas Koperasi, UMKM dan Perdagangan, not Lingkungan Hidup) names them."""
    bidang = bidang_urusan_skpd(kode)
    if not disebut:
        return bidang
    if len(disebut) > 3:
        raise KodeTidakSah(f"an SKPD serves one to three bidang urusan, not {len(disebut)}")
    return disebut


def bidang_urusan_tidak_berlaku(bidang_urusan: list[str], berlaku: set[str]) -> list[str]:
    """An SKPD serves current bidang urusan only: why each of its others is refused."""
    return [f"bidang urusan {b} is not in the current nomenclature" for b in bidang_urusan if b not in berlaku]
