"""TAPD's verification notes on the RKA of a sub kegiatan and the SKPD's answers (table ``rka_verifikasi``),
reached as ``uow.verifikasi``. The lines themselves are ``rincian`` (``uow.rincian``)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Column, DateTime, Index, SmallInteger, String, Table, Text, func, select
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Session

from ..schema import metadata

rka_verifikasi = Table(
    "rka_verifikasi", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("rkpd_id", UUID(as_uuid=False), nullable=False),
    Column("kode_skpd", String(40), nullable=False),
    Column("fokus_uraian", Text, nullable=False),
    Column("catatan", Text, nullable=False),
    Column("dibuat_oleh", String(100)),
    Column("tanggapan", Text),
    Column("ditanggapi_oleh", String(100)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("rka_verifikasi_scope", "kode_pemda", "tahun", "rkpd_id"),
)
_FIELDS = [c.name for c in rka_verifikasi.columns if c.name != "created_at"]


class VerifikasiRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, values: dict[str, Any]) -> None:
        self.session.execute(rka_verifikasi.insert().values(values))

    def lock(self, kode_pemda: str, tahun: int, id: str) -> dict[str, Any] | None:
        row = self.session.execute(select(*(rka_verifikasi.c[f] for f in _FIELDS)).where(
            rka_verifikasi.c.id == id, rka_verifikasi.c.kode_pemda == kode_pemda, rka_verifikasi.c.tahun == tahun)
            .with_for_update()).first()
        return row._asdict() if row else None

    def answer(self, id: str, tanggapan: str, by: str) -> None:
        self.session.execute(rka_verifikasi.update().where(rka_verifikasi.c.id == id)
                             .values(tanggapan=tanggapan, ditanggapi_oleh=by))

    def of_sub_kegiatan(self, kode_pemda: str, tahun: int, rkpd_id: str) -> list[dict[str, Any]]:
        rows = self.session.execute(select(*(rka_verifikasi.c[f] for f in _FIELDS)).where(
            rka_verifikasi.c.kode_pemda == kode_pemda, rka_verifikasi.c.tahun == tahun,
            rka_verifikasi.c.rkpd_id == rkpd_id).order_by(rka_verifikasi.c.created_at, rka_verifikasi.c.id)).all()
        return [r._asdict() for r in rows]
