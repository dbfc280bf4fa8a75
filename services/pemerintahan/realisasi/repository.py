"""The realisation's read model (``realisasi``), fed by keuangan's ``realisasi.berubah`` only, reached as
``uow.realisasi``; the LPPD reads a pemda's spending from it, the national view sums it (``nasional``)."""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, Integer, Numeric, SmallInteger, String, Table, Text, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from sipd_common.sql import fixed

from ..schema import metadata

realisasi = Table(
    "realisasi", metadata,
    Column("id", Text, primary_key=True),  # the event's aggregate_id: pemda, year, jenis, SKPD, sub kegiatan, account
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("jenis", String(10), nullable=False),  # belanja | pendapatan
    Column("kode_skpd", String(40), nullable=False),
    Column("kode_sub_kegiatan", String(40)),
    Column("kode_bidang_urusan", String(10)),    # spending's, from its sub kegiatan (domain.kode_bidang_urusan)
    Column("kode_rekening", String(30), nullable=False),
    Column("jumlah", Numeric(30, 6), nullable=False),
    Column("source_version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
# spending by year, pemda and bidang urusan, read from the index alone: the national view's sums and a pemda's LPPD
BELANJA = realisasi.c.kode_bidang_urusan.isnot(None)
Index("realisasi_belanja_tahun", realisasi.c.tahun, realisasi.c.kode_pemda, realisasi.c.kode_bidang_urusan,
      postgresql_include=["kode_skpd", "kode_sub_kegiatan", "jumlah"], postgresql_where=BELANJA)

_stmt = insert(realisasi)
# the newest total wins; one statement, race-free (two instances applying two versions at once); compiled once
# (SQLAlchemy compiles an ON CONFLICT anew on every execution): the row passes every column
_UPSERT = fixed(_stmt.on_conflict_do_update(
    index_elements=[realisasi.c.id],
    set_={"jumlah": _stmt.excluded.jumlah, "source_version": _stmt.excluded.source_version, "updated_at": func.now()},
    where=realisasi.c.source_version < _stmt.excluded.source_version,
).returning(realisasi.c.id), [c.name for c in realisasi.columns if c.name != "updated_at"])


class RealisasiRepository:
    def __init__(self, session: Session):
        self.session = session

    def simpan(self, values: dict) -> bool:
        """An account's total, unless the one held is as new (``source_version``); True if stored."""
        return self.session.execute(_UPSERT, values).first() is not None

    def versi(self, id: str) -> int | None:
        return self.session.execute(select(realisasi.c.source_version).where(realisasi.c.id == id)).scalar()

    def belanja_of(self, kode_pemda: str, tahun: int) -> list:
        """A pemda's spending per SKPD and sub kegiatan (its accounts summed): rows of (kode_skpd, kode_sub_kegiatan,
        kode_bidang_urusan, jumlah)."""
        t = realisasi
        return self.session.execute(
            select(t.c.kode_skpd, t.c.kode_sub_kegiatan, t.c.kode_bidang_urusan, func.sum(t.c.jumlah).label("jumlah"))
            .where(t.c.tahun == tahun, t.c.kode_pemda == kode_pemda, BELANJA)
            .group_by(t.c.kode_skpd, t.c.kode_sub_kegiatan, t.c.kode_bidang_urusan)).all()
