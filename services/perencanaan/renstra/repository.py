"""The Renstra's table (``renstra``: one row per SKPD and RPJMD, its content a document) and its
repository, reached as ``uow.renstra``."""
from __future__ import annotations

from sqlalchemy import (
    Column, DateTime, ForeignKey, Index, Integer, SmallInteger, String, Table, Text, UniqueConstraint, func, select,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID, insert
from sqlalchemy.orm import Session

from contracts.perencanaan import IsiRenstra, StatusRenstra

from ..schema import metadata
from .domain import Renstra

renstra = Table(
    "renstra", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("kode_skpd", String(40), nullable=False),
    Column("rpjmd_id", UUID(as_uuid=False), ForeignKey("rpjmd.id"), nullable=False),
    Column("tahun_awal", SmallInteger, nullable=False),
    Column("tahun_akhir", SmallInteger, nullable=False),
    Column("isi", JSONB, nullable=False),
    # the RPJMD sasaran its sasaran serve (kept beside the document: the RPJMD asks before dropping one)
    Column("sasaran_rpjmd", ARRAY(String(30)), nullable=False, server_default="{}"),
    Column("status", String(20), nullable=False),
    Column("catatan", Text),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("rpjmd_id", "kode_skpd", name="renstra_rpjmd_skpd"),
    Index("renstra_pemda_skpd", "kode_pemda", "kode_skpd"),
)

_FIELDS = ("kode_pemda", "kode_skpd", "rpjmd_id", "tahun_awal", "tahun_akhir", "status", "catatan", "version")


def _entity(row) -> Renstra:
    return Renstra(id=row.id, isi=IsiRenstra.model_validate(row.isi),
                   **{f: getattr(row, f) for f in _FIELDS if f != "status"}, status=StatusRenstra(row.status))


def _values(item: Renstra) -> dict:
    return {**{f: getattr(item, f) for f in _FIELDS}, "status": str(item.status),
            "isi": item.isi.model_dump(mode="json"), "sasaran_rpjmd": item.sasaran_rpjmd()}


class RenstraRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, kode_pemda: str, kode_skpd: str, id: str, for_update: bool = False) -> Renstra | None:
        t = renstra
        query = select(t).where(t.c.id == id, t.c.kode_pemda == kode_pemda, t.c.kode_skpd == kode_skpd)
        row = self.session.execute(query.with_for_update() if for_update else query).first()
        return _entity(row) if row else None

    def add(self, item: Renstra) -> bool:
        """Store a new Renstra; False (nothing stored) when the SKPD has one for that RPJMD already."""
        stmt = insert(renstra).values(id=item.id, **_values(item)).on_conflict_do_nothing(
            constraint="renstra_rpjmd_skpd").returning(renstra.c.id)
        return self.session.execute(stmt).first() is not None

    def save(self, item: Renstra) -> None:
        t = renstra
        self.session.execute(t.update().where(t.c.id == item.id).values(**_values(item), updated_at=func.now()))

    def serving(self, rpjmd_id: str) -> dict[str, list[str]]:
        """The RPJMD sasaran served by a Renstra, each with the SKPD whose Renstra serve it."""
        t = renstra
        found: dict[str, list[str]] = {}
        for kode_skpd, sasaran in self.session.execute(select(t.c.kode_skpd, t.c.sasaran_rpjmd)
                                                       .where(t.c.rpjmd_id == rpjmd_id)):
            for kode in sasaran:
                found.setdefault(kode, []).append(kode_skpd)
        return found

    def covering(self, kode_pemda: str, kode_skpd: str, tahun: int) -> Renstra | None:
        """The SKPD's Renstra whose period covers ``tahun`` (periods of one pemda do not overlap)."""
        t = renstra
        row = self.session.execute(select(t).where(t.c.kode_pemda == kode_pemda, t.c.kode_skpd == kode_skpd,
                                                   t.c.tahun_awal <= tahun, t.c.tahun_akhir >= tahun)).first()
        return _entity(row) if row else None

    def any_verified_covering(self, kode_pemda: str, tahun: int) -> bool:
        """Does a verified Renstra of the pemda (of any SKPD) cover ``tahun``: can an item of that year name a
        Renstra sasaran at all."""
        t = renstra
        return self.session.execute(select(t.c.id).where(
            t.c.kode_pemda == kode_pemda, t.c.status == str(StatusRenstra.TERVERIFIKASI), t.c.tahun_awal <= tahun,
            t.c.tahun_akhir >= tahun).limit(1)).first() is not None

    def of_rpjmd(self, rpjmd_id: str) -> list[Renstra]:
        t = renstra
        return [_entity(r) for r in self.session.execute(select(t).where(t.c.rpjmd_id == rpjmd_id)
                                                         .order_by(t.c.kode_skpd))]

    def list_page(self, kode_pemda: str, offset: int, limit: int, kode_skpd: str | None = None,
                  rpjmd_id: str | None = None) -> tuple[list[Renstra], int]:
        t = renstra
        where = [t.c.kode_pemda == kode_pemda]
        if kode_skpd:
            where.append(t.c.kode_skpd == kode_skpd)
        if rpjmd_id:
            where.append(t.c.rpjmd_id == rpjmd_id)
        total = self.session.execute(select(func.count()).select_from(t).where(*where)).scalar_one()
        rows = self.session.execute(select(t).where(*where).order_by(t.c.tahun_awal.desc(), t.c.kode_skpd)
                                    .offset(offset).limit(limit)).all()
        return [_entity(r) for r in rows], total
