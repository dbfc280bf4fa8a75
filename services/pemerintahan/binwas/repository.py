"""Binwas findings (``binwas_temuan``), reached as ``uow.binwas``."""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, Integer, SmallInteger, String, Table, Text, func, select
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Session

from ..schema import metadata
from .domain import Temuan

binwas_temuan = Table(
    "binwas_temuan", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("objek", String(30), nullable=False),
    Column("objek_id", String(100)),
    Column("uraian", Text, nullable=False),
    Column("rekomendasi", Text, nullable=False),
    Column("dicatat_oleh", String(100), nullable=False),
    Column("status", String(20), nullable=False),
    Column("tindak_lanjut", JSONB, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("binwas_temuan_pemda_tahun", "kode_pemda", "tahun"),
)
_FIELDS = ("id", "kode_pemda", "tahun", "objek", "objek_id", "uraian", "rekomendasi", "dicatat_oleh", "status",
           "version")


def _entity(row) -> Temuan:
    return Temuan(**{f: getattr(row, f) for f in _FIELDS}, tindak_lanjut=tuple(row.tindak_lanjut))


def _values(item: Temuan) -> dict:
    return {**{f: getattr(item, f) for f in _FIELDS}, "tindak_lanjut": list(item.tindak_lanjut)}


class BinwasRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, item: Temuan) -> None:
        self.session.execute(binwas_temuan.insert().values(**_values(item)))

    def get(self, kode_pemda: str, id: str, for_update: bool = False) -> Temuan | None:
        t = binwas_temuan
        query = select(t).where(t.c.id == id, t.c.kode_pemda == kode_pemda)
        row = self.session.execute(query.with_for_update() if for_update else query).first()
        return _entity(row) if row else None

    def save(self, item: Temuan) -> None:
        t = binwas_temuan
        self.session.execute(t.update().where(t.c.id == item.id).values(**_values(item), updated_at=func.now()))

    def list_page(self, kode_pemda: str, offset: int, limit: int, tahun: int | None = None,
                  status: str | None = None) -> tuple[list[Temuan], int]:
        t = binwas_temuan
        where = [t.c.kode_pemda == kode_pemda]
        if tahun is not None:
            where.append(t.c.tahun == tahun)
        if status is not None:
            where.append(t.c.status == status)
        total = self.session.execute(select(func.count()).select_from(t).where(*where)).scalar_one()
        rows = self.session.execute(select(t).where(*where).order_by(t.c.created_at, t.c.id).offset(offset).limit(limit))
        return [_entity(r) for r in rows], total

    def counts(self, tahun: int) -> dict[str, int]:
        """Per pemda, how many findings of ``tahun`` are not closed (the national view's)."""
        t = binwas_temuan
        rows = self.session.execute(select(t.c.kode_pemda, func.count()).where(t.c.tahun == tahun, t.c.status != "selesai")
                                    .group_by(t.c.kode_pemda))
        return dict(rows.all())
