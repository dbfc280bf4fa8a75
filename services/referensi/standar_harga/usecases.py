"""What referensi answers about standard prices: a pemda's prices of a year."""
from __future__ import annotations

from ..kodefikasi.usecases import as_of, page, per_page


def list_standar_harga(uow, kode_pemda: str, tahun: int, kode_rekening: str | None = None, jenis: str | None = None,
                       q: str | None = None, versi: str | None = None, offset: int = 0, limit: int = 50) -> dict:
    """A pemda's standard prices of a year: by words, by the account they may be spent on, by kind."""
    with uow:
        rows, total = uow.standar_harga.list_standar_harga(kode_pemda, tahun, kode_rekening, jenis, q,
                                                            as_of(uow, versi), offset, per_page(limit))
        return page(uow.standar_harga, rows, total, kode_pemda=kode_pemda)
