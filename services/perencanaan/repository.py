"""perencanaan's tables (schema ``perencanaan``)."""
from __future__ import annotations

from sqlalchemy import (
    BigInteger, Boolean, Column, DateTime, Integer, MetaData, Numeric, SmallInteger, String, Table, Text, false, func,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Session

from sipd_common.audit import add_audit_table
from sipd_common.tables import add_messaging_tables

from .domain.rkpd import SubKegiatanRkpd

metadata = MetaData()
add_messaging_tables(metadata)
add_audit_table(metadata)

rkpd_sub_kegiatan = Table(
    "rkpd_sub_kegiatan", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("kode_skpd", String(40), nullable=False),
    Column("kode_sub_kegiatan", String(30), nullable=False),
    Column("nama_sub_kegiatan", Text, nullable=False),
    Column("kode_bidang_urusan", String(10), nullable=False),
    Column("nama_bidang_urusan", Text, nullable=False),
    Column("indikator", Text, nullable=False),
    Column("target", Numeric(16, 4), nullable=False),
    Column("satuan", Text, nullable=False),
    Column("pagu_indikatif", Numeric(17, 2), nullable=False),
    Column("version", Integer, nullable=False),
    Column("perlu_pemetaan", Boolean, nullable=False, server_default=false()),
    Column("pemetaan", JSONB, nullable=False, server_default="[]"),
    Column("revisi_sub_kegiatan", BigInteger, nullable=False, server_default="0"),
    Column("revisi_bidang_urusan", BigInteger, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("deleted_at", DateTime(timezone=True)),
)

_FIELDS = [c.name for c in rkpd_sub_kegiatan.columns if c.name not in ("created_at", "updated_at", "deleted_at")]


def _entity(row) -> SubKegiatanRkpd:
    return SubKegiatanRkpd(**{name: getattr(row, name) for name in _FIELDS})


def get(session: Session, kode_pemda: str, tahun: int, id: str, for_update: bool = False,
        include_deleted: bool = False) -> SubKegiatanRkpd | None:
    t = rkpd_sub_kegiatan
    query = select(t).where(t.c.id == id, t.c.kode_pemda == kode_pemda, t.c.tahun == tahun)
    if not include_deleted:
        query = query.where(t.c.deleted_at.is_(None))
    row = session.execute(query.with_for_update() if for_update else query).first()
    return _entity(row) if row else None


def find_duplicate(session: Session, item: SubKegiatanRkpd) -> str | None:
    t = rkpd_sub_kegiatan
    return session.execute(select(t.c.id).where(
        t.c.kode_pemda == item.kode_pemda, t.c.tahun == item.tahun, t.c.kode_skpd == item.kode_skpd,
        t.c.kode_sub_kegiatan == item.kode_sub_kegiatan, t.c.deleted_at.is_(None))).scalar()


def add(session: Session, item: SubKegiatanRkpd) -> None:
    session.execute(rkpd_sub_kegiatan.insert().values({name: getattr(item, name) for name in _FIELDS}))


def save(session: Session, item: SubKegiatanRkpd) -> None:
    t = rkpd_sub_kegiatan
    session.execute(t.update().where(t.c.id == item.id).values(
        {**{name: getattr(item, name) for name in _FIELDS if name != "id"}, "updated_at": func.now()}))


def using(session: Session, column: str, kode: str, kode_pemda: str | None = None) -> list[SubKegiatanRkpd]:
    """The live items whose ``column`` holds ``kode`` (of one pemda, when given), locked for the change."""
    t = rkpd_sub_kegiatan
    where = [t.c[column] == kode, t.c.deleted_at.is_(None)]
    if kode_pemda is not None:
        where.append(t.c.kode_pemda == kode_pemda)
    rows = session.execute(select(t).where(*where).order_by(t.c.id).with_for_update()).all()
    return [_entity(r) for r in rows]


def mark_deleted(session: Session, item: SubKegiatanRkpd, version: int) -> None:
    t = rkpd_sub_kegiatan
    session.execute(t.update().where(t.c.id == item.id).values(version=version, deleted_at=func.now(), updated_at=func.now()))


def list_page(session: Session, kode_pemda: str, tahun: int, offset: int, limit: int,
              kode_skpd: str | None = None, perlu_pemetaan: bool | None = None) -> tuple[list[SubKegiatanRkpd], int]:
    t = rkpd_sub_kegiatan
    where = [t.c.kode_pemda == kode_pemda, t.c.tahun == tahun, t.c.deleted_at.is_(None)]
    if kode_skpd:
        where.append(t.c.kode_skpd == kode_skpd)
    if perlu_pemetaan is not None:
        where.append(t.c.perlu_pemetaan.is_(perlu_pemetaan))
    total = session.execute(select(func.count()).select_from(t).where(*where)).scalar_one()
    rows = session.execute(select(t).where(*where).order_by(t.c.kode_skpd, t.c.kode_sub_kegiatan, t.c.id)
                           .offset(offset).limit(limit)).all()
    return [_entity(r) for r in rows], total
