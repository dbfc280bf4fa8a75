"""The schedules' tables and their repository, reached as ``uow.jadwal``.

- ``tahapan``: the decrees' stages of each document, one row per version (data, not code);
- ``jadwal``: one pemda's schedule of one document and year, its stages held as one document (the
  aggregate is read and written whole, under a row lock);
- ``jadwal_snapshot``: what a stage held when it was locked. The database itself refuses to change or
  delete a row (trigger ``jadwal_snapshot_immutable``, migration 0005_jadwal): "as enacted" never changes.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Column, DateTime, Index, Integer, SmallInteger, String, Table, Text, UniqueConstraint, func, select,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID, insert
from sqlalchemy.orm import Session

from sipd_common.db import locked
from sipd_common.jadwal import tahap_dari_json, tahap_json

from ..schema import metadata
from .domain import DefinisiTahap, Jadwal, Snapshot, Tahap, Tahapan

tahapan = Table(
    "tahapan", metadata,
    Column("dokumen", String(20), primary_key=True),
    Column("versi", String(60), primary_key=True),
    Column("dasar_hukum", Text, nullable=False),
    Column("berlaku_mulai", SmallInteger, nullable=False),
    Column("tahap", JSONB, nullable=False),
)

jadwal = Table(
    "jadwal", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("dokumen", String(20), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("versi_tahapan", String(60), nullable=False),
    Column("tahap", JSONB, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("kode_pemda", "dokumen", "tahun", name="jadwal_per_dokumen_tahun"),
)

jadwal_snapshot = Table(
    "jadwal_snapshot", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("jadwal_id", UUID(as_uuid=False), nullable=False),
    Column("kode_pemda", String(10), nullable=False),
    Column("dokumen", String(20), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("kode_tahap", String(40), nullable=False),
    Column("kunci_ke", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("dari_snapshot_id", UUID(as_uuid=False)),
    Column("murni_snapshot_id", UUID(as_uuid=False)),
    Column("items", JSONB, nullable=False),
    Column("ringkasan", JSONB, nullable=False),
    Column("dibuat_oleh", String(100)),
    Column("dibuat_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # one snapshot per lock of a stage: two racing locks cannot both write one
    UniqueConstraint("jadwal_id", "kode_tahap", "kunci_ke", name="jadwal_snapshot_per_kunci"),
    Index("jadwal_snapshot_scope", "kode_pemda", "dokumen", "tahun"),
)

def _stage(row: dict) -> Tahap:
    return tahap_dari_json(Tahap, row, batas=date.fromisoformat(row["batas"]) if row.get("batas") else None)


def _jadwal(row) -> Jadwal:
    return Jadwal(id=row.id, kode_pemda=row.kode_pemda, dokumen=row.dokumen, tahun=row.tahun,
                  versi_tahapan=row.versi_tahapan, tahap=tuple(_stage(t) for t in row.tahap), version=row.version)


def _tahapan(row) -> Tahapan:
    return Tahapan(versi=row.versi, dokumen=row.dokumen, dasar_hukum=row.dasar_hukum,
                   berlaku_mulai=row.berlaku_mulai, tahap=tuple(DefinisiTahap(**t) for t in row.tahap))


def _snapshot(row, with_items: bool = True) -> Snapshot:
    return Snapshot(id=row.id, jadwal_id=row.jadwal_id, kode_pemda=row.kode_pemda, dokumen=row.dokumen,
                    tahun=row.tahun, kode_tahap=row.kode_tahap, kunci_ke=row.kunci_ke, hash=row.hash,
                    items=row.items if with_items else [], ringkasan=row.ringkasan,
                    dari_snapshot_id=row.dari_snapshot_id, murni_snapshot_id=row.murni_snapshot_id,
                    dibuat_oleh=row.dibuat_oleh, dibuat_at=row.dibuat_at)


class JadwalRepository:
    def __init__(self, session: Session):
        self.session = session

    # -- the decrees' stages ----------------------------------------------------------------------------
    def tahapan(self, dokumen: str | None = None) -> list[Tahapan]:
        query = select(tahapan).order_by(tahapan.c.dokumen, tahapan.c.berlaku_mulai, tahapan.c.versi)
        if dokumen is not None:
            query = query.where(tahapan.c.dokumen == dokumen)
        return [_tahapan(r) for r in self.session.execute(query)]

    # -- schedules --------------------------------------------------------------------------------------
    def get(self, kode_pemda: str, dokumen: str, tahun: int, lock: str | None = None) -> Jadwal | None:
        """The schedule; ``lock="update"`` for a change of it, ``"share"`` for a write the schedule gates
        (writes go side by side; a lock of a stage waits for them, and they for it)."""
        t = jadwal
        query = select(t).where(t.c.kode_pemda == kode_pemda, t.c.dokumen == dokumen, t.c.tahun == tahun)
        row = self.session.execute(locked(query, lock)).first()
        return _jadwal(row) if row else None

    def add(self, j: Jadwal) -> bool:
        """Store a new schedule; False (nothing stored) when the pemda has one for that document and year."""
        stmt = (insert(jadwal).values(id=j.id, kode_pemda=j.kode_pemda, dokumen=j.dokumen, tahun=j.tahun,
                                      versi_tahapan=j.versi_tahapan, tahap=[tahap_json(t) for t in j.tahap],
                                      version=j.version)
                .on_conflict_do_nothing(constraint="jadwal_per_dokumen_tahun").returning(jadwal.c.id))
        return self.session.execute(stmt).first() is not None

    def save(self, j: Jadwal) -> None:
        self.session.execute(jadwal.update().where(jadwal.c.id == j.id).values(
            tahap=[tahap_json(t) for t in j.tahap], version=j.version, updated_at=func.now()))

    def list(self, kode_pemda: str, tahun: int | None = None, dokumen: str | None = None) -> list[Jadwal]:
        t = jadwal
        query = select(t).where(t.c.kode_pemda == kode_pemda).order_by(t.c.tahun, t.c.dokumen)
        if tahun is not None:
            query = query.where(t.c.tahun == tahun)
        if dokumen is not None:
            query = query.where(t.c.dokumen == dokumen)
        return [_jadwal(r) for r in self.session.execute(query)]

    def of_year(self, dokumen: str, tahun: int) -> list[Jadwal]:
        """Every pemda's schedule of the document for the year, in pemda order."""
        t = jadwal
        return [_jadwal(r) for r in self.session.execute(
            select(t).where(t.c.dokumen == dokumen, t.c.tahun == tahun).order_by(t.c.kode_pemda))]

    # -- snapshots --------------------------------------------------------------------------------------
    def add_snapshot(self, s: Snapshot) -> None:
        self.session.execute(insert(jadwal_snapshot).values(
            id=s.id, jadwal_id=s.jadwal_id, kode_pemda=s.kode_pemda, dokumen=s.dokumen, tahun=s.tahun,
            kode_tahap=s.kode_tahap, kunci_ke=s.kunci_ke, hash=s.hash, dari_snapshot_id=s.dari_snapshot_id,
            murni_snapshot_id=s.murni_snapshot_id, items=s.items, ringkasan=s.ringkasan, dibuat_oleh=s.dibuat_oleh,
            dibuat_at=s.dibuat_at))

    def snapshot(self, kode_pemda: str, id: str) -> Snapshot | None:
        row = self.session.execute(select(jadwal_snapshot).where(
            jadwal_snapshot.c.id == id, jadwal_snapshot.c.kode_pemda == kode_pemda)).first()
        return _snapshot(row) if row else None

    def snapshots(self, jadwal_id: str) -> list[Snapshot]:
        """The schedule's snapshots, oldest first, without their items."""
        s = jadwal_snapshot
        cols = [c for c in s.c if c.name != "items"]
        rows = self.session.execute(select(*cols).where(s.c.jadwal_id == jadwal_id)
                                    .order_by(s.c.dibuat_at, s.c.kunci_ke)).all()
        return [_snapshot(r, with_items=False) for r in rows]
