"""The counters of document numbers (``penomoran``), reached as ``uow.penomoran``."""
from __future__ import annotations

from sqlalchemy import Column, Integer, SmallInteger, String, Table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from ..schema import metadata

penomoran = Table(
    "penomoran", metadata,
    Column("kode_pemda", String(10), primary_key=True),
    Column("tahun", SmallInteger, primary_key=True),
    Column("kode_skpd", String(40), primary_key=True),
    Column("jenis", String(10), primary_key=True),
    Column("terakhir", Integer, nullable=False),
)


class PenomoranRepository:
    def __init__(self, session: Session):
        self.session = session

    def berikut(self, kode_pemda: str, tahun: int, kode_skpd: str, jenis: str) -> int:
        """The next sequence number, in this transaction: one statement creates the counter (at 1) or adds one
        to it, and keeps its row locked until the transaction ends (a rollback gives the number back; a
        concurrent document waits, then takes the next one)."""
        stmt = insert(penomoran).values(kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd, jenis=jenis,
                                        terakhir=1)
        stmt = stmt.on_conflict_do_update(index_elements=list(penomoran.primary_key.columns),
                                          set_={"terakhir": penomoran.c.terakhir + 1}).returning(penomoran.c.terakhir)
        return self.session.execute(stmt).scalar_one()
