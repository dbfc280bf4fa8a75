"""The national view's sums, from the plan's, the budget's and the realisation's read models (``rencana``,
``anggaran``, ``realisasi``: its spending), reached as ``uow.nasional``: per pemda over the year's rows (index
``*_tahun``; narrowed to a province or a pemda when the caller's scope is), and per bidang urusan for the listed
pemda only (a page)."""
from __future__ import annotations

from sqlalchemy import Table, func, or_, select
from sqlalchemy.orm import Session

from ..realisasi.repository import BELANJA, realisasi
from ..ringkasan.repository import anggaran, rencana


def _where(table: Table, tahun: int, provinsi: str | None, kode_pemda: str | None) -> list:
    where = [table.c.tahun == tahun]
    if kode_pemda is not None:
        where.append(table.c.kode_pemda == kode_pemda)
    elif provinsi is not None:
        where.append(or_(table.c.kode_pemda == provinsi, table.c.kode_pemda.like(f"{provinsi}.%")))
    return where


def _in(table: Table, tahun: int, kode_pemda: list[str]) -> list:
    return [table.c.tahun == tahun, table.c.kode_pemda.in_(kode_pemda)]


class NasionalRepository:
    def __init__(self, session: Session):
        self.session = session

    def total_rencana(self, tahun: int, provinsi: str | None = None, kode_pemda: str | None = None) -> dict:
        t = rencana
        query = (select(t.c.kode_pemda, func.coalesce(func.sum(t.c.pagu).filter(~t.c.dihapus), 0))
                 .where(*_where(t, tahun, provinsi, kode_pemda)).group_by(t.c.kode_pemda))
        return dict(self.session.execute(query).all())

    def total_anggaran(self, tahun: int, provinsi: str | None = None, kode_pemda: str | None = None) -> dict:
        t = anggaran
        query = (select(t.c.kode_pemda, func.sum(t.c.total_rincian))
                 .where(*_where(t, tahun, provinsi, kode_pemda)).group_by(t.c.kode_pemda))
        return dict(self.session.execute(query).all())

    def total_realisasi(self, tahun: int, provinsi: str | None = None, kode_pemda: str | None = None) -> dict:
        t = realisasi
        query = (select(t.c.kode_pemda, func.sum(t.c.jumlah))
                 .where(*_where(t, tahun, provinsi, kode_pemda), BELANJA).group_by(t.c.kode_pemda))
        return dict(self.session.execute(query).all())

    def rencana_urusan(self, tahun: int, kode_pemda: list[str]) -> list:
        t, live = rencana, ~rencana.c.dihapus
        query = (select(t.c.kode_pemda, t.c.kode_bidang_urusan, func.count().filter(live),
                        func.coalesce(func.sum(t.c.pagu).filter(live), 0))
                 .where(*_in(t, tahun, kode_pemda)).group_by(t.c.kode_pemda, t.c.kode_bidang_urusan))
        return self.session.execute(query).all()

    def anggaran_urusan(self, tahun: int, kode_pemda: list[str]) -> list:
        t = anggaran
        query = (select(t.c.kode_pemda, t.c.kode_bidang_urusan, func.sum(t.c.total_rincian))
                 .where(*_in(t, tahun, kode_pemda)).group_by(t.c.kode_pemda, t.c.kode_bidang_urusan))
        return self.session.execute(query).all()

    def realisasi_urusan(self, tahun: int, kode_pemda: list[str]) -> list:
        t = realisasi
        query = (select(t.c.kode_pemda, t.c.kode_bidang_urusan, func.sum(t.c.jumlah))
                 .where(*_in(t, tahun, kode_pemda), BELANJA).group_by(t.c.kode_pemda, t.c.kode_bidang_urusan))
        return self.session.execute(query).all()
