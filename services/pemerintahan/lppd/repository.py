"""The LPPD's tables: the rules (``lppd_aturan``: due date, indicator list; versioned, seeded), the
indicator lists (``lppd_indikator``), and the reports (``lppd``, one per pemda and year), reached as
``uow.lppd``."""
from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Column, Date, DateTime, Integer, PrimaryKeyConstraint, SmallInteger, String, Table, Text, func, select,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.orm import Session

from ..schema import metadata

lppd_aturan = Table(
    "lppd_aturan", metadata,
    Column("versi", String(60), primary_key=True),
    Column("berlaku_mulai", SmallInteger, nullable=False),  # the first report year it governs
    Column("batas_bulan", SmallInteger, nullable=False),    # due this many months after the year ends
    Column("versi_indikator", String(60), nullable=False),
    Column("dasar_hukum", Text, nullable=False),
)
lppd_indikator = Table(
    "lppd_indikator", metadata,
    Column("versi", String(60), nullable=False),
    Column("kode", String(30), nullable=False),
    Column("nama", Text, nullable=False),
    Column("jenis", String(10), nullable=False),         # makro | ikk
    Column("kode_urusan", String(10)),                   # an IKK's bidang urusan
    Column("satuan", String(60), nullable=False),
    Column("polaritas", String(10), nullable=False),     # positif | negatif
    Column("urutan", SmallInteger, nullable=False),
    PrimaryKeyConstraint("versi", "kode"),
)
lppd = Table(
    "lppd", metadata,
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("status", String(20), nullable=False),
    Column("versi_aturan", String(60), nullable=False),
    Column("isi", JSONB, nullable=False),
    Column("indikator", JSONB, nullable=False),
    Column("hash", String(64)),             # of the snapshot, once submitted
    Column("diajukan_pada", Date),
    Column("riwayat", JSONB, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("kode_pemda", "tahun"),
)


class LppdRepository:
    def __init__(self, session: Session):
        self.session = session

    def aturan(self, tahun: int) -> dict | None:
        """The rules in force for a report year: the latest version that governs it."""
        t = lppd_aturan
        row = self.session.execute(select(t).where(t.c.berlaku_mulai <= tahun)
                                   .order_by(t.c.berlaku_mulai.desc(), t.c.versi.desc()).limit(1)).first()
        return dict(row._mapping) if row else None

    def aturan_versi(self, versi: str) -> dict:
        return dict(self.session.execute(select(lppd_aturan).where(lppd_aturan.c.versi == versi)).one()._mapping)

    def indikator(self, versi: str) -> list[dict]:
        t = lppd_indikator
        return [dict(r._mapping) for r in self.session.execute(select(t).where(t.c.versi == versi).order_by(t.c.urutan))]

    def get(self, kode_pemda: str, tahun: int, for_update: bool = False) -> dict | None:
        query = select(lppd).where(lppd.c.kode_pemda == kode_pemda, lppd.c.tahun == tahun)
        row = self.session.execute(query.with_for_update() if for_update else query).first()
        return dict(row._mapping) if row else None

    def add(self, values: dict) -> bool:
        stmt = insert(lppd).values(**values).on_conflict_do_nothing().returning(lppd.c.kode_pemda)
        return self.session.execute(stmt).first() is not None

    def save(self, values: dict) -> None:
        changed = {k: v for k, v in values.items() if k not in ("kode_pemda", "tahun", "created_at", "updated_at")}
        self.session.execute(lppd.update().where(lppd.c.kode_pemda == values["kode_pemda"],
                                                 lppd.c.tahun == values["tahun"])
                             .values(**changed, updated_at=func.now()))

    def status_of(self, tahun: int) -> dict[str, tuple[str, date | None, str]]:
        """Per pemda: the year's LPPD state, its submission date and its rules (the national view's)."""
        rows = self.session.execute(select(lppd.c.kode_pemda, lppd.c.status, lppd.c.diajukan_pada, lppd.c.versi_aturan)
                                    .where(lppd.c.tahun == tahun))
        return {k: (s, d, v) for k, s, d, v in rows}



