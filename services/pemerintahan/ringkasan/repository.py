"""The summary's read models (``rencana``, ``anggaran``), fed by the plan's and the budget's events only."""
from __future__ import annotations

from sqlalchemy import (
    Boolean, Column, DateTime, Index, Integer, Numeric, SmallInteger, String, Table, Text, func, select,
)
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.orm import Session

from sipd_common.sql import fixed

from ..schema import metadata

rencana = Table(
    "rencana", metadata,
    Column("rkpd_id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("kode_bidang_urusan", String(10), nullable=False),
    Column("nama_bidang_urusan", Text),
    Column("kode_sub_kegiatan", String(30), nullable=False),
    Column("kode_skpd", String(40)),  # the LPPD finds the item's realisation by it (null: held from before it was kept)
    # what the LPPD reports of the item (a deletion carries none of them: the held ones stay)
    Column("nama_sub_kegiatan", Text),
    Column("indikator", Text),
    Column("target", Numeric(16, 4)),
    Column("satuan", String(100)),
    Column("pagu", Numeric(17, 2), nullable=False),
    Column("dihapus", Boolean, nullable=False),
    Column("source_version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("rencana_scope", "kode_pemda", "tahun"),
    Index("rencana_tahun", "tahun", "kode_pemda", "kode_bidang_urusan"),  # the national view's sums
)
anggaran = Table(
    "anggaran", metadata,
    Column("rkpd_id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("kode_bidang_urusan", String(10), nullable=False),
    Column("kode_sub_kegiatan", String(30), nullable=False),
    Column("total_rincian", Numeric(30, 6), nullable=False),
    Column("status", String(20), nullable=False),
    Column("source_version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("anggaran_scope", "kode_pemda", "tahun"),
    Index("anggaran_tahun", "tahun", "kode_pemda", "kode_bidang_urusan"),
)


def _upsert_if_newer(table: Table):
    """Insert the row, or overwrite it only when ``source_version`` is newer; one statement, race-free,
    built once (a statement built per call costs more than its round trip)."""
    stmt = insert(table)
    columns = [c for c in table.columns if c.name not in ("rkpd_id", "updated_at")]
    # an event that does not carry a nullable field (a deletion carries no name) keeps the one held
    return stmt.on_conflict_do_update(
        index_elements=[table.c.rkpd_id],
        set_={**{c.name: func.coalesce(stmt.excluded[c.name], c) if c.nullable else stmt.excluded[c.name]
                 for c in columns}, "updated_at": func.now()},
        where=table.c.source_version < stmt.excluded.source_version,
    ).returning(table.c.rkpd_id)


_COLUMNS = {t.name: [c.name for c in t.columns if c.name != "updated_at"] for t in (rencana, anggaran)}
# compiled once (SQLAlchemy compiles an ON CONFLICT anew on every execution): the row passes every column
_UPSERT = {t.name: fixed(_upsert_if_newer(t), _COLUMNS[t.name]) for t in (rencana, anggaran)}


class RingkasanRepository:
    def __init__(self, session: Session):
        self.session = session

    def simpan_rencana(self, values: dict) -> bool:
        """The plan item's state, unless the one held is as new (``source_version``); True if stored."""
        return self._upsert_if_newer(rencana, values)

    def simpan_anggaran(self, values: dict) -> bool:
        """The ceiling's state, unless the one held is as new; True if stored."""
        return self._upsert_if_newer(anggaran, values)

    def _upsert_if_newer(self, table: Table, values: dict) -> bool:
        row = {name: None for name in _COLUMNS[table.name]} | values  # every column: one statement for all
        return self.session.execute(_UPSERT[table.name], row).first() is not None

    def versi_rencana(self, rkpd_id: str) -> int | None:
        return self.session.execute(select(rencana.c.source_version).where(rencana.c.rkpd_id == rkpd_id)).scalar()

    def versi_anggaran(self, rkpd_id: str) -> int | None:
        return self.session.execute(select(anggaran.c.source_version).where(anggaran.c.rkpd_id == rkpd_id)).scalar()

    def rencana_of(self, kode_pemda: str, tahun: int) -> list:
        return self._rows(rencana, kode_pemda, tahun)

    def anggaran_of(self, kode_pemda: str, tahun: int) -> list:
        return self._rows(anggaran, kode_pemda, tahun)

    def _rows(self, table: Table, kode_pemda: str, tahun: int) -> list:
        return self.session.execute(select(table).where(table.c.kode_pemda == kode_pemda,
                                                        table.c.tahun == tahun)).all()
