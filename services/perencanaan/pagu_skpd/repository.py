"""The SKPD ceilings' table (``pagu_skpd``), reached as ``uow.pagu_skpd``."""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, Numeric, SmallInteger, String, Table, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from ..schema import metadata
from .domain import PaguSkpd

pagu_skpd = Table(
    "pagu_skpd", metadata,
    Column("kode_pemda", String(10), primary_key=True),
    Column("tahun", SmallInteger, primary_key=True),
    Column("kode_skpd", String(40), primary_key=True),
    Column("pagu", Numeric(17, 2), nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

_FIELDS = ("kode_pemda", "tahun", "kode_skpd", "pagu", "version")


def _entity(row) -> PaguSkpd:
    return PaguSkpd(**{k: getattr(row, k) for k in _FIELDS})


class PaguSkpdRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, kode_pemda: str, tahun: int, kode_skpd: str, for_update: bool = False) -> PaguSkpd | None:
        """The ceiling; ``for_update``: held until commit, so that writes of one SKPD's items (and a change
        of its ceiling) go one at a time and two of them cannot pass the ceiling together."""
        t = pagu_skpd
        query = select(t).where(t.c.kode_pemda == kode_pemda, t.c.tahun == tahun, t.c.kode_skpd == kode_skpd)
        row = self.session.execute(query.with_for_update() if for_update else query).first()
        return _entity(row) if row else None

    def put(self, p: PaguSkpd) -> bool:
        """Store the ceiling at ``p.version``; False if another writer set the same SKPD's ceiling first."""
        stmt = insert(pagu_skpd).values({k: getattr(p, k) for k in _FIELDS})
        stmt = stmt.on_conflict_do_update(index_elements=["kode_pemda", "tahun", "kode_skpd"],
                                          set_={"pagu": stmt.excluded.pagu, "version": stmt.excluded.version,
                                                "updated_at": func.now()},
                                          where=pagu_skpd.c.version == p.version - 1).returning(pagu_skpd.c.version)
        return self.session.execute(stmt).first() is not None

    def list(self, kode_pemda: str, tahun: int, kode_skpd: str | None = None) -> list[PaguSkpd]:
        t = pagu_skpd
        query = select(t).where(t.c.kode_pemda == kode_pemda, t.c.tahun == tahun).order_by(t.c.kode_skpd)
        if kode_skpd is not None:
            query = query.where(t.c.kode_skpd == kode_skpd)
        return [_entity(r) for r in self.session.execute(query)]
