"""The ceilings (table ``plafon``), one per RKPD item, reached as ``uow.plafon``."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import (
    Boolean, Column, DateTime, Index, Integer, Numeric, SmallInteger, String, Table, bindparam, false, func, select,
    tuple_, update,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID, insert
from sqlalchemy.orm import Session

from sipd_common.sql import fixed

from ..schema import metadata
from .domain import Plafon

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
    # funding sources and KUA-PPAS (issue 13): {kode: "amount"} maps; the plan's figures beside the agreed ones
    Column("sumber_dana", JSONB, nullable=False, server_default="{}"),
    Column("total_sumber_dana", JSONB, nullable=False, server_default="{}"),
    Column("pagu_rencana", Numeric(17, 2), nullable=False, server_default="0"),
    Column("sumber_dana_rencana", JSONB, nullable=False, server_default="{}"),
    Column("disepakati", Boolean, nullable=False, server_default=false()),
    Column("pergeseran_ditolak", Integer, nullable=False, server_default="0"),
    Index("plafon_scope", "kode_pemda", "tahun"),
    # the codification's retirements find the ceilings by code, across pemda and years
    Index("plafon_kode_sub_kegiatan", "kode_sub_kegiatan"),
    Index("plafon_skpd", "kode_pemda", "kode_skpd"),
)

_FIELDS = [c.name for c in plafon.columns if c.name != "updated_at"]
_MAPS = ("sumber_dana", "total_sumber_dana", "sumber_dana_rencana")  # kode → amount, kept as JSON text amounts


def _entity(row) -> Plafon:
    values = {name: getattr(row, name) for name in _FIELDS}
    for name in _MAPS:
        values[name] = {k: Decimal(v) for k, v in values[name].items()}
    return Plafon(**values)


def _stored(p: Plafon, name: str):
    value = getattr(p, name)
    return {k: str(v) for k, v in value.items()} if name in _MAPS else value


def _lock_or_create():
    """The ceiling's row, made blank (version 0) if there is none yet, locked and returned: one round trip
    (the no-op update of an existing row takes its lock as ``FOR UPDATE`` would)."""
    stmt = insert(plafon).values(
        rkpd_id=bindparam("rkpd_id"), kode_pemda=bindparam("kode_pemda"), tahun=bindparam("tahun"),
        kode_skpd=bindparam("kode_skpd"), kode_sub_kegiatan=bindparam("kode_sub_kegiatan"),
        kode_bidang_urusan=bindparam("kode_bidang_urusan"), pagu=0, total_rincian=0, rencana_dihapus=False,
        source_version=0, version=0)
    return stmt.on_conflict_do_update(index_elements=[plafon.c.rkpd_id],
                                      set_={"rkpd_id": stmt.excluded.rkpd_id}).returning(*plafon.c)


_LOCK_OR_CREATE = fixed(_lock_or_create())  # compiled once: SQLAlchemy compiles an ON CONFLICT on every execution
_SAVE = plafon.update().where(plafon.c.rkpd_id == bindparam("_rkpd_id")).values(
    {**{name: bindparam(name) for name in _FIELDS if name != "rkpd_id"}, "updated_at": func.now()})


class PlafonRepository:
    def __init__(self, session: Session):
        self.session = session

    def lock_or_create(self, rkpd_id: str, **identity) -> Plafon:
        """The ceiling of an RKPD item, locked for this transaction; a blank one (version 0) if none yet."""
        return _entity(self.session.execute(_LOCK_OR_CREATE, {"rkpd_id": rkpd_id, **identity}).one())

    def lock(self, rkpd_id: str, kode_pemda: str | None = None, tahun: int | None = None) -> Plafon | None:
        """The ceiling, locked for this transaction (of that pemda and year, when given); None if none."""
        where = [plafon.c.rkpd_id == rkpd_id]
        if kode_pemda is not None:
            where += [plafon.c.kode_pemda == kode_pemda, plafon.c.tahun == tahun]
        row = self.session.execute(select(plafon).where(*where).with_for_update()).first()
        return _entity(row) if row else None

    def save(self, p: Plafon) -> None:
        self.session.execute(_SAVE, [self._params(p)])

    def save_all(self, ps: list[Plafon]) -> None:
        if ps:
            self.session.execute(_SAVE, [self._params(p) for p in ps])

    @staticmethod
    def _params(p: Plafon) -> dict:
        return {"_rkpd_id": p.rkpd_id, **{name: _stored(p, name) for name in _FIELDS if name != "rkpd_id"}}

    def lock_tahun(self, kode_pemda: str, tahun: int) -> list[Plafon]:
        """Every ceiling of a pemda and year the plan has reached, locked (in id order) for the agreement."""
        return self._using((plafon.c.kode_pemda == kode_pemda) & (plafon.c.tahun == tahun))

    def pagu_rencana_per_sub_kegiatan(self, kode_pemda: str, tahun: int) -> list[tuple[str, str, Decimal]]:
        """(kode_skpd, kode_sub_kegiatan, Σ what the plan says) of the year's ceilings, not locked: where the
        KUA-PPAS perubahan starts."""
        rows = self.session.execute(
            select(plafon.c.kode_skpd, plafon.c.kode_sub_kegiatan, func.sum(plafon.c.pagu_rencana))
            .where(plafon.c.kode_pemda == kode_pemda, plafon.c.tahun == tahun, plafon.c.version > 0)
            .group_by(plafon.c.kode_skpd, plafon.c.kode_sub_kegiatan)).all()
        return [tuple(r) for r in rows]

    def lock_many(self, kode_pemda: str, tahun: int, rkpd_ids: list[str]) -> list[Plafon]:
        """These ceilings of a pemda and year, locked in id order (an import touches many at once)."""
        return self._using((plafon.c.kode_pemda == kode_pemda) & (plafon.c.tahun == tahun)
                           & plafon.c.rkpd_id.in_(rkpd_ids))

    def of_skpd(self, kode_pemda: str, tahun: int, kode_skpd: str) -> list[Plafon]:
        """The ceilings of one SKPD in a year (not locked): an import finds its sub kegiatan by code."""
        rows = self.session.execute(select(plafon).where(
            plafon.c.kode_pemda == kode_pemda, plafon.c.tahun == tahun, plafon.c.kode_skpd == kode_skpd,
            plafon.c.version > 0)).all()
        return [_entity(r) for r in rows]

    def get(self, kode_pemda: str, tahun: int, rkpd_id: str) -> Plafon | None:
        row = self.session.execute(select(plafon).where(
            plafon.c.rkpd_id == rkpd_id, plafon.c.kode_pemda == kode_pemda, plafon.c.tahun == tahun,
            plafon.c.version > 0)).first()
        return _entity(row) if row else None

    def list_pergeseran(self, kode_pemda: str, tahun: int, offset: int, limit: int,
                        kode_skpd: str | None = None) -> tuple[list[Plafon], int]:
        """The agreed ceilings the plan now differs from (pending or rejected), a page and the total."""
        differs = (plafon.c.pagu_rencana != plafon.c.pagu) | (plafon.c.sumber_dana_rencana != plafon.c.sumber_dana)
        return self.list_page(kode_pemda, tahun, offset, limit, kode_skpd, plafon.c.disepakati, differs)

    def using_sub_kegiatan(self, kodes: list[str]) -> list[Plafon]:
        """The ceilings (of any pemda and year) on these sub kegiatan, locked for the change."""
        return self._using(plafon.c.kode_sub_kegiatan.in_(kodes))

    def using_skpd(self, pairs: list[tuple[str, str]]) -> list[Plafon]:
        """The ceilings of these (kode_pemda, kode_skpd), locked for the change."""
        return self._using(tuple_(plafon.c.kode_pemda, plafon.c.kode_skpd).in_(pairs))

    def _using(self, condition) -> list[Plafon]:
        rows = self.session.execute(select(plafon).where(condition, plafon.c.version > 0)
                                    .order_by(plafon.c.rkpd_id).with_for_update()).all()
        return [_entity(r) for r in rows]

    def save_pemetaan(self, flagged: list[Plafon]) -> None:
        """The flags of these ceilings (their versions unchanged: a flag is no change of the budget)."""
        if flagged:
            self.session.execute(
                update(plafon).where(plafon.c.rkpd_id == bindparam("_rkpd_id"))
                .values(perlu_pemetaan=bindparam("_perlu"), pemetaan=bindparam("_pemetaan"), updated_at=func.now()),
                [{"_rkpd_id": p.rkpd_id, "_perlu": p.perlu_pemetaan, "_pemetaan": p.pemetaan} for p in flagged])

    def list_page(self, kode_pemda: str, tahun: int, offset: int, limit: int,
                  kode_skpd: str | None = None, *conditions) -> tuple[list[Plafon], int]:
        # version 0 is a ceiling locked but not yet applied (a rolled back race); never shown
        where = [plafon.c.kode_pemda == kode_pemda, plafon.c.tahun == tahun, plafon.c.version > 0, *conditions]
        if kode_skpd:
            where.append(plafon.c.kode_skpd == kode_skpd)
        total = self.session.execute(select(func.count()).select_from(plafon).where(*where)).scalar_one()
        rows = self.session.execute(select(plafon).where(*where).order_by(
            plafon.c.kode_skpd, plafon.c.kode_sub_kegiatan, plafon.c.rkpd_id).offset(offset).limit(limit)).all()
        return [_entity(r) for r in rows], total
