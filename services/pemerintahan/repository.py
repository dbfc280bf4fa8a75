"""pemerintahan's read models (schema ``pemerintahan``), fed by events only."""
from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, Numeric, SmallInteger, String, Table, Text, func, select
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.orm import Session

from sipd_common.audit import add_audit_table
from sipd_common.tables import add_messaging_tables

metadata = MetaData()
add_messaging_tables(metadata)
add_audit_table(metadata)

rencana = Table(
    "rencana", metadata,
    Column("rkpd_id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("kode_bidang_urusan", String(10), nullable=False),
    Column("nama_bidang_urusan", Text),
    Column("kode_sub_kegiatan", String(30), nullable=False),
    Column("pagu", Numeric(17, 2), nullable=False),
    Column("dihapus", Boolean, nullable=False),
    Column("source_version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
anggaran = Table(
    "anggaran", metadata,
    Column("rkpd_id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("kode_bidang_urusan", String(10), nullable=False),
    Column("kode_sub_kegiatan", String(30), nullable=False),
    Column("total_rincian", Numeric(30, 6), nullable=False),
    Column("status", String(20), nullable=False),
    Column("source_version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


def upsert_if_newer(session: Session, table: Table, values: dict) -> bool:
    """Insert the row, or overwrite it only when ``source_version`` is newer; one statement, race-free."""
    stmt = insert(table).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.rkpd_id],
        set_={**{k: stmt.excluded[k] for k in values if k != "rkpd_id"}, "updated_at": func.now()},
        where=table.c.source_version < stmt.excluded.source_version,
    ).returning(table.c.rkpd_id)
    return session.execute(stmt).first() is not None


def scope_rows(session: Session, table: Table, kode_pemda: str, tahun: int) -> list:
    return session.execute(select(table).where(table.c.kode_pemda == kode_pemda, table.c.tahun == tahun)).all()
