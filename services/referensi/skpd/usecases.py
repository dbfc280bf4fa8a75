"""What referensi answers about the SKPD of a pemda: one by code, a pemda's list."""
from __future__ import annotations

from contracts.referensi import SkpdOut

from ..kodefikasi.usecases import as_of, not_found, page, per_page, record_out, replacements


def get_skpd(uow, kode_pemda: str, kode: str, versi: str | None = None) -> SkpdOut:
    with uow:
        row = uow.skpd.get(kode, as_of(uow, versi), kode_pemda=kode_pemda)
        if row is None:
            raise not_found(f"no SKPD {kode!r} in pemda {kode_pemda!r}", versi)
        return record_out("skpd", row, replacements(uow.skpd, row, kode_pemda))


def list_skpd(uow, kode_pemda: str, q: str | None = None, bidang_urusan: str | None = None,
              versi: str | None = None, offset: int = 0, limit: int = 50) -> dict:
    """A pemda's SKPD, by words of their names, or those that serve one bidang urusan."""
    with uow:
        rows, total = uow.skpd.list_skpd(kode_pemda, q, bidang_urusan, as_of(uow, versi), offset, per_page(limit))
        return page(uow.skpd, rows, total, kode_pemda=kode_pemda)
