"""The budget positions of an enacted APBD (``anggaran_pos``: ``murni`` never changes — a trigger refuses it — and
``jumlah`` now), the APBD-P of a pemda-year (``apbd_perubahan``: its state and evaluations; once enacted, a trigger
refuses any change), every pergeseran (``pergeseran_anggaran``, append-only) and the authority of each kind of
shift (``kewenangan_pergeseran``, seeded by migration: a decree's change is a row). Reached as ``uow.perubahan``.

Every write here runs under the pemda-year's APBD lock held exclusively (``uow.apbd.lock``): a shift, a change in the
APBD-P and its enactment are ordered one after the other."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean, Column, Date, DateTime, Index, Integer, Numeric, SmallInteger, String, Table, Text, UniqueConstraint,
    func, select,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID, insert
from sqlalchemy.orm import Session

from ..schema import metadata
from .domain import Kewenangan, Perubahan, Pos

anggaran_pos = Table(
    "anggaran_pos", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("kode_skpd", String(40), nullable=False),
    Column("rkpd_id", String(36), nullable=False, server_default=""),  # '' for revenue and financing
    Column("kode_sub_kegiatan", String(30), nullable=False, server_default=""),
    Column("kode_rekening", String(30), nullable=False),
    Column("murni", Numeric(30, 6), nullable=False),
    Column("jumlah", Numeric(30, 6), nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("kode_pemda", "tahun", "kode_skpd", "rkpd_id", "kode_rekening", name="anggaran_pos_kunci"),
)

apbd_perubahan = Table(
    "apbd_perubahan", metadata,
    Column("kode_pemda", String(10), primary_key=True),
    Column("tahun", SmallInteger, primary_key=True),
    Column("status", String(20), nullable=False),
    Column("hasil_evaluasi", String(20)),
    Column("evaluasi", JSONB, nullable=False, server_default="[]"),
    Column("version", Integer, nullable=False),
    Column("dibuka_oleh", String(100), nullable=False),
    Column("dibuka_pada", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("nomor_perda", String(200)),
    Column("tanggal_perda", Date),
    Column("nomor_perkada", String(200)),
    Column("tanggal_perkada", Date),
    Column("isi", JSONB),
    Column("hash", String(64)),
    Column("ditetapkan_oleh", String(100)),
    Column("ditetapkan_pada", DateTime(timezone=True)),
)

pergeseran_anggaran = Table(
    "pergeseran_anggaran", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("kode_skpd", String(40), nullable=False),
    Column("dari_pos_id", UUID(as_uuid=False), nullable=False),
    Column("ke_pos_id", UUID(as_uuid=False), nullable=False),
    Column("dari_rkpd_id", String(36), nullable=False),
    Column("dari_rekening", String(30), nullable=False),
    Column("ke_rkpd_id", String(36), nullable=False),
    Column("ke_rekening", String(30), nullable=False),
    # what the destination account's flags ask of the money shifted in (tanda_rekening): its recipient, its location
    Column("ke_penerima", JSONB),
    Column("ke_lokasi", JSONB),
    Column("jumlah", Numeric(30, 6), nullable=False),
    Column("alasan", Text, nullable=False),
    Column("kewenangan", String(40), nullable=False),
    Column("oleh", String(100), nullable=False),
    Column("peran", String(30), nullable=False),
    Column("pada", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("pergeseran_anggaran_scope", "kode_pemda", "tahun", "kode_skpd"),
)

kewenangan_pergeseran = Table(
    "kewenangan_pergeseran", metadata,
    Column("kode", String(40), primary_key=True),
    Column("tahun_dari", SmallInteger, primary_key=True),
    Column("nama", Text, nullable=False),
    Column("tingkat_sama", SmallInteger, nullable=False),
    Column("sub_kegiatan_sama", Boolean, nullable=False),
    Column("peran", JSONB, nullable=False),
    Column("dasar_hukum", Text, nullable=False),
    Column("urutan", SmallInteger, nullable=False, server_default="0"),
)

_POS = [c.name for c in anggaran_pos.c if c.name != "updated_at"]
_STATE = ("status", "hasil_evaluasi", "evaluasi", "version")  # the APBD-P's state (``Perubahan``)


def _pos(row) -> Pos:
    return Pos(**{k: getattr(row, k) for k in _POS})


class PerubahanRepository:
    def __init__(self, session: Session):
        self.session = session

    # -- the rule table ----------------------------------------------------------------------------------------
    def kewenangan(self) -> list[Kewenangan]:
        rows = self.session.execute(select(kewenangan_pergeseran)).all()
        return [Kewenangan(kode=r.kode, tahun_dari=r.tahun_dari, nama=r.nama, tingkat_sama=r.tingkat_sama,
                           sub_kegiatan_sama=r.sub_kegiatan_sama, peran=tuple(r.peran), dasar_hukum=r.dasar_hukum,
                           urutan=r.urutan) for r in rows]

    # -- the positions -----------------------------------------------------------------------------------------
    def ada_pos(self, kode_pemda: str, tahun: int) -> bool:
        return self.session.execute(select(anggaran_pos.c.id).where(
            anggaran_pos.c.kode_pemda == kode_pemda, anggaran_pos.c.tahun == tahun).limit(1)).first() is not None

    def pos(self, kode_pemda: str, tahun: int, kode_skpd: str, rkpd_id: str, kode_rekening: str) -> Pos | None:
        row = self.session.execute(select(anggaran_pos).where(
            anggaran_pos.c.kode_pemda == kode_pemda, anggaran_pos.c.tahun == tahun,
            anggaran_pos.c.kode_skpd == kode_skpd, anggaran_pos.c.rkpd_id == rkpd_id,
            anggaran_pos.c.kode_rekening == kode_rekening).with_for_update()).first()
        return _pos(row) if row else None

    def semua_pos(self, kode_pemda: str, tahun: int, kode_skpd: str | None = None) -> list[Pos]:
        """Every position of the pemda-year (of one SKPD when named), in code order."""
        where = [anggaran_pos.c.kode_pemda == kode_pemda, anggaran_pos.c.tahun == tahun]
        if kode_skpd:
            where.append(anggaran_pos.c.kode_skpd == kode_skpd)
        rows = self.session.execute(select(anggaran_pos).where(*where)
            .order_by(anggaran_pos.c.kode_skpd, anggaran_pos.c.kode_sub_kegiatan, anggaran_pos.c.rkpd_id,
                      anggaran_pos.c.kode_rekening)).all()
        return [_pos(r) for r in rows]

    def belanja_per_sub_kegiatan(self, kode_pemda: str, tahun: int, kode_skpd: str | None = None,
                                 kode_sub_kegiatan: str | None = None) -> dict[tuple[str, str], Decimal]:
        """(kode_skpd, kode_sub_kegiatan) → Σ of its belanja positions now (of one, when given)."""
        where = [anggaran_pos.c.kode_pemda == kode_pemda, anggaran_pos.c.tahun == tahun, anggaran_pos.c.rkpd_id != ""]
        if kode_skpd is not None:
            where += [anggaran_pos.c.kode_skpd == kode_skpd, anggaran_pos.c.kode_sub_kegiatan == kode_sub_kegiatan]
        rows = self.session.execute(
            select(anggaran_pos.c.kode_skpd, anggaran_pos.c.kode_sub_kegiatan, func.sum(anggaran_pos.c.jumlah))
            .where(*where).group_by(anggaran_pos.c.kode_skpd, anggaran_pos.c.kode_sub_kegiatan)).all()
        return {(r[0], r[1]): r[2] for r in rows}

    def jumlah_per_akun(self, kode_pemda: str, tahun: int, kode_skpd: str | None = None) -> list[tuple[str, str, Any]]:
        """Σ jumlah of the held positions per (kode_skpd, kode_rekening), summed in the database (the LRA's budget)."""
        t = anggaran_pos
        where = [t.c.kode_pemda == kode_pemda, t.c.tahun == tahun, *([t.c.kode_skpd == kode_skpd] if kode_skpd else [])]
        rows = self.session.execute(select(t.c.kode_skpd, t.c.kode_rekening, func.sum(t.c.jumlah)).where(*where)
                                    .group_by(t.c.kode_skpd, t.c.kode_rekening)).all()
        return [tuple(r) for r in rows]

    def save_pos(self, ps: list[Pos]) -> None:
        """Insert new positions, update ``jumlah`` and ``version`` of held ones (``murni`` is never updated)."""
        if not ps:
            return
        stmt = insert(anggaran_pos)
        self.session.execute(stmt.on_conflict_do_update(
            index_elements=[anggaran_pos.c.id],
            set_={"jumlah": stmt.excluded.jumlah, "version": stmt.excluded.version, "updated_at": func.now()}),
            [{k: getattr(p, k) for k in _POS} for p in ps])

    def list_pos(self, kode_pemda: str, tahun: int, offset: int, limit: int,
                 kode_skpd: str | None = None) -> tuple[list[Pos], int]:
        where = [anggaran_pos.c.kode_pemda == kode_pemda, anggaran_pos.c.tahun == tahun]
        if kode_skpd:
            where.append(anggaran_pos.c.kode_skpd == kode_skpd)
        total = self.session.execute(select(func.count()).select_from(anggaran_pos).where(*where)).scalar_one()
        rows = self.session.execute(select(anggaran_pos).where(*where).order_by(
            anggaran_pos.c.kode_skpd, anggaran_pos.c.kode_sub_kegiatan, anggaran_pos.c.rkpd_id,
            anggaran_pos.c.kode_rekening).offset(offset).limit(limit)).all()
        return [_pos(r) for r in rows], total

    # -- the APBD-P --------------------------------------------------------------------------------------------
    def get(self, kode_pemda: str, tahun: int) -> dict[str, Any] | None:
        row = self.session.execute(select(apbd_perubahan).where(
            apbd_perubahan.c.kode_pemda == kode_pemda, apbd_perubahan.c.tahun == tahun)).first()
        return row._asdict() if row else None

    def perubahan(self, kode_pemda: str, tahun: int) -> Perubahan | None:
        row = self.get(kode_pemda, tahun)
        return Perubahan(kode_pemda, tahun, **{k: row[k] for k in _STATE}) if row else None

    def add(self, p: Perubahan, dibuka_oleh: str) -> None:
        self.session.execute(apbd_perubahan.insert().values(
            kode_pemda=p.kode_pemda, tahun=p.tahun, **{k: getattr(p, k) for k in _STATE}, dibuka_oleh=dibuka_oleh))

    def save(self, p: Perubahan, **penetapan: Any) -> None:
        self.session.execute(apbd_perubahan.update().where(
            apbd_perubahan.c.kode_pemda == p.kode_pemda, apbd_perubahan.c.tahun == p.tahun)
            .values(**{k: getattr(p, k) for k in _STATE}, **penetapan))

    # -- the shifts --------------------------------------------------------------------------------------------
    def add_pergeseran(self, values: dict[str, Any]) -> None:
        self.session.execute(pergeseran_anggaran.insert().values(values))

    def list_pergeseran(self, kode_pemda: str, tahun: int, offset: int, limit: int,
                        kode_skpd: str | None = None) -> tuple[list[dict[str, Any]], int]:
        where = [pergeseran_anggaran.c.kode_pemda == kode_pemda, pergeseran_anggaran.c.tahun == tahun]
        if kode_skpd:
            where.append(pergeseran_anggaran.c.kode_skpd == kode_skpd)
        total = self.session.execute(select(func.count()).select_from(pergeseran_anggaran)
                                     .where(*where)).scalar_one()
        rows = self.session.execute(select(pergeseran_anggaran).where(*where).order_by(
            pergeseran_anggaran.c.pada, pergeseran_anggaran.c.id).offset(offset).limit(limit)).all()
        return [r._asdict() for r in rows], total

    def geser_bersih(self, kode_pemda: str, tahun: int) -> dict[str, Decimal]:
        """Per position id: what the year's shifts moved into it less what they moved out of it."""
        g = pergeseran_anggaran
        where = (g.c.kode_pemda == kode_pemda, g.c.tahun == tahun)
        out: dict[str, Decimal] = {}
        for column, sign in ((g.c.ke_pos_id, 1), (g.c.dari_pos_id, -1)):
            for pos_id, jumlah in self.session.execute(select(column, func.sum(g.c.jumlah)).where(*where)
                                                       .group_by(column)):
                out[pos_id] = out.get(pos_id, Decimal(0)) + sign * jumlah
        return out
