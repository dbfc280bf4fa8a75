"""The DPA-SKPD in versions (table ``dpa``) and their lines with the cash plan (``dpa_baris``), reached as
``uow.dpa``. The database keeps an authorised version as it was: a trigger refuses any change to its lines and to
the version itself, except marking it superseded (``disahkan`` → ``diganti``).

Versions of one SKPD's DPA are made and changed under the SKPD's advisory lock (``lock_skpd``), so two
generations, a generation and a new version, or an edit and an authorisation are one after the other.

``pagu_baris`` is the read the spending sub-domain uses: keep its name and meaning."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

from sqlalchemy import (
    Column, DateTime, ForeignKey, Index, Integer, Numeric, SmallInteger, String, Table, Text, UniqueConstraint,
    bindparam, func, select, text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Session

from ..schema import metadata
from .domain import DIGANTI, DISAHKAN, BarisDpa, Dpa

dpa = Table(
    "dpa", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("kode_pemda", String(10), nullable=False),
    Column("tahun", SmallInteger, nullable=False),
    Column("kode_skpd", String(40), nullable=False),
    Column("versi", SmallInteger, nullable=False),
    Column("status", String(20), nullable=False),
    Column("sebab", Text, nullable=False),
    Column("jumlah", Numeric(30, 6), nullable=False),
    Column("jumlah_baris", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("dibuat_oleh", String(100)),
    Column("dibuat_pada", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("disahkan_oleh", String(100)),
    Column("disahkan_pada", DateTime(timezone=True)),
    Column("nomor", String(200)),
    Column("hash", String(64)),
    Column("diganti_pada", DateTime(timezone=True)),
    UniqueConstraint("kode_pemda", "tahun", "kode_skpd", "versi", name="dpa_versi"),
    Index("dpa_scope", "kode_pemda", "tahun", "kode_skpd"),
    # at most one authorised version per SKPD and year: the one ``pagu_baris`` reads
    Index("dpa_satu_disahkan", "kode_pemda", "tahun", "kode_skpd", unique=True,
          postgresql_where=text("status = 'disahkan'")),
)

dpa_baris = Table(
    "dpa_baris", metadata,
    Column("dpa_id", UUID(as_uuid=False), ForeignKey("dpa.id"), primary_key=True),
    Column("kode_sub_kegiatan", String(30), primary_key=True),
    Column("kode_rekening", String(30), primary_key=True),
    Column("nama_rekening", Text, nullable=False),
    Column("jumlah", Numeric(30, 6), nullable=False),
    Column("kas", ARRAY(Numeric(30, 6)), nullable=False),
)

_LOCK = "SELECT pg_advisory_xact_lock(hashtext('dpa:' || :kode_pemda || ':' || :tahun || ':' || :kode_skpd))"
_HEAD = [c for c in dpa.c]


@dataclass(frozen=True)
class PaguBaris:
    """A line of the SKPD's current authorised DPA: what may be spent on a sub kegiatan × account, per month."""

    jumlah: Decimal
    kas: tuple[Decimal, ...]  # January … December
    versi: int


def _entity(row) -> Dpa:
    return Dpa(kode_pemda=row.kode_pemda, tahun=row.tahun, kode_skpd=row.kode_skpd, versi=row.versi,
               status=row.status, sebab=row.sebab, id=row.id, jumlah=row.jumlah, version=row.version,
               dibuat_oleh=row.dibuat_oleh, disahkan_oleh=row.disahkan_oleh, nomor=row.nomor, hash=row.hash,
               meta={"jumlah_baris": row.jumlah_baris, "dibuat_pada": row.dibuat_pada,
                     "disahkan_pada": row.disahkan_pada, "diganti_pada": row.diganti_pada})


def _values(d: Dpa, baris: list[BarisDpa]) -> dict[str, Any]:
    return {"id": d.id, "kode_pemda": d.kode_pemda, "tahun": d.tahun, "kode_skpd": d.kode_skpd, "versi": d.versi,
            "status": d.status, "sebab": d.sebab, "jumlah": sum((b.jumlah for b in baris), Decimal(0)),
            "jumlah_baris": len(baris), "version": d.version, "dibuat_oleh": d.dibuat_oleh}


_COPY_BARIS = "COPY dpa_baris (dpa_id, kode_sub_kegiatan, kode_rekening, nama_rekening, jumlah, kas) FROM STDIN"
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _angka(value: Decimal) -> str:
    """A decimal as PostgreSQL's numeric reads it (``str``: its scientific form, when Decimal uses one, reads too)."""
    return str(value)


def _copy_line(dpa_id: str, b: BarisDpa) -> str:
    """One line in COPY's text format (tab-separated, backslash escapes; the cash plan as an array literal)."""
    return "\t".join((dpa_id, b.kode_sub_kegiatan.translate(_ESCAPE), b.kode_rekening.translate(_ESCAPE),
                      b.nama_rekening.translate(_ESCAPE), _angka(b.jumlah),
                      "{" + ",".join(map(_angka, b.kas)) + "}")) + "\n"


class DpaRepository:
    def __init__(self, session: Session):
        self.session = session

    def lock_skpd(self, kode_pemda: str, tahun: int, kode_skpd: str) -> None:
        self.session.execute(text(_LOCK), {"kode_pemda": kode_pemda, "tahun": str(tahun), "kode_skpd": kode_skpd})

    def _where(self, kode_pemda: str, tahun: int, kode_skpd: str | None = None):
        where = [dpa.c.kode_pemda == kode_pemda, dpa.c.tahun == tahun]
        return where + ([dpa.c.kode_skpd == kode_skpd] if kode_skpd is not None else [])

    # -- reads ----------------------------------------------------------------------------------------------
    def terakhir(self, kode_pemda: str, tahun: int, kode_skpd: str) -> Dpa | None:
        """The SKPD's latest version (a draft or authorised), None before the first generation."""
        row = self.session.execute(select(*_HEAD).where(*self._where(kode_pemda, tahun, kode_skpd))
                                   .order_by(dpa.c.versi.desc()).limit(1)).first()
        return _entity(row) if row else None

    def get(self, kode_pemda: str, tahun: int, kode_skpd: str, versi: int) -> Dpa | None:
        row = self.session.execute(select(*_HEAD).where(*self._where(kode_pemda, tahun, kode_skpd),
                                                        dpa.c.versi == versi)).first()
        return _entity(row) if row else None

    def disahkan(self, kode_pemda: str, tahun: int, kode_skpd: str) -> Dpa | None:
        """The SKPD's current authorised version (at most one is ``disahkan``; the ones before it are ``diganti``)."""
        row = self.session.execute(select(*_HEAD).where(*self._where(kode_pemda, tahun, kode_skpd),
                                                        dpa.c.status == DISAHKAN)).first()
        return _entity(row) if row else None

    def versi(self, kode_pemda: str, tahun: int, kode_skpd: str) -> list[Dpa]:
        rows = self.session.execute(select(*_HEAD).where(*self._where(kode_pemda, tahun, kode_skpd))
                                    .order_by(dpa.c.versi)).all()
        return [_entity(r) for r in rows]

    def skpd(self, kode_pemda: str, tahun: int) -> set[str]:
        """The SKPD of the pemda-year that have a DPA (any version)."""
        return set(self.session.execute(select(dpa.c.kode_skpd).distinct()
                                        .where(*self._where(kode_pemda, tahun))).scalars())

    def list_page(self, kode_pemda: str, tahun: int, offset: int, limit: int,
                  kode_skpd: str | None = None) -> tuple[list[Dpa], int]:
        """Each SKPD's latest version, in SKPD code order, and how many SKPD have one."""
        latest = (select(*_HEAD).where(*self._where(kode_pemda, tahun, kode_skpd))
                  .distinct(dpa.c.kode_skpd).order_by(dpa.c.kode_skpd, dpa.c.versi.desc()).subquery())
        total = self.session.execute(select(func.count()).select_from(latest)).scalar_one()
        rows = self.session.execute(select(latest).order_by(latest.c.kode_skpd).offset(offset).limit(limit)).all()
        return [_entity(r) for r in rows], total

    def baris(self, dpa_id: str) -> list[BarisDpa]:
        rows = self.session.execute(select(dpa_baris).where(dpa_baris.c.dpa_id == dpa_id).order_by(
            dpa_baris.c.kode_sub_kegiatan, dpa_baris.c.kode_rekening)).all()
        return [BarisDpa(r.kode_sub_kegiatan, r.kode_rekening, r.jumlah, tuple(r.kas), r.nama_rekening) for r in rows]

    def pagu_baris(self, kode_pemda: str, tahun: int, kode_skpd: str, kode_sub_kegiatan: str,
                   kode_rekening: str) -> PaguBaris | None:
        """The line (sub kegiatan × account) of the SKPD's current authorised DPA version: its total, its cash plan
        per month and the version; None when the SKPD has no authorised DPA or the version has no such line.
        For the spending sub-domain (SPD, SPP/SPM): keep this name and meaning."""
        row = self.session.execute(
            select(dpa_baris.c.jumlah, dpa_baris.c.kas, dpa.c.versi)
            .select_from(dpa.join(dpa_baris, dpa_baris.c.dpa_id == dpa.c.id))
            .where(*self._where(kode_pemda, tahun, kode_skpd), dpa.c.status == DISAHKAN,
                   dpa_baris.c.kode_sub_kegiatan == kode_sub_kegiatan,
                   dpa_baris.c.kode_rekening == kode_rekening)).first()
        return PaguBaris(row.jumlah, tuple(row.kas), row.versi) if row else None

    # -- writes ---------------------------------------------------------------------------------------------
    def add_many(self, versions: list[tuple[Dpa, list[BarisDpa]]]) -> None:
        """New versions with their lines: one INSERT of the versions, one COPY of all their lines, whatever their
        number."""
        if not versions:
            return
        self.session.execute(dpa.insert(), [_values(d, b) for d, b in versions])
        # the lines in one COPY stream, written as text here: a multi-row INSERT of 30,000 lines spent most of its
        # time binding each line's 12-month numeric array parameter by parameter (docs/performance.md, "DPA")
        raw = self.session.connection().connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(_COPY_BARIS) as copy:
            for d, baris in versions:
                for start in range(0, len(baris), 2000):
                    copy.write("".join(_copy_line(d.id, b) for b in baris[start:start + 2000]))

    def set_kas(self, dpa_id: str, changes: list[BarisDpa]) -> None:
        if changes:
            self.session.execute(
                dpa_baris.update().where(dpa_baris.c.dpa_id == dpa_id,
                                         dpa_baris.c.kode_sub_kegiatan == bindparam("_sub"),
                                         dpa_baris.c.kode_rekening == bindparam("_rek"))
                .values(kas=bindparam("_kas", type_=ARRAY(Numeric(30, 6)))),
                [{"_sub": b.kode_sub_kegiatan, "_rek": b.kode_rekening, "_kas": list(b.kas)} for b in changes])

    def save(self, d: Dpa) -> None:
        """A version's own fields after an edit or its authorisation."""
        values = {"status": d.status, "version": d.version, "disahkan_oleh": d.disahkan_oleh, "nomor": d.nomor,
                  "hash": d.hash}
        if d.status == DISAHKAN:
            values["disahkan_pada"] = func.now()
        self.session.execute(dpa.update().where(dpa.c.id == d.id).values(values))

    def ganti(self, d: Dpa) -> None:
        """The authorised version ``d`` superseded by a later one: marked, nothing else changed."""
        self.session.execute(dpa.update().where(dpa.c.id == d.id, dpa.c.status == DISAHKAN)
                             .values(status=DIGANTI, diganti_pada=func.now()))
