"""The regions (provinces, regencies/cities, districts, villages), one versioned list; the pemda among them."""
from __future__ import annotations

from sqlalchemy import Column, SmallInteger, String, Text
from sqlalchemy.orm import Session

from ..kodefikasi.repository import C, Daftar, Pada, versioned_table

wilayah = versioned_table("wilayah", [Column("kode", String(20, collation=C), primary_key=True)], [
    Column("tingkat", SmallInteger, nullable=False),
    Column("nama", Text, nullable=False),
    Column("kode_induk", String(20, collation=C)),
], ("nama",), tree=True)


class WilayahRepository(Daftar):
    def __init__(self, session: Session):
        super().__init__(session, wilayah)

    def list_pemda(self, kode_provinsi: str | None, jenis: str | None, q: str | None, pada: Pada, offset: int,
                   limit: int) -> tuple[list[dict], int]:
        """The pemda (provinces and regencies/cities); of one province: it and its regencies/cities."""
        t = self.table
        extra = [t.c.tingkat <= 2]
        if kode_provinsi:
            extra.append((t.c.kode == kode_provinsi) | (t.c.kode_induk == kode_provinsi))
        if jenis == "provinsi":
            extra.append(t.c.tingkat == 1)
        elif jenis in ("kabupaten", "kota"):
            is_kota = t.c.nama.ilike("kota%")  # as wilayah.domain.jenis_pemda decides
            extra += [t.c.tingkat == 2, is_kota if jenis == "kota" else ~is_kota]
        return self.search(pada, offset, limit, q=q, extra=tuple(extra))
