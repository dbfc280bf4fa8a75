"""keuangan's tables (schema ``keuangan``)."""
from __future__ import annotations

from sqlalchemy import (
    BigInteger, Boolean, Column, DateTime, Integer, MetaData, Numeric, SmallInteger, String, Table, Text, false, func,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID, insert
from sqlalchemy.orm import Session

from sipd_common.audit import add_audit_table
from sipd_common.tables import add_messaging_tables

from .domain.plafon import Plafon

metadata = MetaData()
add_messaging_tables(metadata)
add_audit_table(metadata)

plafon = Table(
    "plafon", metadata,
    Column("rkpd_id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("kode_skpd", String(40), nullable=False),
    Column("kode_sub_kegiatan", String(30), nullable=False),
    Column("kode_bidang_urusan", String(10), nullable=False),
    Column("pagu", Numeric(17, 2), nullable=False),
    Column("total_rincian", Numeric(30, 6), nullable=False),
    Column("rencana_dihapus", Boolean, nullable=False),
    Column("source_version", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("perlu_pemetaan", Boolean, nullable=False, server_default=false()),
    Column("pemetaan", JSONB, nullable=False, server_default="[]"),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
rincian = Table(
    "rincian", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("rkpd_id", UUID(as_uuid=False), nullable=False),
    Column("kode_rekening", String(30), nullable=False),
    Column("nama_rekening", Text, nullable=False),
    Column("uraian", Text, nullable=False),
    Column("volume", Numeric(16, 4), nullable=False),
    Column("satuan", Text, nullable=False),
    Column("harga_satuan", Numeric(17, 2), nullable=False),
    Column("jumlah", Numeric(30, 6), nullable=False),
    Column("perlu_pemetaan", Boolean, nullable=False, server_default=false()),
    Column("pemetaan", JSONB, nullable=False, server_default="[]"),
    Column("revisi_rekening", BigInteger, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

_PLAFON_FIELDS = [c.name for c in plafon.columns if c.name != "updated_at"]


def _entity(row) -> Plafon:
    return Plafon(**{name: getattr(row, name) for name in _PLAFON_FIELDS})


def lock_or_create(session: Session, rkpd_id: str, **identity) -> Plafon:
    """The ceiling of an RKPD item, locked for this transaction; a blank one if none yet."""
    session.execute(insert(plafon).values(
        rkpd_id=rkpd_id, pagu=0, total_rincian=0, rencana_dihapus=False, source_version=0, version=0, **identity,
    ).on_conflict_do_nothing())
    return lock(session, rkpd_id)


def lock(session: Session, rkpd_id: str, kode_pemda: str | None = None, tahun: int | None = None) -> Plafon | None:
    where = [plafon.c.rkpd_id == rkpd_id]
    if kode_pemda is not None:
        where += [plafon.c.kode_pemda == kode_pemda, plafon.c.tahun == tahun]
    row = session.execute(select(plafon).where(*where).with_for_update()).first()
    return _entity(row) if row else None


def save(session: Session, p: Plafon) -> None:
    session.execute(plafon.update().where(plafon.c.rkpd_id == p.rkpd_id).values(
        {**{name: getattr(p, name) for name in _PLAFON_FIELDS if name != "rkpd_id"}, "updated_at": func.now()}))


def plafon_using(session: Session, column: str, kode: str, kode_pemda: str | None = None) -> list[Plafon]:
    """The ceilings whose ``column`` holds ``kode`` (of one pemda, when given), locked for the change."""
    where = [plafon.c[column] == kode, plafon.c.version > 0]
    if kode_pemda is not None:
        where.append(plafon.c.kode_pemda == kode_pemda)
    rows = session.execute(select(plafon).where(*where).order_by(plafon.c.rkpd_id).with_for_update()).all()
    return [_entity(r) for r in rows]


def rincian_using(session: Session, kode_rekening: str) -> list:
    rows = session.execute(select(rincian.c.id, rincian.c.pemetaan).where(rincian.c.kode_rekening == kode_rekening)
                           .order_by(rincian.c.id).with_for_update()).all()
    return rows


def flag_rincian(session: Session, id: str, pemetaan: list[dict]) -> None:
    session.execute(rincian.update().where(rincian.c.id == id).values(perlu_pemetaan=True, pemetaan=pemetaan))


def rename_rekening(session: Session, kode_rekening: str, nama: str, revisi: int) -> None:
    """The account's new name on its lines, unless they hold a name as new or newer (events may arrive late)."""
    session.execute(rincian.update().where(rincian.c.kode_rekening == kode_rekening, rincian.c.revisi_rekening < revisi)
                    .values(nama_rekening=nama, revisi_rekening=revisi))


def add_rincian(session: Session, values: dict) -> None:
    session.execute(rincian.insert().values(values))


def list_plafon(session: Session, kode_pemda: str, tahun: int, offset: int, limit: int,
                kode_skpd: str | None = None) -> tuple[list[Plafon], int]:
    # version 0 is a ceiling locked but not yet applied (a rolled back race); never shown
    where = [plafon.c.kode_pemda == kode_pemda, plafon.c.tahun == tahun, plafon.c.version > 0]
    if kode_skpd:
        where.append(plafon.c.kode_skpd == kode_skpd)
    total = session.execute(select(func.count()).select_from(plafon).where(*where)).scalar_one()
    rows = session.execute(select(plafon).where(*where).order_by(plafon.c.kode_skpd, plafon.c.kode_sub_kegiatan,
                                                                 plafon.c.rkpd_id).offset(offset).limit(limit)).all()
    return [_entity(r) for r in rows], total


_RINCIAN_WITH_PLAFON = (select(rincian, plafon.c.pagu, plafon.c.total_rincian, plafon.c.rencana_dihapus,
                               plafon.c.kode_skpd)
                        .join(plafon, plafon.c.rkpd_id == rincian.c.rkpd_id))


def list_rincian(session: Session, kode_pemda: str, tahun: int, offset: int, limit: int,
                 rkpd_id: str | None = None, kode_skpd: str | None = None) -> tuple[list[tuple], int]:
    """A page of lines, each with its ceiling's state and SKPD (a line belongs to its RKPD item's SKPD)."""
    where = [rincian.c.kode_pemda == kode_pemda, rincian.c.tahun == tahun]
    if rkpd_id:
        where.append(rincian.c.rkpd_id == rkpd_id)
    if kode_skpd:
        where.append(plafon.c.kode_skpd == kode_skpd)
    total = session.execute(select(func.count()).select_from(rincian.join(plafon, plafon.c.rkpd_id == rincian.c.rkpd_id))
                            .where(*where)).scalar_one()
    rows = session.execute(_RINCIAN_WITH_PLAFON.where(*where).order_by(rincian.c.created_at, rincian.c.id)
                           .offset(offset).limit(limit)).all()
    return rows, total


def get_rincian(session: Session, kode_pemda: str, tahun: int, id: str):
    return session.execute(_RINCIAN_WITH_PLAFON.where(
        rincian.c.id == id, rincian.c.kode_pemda == kode_pemda, rincian.c.tahun == tahun)).first()
