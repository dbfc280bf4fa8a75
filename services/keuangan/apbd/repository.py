"""The APBD of a pemda-year (table ``apbd``: its state and evaluations), the APBD as enacted (``apbd_ditetapkan``,
never changed: a trigger refuses it), and the legal ratios' rules (``rasio_wajib``, seeded by migration: a
decree's change is a new row with a later ``tahun_dari``). Reached as ``uow.apbd``.

A change of state takes the pemda-year's advisory lock exclusively; every write to its lines, revenue and
financing takes it shared (``terbuka``) before it asks whether the budget is open: an enactment waits for the
writes under way, and a write after it sees it."""
from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Column, Date, DateTime, Integer, Numeric, SmallInteger, String, Table, Text, func, select, text,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.orm import Session

from ..replika.repository import replika_rekening, replika_skpd, replika_sub_kegiatan
from sipd_common.varian import varian_dibaca
from ..schema import metadata
from .domain import Apbd, AturanRasio, Selektor

apbd = Table(
    "apbd", metadata,
    Column("kode_pemda", String(10), primary_key=True),
    Column("tahun", SmallInteger, primary_key=True),
    Column("status", String(20), nullable=False),
    Column("hasil_evaluasi", String(20)),
    Column("evaluasi", JSONB, nullable=False, server_default="[]"),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

apbd_ditetapkan = Table(
    "apbd_ditetapkan", metadata,
    Column("kode_pemda", String(10), primary_key=True),
    Column("tahun", SmallInteger, primary_key=True),
    Column("nomor_perda", String(200), nullable=False),
    Column("tanggal_perda", Date, nullable=False),
    Column("nomor_perkada", String(200), nullable=False),
    Column("tanggal_perkada", Date, nullable=False),
    Column("isi", JSONB, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("ditetapkan_oleh", String(100), nullable=False),
    Column("ditetapkan_pada", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

rasio_wajib = Table(
    "rasio_wajib", metadata,
    Column("kode", String(40), primary_key=True),
    Column("tahun_dari", SmallInteger, primary_key=True),
    Column("nama", Text, nullable=False),
    Column("pembilang", JSONB, nullable=False),
    Column("penyebut", JSONB, nullable=False),
    Column("op", String(2)),
    Column("ambang", Numeric(7, 4)),
    Column("wajib_mulai", SmallInteger),
    Column("dasar_hukum", Text, nullable=False),
    Column("urutan", SmallInteger, nullable=False, server_default="0"),
)

_LOCK = "SELECT pg_advisory_xact_lock{shared}(hashtext('apbd:' || :kode_pemda || ':' || :tahun))"


def _entity(row) -> Apbd:
    return Apbd(kode_pemda=row.kode_pemda, tahun=row.tahun, status=row.status, hasil_evaluasi=row.hasil_evaluasi,
                evaluasi=list(row.evaluasi), version=row.version)


class ApbdRepository:
    def __init__(self, session: Session):
        self.session = session

    def _where(self, kode_pemda: str, tahun: int):
        return [apbd.c.kode_pemda == kode_pemda, apbd.c.tahun == tahun]

    def terbuka(self, kode_pemda: str, tahun: int) -> tuple[str, str | None] | None:
        """(status, hasil_evaluasi) of the pemda-year's APBD (None: no record yet, a draft), with its lock held
        shared until the transaction ends."""
        self.session.execute(text(_LOCK.format(shared="_shared")), {"kode_pemda": kode_pemda, "tahun": str(tahun)})
        row = self.session.execute(select(apbd.c.status, apbd.c.hasil_evaluasi)
                                   .where(*self._where(kode_pemda, tahun))).first()
        return (row.status, row.hasil_evaluasi) if row else None

    def lock(self, kode_pemda: str, tahun: int) -> Apbd:
        """The APBD, its lock held exclusively; a draft (version 0) if there is no record yet."""
        self.session.execute(text(_LOCK.format(shared="")), {"kode_pemda": kode_pemda, "tahun": str(tahun)})
        return self.get(kode_pemda, tahun) or Apbd(kode_pemda, tahun)

    def get(self, kode_pemda: str, tahun: int) -> Apbd | None:
        row = self.session.execute(select(apbd).where(*self._where(kode_pemda, tahun))).first()
        return _entity(row) if row else None

    def save(self, a: Apbd) -> None:
        values = {"kode_pemda": a.kode_pemda, "tahun": a.tahun, "status": a.status,
                  "hasil_evaluasi": a.hasil_evaluasi, "evaluasi": a.evaluasi, "version": a.version}
        stmt = insert(apbd).values(values)
        self.session.execute(stmt.on_conflict_do_update(
            index_elements=[apbd.c.kode_pemda, apbd.c.tahun],
            set_={**{k: stmt.excluded[k] for k in values if k not in ("kode_pemda", "tahun")},
                  "updated_at": func.now()}))

    # -- as enacted -------------------------------------------------------------------------------------
    def add_ditetapkan(self, values: dict[str, Any]) -> None:
        self.session.execute(apbd_ditetapkan.insert().values(values))

    def ditetapkan(self, kode_pemda: str, tahun: int, isi: bool = True) -> dict[str, Any] | None:
        columns = [c for c in apbd_ditetapkan.c if isi or c.name != "isi"]
        row = self.session.execute(select(*columns).where(
            apbd_ditetapkan.c.kode_pemda == kode_pemda, apbd_ditetapkan.c.tahun == tahun)).first()
        return row._asdict() if row else None

    # -- the rules of the legal ratios ----------------------------------------------------------------------
    def aturan_rasio(self) -> list[AturanRasio]:
        rows = self.session.execute(select(rasio_wajib)).all()
        return [AturanRasio(kode=r.kode, tahun_dari=r.tahun_dari, nama=r.nama, pembilang=Selektor.dari(r.pembilang),
                            penyebut=Selektor.dari(r.penyebut), op=r.op, ambang=r.ambang, wajib_mulai=r.wajib_mulai,
                            dasar_hukum=r.dasar_hukum, urutan=r.urutan) for r in rows]

    # -- names, from keuangan's replica of the codification ---------------------------------------------------
    def nama_rekening(self, kodes: list[str]) -> dict[str, str]:
        if not kodes:
            return {}
        rows = self.session.execute(select(replika_rekening.c.kode, replika_rekening.c.nama)
                                    .where(replika_rekening.c.kode.in_(kodes))).all()
        return {r.kode: r.nama for r in rows}

    def nama_nomenklatur(self, kode_pemda: str, kodes: list[str]) -> dict[str, str]:
        """The names of urusan, bidang urusan, programs (and sub kegiatan) by code, as the pemda reads them (a
        province: a code's provincial variant where it has one)."""
        if not kodes:
            return {}
        t = replika_sub_kegiatan
        rows = self.session.execute(select(t.c.kode, t.c.nama).where(
            t.c.kode.in_(kodes), t.c.varian.in_(varian_dibaca(kode_pemda)))
            .distinct(t.c.kode).order_by(t.c.kode, t.c.varian)).all()
        return {r.kode: r.nama for r in rows}

    def nama_skpd(self, kode_pemda: str, kodes: list[str]) -> dict[str, str]:
        if not kodes:
            return {}
        rows = self.session.execute(select(replika_skpd.c.kode, replika_skpd.c.nama).where(
            replika_skpd.c.kode_pemda == kode_pemda, replika_skpd.c.kode.in_(kodes))).all()
        return {r.kode: r.nama for r in rows}
