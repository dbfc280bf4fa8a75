"""The register's tables (``perda``, its attachments ``perda_lampiran``, the register numbers' counters
``perda_noreg``), reached as ``uow.perda``."""
from __future__ import annotations

from sqlalchemy import (
    BigInteger, Column, Date, DateTime, ForeignKey, Index, Integer, LargeBinary, SmallInteger, String, Table, Text,
    UniqueConstraint, func, select,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID, insert
from sqlalchemy.orm import Session

from ..schema import metadata
from .domain import Jenis, Perda, Status

perda = Table(
    "perda", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("jenis", String(10), nullable=False),
    Column("kategori", String(30), nullable=False),
    Column("judul", Text, nullable=False),
    Column("status", String(30), nullable=False),
    Column("noreg", String(60)),
    Column("nomor", String(100)),
    Column("tanggal_penetapan", Date),
    Column("nomor_pengundangan", String(100)),
    Column("tanggal_pengundangan", Date),
    Column("riwayat", JSONB, nullable=False),
    Column("sumber", String(60), nullable=False),
    # an enactment event registers its regulation once, however often it is delivered
    Column("sumber_id", String(100)),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("sumber_id", name="perda_sumber_id"),
    Index("perda_pemda_tahun", "kode_pemda", "tahun"),
)
perda_lampiran = Table(
    "perda_lampiran", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("perda_id", UUID(as_uuid=False), ForeignKey("perda.id"), nullable=False, index=True),
    Column("nama_file", String(255), nullable=False),
    Column("ukuran", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("isi", LargeBinary, nullable=False),
    Column("diunggah_oleh", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
# the last register number given in a province and year: taken and raised in one statement, so numbers
# have no gaps (the counter and the Perda commit together) and no two Perda share one
perda_noreg = Table(
    "perda_noreg", metadata,
    Column("kode_provinsi", String(2), primary_key=True),
    Column("tahun", SmallInteger, primary_key=True),
    Column("terakhir", Integer, nullable=False),
)

_FIELDS = ("kode_pemda", "tahun", "kategori", "judul", "noreg", "nomor", "tanggal_penetapan", "nomor_pengundangan",
           "tanggal_pengundangan", "sumber", "version")
_LAMPIRAN = [c for c in perda_lampiran.c if c.name != "isi"]


def _entity(row) -> Perda:
    return Perda(id=row.id, jenis=Jenis(row.jenis), status=Status(row.status), riwayat=tuple(row.riwayat),
                 **{f: getattr(row, f) for f in _FIELDS})


def _values(item: Perda) -> dict:
    return {**{f: getattr(item, f) for f in _FIELDS}, "jenis": str(item.jenis), "status": str(item.status),
            "riwayat": list(item.riwayat)}


class PerdaRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, item: Perda, sumber_id: str | None = None) -> bool:
        """Store a new regulation; False (nothing stored) when its source event registered it already."""
        stmt = insert(perda).values(id=item.id, sumber_id=sumber_id, **_values(item)).on_conflict_do_nothing(
            constraint="perda_sumber_id").returning(perda.c.id)
        return self.session.execute(stmt).first() is not None

    def exists(self, sumber_id: str) -> bool:
        return self.session.execute(select(perda.c.id).where(perda.c.sumber_id == sumber_id)).first() is not None

    def get(self, kode_pemda: str | None, id: str, for_update: bool = False) -> Perda | None:
        query = select(perda).where(perda.c.id == id)
        if kode_pemda is not None:
            query = query.where(perda.c.kode_pemda == kode_pemda)
        row = self.session.execute(query.with_for_update() if for_update else query).first()
        return _entity(row) if row else None

    def save(self, item: Perda) -> None:
        self.session.execute(perda.update().where(perda.c.id == item.id).values(**_values(item), updated_at=func.now()))

    def next_noreg(self, kode_provinsi: str, tahun: int) -> int:
        stmt = insert(perda_noreg).values(kode_provinsi=kode_provinsi, tahun=tahun, terakhir=1)
        stmt = stmt.on_conflict_do_update(index_elements=[perda_noreg.c.kode_provinsi, perda_noreg.c.tahun],
                                          set_={"terakhir": perda_noreg.c.terakhir + 1})
        return self.session.execute(stmt.returning(perda_noreg.c.terakhir)).scalar_one()

    def list_page(self, kode_pemda: str | None, offset: int, limit: int, tahun: int | None = None,
                  status: str | tuple[str, ...] | None = None) -> tuple[list[Perda], int]:
        where = []
        for column, value in ((perda.c.kode_pemda, kode_pemda), (perda.c.tahun, tahun)):
            if value is not None:
                where.append(column == value)
        if status is not None:
            where.append(perda.c.status.in_((status,) if isinstance(status, str) else status))
        total = self.session.execute(select(func.count()).select_from(perda).where(*where)).scalar_one()
        rows = self.session.execute(select(perda).where(*where).order_by(perda.c.kode_pemda, perda.c.tahun.desc(),
                                                                         perda.c.created_at, perda.c.id)
                                    .offset(offset).limit(limit)).all()
        return [_entity(r) for r in rows], total

    def counts(self, tahun: int) -> dict[str, dict[str, int]]:
        """Per pemda, how many regulations of ``tahun`` are in each state (the national view's)."""
        rows = self.session.execute(select(perda.c.kode_pemda, perda.c.status, func.count())
                                    .where(perda.c.tahun == tahun).group_by(perda.c.kode_pemda, perda.c.status))
        found: dict[str, dict[str, int]] = {}
        for kode, status, n in rows:
            found.setdefault(kode, {})[status] = n
        return found

    # -- attachments ---------------------------------------------------------------------------------------
    def add_lampiran(self, values: dict) -> None:
        self.session.execute(perda_lampiran.insert().values(**values))

    def lampiran_of(self, perda_id: str) -> list[dict]:
        rows = self.session.execute(select(*_LAMPIRAN).where(perda_lampiran.c.perda_id == perda_id)
                                    .order_by(perda_lampiran.c.created_at, perda_lampiran.c.id))
        return [dict(r._mapping) for r in rows]

    def lampiran(self, perda_id: str, id: str) -> dict | None:
        row = self.session.execute(select(perda_lampiran).where(perda_lampiran.c.perda_id == perda_id,
                                                                perda_lampiran.c.id == id)).first()
        return dict(row._mapping) if row else None

