"""The SKPD of each pemda, one versioned list per pemda."""
from __future__ import annotations

from sqlalchemy import Column, String, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from ..kodefikasi.repository import C, Daftar, Pada, versioned_table

skpd = versioned_table("skpd", [Column("kode_pemda", String(10, collation=C), primary_key=True),
                                Column("kode", String(40, collation=C), primary_key=True)], [
    Column("nama", Text, nullable=False),
    Column("bidang_urusan", ARRAY(String(10)), nullable=False),
    Column("sumber", String(60)),
    # where bidang_urusan comes from when not from the code: ``tulisan-tangan`` when named by hand (data/README.md)
    Column("sumber_bidang_urusan", String(60)),
], ("nama",))


class SkpdRepository(Daftar):
    def __init__(self, session: Session):
        super().__init__(session, skpd)

    def list_skpd(self, kode_pemda: str, q: str | None, bidang_urusan: str | None, pada: Pada, offset: int,
             limit: int) -> tuple[list[dict], int]:
        extra = (self.table.c.bidang_urusan.contains([bidang_urusan]),) if bidang_urusan else ()
        return self.search(pada, offset, limit, q=q, extra=extra, scope={"kode_pemda": kode_pemda})
