"""The budget's schedules and their snapshots, reached as ``uow.jadwal``.

- ``tahapan_anggaran``: the decrees' budget stages, one row per version (data, not code; seeded by migration
  ``jadwal_anggaran``);
- ``jadwal_anggaran``: one pemda-year's schedule, its stages held as one document (read and written whole, under a
  row lock: a write of a stage holds it shared, a lock of a stage holds it for update);
- ``jadwal_anggaran_snapshot``: what a stage held when it was locked, one version per lock (a reopened stage locks
  again). The database refuses to change or delete a row (trigger ``jadwal_anggaran_snapshot_tetap``).
"""
from __future__ import annotations

from sqlalchemy import (
    Column, DateTime, Integer, SmallInteger, String, Table, Text, UniqueConstraint, func, select,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID, insert
from sqlalchemy.orm import Session

from sipd_common.db import locked
from sipd_common.jadwal import tahap_dari_json, tahap_json

from ..schema import metadata
from .domain import DefinisiTahap, JadwalAnggaran, Tahap, Tahapan

tahapan_anggaran = Table(
    "tahapan_anggaran", metadata,
    Column("versi", String(60), primary_key=True),
    Column("dasar_hukum", Text, nullable=False),
    Column("berlaku_mulai", SmallInteger, nullable=False),
    Column("tahap", JSONB, nullable=False),
)

jadwal_anggaran = Table(
    "jadwal_anggaran", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("versi_tahapan", String(60), nullable=False),
    Column("tahap", JSONB, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("kode_pemda", "tahun", name="jadwal_anggaran_per_tahun"),
)

jadwal_anggaran_snapshot = Table(
    "jadwal_anggaran_snapshot", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("jadwal_id", UUID(as_uuid=False), nullable=False),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("kode_tahap", String(20), nullable=False),
    Column("versi", SmallInteger, nullable=False, server_default="1"),  # the stage's n-th lock
    Column("hash", String(64), nullable=False),
    Column("isi", JSONB, nullable=False),
    Column("dibuat_oleh", String(100)),
    Column("dibuat_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # one snapshot per lock of a stage: two racing locks cannot both write the same version
    UniqueConstraint("jadwal_id", "kode_tahap", "versi", name="jadwal_anggaran_snapshot_per_kunci"),
)

def _stage(row: dict) -> Tahap:
    """A stage as stored; one locked before reopening existed counts its one lock."""
    return tahap_dari_json(Tahap, row, jumlah_kunci=row.get("jumlah_kunci", 1 if row.get("snapshot_id") else 0),
                           buka_kembali=tuple(row.get("buka_kembali", ())))


def _jadwal(row) -> JadwalAnggaran:
    return JadwalAnggaran(id=row.id, kode_pemda=row.kode_pemda, tahun=row.tahun, versi_tahapan=row.versi_tahapan,
                          tahap=tuple(_stage(t) for t in row.tahap), version=row.version)


class JadwalAnggaranRepository:
    def __init__(self, session: Session):
        self.session = session

    def tahapan(self) -> list[Tahapan]:
        rows = self.session.execute(select(tahapan_anggaran).order_by(tahapan_anggaran.c.berlaku_mulai))
        return [Tahapan(r.versi, r.dasar_hukum, r.berlaku_mulai, tuple(DefinisiTahap(**t) for t in r.tahap))
                for r in rows]

    def get(self, kode_pemda: str, tahun: int, lock: str | None = None) -> JadwalAnggaran | None:
        """The schedule; ``lock="update"`` to change it, ``"share"`` for a write the schedule gates."""
        t = jadwal_anggaran
        query = select(t).where(t.c.kode_pemda == kode_pemda, t.c.tahun == tahun)
        row = self.session.execute(locked(query, lock)).first()
        return _jadwal(row) if row else None

    def add(self, j: JadwalAnggaran) -> bool:
        """Store a new schedule; False (nothing stored) when the pemda-year has one."""
        stmt = (insert(jadwal_anggaran).values(
            id=j.id, kode_pemda=j.kode_pemda, tahun=j.tahun, versi_tahapan=j.versi_tahapan,
            tahap=[tahap_json(t) for t in j.tahap], version=j.version)
            .on_conflict_do_nothing(constraint="jadwal_anggaran_per_tahun").returning(jadwal_anggaran.c.id))
        return self.session.execute(stmt).first() is not None

    def save(self, j: JadwalAnggaran) -> None:
        self.session.execute(jadwal_anggaran.update().where(jadwal_anggaran.c.id == j.id).values(
            tahap=[tahap_json(t) for t in j.tahap], version=j.version, updated_at=func.now()))

    def add_snapshot(self, values: dict) -> None:
        self.session.execute(insert(jadwal_anggaran_snapshot).values(**values))

    def snapshot(self, kode_pemda: str, id: str) -> dict | None:
        s = jadwal_anggaran_snapshot
        row = self.session.execute(select(s).where(s.c.id == id, s.c.kode_pemda == kode_pemda)).first()
        return row._asdict() if row else None
