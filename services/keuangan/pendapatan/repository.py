"""Revenue targets and financing lines (one table, ``pendapatan_pembiayaan``, by ``jenis``), reached as
``uow.pendapatan``."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Column, DateTime, Index, Numeric, SmallInteger, String, Table, Text, func, select
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Session

from ..schema import metadata

pendapatan = Table(
    "pendapatan_pembiayaan", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("jenis", String(30), nullable=False),  # pendapatan | penerimaan_pembiayaan | pengeluaran_pembiayaan
    Column("kode_skpd", String(40), nullable=False),
    Column("kode_rekening", String(30), nullable=False),
    Column("nama_rekening", Text, nullable=False),
    Column("uraian", Text, nullable=False),
    Column("jumlah", Numeric(17, 2), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("pendapatan_pembiayaan_scope", "kode_pemda", "tahun", "jenis"),
)

_FIELDS = [c.name for c in pendapatan.columns if c.name != "created_at"]


class PendapatanRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, values: dict[str, Any]) -> None:
        self.session.execute(pendapatan.insert().values(values))

    def list_page(self, kode_pemda: str, tahun: int, jenis: tuple[str, ...], offset: int, limit: int,
                  kode_skpd: str | None = None) -> tuple[list[dict[str, Any]], int]:
        """A page of the lines of these kinds, in the order they were made, and the total."""
        where = [pendapatan.c.kode_pemda == kode_pemda, pendapatan.c.tahun == tahun, pendapatan.c.jenis.in_(jenis)]
        if kode_skpd:
            where.append(pendapatan.c.kode_skpd == kode_skpd)
        total = self.session.execute(select(func.count()).select_from(pendapatan).where(*where)).scalar_one()
        rows = self.session.execute(select(*(pendapatan.c[f] for f in _FIELDS)).where(*where)
                                    .order_by(pendapatan.c.created_at, pendapatan.c.id).offset(offset).limit(limit)).all()
        return [r._asdict() for r in rows], total

    def jumlah_per_akun(self, kode_pemda: str, tahun: int, kode_skpd: str | None = None) -> list[tuple[str, str, Any]]:
        """Σ jumlah per (kode_skpd, kode_rekening) of the pemda-year's revenue and financing (``kode_skpd``: its
        own only)."""
        rows = self.session.execute(
            select(pendapatan.c.kode_skpd, pendapatan.c.kode_rekening, func.sum(pendapatan.c.jumlah))
            .where(pendapatan.c.kode_pemda == kode_pemda, pendapatan.c.tahun == tahun,
                   *([pendapatan.c.kode_skpd == kode_skpd] if kode_skpd else []))
            .group_by(pendapatan.c.kode_skpd, pendapatan.c.kode_rekening)).all()
        return [tuple(r) for r in rows]
