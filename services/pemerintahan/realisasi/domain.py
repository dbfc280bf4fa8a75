"""The realisation pemerintahan holds of keuangan's spending and revenue (``realisasi.berubah``): per pemda, year,
SKPD, sub kegiatan (spending only) and account, the total so far.

Each event carries the account's new total and its version, so the read model keeps the newest total and
never adds up changes: an event late, twice or out of order leaves the state the newest one says. Pure.
"""
from __future__ import annotations


def kode_bidang_urusan(kode_sub_kegiatan: str | None) -> str | None:
    """The bidang urusan a sub kegiatan's spending counts in: its code's first two segments
    (``1.01.02.2.01.0001`` → ``1.01``, ``X.XX.01.2.01.0001`` → ``X.XX``), as the nomenclature has it (and keuangan's
    replika); revenue, without a sub kegiatan, has none."""
    return ".".join(kode_sub_kegiatan.split(".")[:2]) if kode_sub_kegiatan else None
