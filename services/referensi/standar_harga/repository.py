"""The standard prices of each pemda and year, one versioned list per pemda and year."""
from __future__ import annotations

from sqlalchemy import Column, Index, Numeric, SmallInteger, String, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from ..kodefikasi.repository import C, Daftar, Pada, versioned_table

standar_harga = versioned_table("standar_harga", [
    Column("kode_pemda", String(10, collation=C), primary_key=True),
    Column("tahun", SmallInteger, primary_key=True),
    Column("kode", String(60, collation=C), primary_key=True),
], [
    Column("jenis", String(4), nullable=False),
    Column("uraian", Text, nullable=False),
    Column("spesifikasi", Text),
    Column("satuan", Text, nullable=False),
    Column("harga", Numeric(17, 2), nullable=False),
    Column("kode_rekening", ARRAY(String(30)), nullable=False),
    Column("sumber", String(60)),
    Column("kode_kelompok", String(30, collation=C)),
    Column("nama_kelompok", Text),
], ("uraian", "spesifikasi"))
Index("standar_harga_kode_rekening", standar_harga.c.kode_rekening, postgresql_using="gin")


class StandarHargaRepository(Daftar):
    def __init__(self, session: Session):
        super().__init__(session, standar_harga)

    def list_standar_harga(self, kode_pemda: str, tahun: int, kode_rekening: str | None, jenis: str | None, q: str | None,
             pada: Pada, offset: int, limit: int) -> tuple[list[dict], int]:
        t = self.table
        extra = []
        if kode_rekening:
            extra.append(t.c.kode_rekening.contains([kode_rekening]))
        if jenis:
            extra.append(t.c.jenis == jenis)
        return self.search(pada, offset, limit, q=q, extra=tuple(extra), scope={"kode_pemda": kode_pemda, "tahun": tahun})
