"""The KUA-PPAS of each pemda and year (table ``ppas``) and its ceilings (``ppas_pagu``), reached as ``uow.ppas``."""
from __future__ import annotations

from sqlalchemy import (
    Boolean, Column, Date, DateTime, Integer, Numeric, PrimaryKeyConstraint, SmallInteger, String, Table, Text, func,
    select,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from ..schema import metadata
from .domain import PaguPpas, Ppas

ppas = Table(
    "ppas", metadata,
    Column("kode_pemda", String(10), primary_key=True),
    Column("tahun", SmallInteger, primary_key=True),
    Column("snapshot_id", String(60), nullable=False),
    Column("rkpd_versi", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("nomor_kesepakatan", Text),
    Column("tanggal_kesepakatan", Date),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
ppas_pagu = Table(
    "ppas_pagu", metadata,
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("tingkat", String(20), nullable=False),
    Column("kode_skpd", String(40), nullable=False),
    Column("kode", String(40), nullable=False),
    Column("pagu_rkpd", Numeric(17, 2), nullable=False),
    Column("pagu", Numeric(17, 2), nullable=False),
    Column("disesuaikan", Boolean, nullable=False),
    PrimaryKeyConstraint("kode_pemda", "tahun", "tingkat", "kode_skpd", "kode", name="ppas_pagu_pkey"),
)

_HEADER = ("snapshot_id", "rkpd_versi", "status", "nomor_kesepakatan", "tanggal_kesepakatan", "version")
_ORDER = {t: i for i, t in enumerate(("skpd", "program", "kegiatan", "sub_kegiatan"))}


class PpasRepository:
    def __init__(self, session: Session):
        self.session = session

    def lock(self, kode_pemda: str, tahun: int) -> Ppas | None:
        """The PPAS with all its ceilings, locked for this transaction; None before the RKPD is enacted."""
        row = self.session.execute(select(ppas).where(ppas.c.kode_pemda == kode_pemda, ppas.c.tahun == tahun)
                                   .with_for_update()).first()
        if row is None:
            return None
        p = Ppas(kode_pemda, tahun, **{k: getattr(row, k) for k in _HEADER})
        for r in self.session.execute(select(ppas_pagu).where(ppas_pagu.c.kode_pemda == kode_pemda,
                                                              ppas_pagu.c.tahun == tahun)).all():
            pagu = PaguPpas(r.tingkat, r.kode_skpd, r.kode, r.pagu_rkpd, r.pagu, r.disesuaikan)
            p.pagu[pagu.kunci] = pagu
        return p

    def get(self, kode_pemda: str, tahun: int) -> Ppas | None:
        """The PPAS header (without its ceilings), not locked."""
        row = self.session.execute(select(ppas).where(ppas.c.kode_pemda == kode_pemda, ppas.c.tahun == tahun)).first()
        return Ppas(kode_pemda, tahun, **{k: getattr(row, k) for k in _HEADER}) if row else None

    def totals(self, kode_pemda: str, tahun: int):
        """Σ pagu and Σ pagu_rkpd of the SKPD ceilings."""
        return self.session.execute(select(func.coalesce(func.sum(ppas_pagu.c.pagu), 0),
                                           func.coalesce(func.sum(ppas_pagu.c.pagu_rkpd), 0)).where(
            ppas_pagu.c.kode_pemda == kode_pemda, ppas_pagu.c.tahun == tahun, ppas_pagu.c.tingkat == "skpd")).one()

    def disepakati(self, kode_pemda: str, tahun: int) -> bool:
        """Whether the year's PPAS is agreed; read under a share lock, so the agreement (which takes the row's
        update lock) and a plan event creating a ceiling are ordered."""
        status = self.session.execute(select(ppas.c.status).where(ppas.c.kode_pemda == kode_pemda,
                                                                  ppas.c.tahun == tahun).with_for_update(read=True)
                                      ).scalar()
        return status == "disepakati"

    def save(self, p: Ppas, changed: list[PaguPpas]) -> None:
        stmt = insert(ppas).values(kode_pemda=p.kode_pemda, tahun=p.tahun, **{k: getattr(p, k) for k in _HEADER})
        self.session.execute(stmt.on_conflict_do_update(
            index_elements=[ppas.c.kode_pemda, ppas.c.tahun],
            set_={**{k: stmt.excluded[k] for k in _HEADER}, "updated_at": func.now()}))
        rows = [{"kode_pemda": p.kode_pemda, "tahun": p.tahun, "tingkat": r.tingkat, "kode_skpd": r.kode_skpd,
                 "kode": r.kode, "pagu_rkpd": r.pagu_rkpd, "pagu": r.pagu, "disesuaikan": r.disesuaikan}
                for r in changed]
        for start in range(0, len(rows), 1000):
            stmt = insert(ppas_pagu).values(rows[start:start + 1000])
            self.session.execute(stmt.on_conflict_do_update(
                constraint="ppas_pagu_pkey",
                set_={k: stmt.excluded[k] for k in ("pagu_rkpd", "pagu", "disesuaikan")}))

    def list_pagu(self, kode_pemda: str, tahun: int, offset: int, limit: int, tingkat: str | None = None,
                  kode_skpd: str | None = None) -> tuple[list[PaguPpas], int]:
        where = [ppas_pagu.c.kode_pemda == kode_pemda, ppas_pagu.c.tahun == tahun]
        if tingkat:
            where.append(ppas_pagu.c.tingkat == tingkat)
        if kode_skpd:
            where.append(ppas_pagu.c.kode_skpd == kode_skpd)
        total = self.session.execute(select(func.count()).select_from(ppas_pagu).where(*where)).scalar_one()
        rows = self.session.execute(select(ppas_pagu).where(*where).order_by(
            ppas_pagu.c.kode_skpd, ppas_pagu.c.kode, ppas_pagu.c.tingkat).offset(offset).limit(limit)).all()
        return [PaguPpas(r.tingkat, r.kode_skpd, r.kode, r.pagu_rkpd, r.pagu, r.disesuaikan) for r in rows], total
