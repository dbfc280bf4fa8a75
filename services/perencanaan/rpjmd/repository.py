"""The RPJMD's table (``rpjmd``: one row per pemda and period, its content a document) and its repository,
reached as ``uow.rpjmd``."""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, SmallInteger, String, Table, UniqueConstraint, func, select, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Session

from contracts.perencanaan import IsiRpjmd

from ..schema import metadata
from .domain import Rpjmd

rpjmd = Table(
    "rpjmd", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun_awal", SmallInteger, nullable=False),
    Column("tahun_akhir", SmallInteger, nullable=False),
    # visi, misi and below: read and written whole (``IsiRpjmd``, money and targets as decimal strings)
    Column("isi", JSONB, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("kode_pemda", "tahun_awal", name="rpjmd_pemda_periode"),
)


def _entity(row) -> Rpjmd:
    return Rpjmd(id=row.id, kode_pemda=row.kode_pemda, tahun_awal=row.tahun_awal, tahun_akhir=row.tahun_akhir,
                 isi=IsiRpjmd.model_validate(row.isi), version=row.version)


class RpjmdRepository:
    def __init__(self, session: Session):
        self.session = session

    def lock_pemda(self, kode_pemda: str) -> None:
        """Until the transaction ends, no other creates an RPJMD of this pemda (periods must not overlap)."""
        self.session.execute(text("SELECT pg_advisory_xact_lock(hashtext('rpjmd:' || :kode))"), {"kode": kode_pemda})

    def periods(self, kode_pemda: str) -> list[tuple[int, int]]:
        t = rpjmd
        return [tuple(r) for r in self.session.execute(
            select(t.c.tahun_awal, t.c.tahun_akhir).where(t.c.kode_pemda == kode_pemda))]

    def get(self, kode_pemda: str, id: str, for_update: bool = False, for_share: bool = False) -> Rpjmd | None:
        t = rpjmd
        query = select(t).where(t.c.id == id, t.c.kode_pemda == kode_pemda)
        if for_update:
            query = query.with_for_update()
        elif for_share:
            query = query.with_for_update(read=True)
        row = self.session.execute(query).first()
        return _entity(row) if row else None

    def add(self, item: Rpjmd) -> None:
        self.session.execute(rpjmd.insert().values(
            id=item.id, kode_pemda=item.kode_pemda, tahun_awal=item.tahun_awal, tahun_akhir=item.tahun_akhir,
            isi=item.isi.model_dump(mode="json"), version=item.version))

    def save(self, item: Rpjmd) -> None:
        t = rpjmd
        self.session.execute(t.update().where(t.c.id == item.id).values(
            isi=item.isi.model_dump(mode="json"), version=item.version, updated_at=func.now()))

    def list_page(self, kode_pemda: str, offset: int, limit: int) -> tuple[list[Rpjmd], int]:
        t = rpjmd
        total = self.session.execute(select(func.count()).select_from(t).where(t.c.kode_pemda == kode_pemda)).scalar_one()
        rows = self.session.execute(select(t).where(t.c.kode_pemda == kode_pemda)
                                    .order_by(t.c.tahun_awal.desc()).offset(offset).limit(limit)).all()
        return [_entity(r) for r in rows], total
