"""The Renja's state per SKPD and year (``renja``; no row: a draft never submitted), reached as ``uow.renja``."""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, SmallInteger, String, Table, Text, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from contracts.perencanaan import StatusRenja

from ..schema import metadata
from .domain import Renja

renja = Table(
    "renja", metadata,
    Column("kode_pemda", String(10), primary_key=True),
    Column("tahun", SmallInteger, primary_key=True),
    Column("kode_skpd", String(40), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("catatan", Text),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

_FIELDS = ("kode_pemda", "tahun", "kode_skpd", "status", "catatan", "version")


def _entity(row) -> Renja:
    return Renja(row.kode_pemda, row.tahun, row.kode_skpd, StatusRenja(row.status), row.catatan, row.version)


class RenjaRepository:
    def __init__(self, session: Session):
        self.session = session

    def lock(self, kode_pemda: str, tahun: int, kode_skpd: str, shared: bool) -> None:
        """Until the transaction ends: item writes of the SKPD hold it shared (they go on together), a step of
        its Renja exclusive (so no item changes while it is submitted, and none slips in during the step)."""
        fn = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        self.session.execute(text(f"SELECT {fn}(hashtext('renja:' || :pemda || ':' || :tahun || ':' || :skpd))"),
                             {"pemda": kode_pemda, "tahun": str(tahun), "skpd": kode_skpd})

    def get(self, kode_pemda: str, tahun: int, kode_skpd: str) -> Renja:
        t = renja
        row = self.session.execute(select(t).where(t.c.kode_pemda == kode_pemda, t.c.tahun == tahun,
                                                   t.c.kode_skpd == kode_skpd)).first()
        return _entity(row) if row else Renja(kode_pemda, tahun, kode_skpd)

    def put(self, r: Renja) -> bool:
        """Store ``r`` at its version; False if another step of the same Renja came first."""
        values = {k: getattr(r, k) for k in _FIELDS} | {"status": str(r.status)}
        stmt = insert(renja).values(values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["kode_pemda", "tahun", "kode_skpd"],
            set_={"status": stmt.excluded.status, "catatan": stmt.excluded.catatan, "version": stmt.excluded.version,
                  "updated_at": func.now()},
            where=renja.c.version == r.version - 1).returning(renja.c.version)
        return self.session.execute(stmt).first() is not None

    def list(self, kode_pemda: str, tahun: int) -> list[Renja]:
        t = renja
        return [_entity(r) for r in self.session.execute(
            select(t).where(t.c.kode_pemda == kode_pemda, t.c.tahun == tahun).order_by(t.c.kode_skpd))]
