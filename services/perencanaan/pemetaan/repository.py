"""The berita acara of code mapping (``berita_acara``, its pairs and signatories as documents) and the
counter that numbers them per pemda and year (``berita_acara_nomor``), reached as ``uow.pemetaan``.

A signed row never changes: the database refuses it (migration ``berita_acara``)."""
from __future__ import annotations

from sqlalchemy import (
    Column, Date, DateTime, Integer, PrimaryKeyConstraint, SmallInteger, String, Table, Text, UniqueConstraint, func,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID, insert
from sqlalchemy.orm import Session

from contracts.perencanaan import StatusBeritaAcara

from ..schema import metadata
from .domain import BeritaAcara, PasanganKode

berita_acara = Table(
    "berita_acara", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("status", String(20), nullable=False),
    Column("nomor", Integer),
    Column("tanggal", Date),
    Column("perihal", Text),
    Column("pasangan", JSONB, nullable=False),
    Column("pihak", JSONB, nullable=False, server_default="[]"),
    Column("dibuat_oleh", String(100), nullable=False),
    Column("ditandatangani_oleh", String(100)),
    Column("ditandatangani_pada", DateTime(timezone=True)),
    Column("hash", String(64)),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    UniqueConstraint("kode_pemda", "tahun", "nomor", name="berita_acara_nomor_unik"),
)

# the last number given per pemda and year: taken in the signing transaction, so a rolled back signing
# gives its number back (no gaps), and two signings at once queue on the row (no duplicates)
berita_acara_nomor = Table(
    "berita_acara_nomor", metadata,
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("terakhir", Integer, nullable=False),
    PrimaryKeyConstraint("kode_pemda", "tahun"),
)

_PASANGAN = ("rkpd_id", "kode_skpd", "kode_sub_kegiatan", "nama_sub_kegiatan", "kode_skpd_baru",
             "kode_sub_kegiatan_baru", "nama_sub_kegiatan_baru", "usulan_skpd", "usulan_sub_kegiatan")


def _pasangan(p: dict) -> PasanganKode:
    return PasanganKode(**{**p, "usulan_skpd": tuple(p["usulan_skpd"]),
                           "usulan_sub_kegiatan": tuple(p["usulan_sub_kegiatan"])})


def _entity(row) -> BeritaAcara:
    return BeritaAcara(
        id=row.id, kode_pemda=row.kode_pemda, tahun=row.tahun, pasangan=tuple(_pasangan(p) for p in row.pasangan),
        dibuat_oleh=row.dibuat_oleh, perihal=row.perihal, status=StatusBeritaAcara(row.status), nomor=row.nomor,
        tanggal=row.tanggal, pihak=tuple(row.pihak), ditandatangani_oleh=row.ditandatangani_oleh,
        ditandatangani_pada=row.ditandatangani_pada, hash=row.hash, version=row.version)


def _values(ba: BeritaAcara) -> dict:
    return dict(kode_pemda=ba.kode_pemda, tahun=ba.tahun, status=str(ba.status), nomor=ba.nomor, tanggal=ba.tanggal,
                perihal=ba.perihal, pasangan=[{k: (list(v) if isinstance(v, tuple) else v)
                                               for k, v in ((k, getattr(p, k)) for k in _PASANGAN)}
                                              for p in ba.pasangan],
                pihak=list(ba.pihak), dibuat_oleh=ba.dibuat_oleh, ditandatangani_oleh=ba.ditandatangani_oleh,
                ditandatangani_pada=ba.ditandatangani_pada, hash=ba.hash, version=ba.version)


class PemetaanRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, ba: BeritaAcara) -> None:
        self.session.execute(berita_acara.insert().values(id=ba.id, **_values(ba)))

    def save(self, ba: BeritaAcara) -> None:
        t = berita_acara
        self.session.execute(t.update().where(t.c.id == ba.id).values(**_values(ba), updated_at=func.now()))

    def get(self, kode_pemda: str, id: str, for_update: bool = False) -> BeritaAcara | None:
        t = berita_acara
        query = select(t).where(t.c.id == id, t.c.kode_pemda == kode_pemda)
        row = self.session.execute(query.with_for_update() if for_update else query).first()
        return _entity(row) if row else None

    def nomor_berikutnya(self, kode_pemda: str, tahun: int) -> int:
        """The next number of the pemda's year, held (row-locked) until the transaction ends."""
        t = berita_acara_nomor
        stmt = insert(t).values(kode_pemda=kode_pemda, tahun=tahun, terakhir=1)
        stmt = stmt.on_conflict_do_update(index_elements=[t.c.kode_pemda, t.c.tahun],
                                          set_={"terakhir": t.c.terakhir + 1}).returning(t.c.terakhir)
        return self.session.execute(stmt).scalar_one()

    def list_page(self, kode_pemda: str, tahun: int | None, offset: int, limit: int) -> tuple[list[BeritaAcara], int]:
        t = berita_acara
        where = [t.c.kode_pemda == kode_pemda]
        if tahun is not None:
            where.append(t.c.tahun == tahun)
        total = self.session.execute(select(func.count()).select_from(t).where(*where)).scalar_one()
        rows = self.session.execute(select(t).where(*where).order_by(
            t.c.tahun.desc(), t.c.nomor.desc().nulls_first(), t.c.created_at.desc(), t.c.id)
            .offset(offset).limit(limit)).all()
        return [_entity(r) for r in rows], total
