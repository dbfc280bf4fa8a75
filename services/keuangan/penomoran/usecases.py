"""A document's number, taken inside the transaction that stores the document (``domain`` says why)."""
from __future__ import annotations

from .domain import nomor


def nomor_berikut(uow, kode_pemda: str, tahun: int, kode_skpd: str, jenis: str, sub: str | None = None) -> tuple[int, str]:
    """The next number of ``jenis`` for the SKPD's year: (sequence, printed number). Call it inside ``with uow``,
    just before the document is stored and committed."""
    urut = uow.penomoran.berikut(kode_pemda, tahun, kode_skpd, jenis)
    return urut, nomor(jenis, urut, kode_skpd, tahun, sub)
