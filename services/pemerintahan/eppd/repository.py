"""EPPD's tables: the indicator sets and bands (versioned data, seeded), the rounds, the scores and the
flags, reached as ``uow.eppd``."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import (
    Column, DateTime, Integer, Numeric, PrimaryKeyConstraint, SmallInteger, String, Table, Text, delete, func, select,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from ..schema import metadata
from .domain import Band

eppd_indikator = Table(
    "eppd_indikator", metadata,
    Column("versi", String(60), nullable=False),
    Column("kode", String(30), nullable=False),
    Column("nama", Text, nullable=False),
    Column("bobot", Numeric(9, 4), nullable=False),
    Column("urutan", SmallInteger, nullable=False),
    Column("dasar_hukum", Text, nullable=False),
    PrimaryKeyConstraint("versi", "kode"),
)
eppd_band = Table(
    "eppd_band", metadata,
    Column("versi", String(60), nullable=False),
    Column("status", String(30), nullable=False),
    Column("batas_bawah", Numeric(6, 4), nullable=False),
    Column("dasar_hukum", Text, nullable=False),
    PrimaryKeyConstraint("versi", "status"),
)
eppd_ronde = Table(
    "eppd_ronde", metadata,
    Column("tahun", SmallInteger, primary_key=True),
    Column("versi_indikator", String(60), nullable=False),
    Column("versi_band", String(60), nullable=False),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
eppd_nilai = Table(
    "eppd_nilai", metadata,
    Column("tahun", SmallInteger, nullable=False),
    Column("kode_pemda", String(10), nullable=False),
    Column("kode_indikator", String(30), nullable=False),
    Column("skor", Numeric(5, 2), nullable=False),
    Column("penilai", String(100), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("tahun", "kode_pemda", "kode_indikator"),
)
eppd_khusus = Table(
    "eppd_khusus", metadata,
    Column("tahun", SmallInteger, nullable=False),
    Column("kode_pemda", String(10), nullable=False),
    Column("status", String(20), nullable=False),
    Column("alasan", Text, nullable=False),
    Column("penilai", String(100), nullable=False),
    PrimaryKeyConstraint("tahun", "kode_pemda"),
)


class EppdRepository:
    def __init__(self, session: Session):
        self.session = session

    def versi_terbaru(self, table_name: str) -> str | None:
        table = {"indikator": eppd_indikator, "band": eppd_band}[table_name]
        return self.session.execute(select(table.c.versi).order_by(table.c.versi.desc()).limit(1)).scalar()

    def indikator(self, versi: str) -> list[dict]:
        t = eppd_indikator
        return [dict(r._mapping) for r in self.session.execute(select(t).where(t.c.versi == versi).order_by(t.c.urutan))]

    def bands(self, versi: str) -> list[Band]:
        t = eppd_band
        return [Band(r.status, r.batas_bawah) for r in self.session.execute(select(t).where(t.c.versi == versi))]

    def ronde(self, tahun: int, for_update: bool = False) -> dict | None:
        query = select(eppd_ronde).where(eppd_ronde.c.tahun == tahun)
        row = self.session.execute(query.with_for_update() if for_update else query).first()
        return dict(row._mapping) if row else None

    def add_ronde(self, values: dict) -> bool:
        stmt = insert(eppd_ronde).values(**values).on_conflict_do_nothing().returning(eppd_ronde.c.tahun)
        return self.session.execute(stmt).first() is not None

    def save_ronde(self, tahun: int, status: str, version: int) -> None:
        self.session.execute(eppd_ronde.update().where(eppd_ronde.c.tahun == tahun)
                             .values(status=status, version=version, updated_at=func.now()))

    def simpan_nilai(self, tahun: int, kode_pemda: str, skor: dict[str, Decimal], penilai: str) -> None:
        stmt = insert(eppd_nilai)
        stmt = stmt.on_conflict_do_update(index_elements=[eppd_nilai.c.tahun, eppd_nilai.c.kode_pemda,
                                                          eppd_nilai.c.kode_indikator],
                                          set_={"skor": stmt.excluded.skor, "penilai": stmt.excluded.penilai,
                                                "updated_at": func.now()})
        self.session.execute(stmt, [{"tahun": tahun, "kode_pemda": kode_pemda, "kode_indikator": k, "skor": v,
                                     "penilai": penilai} for k, v in skor.items()])

    def nilai(self, tahun: int, kode_pemda: str | None = None) -> dict[str, dict[str, Decimal]]:
        t = eppd_nilai
        query = select(t.c.kode_pemda, t.c.kode_indikator, t.c.skor).where(t.c.tahun == tahun)
        if kode_pemda is not None:
            query = query.where(t.c.kode_pemda == kode_pemda)
        found: dict[str, dict[str, Decimal]] = {}
        for kode, indikator, skor in self.session.execute(query):
            found.setdefault(kode, {})[indikator] = skor
        return found

    def simpan_khusus(self, tahun: int, kode_pemda: str, status: str | None, alasan: str | None, penilai: str) -> None:
        t = eppd_khusus
        self.session.execute(delete(t).where(t.c.tahun == tahun, t.c.kode_pemda == kode_pemda))
        if status is not None:
            self.session.execute(t.insert().values(tahun=tahun, kode_pemda=kode_pemda, status=status, alasan=alasan,
                                                   penilai=penilai))

    def khusus(self, tahun: int) -> dict[str, dict]:
        t = eppd_khusus
        return {r.kode_pemda: {"status": r.status, "alasan": r.alasan}
                for r in self.session.execute(select(t).where(t.c.tahun == tahun))}
