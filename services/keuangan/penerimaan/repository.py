"""Receipts (TBP), deposits (STS) and the realised revenue per account, reached as ``uow.penerimaan``.

Concurrency: a deposit locks the receipts it takes (``tbps(lock=True)``), so a receipt lands in one deposit
only; a validation locks its deposit; the realisation is added to in one statement per account (its row
locked until the transaction ends).
"""
from __future__ import annotations

import dataclasses
from decimal import Decimal

from sqlalchemy import (
    Column, Date, DateTime, ForeignKey, Index, Integer, Numeric, SmallInteger, String, Table, Text, UniqueConstraint,
    func, select, update,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID, insert
from sqlalchemy.orm import Session

from ..schema import metadata
from .domain import Sts, Tbp

MONEY = Numeric(17, 2)

sts = Table(
    "sts", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("kode_skpd", String(40), nullable=False),
    Column("nomor", String(120), nullable=False),
    Column("tanggal", Date, nullable=False),
    Column("tbp_ids", ARRAY(UUID(as_uuid=False)), nullable=False),
    Column("nilai", MONEY, nullable=False),
    Column("status", String(20), nullable=False),
    Column("dibuat_oleh", String(100), nullable=False),
    Column("divalidasi_oleh", String(100)),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("sts_scope", "kode_pemda", "tahun", "kode_skpd"),
    UniqueConstraint("kode_pemda", "nomor", name="sts_nomor"),
)
tbp = Table(
    "tbp", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("kode_skpd", String(40), nullable=False),
    Column("nomor", String(120), nullable=False),
    Column("kode_rekening", String(30), nullable=False),
    Column("nama_rekening", Text, nullable=False),
    Column("tanggal", Date, nullable=False),
    Column("uraian", Text, nullable=False),
    Column("penyetor", String(200), nullable=False),
    Column("nilai", MONEY, nullable=False),
    Column("sts_id", UUID(as_uuid=False), ForeignKey("sts.id")),
    Column("dibuat_oleh", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("tbp_scope", "kode_pemda", "tahun", "kode_skpd"),
    # an STS's receipts: the LRA's join from the period's STS (else every pemda's TBP are read), and the list
    # of receipts not deposited yet (``sts_id IS NULL``, combined with tbp_scope)
    Index("tbp_sts", "sts_id"),
    UniqueConstraint("kode_pemda", "nomor", name="tbp_nomor"),
)
realisasi_pendapatan = Table(
    "realisasi_pendapatan", metadata,
    Column("kode_pemda", String(10), primary_key=True),
    Column("tahun", SmallInteger, primary_key=True),
    Column("kode_skpd", String(40), primary_key=True),
    Column("kode_rekening", String(30), primary_key=True),
    Column("jumlah", MONEY, nullable=False),
    Column("version", Integer, nullable=False),
)


def _obj(cls, row):
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in row._asdict().items() if k in names})


def _values(table: Table, obj) -> dict:
    return {c.name: getattr(obj, c.name) for c in table.columns if hasattr(obj, c.name)}


class PenerimaanRepository:
    def __init__(self, session: Session):
        self.session = session

    # -- receipts -------------------------------------------------------------------------------------------
    def add_tbp(self, t: Tbp) -> None:
        self.session.execute(tbp.insert().values(_values(tbp, t)))

    def tbps(self, kode_pemda: str, tahun: int, ids: list[str], lock: bool = False) -> dict[str, Tbp]:
        if not ids:
            return {}
        q = select(tbp).where(tbp.c.kode_pemda == kode_pemda, tbp.c.tahun == tahun, tbp.c.id.in_(ids)).order_by(tbp.c.id)
        return {r.id: _obj(Tbp, r) for r in self.session.execute(q.with_for_update() if lock else q)}

    def simpan_setoran(self, ids: list[str], sts_id: str) -> None:
        self.session.execute(update(tbp).where(tbp.c.id.in_(ids)).values(sts_id=sts_id))

    def list_tbp(self, kode_pemda: str, tahun: int, offset: int, limit: int, kode_skpd: str | None = None,
                 belum_disetor: bool = False) -> tuple[list[Tbp], int]:
        where = [tbp.c.kode_pemda == kode_pemda, tbp.c.tahun == tahun]
        if kode_skpd:
            where.append(tbp.c.kode_skpd == kode_skpd)
        if belum_disetor:
            where.append(tbp.c.sts_id.is_(None))
        total = self.session.execute(select(func.count()).select_from(tbp).where(*where)).scalar_one()
        rows = self.session.execute(select(tbp).where(*where).order_by(tbp.c.created_at, tbp.c.id)
                                    .offset(offset).limit(limit)).all()
        return [_obj(Tbp, r) for r in rows], total

    # -- deposits -------------------------------------------------------------------------------------------
    def add_sts(self, s: Sts) -> None:
        self.session.execute(sts.insert().values(_values(sts, s)))

    def save_sts(self, s: Sts) -> None:
        self.session.execute(update(sts).where(sts.c.id == s.id).values(
            status=s.status, divalidasi_oleh=s.divalidasi_oleh, version=s.version))

    def get_sts(self, kode_pemda: str, tahun: int, id: str, lock: bool = False) -> Sts | None:
        q = select(sts).where(sts.c.id == id, sts.c.kode_pemda == kode_pemda, sts.c.tahun == tahun)
        row = self.session.execute(q.with_for_update() if lock else q).first()
        return _obj(Sts, row) if row else None

    def list_sts(self, kode_pemda: str, tahun: int, offset: int, limit: int,
                 kode_skpd: str | None = None) -> tuple[list[Sts], int]:
        where = [sts.c.kode_pemda == kode_pemda, sts.c.tahun == tahun]
        if kode_skpd:
            where.append(sts.c.kode_skpd == kode_skpd)
        total = self.session.execute(select(func.count()).select_from(sts).where(*where)).scalar_one()
        rows = self.session.execute(select(sts).where(*where).order_by(sts.c.created_at, sts.c.id)
                                    .offset(offset).limit(limit)).all()
        return [_obj(Sts, r) for r in rows], total

    # -- realised revenue -----------------------------------------------------------------------------------
    def tambah_realisasi(self, kode_pemda: str, tahun: int, kode_skpd: str,
                         per_akun: dict[str, Decimal]) -> list[tuple[str, Decimal, int]]:
        """Add each account's sum to its realisation (in account order: two deposits lock rows alike); the new
        totals and versions."""
        t, out = realisasi_pendapatan, []
        for kode_rekening, nilai in sorted(per_akun.items()):
            stmt = insert(t).values(kode_pemda=kode_pemda, tahun=tahun, kode_skpd=kode_skpd,
                                    kode_rekening=kode_rekening, jumlah=nilai, version=1)
            stmt = stmt.on_conflict_do_update(index_elements=list(t.primary_key.columns), set_={
                "jumlah": t.c.jumlah + nilai, "version": t.c.version + 1}).returning(t.c.jumlah, t.c.version)
            jumlah, version = self.session.execute(stmt).one()
            out.append((kode_rekening, jumlah, version))
        return out

    def list_realisasi(self, kode_pemda: str, tahun: int, offset: int, limit: int,
                       kode_skpd: str | None = None) -> tuple[list[dict], int]:
        t = realisasi_pendapatan
        where = [t.c.kode_pemda == kode_pemda, t.c.tahun == tahun]
        if kode_skpd:
            where.append(t.c.kode_skpd == kode_skpd)
        total = self.session.execute(select(func.count()).select_from(t).where(*where)).scalar_one()
        rows = self.session.execute(select(t.c.kode_skpd, t.c.kode_rekening, t.c.jumlah, t.c.version).where(*where)
                                    .order_by(t.c.kode_skpd, t.c.kode_rekening).offset(offset).limit(limit)).all()
        return [r._asdict() for r in rows], total
