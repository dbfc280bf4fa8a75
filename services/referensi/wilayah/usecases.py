"""What referensi answers about regions: a region by code, a pemda by code, the pemda of a province."""
from __future__ import annotations

from contracts.referensi import PemdaOut, WilayahOut

from ..kodefikasi.usecases import as_of, check_code, get_record, not_found, page, per_page, replacements, status
from . import domain as w


def get_wilayah(uow, kode: str, versi: str | None = None) -> WilayahOut:
    """A region at any level (province, regency/city, district, village)."""
    return get_record(uow, "wilayah", kode, versi)


def pemda_out(record: dict, pengganti: list[str]) -> PemdaOut:
    return PemdaOut(kode=record["kode"], nama=record["nama"], jenis=w.jenis_pemda(record["kode"], record["nama"]),
                    kode_provinsi=w.kode_provinsi(record["kode"]), valid_from=record["valid_from"],
                    valid_until=record["valid_until"], revisi=record["revisi"], **status(record, pengganti))


def get_pemda(uow, kode: str, versi: str | None = None) -> PemdaOut:
    """A pemda: a province or a regency/city (a district or a village is none)."""
    check_code(kode, w.tingkat_wilayah, "pemda")
    with uow:
        row = uow.wilayah.get(kode, as_of(uow, versi))
        if row is None or not w.is_pemda(row["tingkat"]):
            raise not_found(f"no pemda with code {kode!r}", versi)
        return pemda_out(row, replacements(uow.wilayah, row))


def list_pemda(uow, kode_provinsi: str | None = None, jenis: str | None = None, q: str | None = None,
               versi: str | None = None, offset: int = 0, limit: int = 50) -> dict:
    """Pemda: the provinces and regencies/cities; of one province (it and its regencies/cities)."""
    with uow:
        rows, total = uow.wilayah.list_pemda(kode_provinsi, jenis, q, as_of(uow, versi), offset, per_page(limit))
        return page(uow.wilayah, rows, total, shape=pemda_out)
