"""The flags of the chart of accounts (``tanda_rekening``, seeded by migration ``aturan_anggaran``: a decree's change
is a row with a later ``tahun_dari``), reached as ``uow.tanda``."""
from __future__ import annotations

from sqlalchemy import Column, SmallInteger, String, Table, Text, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from ..schema import metadata
from .domain import Tanda, TandaRekening

tanda_rekening = Table(
    "tanda_rekening", metadata,
    Column("kode", String(40), primary_key=True),
    Column("tahun_dari", SmallInteger, primary_key=True),
    Column("nama", Text, nullable=False),
    Column("akun", JSONB, nullable=False),
    Column("kecuali_akun", JSONB, nullable=False, server_default="[]"),
    Column("sub_kegiatan", JSONB, nullable=False, server_default="[]"),
    Column("wajib", JSONB, nullable=False, server_default="[]"),
    Column("dasar_hukum", Text, nullable=False),
    Column("urutan", SmallInteger, nullable=False, server_default="0"),
)

_LISTS = ("akun", "kecuali_akun", "sub_kegiatan", "wajib")


class TandaRekeningRepository:
    def __init__(self, session: Session):
        self.session = session

    def aturan(self) -> list[Tanda]:
        rows = self.session.execute(select(tanda_rekening)).all()
        return [Tanda(**{k: (tuple(v) if k in _LISTS else v) for k, v in r._asdict().items()}) for r in rows]

    def untuk(self, tahun: int) -> TandaRekening:
        """The flags in force for fiscal year ``tahun``."""
        return TandaRekening.untuk(self.aturan(), tahun)
