"""The KUA-PPAS of each pemda and year (table ``ppas``) and its ceilings (``ppas_pagu``), reached as ``uow.ppas``;
the APBD-P's KUA-PPAS perubahan (``ppas_perubahan``, ``ppas_perubahan_pagu``) as ``uow.ppas_perubahan``."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import (
    Boolean, Column, Date, DateTime, Integer, Numeric, PrimaryKeyConstraint, SmallInteger, String, Table, Text, func,
    select,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from ..schema import metadata
from .domain import PaguPpas, Ppas

def _kepala(name: str, *sumber: Column) -> Table:
    """A KUA-PPAS of a pemda-year: its state and agreement (``sumber``: the columns of where its ceilings come
    from)."""
    return Table(
        name, metadata,
        Column("kode_pemda", String(10), primary_key=True),
        Column("tahun", SmallInteger, primary_key=True),
        *sumber,
        Column("status", String(20), nullable=False),
        Column("nomor_kesepakatan", Text),
        Column("tanggal_kesepakatan", Date),
        Column("version", Integer, nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


ppas = _kepala("ppas", Column("snapshot_id", String(60), nullable=False), Column("rkpd_versi", Integer, nullable=False))
# the KUA-PPAS perubahan of the APBD-P: no RKPD snapshot (it starts from the plan as it is when the APBD-P opens),
# kept beside the murni one, which it never changes
ppas_perubahan = _kepala("ppas_perubahan")


def _pagu(name: str) -> Table:
    """A KUA-PPAS's ceilings; ``pagu_rkpd`` is what the plan says: the enacted RKPD (the murni's), the plan when the
    APBD-P opened (the perubahan's)."""
    return Table(
        name, metadata,
        Column("kode_pemda", String(10), nullable=False),
        Column("tahun", SmallInteger, nullable=False),
        Column("tingkat", String(20), nullable=False),
        Column("kode_skpd", String(40), nullable=False),
        Column("kode", String(40), nullable=False),
        Column("pagu_rkpd", Numeric(17, 2), nullable=False),
        Column("pagu", Numeric(17, 2), nullable=False),
        Column("disesuaikan", Boolean, nullable=False),
        PrimaryKeyConstraint("kode_pemda", "tahun", "tingkat", "kode_skpd", "kode", name=f"{name}_pkey"),
    )


ppas_pagu, ppas_perubahan_pagu = _pagu("ppas_pagu"), _pagu("ppas_perubahan_pagu")


class PpasRepository:
    """The murni KUA-PPAS (``uow.ppas``) or, ``perubahan``, the APBD-P's (``uow.ppas_perubahan``)."""

    def __init__(self, session: Session, perubahan: bool = False):
        self.session = session
        self.ppas, self.pagu = (ppas_perubahan, ppas_perubahan_pagu) if perubahan else (ppas, ppas_pagu)
        self._header = tuple(c.name for c in self.ppas.c if c.name not in ("kode_pemda", "tahun", "updated_at"))

    def _of(self, table: Table, kode_pemda: str, tahun: int) -> list:
        return [table.c.kode_pemda == kode_pemda, table.c.tahun == tahun]

    def _entity(self, kode_pemda: str, tahun: int, row) -> Ppas:
        return Ppas(kode_pemda, tahun, **{k: getattr(row, k) for k in self._header})

    def lock(self, kode_pemda: str, tahun: int) -> Ppas | None:
        """The PPAS with all its ceilings, locked for this transaction; None before the RKPD is enacted (the
        perubahan's: before the APBD-P opens)."""
        row = self.session.execute(select(self.ppas).where(*self._of(self.ppas, kode_pemda, tahun))
                                   .with_for_update()).first()
        if row is None:
            return None
        p = self._entity(kode_pemda, tahun, row)
        for r in self.session.execute(select(self.pagu).where(*self._of(self.pagu, kode_pemda, tahun))).all():
            pagu = PaguPpas(r.tingkat, r.kode_skpd, r.kode, r.pagu_rkpd, r.pagu, r.disesuaikan)
            p.pagu[pagu.kunci] = pagu
        return p

    def get(self, kode_pemda: str, tahun: int) -> Ppas | None:
        """The PPAS header (without its ceilings), not locked."""
        row = self.session.execute(select(self.ppas).where(*self._of(self.ppas, kode_pemda, tahun))).first()
        return self._entity(kode_pemda, tahun, row) if row else None

    def totals(self, kode_pemda: str, tahun: int):
        """Σ pagu and Σ pagu_rkpd of the SKPD ceilings."""
        return self.session.execute(select(func.coalesce(func.sum(self.pagu.c.pagu), 0),
                                           func.coalesce(func.sum(self.pagu.c.pagu_rkpd), 0)).where(
            *self._of(self.pagu, kode_pemda, tahun), self.pagu.c.tingkat == "skpd")).one()

    def pagu_per(self, kode_pemda: str, tahun: int, tingkat: str, kode_skpd: str | None = None,
                 kode: str | None = None) -> dict[tuple[str, str], Decimal]:
        """(kode_skpd, kode) → the ceiling, of one level (of one SKPD, one code, when given)."""
        where = [*self._of(self.pagu, kode_pemda, tahun), self.pagu.c.tingkat == tingkat]
        if kode_skpd is not None:
            where.append(self.pagu.c.kode_skpd == kode_skpd)
        if kode is not None:
            where.append(self.pagu.c.kode == kode)
        rows = self.session.execute(select(self.pagu.c.kode_skpd, self.pagu.c.kode, self.pagu.c.pagu)
                                    .where(*where)).all()
        return {(r.kode_skpd, r.kode): r.pagu for r in rows}

    def disepakati(self, kode_pemda: str, tahun: int) -> bool:
        """Whether the year's PPAS is agreed; read under a share lock, so the agreement (which takes the row's
        update lock) and a plan event creating a ceiling are ordered."""
        status = self.session.execute(select(self.ppas.c.status).where(*self._of(self.ppas, kode_pemda, tahun))
                                      .with_for_update(read=True)).scalar()
        return status == "disepakati"

    def save(self, p: Ppas, changed: list[PaguPpas]) -> None:
        header = {k: getattr(p, k) for k in self._header}
        stmt = insert(self.ppas).values(kode_pemda=p.kode_pemda, tahun=p.tahun, **header)
        self.session.execute(stmt.on_conflict_do_update(
            index_elements=[self.ppas.c.kode_pemda, self.ppas.c.tahun],
            set_={**{k: stmt.excluded[k] for k in header}, "updated_at": func.now()}))
        rows = [{"kode_pemda": p.kode_pemda, "tahun": p.tahun, "tingkat": r.tingkat, "kode_skpd": r.kode_skpd,
                 "kode": r.kode, "pagu_rkpd": r.pagu_rkpd, "pagu": r.pagu, "disesuaikan": r.disesuaikan}
                for r in changed]
        for start in range(0, len(rows), 1000):
            stmt = insert(self.pagu).values(rows[start:start + 1000])
            self.session.execute(stmt.on_conflict_do_update(
                constraint=f"{self.pagu.name}_pkey",
                set_={k: stmt.excluded[k] for k in ("pagu_rkpd", "pagu", "disesuaikan")}))

    def list_pagu(self, kode_pemda: str, tahun: int, offset: int, limit: int, tingkat: str | None = None,
                  kode_skpd: str | None = None) -> tuple[list[PaguPpas], int]:
        t = self.pagu
        where = self._of(t, kode_pemda, tahun)
        if tingkat:
            where.append(t.c.tingkat == tingkat)
        if kode_skpd:
            where.append(t.c.kode_skpd == kode_skpd)
        total = self.session.execute(select(func.count()).select_from(t).where(*where)).scalar_one()
        rows = self.session.execute(select(t).where(*where).order_by(
            t.c.kode_skpd, t.c.kode, t.c.tingkat).offset(offset).limit(limit)).all()
        return [PaguPpas(r.tingkat, r.kode_skpd, r.kode, r.pagu_rkpd, r.pagu, r.disesuaikan) for r in rows], total
