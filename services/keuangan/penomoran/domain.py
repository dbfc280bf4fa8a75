"""Document numbers: each type of document numbered per pemda, year and SKPD, 1, 2, 3, … without a gap.

Where is the number made? ``nomor``: the text printed on the document from its sequence number. The sequence
itself is a counter row per (pemda, year, SKPD, type), taken in the document's own transaction
(``repository.PenomoranRepository.berikut``): a document that does not commit gives its number back, and two
documents made at once wait for each other on the row, so neither a gap nor a duplicate can appear.

Pure: no broker, no database.
"""
from __future__ import annotations

# the document types numbered, and how their number reads
JENIS = {"spd": "SPD", "spp": "SPP", "spm": "SPM", "sp2d": "SP2D", "tbp": "TBP", "sts": "STS",
         "spj": "SPJ", "tu": "TU"}


def nomor(jenis: str, urut: int, kode_skpd: str, tahun: int, sub: str | None = None) -> str:
    """``00012/SPP-LS/1.01.0.00.0.00.01.0000/2026``: the sequence (five digits, more when needed), the type (and
    its kind: an SPP's UP/GU/TU/LS), the SKPD and the year."""
    if jenis not in JENIS:
        raise ValueError(f"no numbering for {jenis!r}")
    if urut < 1:
        raise ValueError("a sequence number starts at 1")
    label = JENIS[jenis] + (f"-{sub}" if sub else "")
    return f"{urut:05d}/{label}/{kode_skpd}/{tahun}"
