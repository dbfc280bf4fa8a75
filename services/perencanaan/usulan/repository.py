"""The proposals' tables and their repository, reached as ``uow.usulan``.

- ``alur_usulan``: the verification chain of each kind of proposal, one row per version (data, not code;
  seeded by migration ``usulan``);
- ``usulan``: one row per proposal, its chain and its way so far (``riwayat``) kept with it.
"""
from __future__ import annotations

from sqlalchemy import (
    Column, DateTime, Index, Integer, Numeric, SmallInteger, String, Table, Text, func, select,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Session

from contracts.perencanaan import JenisUsulan, StatusUsulan

from ..schema import metadata
from .domain import AlurUsulan, Tingkat, Usulan

alur_usulan = Table(
    "alur_usulan", metadata,
    Column("jenis", String(20), primary_key=True),
    Column("versi", String(60), primary_key=True),
    Column("dasar_hukum", Text, nullable=False),
    Column("berlaku_mulai", SmallInteger, nullable=False),
    Column("tingkat", JSONB, nullable=False),   # [{"kode", "nama"}], in order
    Column("tahap", JSONB, nullable=False),     # the RKPD stages in which such proposals are written
)

usulan = Table(
    "usulan", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("jenis", String(20), nullable=False),
    Column("pengusul", String(100), nullable=False),
    Column("dibuat_oleh", String(64), nullable=False),
    Column("kode_desa", String(20)),
    Column("fraksi", String(100)),
    Column("dapil", String(100)),
    Column("masalah", Text, nullable=False),
    Column("uraian", Text, nullable=False),
    Column("kode_sub_kegiatan", String(30)),
    Column("kode_skpd", String(40), nullable=False),
    Column("lokasi", ARRAY(String(20)), nullable=False, server_default="{}"),
    Column("volume", Numeric(16, 4), nullable=False),
    Column("satuan", Text, nullable=False),
    Column("anggaran", Numeric(17, 2), nullable=False),
    Column("versi_alur", String(60), nullable=False),
    Column("alur", JSONB, nullable=False),
    Column("status", String(20), nullable=False),
    Column("tingkat", String(40)),
    Column("alasan", Text),
    Column("rkpd_id", UUID(as_uuid=False)),
    Column("riwayat", JSONB, nullable=False, server_default="[]"),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("usulan_scope", "kode_pemda", "tahun", "jenis", "status"),
    Index("usulan_rkpd", "rkpd_id"),
)

_PLAIN = ("kode_pemda", "tahun", "pengusul", "dibuat_oleh", "kode_desa", "fraksi", "dapil", "masalah", "uraian",
          "kode_sub_kegiatan", "kode_skpd", "volume", "satuan", "anggaran", "versi_alur", "tingkat", "alasan",
          "rkpd_id", "version")


def _entity(row) -> Usulan:
    return Usulan(id=row.id, jenis=JenisUsulan(row.jenis), status=StatusUsulan(row.status),
                  lokasi=tuple(row.lokasi), alur=tuple(Tingkat(**t) for t in row.alur), riwayat=tuple(row.riwayat),
                  **{f: getattr(row, f) for f in _PLAIN})


def _values(u: Usulan) -> dict:
    return {**{f: getattr(u, f) for f in _PLAIN}, "jenis": str(u.jenis), "status": str(u.status),
            "lokasi": list(u.lokasi), "alur": [{"kode": t.kode, "nama": t.nama} for t in u.alur],
            "riwayat": list(u.riwayat)}


def _alur(row) -> AlurUsulan:
    return AlurUsulan(jenis=row.jenis, versi=row.versi, dasar_hukum=row.dasar_hukum, berlaku_mulai=row.berlaku_mulai,
                      tingkat=tuple(Tingkat(**t) for t in row.tingkat), tahap=tuple(row.tahap))


class UsulanRepository:
    def __init__(self, session: Session):
        self.session = session

    def alur(self, jenis: str | None = None) -> list[AlurUsulan]:
        query = select(alur_usulan).order_by(alur_usulan.c.jenis, alur_usulan.c.berlaku_mulai, alur_usulan.c.versi)
        if jenis is not None:
            query = query.where(alur_usulan.c.jenis == jenis)
        return [_alur(r) for r in self.session.execute(query)]

    def get(self, kode_pemda: str, tahun: int, id: str, for_update: bool = False) -> Usulan | None:
        t = usulan
        query = select(t).where(t.c.id == id, t.c.kode_pemda == kode_pemda, t.c.tahun == tahun)
        row = self.session.execute(query.with_for_update() if for_update else query).first()
        return _entity(row) if row else None

    def add(self, u: Usulan) -> None:
        self.session.execute(usulan.insert().values(id=u.id, **_values(u)))

    def save(self, u: Usulan) -> None:
        t = usulan
        self.session.execute(t.update().where(t.c.id == u.id).values(**_values(u), updated_at=func.now()))

    def answering(self, rkpd_id: str) -> list[Usulan]:
        """The proposals an RKPD item answers."""
        t = usulan
        rows = self.session.execute(select(t).where(t.c.rkpd_id == rkpd_id).order_by(t.c.created_at, t.c.id))
        return [_entity(r) for r in rows]

    def diterima(self, kode_pemda: str, tahun: int) -> list[Usulan]:
        """The year's accepted proposals (what the consistency report checks)."""
        t = usulan
        rows = self.session.execute(select(t).where(t.c.kode_pemda == kode_pemda, t.c.tahun == tahun,
                                                    t.c.status == str(StatusUsulan.DITERIMA))
                                    .order_by(t.c.kode_skpd, t.c.created_at, t.c.id))
        return [_entity(r) for r in rows]

    def list_page(self, kode_pemda: str, tahun: int, offset: int, limit: int, **where) -> tuple[list[Usulan], int]:
        """The year's proposals, oldest first, filtered by the columns given (``jenis``, ``status``,
        ``kode_skpd``, ``tingkat``, ``rkpd_id``, ``dibuat_oleh``; a None filter is no filter)."""
        t = usulan
        conditions = [t.c.kode_pemda == kode_pemda, t.c.tahun == tahun,
                      *(t.c[name] == str(value) for name, value in where.items() if value is not None)]
        total = self.session.execute(select(func.count()).select_from(t).where(*conditions)).scalar_one()
        rows = self.session.execute(select(t).where(*conditions).order_by(t.c.created_at, t.c.id)
                                    .offset(offset).limit(limit)).all()
        return [_entity(r) for r in rows], total
