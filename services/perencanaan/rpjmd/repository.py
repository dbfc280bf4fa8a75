"""The RPJMD's table (``rpjmd``: one row per pemda and period, its content a document) and its repository,
reached as ``uow.rpjmd``."""
from __future__ import annotations

from sqlalchemy import (
    Column, Date, DateTime, ForeignKey, Integer, SmallInteger, String, Table, Text, UniqueConstraint, func, select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Session

from contracts.perencanaan import IsiRpjmd, StatusRpjmd

from ..schema import metadata
from .domain import Rpjmd, RpjmdDitetapkan

rpjmd = Table(
    "rpjmd", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun_awal", SmallInteger, nullable=False),
    Column("tahun_akhir", SmallInteger, nullable=False),
    # visi, misi and below: read and written whole (``IsiRpjmd``, money and targets as decimal strings)
    Column("isi", JSONB, nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", String(20), nullable=False, server_default="rancangan"),
    Column("revisi", Integer, nullable=False, server_default="0"),
    Column("alasan_perubahan", Text),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("kode_pemda", "tahun_awal", name="rpjmd_pemda_periode"),
)

# every enacted version, as enacted: the database refuses to update or delete a row (migration rpjmd_penetapan)
rpjmd_ditetapkan = Table(
    "rpjmd_ditetapkan", metadata,
    Column("rpjmd_id", UUID(as_uuid=False), ForeignKey("rpjmd.id"), primary_key=True),
    Column("revisi", Integer, primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun_awal", SmallInteger, nullable=False),
    Column("tahun_akhir", SmallInteger, nullable=False),
    Column("nomor_perda", String(200), nullable=False),
    Column("tanggal_perda", Date, nullable=False),
    Column("isi", JSONB, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("ditetapkan_oleh", String(100), nullable=False),
    Column("alasan_perubahan", Text),
    Column("ditetapkan_pada", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


def _entity(row) -> Rpjmd:
    return Rpjmd(id=row.id, kode_pemda=row.kode_pemda, tahun_awal=row.tahun_awal, tahun_akhir=row.tahun_akhir,
                 isi=IsiRpjmd.model_validate(row.isi), version=row.version, status=StatusRpjmd(row.status),
                 revisi=row.revisi, alasan_perubahan=row.alasan_perubahan)


def _ditetapkan(row) -> tuple[RpjmdDitetapkan, object]:
    """An enacted version, and when it was enacted."""
    return RpjmdDitetapkan(
        rpjmd_id=row.rpjmd_id, kode_pemda=row.kode_pemda, revisi=row.revisi, tahun_awal=row.tahun_awal,
        tahun_akhir=row.tahun_akhir, nomor_perda=row.nomor_perda, tanggal_perda=row.tanggal_perda,
        isi=IsiRpjmd.model_validate(row.isi), hash=row.hash, ditetapkan_oleh=row.ditetapkan_oleh,
        alasan_perubahan=row.alasan_perubahan), row.ditetapkan_pada


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
            isi=item.isi.model_dump(mode="json"), version=item.version, status=str(item.status), revisi=item.revisi,
            alasan_perubahan=item.alasan_perubahan))

    def save(self, item: Rpjmd) -> None:
        t = rpjmd
        self.session.execute(t.update().where(t.c.id == item.id).values(
            isi=item.isi.model_dump(mode="json"), version=item.version, status=str(item.status), revisi=item.revisi,
            alasan_perubahan=item.alasan_perubahan, updated_at=func.now()))

    # -- the enacted versions ---------------------------------------------------------------------------
    def add_ditetapkan(self, d: RpjmdDitetapkan) -> None:
        self.session.execute(rpjmd_ditetapkan.insert().values(
            rpjmd_id=d.rpjmd_id, revisi=d.revisi, kode_pemda=d.kode_pemda, tahun_awal=d.tahun_awal,
            tahun_akhir=d.tahun_akhir, nomor_perda=d.nomor_perda, tanggal_perda=d.tanggal_perda,
            isi=d.isi.model_dump(mode="json"), hash=d.hash, ditetapkan_oleh=d.ditetapkan_oleh,
            alasan_perubahan=d.alasan_perubahan))

    def ditetapkan(self, rpjmd_id: str, revisi: int | None = None) -> list[tuple[RpjmdDitetapkan, object]]:
        """The enacted versions, oldest first (or the one ``revisi``), each with when it was enacted."""
        t = rpjmd_ditetapkan
        query = select(t).where(t.c.rpjmd_id == rpjmd_id).order_by(t.c.revisi)
        if revisi is not None:
            query = query.where(t.c.revisi == revisi)
        return [_ditetapkan(r) for r in self.session.execute(query)]

    def list_page(self, kode_pemda: str, offset: int, limit: int) -> tuple[list[Rpjmd], int]:
        t = rpjmd
        total = self.session.execute(select(func.count()).select_from(t).where(t.c.kode_pemda == kode_pemda)).scalar_one()
        rows = self.session.execute(select(t).where(t.c.kode_pemda == kode_pemda)
                                    .order_by(t.c.tahun_awal.desc()).offset(offset).limit(limit)).all()
        return [_entity(r) for r in rows], total
